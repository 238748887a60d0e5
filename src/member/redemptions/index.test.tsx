import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, within } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { fetchMe } from '../../services/member'
import { cancelRedemption, listMyRedemptions } from '../../services/mall'
import { mallStore, redemptionsStore } from '../../stores/mall'
import { meStore } from '../../stores/member'
import Redemptions from './index'
import { aMe } from '../../../test/factories/me'
import { aCancelResult, aRedemption } from '../../../test/factories/mall'
import { errorToast } from '../../../test/support/taro-dom'

jest.mock('../../services/mall')
jest.mock('../../services/member')

const initial = { list: redemptionsStore.getState(), me: meStore.getState(), mall: mallStore.getState() }
let reachBottom: (() => void) | undefined

beforeEach(() => {
  jest.resetAllMocks()
  redemptionsStore.setState(initial.list, true)
  meStore.setState(initial.me, true)
  mallStore.setState(initial.mall, true)
  reachBottom = undefined
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.spyOn(Taro, 'useReachBottom').mockImplementation((cb: () => void) => {
    reachBottom = cb
  })
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' })
  jest.spyOn(Taro, 'showModal').mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' } as any)
})
afterEach(() => jest.restoreAllMocks())

const ISSUED = aRedemption({ id: 'r-issued', created_at: '2026-11-24T02:00:00.000001+00:00' })
const VERIFIED = aRedemption({
  id: 'r-verified',
  item: { id: 'i5', kind: 'gift', title: '品牌充电宝', face_value_fen: null, image_url: null },
  cost_points: 1000,
  voucher_code: '987654321098',
  status: 'verified',
  created_at: '2026-11-20T02:00:00+00:00',
  verified_at: '2026-11-21T06:05:00+00:00',
  verified_store: { id: 's1', name: '人民广场店' },
})
const EXPIRED = aRedemption({
  id: 'r-expired',
  status: 'expired',
  created_at: '2026-09-01T02:00:00+00:00',
  expires_at: '2026-10-01T16:00:00+00:00',
})
const CANCELLED = aRedemption({
  id: 'r-cancelled',
  status: 'cancelled',
  created_at: '2026-08-01T02:00:00+00:00',
  cancelled_at: '2026-08-02T01:00:00+00:00',
})

