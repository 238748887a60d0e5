// The consent moments in the mini-program (the weapp subscribe seam, WeChat's API stubbed): 提醒我 on the check-in
// screen and on 积分明细's expiry schedule, and the modal after a redemption. WeChat is asked inside the member's
// tap, the answers are recorded per template key, and a failed record never blocks the member.
import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { fetchCheckInCalendar, fetchCheckInRules } from '../../services/checkin'
import { fetchEntries, fetchExpirySchedule } from '../../services/history'
import { listMallItems, redeemItem } from '../../services/mall'
import { fetchMe } from '../../services/member'
import { recordSubscribeConsent } from '../../services/messages'
import { checkInStore } from '../../stores/checkin'
import { expiryStore, historyStore } from '../../stores/history'
import { mallStore } from '../../stores/mall'
import { meStore } from '../../stores/member'
import CheckIn from '../../member/checkin/index'
import HistoryPage from '../../member/history/index'
import Item from '../../member/item/index'
import { aCheckInRules } from '../../../test/factories/checkin'
import { aMallListing, aRedemption } from '../../../test/factories/mall'
import { aMe } from '../../../test/factories/me'

jest.mock('../../platform/subscribe', () => jest.requireActual('../../platform/subscribe.weapp'))
jest.mock('../../services/messages')
jest.mock('../../services/checkin')
jest.mock('../../services/history')
jest.mock('../../services/mall')
jest.mock('../../services/member')

const TEMPLATES = {
  TARO_APP_WX_TEMPLATE_POINTS_EXPIRING: 'tpl-points',
  TARO_APP_WX_TEMPLATE_VOUCHER_EXPIRING: 'tpl-voucher-exp',
  TARO_APP_WX_TEMPLATE_VOUCHER_USED: 'tpl-voucher-used',
  TARO_APP_WX_TEMPLATE_TIER_CHANGED: 'tpl-tier',
  TARO_APP_WX_TEMPLATE_CHECK_IN_REMINDER: 'tpl-checkin',
}
const savedEnv = Object.fromEntries(Object.keys(TEMPLATES).map((k) => [k, process.env[k]]))
const initial = {
  checkIn: checkInStore.getState(),
  history: historyStore.getState(),
  expiry: expiryStore.getState(),
  mall: mallStore.getState(),
  me: meStore.getState(),
}
let subscribe: jest.SpyInstance

beforeEach(() => {
  jest.resetAllMocks()
  Object.assign(process.env, TEMPLATES)
  checkInStore.setState(initial.checkIn, true)
  historyStore.setState(initial.history, true)
  expiryStore.setState(initial.expiry, true)
  mallStore.setState(initial.mall, true)
  meStore.setState(initial.me, true)
  ;(Taro as any).requestSubscribeMessage ??= () => undefined
  subscribe = jest.spyOn(Taro, 'requestSubscribeMessage')
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.spyOn(Taro, 'useReachBottom').mockImplementation(() => undefined)
  jest.spyOn(console, 'warn').mockImplementation(() => undefined)
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(recordSubscribeConsent).mockResolvedValue({ accepted: 1 })
})
afterEach(() => {
  jest.restoreAllMocks()
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
})

/** WeChat's dialog answering `byId` (template id → accept / reject / …). */
function wechatAnswers(byId: Record<string, string>) {
  subscribe.mockImplementation(async () => ({ errMsg: 'requestSubscribeMessage:ok', ...byId }))
}

function renderCheckIn() {
  jest.mocked(fetchCheckInRules).mockResolvedValue(aCheckInRules())
  jest.mocked(fetchCheckInCalendar).mockResolvedValue({
    month: '2026-11',
    today: '2026-11-24',
    days: Array.from({ length: 30 }, (_, i) => ({
      date: `2026-11-${String(i + 1).padStart(2, '0')}`,
      checked_in: false,
      made_up: false,
      points: 0,
      bonus_points: 0,
      can_make_up: false,
    })),
    streak_days: 3,
    make_ups_used: 0,
    make_ups_left: 2,
    make_up_cost_points: 20,
    checked_in_today: true,
  })
  return render(<CheckIn />)
}

it('check-in screen: 提醒我 asks for the streak reminder and expiring points in the tap, and records the answers', async () => {
  wechatAnswers({ 'tpl-checkin': 'accept', 'tpl-points': 'reject' })
  renderCheckIn()
  expect(await screen.findByText('签到提醒：连签快断和积分过期前，通过微信通知你')).toBeInTheDocument()

  fireEvent.click(screen.getByText('提醒我'))
  // synchronously, inside the tap: WeChat shows its dialog only then
  expect(subscribe).toHaveBeenCalledWith({ tmplIds: ['tpl-checkin', 'tpl-points'] })
  await waitFor(() => expect(recordSubscribeConsent).toHaveBeenCalledWith({ check_in_reminder: 'accept', points_expiring: 'reject' }))
  await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith({ title: '已开启提醒', icon: 'none' }))
})

