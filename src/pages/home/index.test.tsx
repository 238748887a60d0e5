import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { checkIn } from '../../services/checkin'
import { fetchExpiryReminderDays, fetchMe } from '../../services/member'
import { countUnreadMessages } from '../../services/messages'
import { fetchProgram } from '../../services/program'
import { bindRememberedInviter, rememberInviter } from '../../services/referral'
import { currentSession, signIn } from '../../services/session'
import { meStore, reminderDaysStore } from '../../stores/member'
import { fetchPublicRules } from '../../services/rules'
import { programStore } from '../../stores/program'
import { rulesStore } from '../../stores/rules'
import { sessionStore } from '../../stores/session'
import Home from './index'
import { aMe, aSession } from '../../../test/factories/me'
import { aProgram } from '../../../test/factories/program'
import { aPublicRules } from '../../../test/factories/rules'
import { typeInto, errorToast } from '../../../test/support/taro-dom'

jest.mock('../../services/program')
jest.mock('../../services/member')
jest.mock('../../services/checkin')
jest.mock('../../services/session')
jest.mock('../../services/referral')
jest.mock('../../services/rules')
const initialRules = rulesStore.getState()
jest.mock('../../services/messages')

const initial = {
  program: programStore.getState(),
  session: sessionStore.getState(),
  me: meStore.getState(),
  reminderDays: reminderDaysStore.getState(),
}

beforeEach(() => {
  jest.resetAllMocks()
  programStore.setState(initial.program, true)
  sessionStore.setState(initial.session, true)
  meStore.setState(initial.me, true)
  reminderDaysStore.setState(initial.reminderDays, true)
  jest.mocked(fetchExpiryReminderDays).mockResolvedValue([30, 7])
  jest.mocked(fetchProgram).mockResolvedValue(aProgram())
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' })
  jest.mocked(bindRememberedInviter).mockResolvedValue('none')
  jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: {}, path: '/pages/home/index' } as any)
})
afterEach(() => jest.restoreAllMocks())

it('signed out on H5: the dev login by phone, then the member home', async () => {
  jest.mocked(currentSession).mockReturnValue(null)
  jest.mocked(signIn).mockResolvedValue(aSession())
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  render(<Home />)

  expect(await screen.findByText('登录会员')).toBeInTheDocument()
  const input = await screen.findByPlaceholderText('请输入手机号')
  await typeInto(input, '1380000')
  await act(async () => fireEvent.click(screen.getByText('登录')))
  expect(screen.getByText('手机号应为11位数字，还差4位')).toBeInTheDocument()
  expect(signIn).not.toHaveBeenCalled()
  await typeInto(input, '13800000001')
  await act(async () => fireEvent.click(screen.getByText('登录')))

  expect(signIn).toHaveBeenCalledWith({ provider: 'dev', phone: '13800000001' })
  expect(await screen.findByText('469')).toBeInTheDocument()
  expect(screen.getByText('示例品牌会员')).toBeInTheDocument()
})

it('a refused sign-in shows the Chinese message', async () => {
  jest.mocked(currentSession).mockReturnValue(null)
  jest.mocked(signIn).mockRejectedValue(new AppError('network_error'))
  render(<Home />)
  await typeInto(await screen.findByPlaceholderText('请输入手机号'), '13800000001')
  await act(async () => fireEvent.click(screen.getByText('登录')))
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
})

it('signed in: balance, expiring points, tier progress, streak and the entries', async () => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchMe).mockResolvedValue(aMe({ pending_points: 40 }))
  render(<Home />)

  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(await screen.findByText('469')).toBeInTheDocument()
  expect(screen.getByText('普通会员 ›')).toBeInTheDocument()
  expect(screen.getByText('待生效 40')).toBeInTheDocument()
  expect(screen.getByText('5 积分将于 2027-11-12 过期')).toBeInTheDocument()
  expect(screen.getByText('再获得 431 积分升级银卡会员')).toBeInTheDocument()
  expect(screen.getByText('已连续签到 5 天')).toBeInTheDocument()
  fireEvent.click(screen.getByText('积分商城'))
  expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/mall/index' })
  expect(screen.queryByText('门店工作台')).toBeNull() // not staff
})

