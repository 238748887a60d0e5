import { act, fireEvent, render, screen } from '@testing-library/react'

import { signIn } from '../../services/session'
import { sessionStore } from '../../stores/session'
import LoginCard from './index'
import { aSession } from '../../../test/factories/me'
import { buttonByText, inputByPlaceholder, isDisabled, typeInto } from '../../../test/support/taro-dom'

jest.mock('../../services/session')

const initial = sessionStore.getState()
beforeEach(() => {
  jest.resetAllMocks()
  sessionStore.setState({ ...initial, status: 'signed_out' }, true)
  jest.mocked(signIn).mockResolvedValue(aSession())
})

async function typePhone(value: string) {
  await typeInto(inputByPlaceholder('请输入手机号'), value)
}
const tapLogin = () => act(async () => fireEvent.click(screen.getByText('登录')))

it('12 digits: says one too many and signs in as nobody (never as the first 11 digits)', async () => {
  render(<LoginCard />)
  await typePhone('138000000012')
  expect(screen.getByText('手机号应为11位数字，多了1位')).toBeInTheDocument()
  await tapLogin()
  expect(signIn).not.toHaveBeenCalled()
})

it('letters are refused with a message, not dropped', async () => {
  render(<LoginCard />)
  await typePhone('1380000000a1')
  expect(screen.getByText('手机号只能包含数字')).toBeInTheDocument()
  await tapLogin()
  expect(signIn).not.toHaveBeenCalled()
})

it('a number still short is told once 登录 is tapped; a good one (also in groups) signs in', async () => {
  render(<LoginCard />)
  expect(isDisabled(buttonByText('登录'))).toBe(true)
  await typePhone('1380000')
  expect(screen.queryByText('手机号应为11位数字，还差4位')).toBeNull() // still typing
  await tapLogin()
  expect(screen.getByText('手机号应为11位数字，还差4位')).toBeInTheDocument()
  expect(signIn).not.toHaveBeenCalled()
  await typePhone('138 0000 0001')
  expect(screen.queryByText(/手机号应为/)).toBeNull()
  await tapLogin()
  expect(signIn).toHaveBeenCalledWith({ provider: 'dev', phone: '13800000001' })
})

it('the field is a text field without a length cut (a number field drops letters and cuts the 12th digit)', () => {
  render(<LoginCard />)
  const input = inputByPlaceholder('请输入手机号') as unknown as { type?: string; maxlength?: number }
  expect(input.type).toBe('text')
  expect(input.maxlength ?? 140).toBeGreaterThan(11)
})