it('积分明细: 提醒我 under the expiry schedule asks for points_expiring; all refused says so', async () => {
  jest.mocked(fetchExpirySchedule).mockResolvedValue([{ date: '2027-11-12', points: 5 }])
  jest.mocked(fetchEntries).mockResolvedValue([])
  wechatAnswers({ 'tpl-points': 'reject' })
  render(<HistoryPage />)
  expect(await screen.findByText('积分过期前，通过微信通知提醒你')).toBeInTheDocument()

  fireEvent.click(screen.getByText('提醒我'))
  expect(subscribe).toHaveBeenCalledWith({ tmplIds: ['tpl-points'] })
  await waitFor(() => expect(recordSubscribeConsent).toHaveBeenCalledWith({ points_expiring: 'reject' }))
  await waitFor(() => expect(Taro.showToast).toHaveBeenCalledWith({ title: '未开启提醒', icon: 'none' }))
})

it('积分明细 with nothing about to expire: no 提醒我', async () => {
  jest.mocked(fetchExpirySchedule).mockResolvedValue([])
  jest.mocked(fetchEntries).mockResolvedValue([])
  render(<HistoryPage />)
  expect(await screen.findByText('暂无即将过期的积分')).toBeInTheDocument()
  expect(screen.queryByText('提醒我')).toBeNull()
})

it('without the templates configured: no 提醒我 in the mini-program either', async () => {
  process.env.TARO_APP_WX_TEMPLATE_CHECK_IN_REMINDER = ''
  process.env.TARO_APP_WX_TEMPLATE_POINTS_EXPIRING = ''
  renderCheckIn()
  await screen.findByText('签到规则')
  expect(screen.queryByText('提醒我')).toBeNull()
})

const COUPON = '00000000-0000-4000-b000-000000000001'

async function redeem(modalAnswers: { confirm: boolean }[]) {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing())
  jest.mocked(redeemItem).mockResolvedValue({ ...aRedemption(), balance_points: 369 })
  const modal = jest.spyOn(Taro, 'showModal')
  for (const answer of modalAnswers) {
    // WeChat calls `success` from the modal's tap (the subscribe dialog must be asked from there)
    modal.mockImplementationOnce(async (o: any) => {
      const res = { ...answer, cancel: !answer.confirm, errMsg: 'showModal:ok' }
      o?.success?.(res)
      return res as any
    })
  }
  jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: { id: COUPON }, path: '/member/item/index' } as any)
  render(<Item />)
  await screen.findByText('¥10无门槛券')
  await act(async () => fireEvent.click(screen.getByText('立即兑换')))
  return modal
}

it('after a redemption: a modal offers 提醒我; its tap asks for the voucher’s expiry and use, then my redemptions opens', async () => {
  wechatAnswers({ 'tpl-voucher-exp': 'accept', 'tpl-voucher-used': 'accept' })
  const modal = await redeem([{ confirm: true }, { confirm: true }])
  expect(redeemItem).toHaveBeenCalled()
  expect(modal).toHaveBeenLastCalledWith(
    expect.objectContaining({
      title: '兑换成功',
      content: '券快到期和核销时，通过微信通知提醒你？',
      confirmText: '提醒我',
      cancelText: '不用了',
    }),
  )
  expect(subscribe).toHaveBeenCalledWith({ tmplIds: ['tpl-voucher-exp', 'tpl-voucher-used'] })
  await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/member/redemptions/index' }))
  expect(recordSubscribeConsent).toHaveBeenCalledWith({ voucher_expiring: 'accept', voucher_used: 'accept' })
  // the modal said 兑换成功: no second toast for it
  expect(Taro.showToast).not.toHaveBeenCalledWith({ title: '兑换成功', icon: 'success' })
})

it('after a redemption, 不用了: nothing asked or recorded, my redemptions opens', async () => {
  await redeem([{ confirm: true }, { confirm: false }])
  await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/member/redemptions/index' }))
  expect(subscribe).not.toHaveBeenCalled()
  expect(recordSubscribeConsent).not.toHaveBeenCalled()
})

it('a failed record (or a failed dialog) never blocks the member: logged, my redemptions still opens', async () => {
  wechatAnswers({ 'tpl-voucher-exp': 'accept' })
  jest.mocked(recordSubscribeConsent).mockRejectedValue(new AppError('network_error'))
  await redeem([{ confirm: true }, { confirm: true }])
  await waitFor(() => expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/member/redemptions/index' }))
  expect(console.warn).toHaveBeenCalledWith('subscribe: record_subscribe_consent failed', expect.any(AppError))
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '已开启提醒', icon: 'none' })
})

it('WeChat refusing the call (subscriptions switched off): nothing recorded, no toast, the screen goes on', async () => {
  subscribe.mockRejectedValue({ errMsg: 'requestSubscribeMessage:fail', errCode: 20004 })
  renderCheckIn()
  fireEvent.click(await screen.findByText('提醒我'))
  await act(async () => undefined)
  expect(recordSubscribeConsent).not.toHaveBeenCalled()
  expect(Taro.showToast).not.toHaveBeenCalled()
  expect(screen.getByText('提醒我')).toBeInTheDocument()
})
