import { Text } from '@tarojs/components'
import { act, fireEvent, render, screen } from '@testing-library/react'
import { useEffect } from 'react'

import { currentSession, signIn } from '../../services/session'
import { sessionStore } from '../../stores/session'
import { withSession } from './index'
import { aSession } from '../../../test/factories/me'
import { inputByPlaceholder, typeInto } from '../../../test/support/taro-dom'

jest.mock('../../services/session')

const initial = sessionStore.getState()
const loads = jest.fn()
const Page = withSession(function Page() {
  useEffect(() => loads(), [])
  return <Text>会员页面</Text>
})

beforeEach(() => {
  jest.resetAllMocks()
  sessionStore.setState({ ...initial, status: 'checking', member: undefined, errorCode: undefined }, true)
})

it('opened directly without a session: the sign-in in its place, then the page itself (the link is kept)', async () => {
  jest.mocked(currentSession).mockReturnValue(null)
  jest.mocked(signIn).mockResolvedValue(aSession())
  render(<Page />)
  expect(await screen.findByText('登录会员')).toBeInTheDocument()
  expect(screen.queryByText('会员页面')).toBeNull()
  expect(loads).not.toHaveBeenCalled() // the page asks the backend nothing without a session

  await screen.findAllByPlaceholderText('请输入手机号')
  await typeInto(inputByPlaceholder('请输入手机号'), '13800000001')
  await act(async () => fireEvent.click(screen.getByText('登录')))
  expect(signIn).toHaveBeenCalledWith({ provider: 'dev', phone: '13800000001' })
  expect(await screen.findByText('会员页面')).toBeInTheDocument()
  expect(loads).toHaveBeenCalledTimes(1)
})

it('opened directly with a saved session: restored, the page shows', async () => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  render(<Page />)
  expect(await screen.findByText('会员页面')).toBeInTheDocument()
  expect(sessionStore.getState().status).toBe('signed_in')
})

it('signed out while shown (退出登录, then browser back): the sign-in, not the page', async () => {
  sessionStore.setState({ status: 'signed_in', member: aSession().member })
  render(<Page />)
  expect(screen.getByText('会员页面')).toBeInTheDocument()
  await act(async () => sessionStore.getState().signOut())
  expect(screen.queryByText('会员页面')).toBeNull()
  expect(screen.getByText('登录会员')).toBeInTheDocument()
})
