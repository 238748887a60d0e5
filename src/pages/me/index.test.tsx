import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { fetchMe } from '../../services/member'
import { meStore } from '../../stores/member'
import * as ui from '../../platform/ui'
import { signOut } from '../../services/session'
import MePage from './index'
import { aMe } from '../../../test/factories/me'

jest.mock('../../services/member')
jest.mock('../../services/session')
// the platform seam as a mutable object: a test switches it to the mini-program's values
jest.mock('../../platform/ui', () => ({
  __esModule: true,
  ...jest.requireActual('../../platform/ui'),
  contactsByWeChat: false,
  servicePhone: '',
}))

const initial = { me: meStore.getState() }
beforeEach(() => {
  jest.resetAllMocks()
  meStore.setState(initial.me, true)
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.spyOn(Taro, 'reLaunch').mockResolvedValue({ errMsg: 'reLaunch:ok' })
})
afterEach(() => jest.restoreAllMocks())

it('who the member is, and every link opens its screen', async () => {
  render(<MePage />)
  expect(await screen.findByText('林小满')).toBeInTheDocument()
  expect(screen.getByText('469')).toBeInTheDocument()
  fireEvent.click(screen.getByText('普通会员 ›'))
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/member/tiers/index' })
  const links: [string, string][] = [
    ['积分明细', '/member/history/index'],
    ['我的兑换', '/member/redemptions/index'],
    ['我的消费', '/member/purchases/index'],
    ['会员等级', '/member/tiers/index'],
    ['积分规则', '/member/rules/index'],
    ['邀请好友', '/member/invite/index'],
    ['个人资料', '/member/profile/index'],
  ]
  for (const [label, url] of links) {
    const button = screen.getByText(label).closest('taro-button-core')
    expect(button).not.toBeNull() // a button: focusable, with its label as name
    fireEvent.click(button!)
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url })
  }
})

it('no service phone configured on H5: no 联系客服 row', async () => {
  render(<MePage />)
  await screen.findByText('林小满')
  expect(screen.queryByText('联系客服')).toBeNull()
})

it('退出登录 asks first, then forgets the session and relaunches home', async () => {
  jest.spyOn(Taro, 'showModal').mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'showModal:ok' } as any)
  render(<MePage />)
  const button = await screen.findByText('退出登录')
  await act(async () => fireEvent.click(button))
  expect(signOut).not.toHaveBeenCalled()
  jest.spyOn(Taro, 'showModal').mockResolvedValueOnce({ confirm: true, cancel: false, errMsg: 'showModal:ok' } as any)
  await act(async () => fireEvent.click(screen.getByText('退出登录')))
  expect(signOut).toHaveBeenCalled()
  expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' })
})

describe('联系客服', () => {
  afterEach(() => Object.assign(ui, { contactsByWeChat: false, servicePhone: '' }))

  it('the mini-program: WeChat service chat (openType contact)', async () => {
    Object.assign(ui, { contactsByWeChat: true, servicePhone: '' })
    render(<MePage />)
    const button = (await screen.findByText('联系客服')).closest('taro-button-core')
    expect(button).toHaveAttribute('open-type', 'contact')
  })

  it('H5 with a service phone: dials it (a tel: link)', async () => {
    Object.assign(ui, { contactsByWeChat: false, servicePhone: '400-820-0000' })
    const call = jest.spyOn(Taro, 'makePhoneCall').mockResolvedValue({ errMsg: 'makePhoneCall:ok' })
    render(<MePage />)
    fireEvent.click(await screen.findByText('400-820-0000 ›'))
    expect(call).toHaveBeenCalledWith({ phoneNumber: '400-820-0000' })
  })
})