function card(id: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-redemption="${id}"]`)
  if (!el) throw new Error(`no card ${id}`)
  return el
}

function tab(label: string): HTMLElement {
  const el = [...document.querySelectorAll<HTMLElement>('.redemptions__tab')].find((t) => t.textContent === label)
  if (!el) throw new Error(`no tab ${label}`)
  return el
}

it('loading, then every voucher with its cost, status and date', async () => {
  jest.mocked(listMyRedemptions).mockResolvedValue([ISSUED, VERIFIED, EXPIRED, CANCELLED])
  render(<Redemptions />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  await screen.findByText('品牌充电宝')
  expect(listMyRedemptions).toHaveBeenCalledWith({ status: null })

  const issued = within(card('r-issued'))
  expect(issued.getByText('¥10无门槛券')).toBeInTheDocument()
  expect(issued.getByText('100 积分')).toBeInTheDocument()
  expect(issued.getByText('待使用')).toBeInTheDocument()
  expect(issued.getByText('有效期至 2026-12-23')).toBeInTheDocument()
  expect(issued.getByText('查看券码')).toBeInTheDocument()
  expect(within(card('r-verified')).getByText('已使用')).toBeInTheDocument()
  expect(within(card('r-verified')).getByText('2026-11-21 14:05 已使用 · 人民广场店')).toBeInTheDocument()
  expect(within(card('r-expired')).getByText('已过期')).toBeInTheDocument()
  expect(within(card('r-expired')).getByText('已于 2026-10-01 过期')).toBeInTheDocument()
  expect(within(card('r-cancelled')).getByText('已取消')).toBeInTheDocument()
  expect(within(card('r-cancelled')).getByText('2026-08-02 09:00 已取消')).toBeInTheDocument()
  expect(screen.getByText('没有更多了')).toBeInTheDocument()
  // no code for vouchers that cannot be used
  fireEvent.click(within(card('r-verified')).getByText('品牌充电宝'))
  expect(screen.queryByText('9876-5432-1098')).toBeNull()
})

it('tapping an issued voucher shows its code grouped 4-4-4 and the QR with the plain digits; tapping again hides it', async () => {
  jest.mocked(listMyRedemptions).mockResolvedValue([ISSUED])
  render(<Redemptions />)
  fireEvent.click(await screen.findByText('¥10无门槛券'))

  expect(screen.getByText('1234-5678-9012')).toBeInTheDocument()
  const qr = card('r-issued').querySelector('.qr-code')
  expect(qr).toHaveAttribute('data-qr', '123456789012')
  expect(screen.getByText('到店出示券码，由店员扫码核销')).toBeInTheDocument()
  expect(screen.getByText('取消兑换')).toBeInTheDocument()
  expect(screen.getByText('收起')).toBeInTheDocument()

  fireEvent.click(screen.getByText('¥10无门槛券'))
  expect(screen.queryByText('1234-5678-9012')).toBeNull()
})

it('the status tabs filter through the backend', async () => {
  jest
    .mocked(listMyRedemptions)
    .mockResolvedValueOnce([ISSUED, VERIFIED])
    .mockResolvedValueOnce([VERIFIED])
    .mockResolvedValueOnce([EXPIRED])
  render(<Redemptions />)
  await screen.findByText('品牌充电宝')
  expect(tab('全部')).toHaveClass('redemptions__tab--active')

  await act(async () => fireEvent.click(tab('已使用')))
  expect(listMyRedemptions).toHaveBeenLastCalledWith({ status: 'verified' })
  expect(tab('已使用')).toHaveClass('redemptions__tab--active')
  expect(screen.queryByText('¥10无门槛券')).toBeNull()
  expect(screen.getByText('品牌充电宝')).toBeInTheDocument()

  await act(async () => fireEvent.click(tab('已过期')))
  expect(listMyRedemptions).toHaveBeenLastCalledWith({ status: 'expired' })
  expect(screen.getByText('已于 2026-10-01 过期')).toBeInTheDocument()

  // the current tab again: nothing to do
  await act(async () => fireEvent.click(tab('已过期')))
  expect(listMyRedemptions).toHaveBeenCalledTimes(3)
  expect(['全部', '待使用', '已使用', '已过期', '已取消'].every((l) => tab(l))).toBe(true)
})

it('empty: the hint and a way to the mall', async () => {
  jest.mocked(listMyRedemptions).mockResolvedValueOnce([]).mockResolvedValueOnce([])
  render(<Redemptions />)
  expect(await screen.findByText('还没有兑换记录')).toBeInTheDocument()
  fireEvent.click(screen.getByText('去积分商城逛逛'))
  expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/mall/index' })

  await act(async () => fireEvent.click(tab('待使用')))
  expect(await screen.findByText('没有待使用的兑换记录')).toBeInTheDocument()
})

it('an error shows the message and 重试 recovers', async () => {
  jest.mocked(listMyRedemptions).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce([ISSUED])
  render(<Redemptions />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('¥10无门槛券')).toBeInTheDocument()
})

it('reaching the bottom loads the next page before the last created_at; a full page means there may be more', async () => {
  const page1 = Array.from({ length: 20 }, (_, i) =>
    aRedemption({ id: `p1-${i}`, created_at: `2026-11-${String(24 - Math.floor(i / 2)).padStart(2, '0')}T0${i % 2}:00:00+00:00` }),
  )
  const page2 = [
    aRedemption({
      id: 'p2-0',
      item: { id: 'i3', kind: 'membership', title: '1个月会员', face_value_fen: null, image_url: null },
      created_at: '2026-11-01T00:00:00+00:00',
    }),
  ]
  jest
    .mocked(listMyRedemptions)
    .mockResolvedValueOnce(page1)
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockResolvedValueOnce(page2)
  render(<Redemptions />)
  expect(await screen.findByText('上拉加载更多')).toBeInTheDocument()
  expect(document.querySelectorAll('.voucher')).toHaveLength(20)

  await act(async () => reachBottom!())
  expect(listMyRedemptions).toHaveBeenLastCalledWith({ status: null, before: page1[19].created_at })
  expect(screen.getByText('网络连接失败，请检查网络后重试，点击重试')).toBeInTheDocument()
  expect(document.querySelectorAll('.voucher')).toHaveLength(20)

  await act(async () => fireEvent.click(screen.getByText('网络连接失败，请检查网络后重试，点击重试')))
  expect(await screen.findByText('1个月会员')).toBeInTheDocument()
  expect(document.querySelectorAll('.voucher')).toHaveLength(21)
  expect(screen.getByText('没有更多了')).toBeInTheDocument()

  // nothing more to load
  await act(async () => reachBottom!())
  expect(listMyRedemptions).toHaveBeenCalledTimes(3)
})

it('cancel a voucher: confirm, refund toast; the list shows the answer, the member is loaded again (the refund moves the expiry)', async () => {
  jest.mocked(listMyRedemptions).mockResolvedValue([ISSUED])
  jest.mocked(cancelRedemption).mockResolvedValue(aCancelResult(ISSUED))
  await meStore.getState().load()
  render(<Redemptions />)
  fireEvent.click(await screen.findByText('¥10无门槛券'))
  await act(async () => fireEvent.click(screen.getByText('取消兑换')))

  expect(Taro.showModal).toHaveBeenCalledWith(
    expect.objectContaining({ content: '取消「¥10无门槛券」的兑换？将退回 100 积分，券码随即失效。' }),
  )
  expect(cancelRedemption).toHaveBeenCalledWith('r-issued')
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '已退回 100 积分', icon: 'none' })
  expect(listMyRedemptions).toHaveBeenCalledTimes(1)
  expect(fetchMe).toHaveBeenCalledTimes(2)
  expect(await within(card('r-issued')).findByText('已取消')).toBeInTheDocument()
  expect(screen.queryByText('1234-5678-9012')).toBeNull()
})

it('keeping the voucher (the modal cancelled) changes nothing', async () => {
  jest.mocked(listMyRedemptions).mockResolvedValue([ISSUED])
  jest.mocked(Taro.showModal).mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' } as any)
  render(<Redemptions />)
  fireEvent.click(await screen.findByText('¥10无门槛券'))
  await act(async () => fireEvent.click(screen.getByText('取消兑换')))
  expect(cancelRedemption).not.toHaveBeenCalled()
  expect(screen.getByText('1234-5678-9012')).toBeInTheDocument()
})

it('a refused cancel (used meanwhile) shows its message and reloads', async () => {
  jest
    .mocked(listMyRedemptions)
    .mockResolvedValueOnce([ISSUED])
    .mockResolvedValueOnce([{ ...ISSUED, status: 'verified', verified_at: '2026-11-24T03:00:00+00:00' }])
  jest.mocked(cancelRedemption).mockRejectedValue(new AppError('already_verified'))
  render(<Redemptions />)
  fireEvent.click(await screen.findByText('¥10无门槛券'))
  await act(async () => fireEvent.click(screen.getByText('取消兑换')))
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('该券已核销'))
  expect(await within(card('r-issued')).findByText('已使用')).toBeInTheDocument()
  expect(screen.queryByText('取消兑换')).toBeNull()
})