it('signed in: the 消息中心 bell with the unread count opens 消息中心; signed out, no bell', async () => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(countUnreadMessages).mockResolvedValue({ unread_count: 3 })
  const { unmount } = render(<Home />)
  const bell = await screen.findByLabelText('消息中心，3 条未读')
  fireEvent.click(bell)
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/member/messages/index' })
  unmount()

  jest.mocked(currentSession).mockReturnValue(null)
  sessionStore.setState(initial.session, true)
  render(<Home />)
  await screen.findByText('登录会员')
  expect(screen.queryByText('消息中心')).toBeNull()
})

it('staff get the 门店工作台 entry with their store and role', async () => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchMe).mockResolvedValue(aMe({ staff: { store_id: 's1', store_name: '悦享咖啡·静安寺店', role: 'manager' } }))
  render(<Home />)
  fireEvent.click(await screen.findByText('门店工作台'))
  expect(screen.getByText('悦享咖啡·静安寺店 · 店长')).toBeInTheDocument()
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/staff/home/index' })
  // a manager's one tap to 经营看板; the staff card comes before the member's own cards
  fireEvent.click(screen.getByText('经营看板'))
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/manager/dashboard/index' })
  const staffCard = document.querySelector('.home__staff')!
  expect(staffCard.compareDocumentPosition(document.querySelector('.home__balance')!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
})

it('a clerk gets no 经营看板 entry', async () => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchMe).mockResolvedValue(aMe({ staff: { store_id: 's1', store_name: '悦享咖啡·静安寺店', role: 'clerk' } }))
  render(<Home />)
  await screen.findByText('门店工作台')
  expect(screen.queryByText('经营看板')).toBeNull()
})

it('the tier badge opens 会员等级', async () => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  render(<Home />)
  fireEvent.click(await screen.findByText('普通会员 ›'))
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/member/tiers/index' })
})

describe('the welcome of a new member', () => {
  beforeEach(() => {
    localStorage.clear()
    rulesStore.setState(initialRules, true)
    jest.mocked(fetchPublicRules).mockResolvedValue(aPublicRules())
  })

  it('shows the registration bonus from the live rules once: 知道了 is remembered on the device', async () => {
    jest.mocked(currentSession).mockReturnValue(aSession())
    jest.mocked(fetchMe).mockResolvedValue(aMe({ created_at: '2026-11-23T02:00:00Z', business_date: '2026-11-24' }))
    const { unmount } = render(<Home />)
    expect(await screen.findByText('欢迎加入，新人礼 120 积分已到账')).toBeInTheDocument()
    fireEvent.click(screen.getByText('知道了'))
    expect(screen.queryByText(/欢迎加入/)).toBeNull()
    unmount()
    render(<Home />)
    await screen.findByText('469')
    expect(screen.queryByText(/欢迎加入/)).toBeNull()
  })

  it('is not shown to a member who registered weeks ago', async () => {
    jest.mocked(currentSession).mockReturnValue(aSession())
    jest.mocked(fetchMe).mockResolvedValue(aMe())
    render(<Home />)
    await screen.findByText('469')
    expect(screen.queryByText(/欢迎加入/)).toBeNull()
    expect(fetchPublicRules).not.toHaveBeenCalled()
  })
})

it('check in: the toast tells what was earned, and the balance reloads', async () => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest
    .mocked(fetchMe)
    .mockResolvedValueOnce(aMe())
    .mockResolvedValueOnce(aMe({ balance_points: 484, checked_in_today: true, streak_days: 6 }))
  jest.mocked(checkIn).mockResolvedValue({
    check_in_date: '2026-11-24',
    made_up: false,
    points: 5,
    bonus_points: 10,
    campaign_points: 0,
    streak_days: 6,
    cycle_day: 6,
    balance_points: 484,
  })
  render(<Home />)
  const button = await screen.findByText('签到领积分')
  await act(async () => fireEvent.click(button))

  expect(Taro.showToast).toHaveBeenCalledWith({ title: '签到成功 +15 积分（连续 6 天）', icon: 'none' })
  expect(await screen.findByText('484')).toBeInTheDocument()
  expect((screen.getByText('今日已签到').closest('taro-button-core') as HTMLButtonElement).disabled).toBe(true)
})

it('a refused check-in shows its message', async () => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(checkIn).mockRejectedValue(new AppError('already_checked_in'))
  render(<Home />)
  const button = await screen.findByText('签到领积分')
  await act(async () => fireEvent.click(button))
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('今天已经签到过了'))
})

it('an error loading the member shows the message and 重试 recovers', async () => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchMe).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(aMe())
  render(<Home />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('469')).toBeInTheDocument()
})

it('after a network failure 重试 loads the program and the member again, and works again after a second failure', async () => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchProgram).mockReset().mockRejectedValueOnce(new AppError('network_error')).mockResolvedValue(aProgram())
  jest
    .mocked(fetchMe)
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockResolvedValueOnce(aMe())
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockResolvedValueOnce(aMe({ balance_points: 470 }))
  render(<Home />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  expect(screen.getByText('积分会员')).toBeInTheDocument() // the program's name failed too

  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('469')).toBeInTheDocument()
  expect(screen.getByText('示例品牌会员')).toBeInTheDocument()
  expect(screen.queryByText('重试')).toBeNull()
  expect(fetchProgram).toHaveBeenCalledTimes(2)

  // the member's data fails again later (e.g. on a reload), then 重试 still works
  await act(async () => void meStore.setState({ data: undefined }))
  await act(async () => meStore.getState().load())
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('470')).toBeInTheDocument()
  expect(fetchMe).toHaveBeenCalledTimes(4)
  expect(fetchProgram).toHaveBeenCalledTimes(2) // the program is loaded: not again
})

it('opened from an invite: the code is remembered, bound once signed in, and the member is told', async () => {
  jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: { inviter: 'ABCD2345' }, path: '/pages/home/index' } as any)
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(bindRememberedInviter).mockResolvedValue('bound')
  render(<Home />)
  expect(await screen.findByText('469')).toBeInTheDocument()
  expect(rememberInviter).toHaveBeenCalledWith('ABCD2345')
  expect(bindRememberedInviter).toHaveBeenCalledTimes(1)
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '已接受好友邀请', icon: 'none' })
})

it.each([
  ['2027-11-12', false],
  ['2026-12-25', false],
  ['2026-12-24', true],
  ['2026-11-30', true],
])('points expiring on %s (today 2026-11-24, reminders 30/7 days): warning colour %s', async (expiresOn, warn) => {
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchMe).mockResolvedValue(aMe({ expiring: { points: 5, expires_on: expiresOn, expires_at: `${expiresOn}T16:00:00Z` } }))
  render(<Home />)
  const label = await screen.findByText(`5 积分将于 ${expiresOn} 过期`)
  await act(async () => undefined)
  expect(label.className.includes('home__expiring--warn')).toBe(warn)
  expect(fetchExpiryReminderDays).toHaveBeenCalledTimes(1)
})

it('the reminder window is data: reminders 60 days ahead warn 45 days ahead', async () => {
  jest.mocked(fetchExpiryReminderDays).mockResolvedValue([60, 7])
  jest.mocked(currentSession).mockReturnValue(aSession())
  jest.mocked(fetchMe).mockResolvedValue(aMe({ expiring: { points: 5, expires_on: '2027-01-08', expires_at: '2027-01-08T16:00:00Z' } }))
  render(<Home />)
  const label = await screen.findByText('5 积分将于 2027-01-08 过期')
  await act(async () => undefined)
  expect(label.className).toContain('home__expiring--warn')
})
