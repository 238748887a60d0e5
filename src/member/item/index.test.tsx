import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { fetchMe } from '../../services/member'
import { listMallItems, redeemItem } from '../../services/mall'
import { mallStore } from '../../stores/mall'
import { meStore } from '../../stores/member'
import Item from './index'
import { aMe } from '../../../test/factories/me'
import { aMallItem, aMallListing, aRedemption } from '../../../test/factories/mall'
import { isDisabled, errorToast } from '../../../test/support/taro-dom'

jest.mock('../../services/mall')
jest.mock('../../services/member')

const COUPON = '00000000-0000-4000-b000-000000000001'
const GOLD = '00000000-0000-4000-b000-000000000004'
const BAG = '00000000-0000-4000-b000-000000000007'
const initial = { mall: mallStore.getState(), me: meStore.getState() }

beforeEach(() => {
  jest.resetAllMocks()
  mallStore.setState(initial.mall, true)
  meStore.setState(initial.me, true)
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.spyOn(Taro, 'showModal').mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' } as any)
})
afterEach(() => jest.restoreAllMocks())

function openItem(id: string) {
  jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: { id }, path: '/member/item/index' } as any)
  return render(<Item />)
}

const redeemButton = () => screen.getByText('立即兑换').closest('taro-button-core') as HTMLElement

it('loading, then everything about a redeemable item', async () => {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing())
  openItem(COUPON)
  expect(screen.getByText('加载中…')).toBeInTheDocument()

  expect(await screen.findByText('¥10无门槛券')).toBeInTheDocument()
  expect(screen.getAllByText('100 积分')).toHaveLength(2) // head and bottom bar
  expect(screen.getByText('价值¥10')).toBeInTheDocument()
  expect(screen.getByText('优惠券')).toBeInTheDocument()
  expect(screen.getByText('全场通用，无最低消费，到店出示券码核销')).toBeInTheDocument()
  expect(screen.getByText('剩余 1,000 件')).toBeInTheDocument()
  expect(screen.getByText('不限次数')).toBeInTheDocument()
  expect(screen.getByText('长期有效')).toBeInTheDocument()
  expect(screen.getByText('兑换后30天内有效')).toBeInTheDocument()
  expect(screen.getByText('可用 469 积分')).toBeInTheDocument()
  expect(screen.getByText('券')).toBeInTheDocument()
  expect(isDisabled(redeemButton())).toBe(false)
})

it('an item that cannot be redeemed: the reason, the limit and the sale window; the button is disabled', async () => {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing())
  const { unmount } = openItem(GOLD)
  expect(await screen.findByText('会员等级不足，暂不能兑换')).toBeInTheDocument()
  expect(screen.getByText('金卡会员及以上可兑')).toBeInTheDocument()
  expect(screen.getByText('金卡专享')).toBeInTheDocument()
  expect(screen.getByText('每人限兑 1 次')).toBeInTheDocument()
  expect(isDisabled(redeemButton())).toBe(true)
  fireEvent.click(redeemButton())
  expect(Taro.showModal).not.toHaveBeenCalled()
  unmount()

  openItem(BAG)
  expect(await screen.findByText('商品不在兑换时间内')).toBeInTheDocument()
  expect(screen.getByText('2026-12-01 10:00 开兑')).toBeInTheDocument()
  expect(screen.getByText('2026-12-01 10:00 至 2026-12-31 10:00')).toBeInTheDocument()
  expect(screen.getByText('即将开兑')).toBeInTheDocument()
})

it('short of points: how many are missing', async () => {
  jest
    .mocked(listMallItems)
    .mockResolvedValue(aMallListing({ items: [aMallItem({ cost_points: 1000, redeemable: false, reason: 'insufficient_points' })] }))
  openItem(COUPON)
  expect(await screen.findByText('积分不足')).toBeInTheDocument()
  expect(screen.getByText('还差 531 积分')).toBeInTheDocument()
})

it('an item that is not listed (ended, inactive, unknown id)', async () => {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing())
  openItem('00000000-0000-4000-b000-00000000dead')
  expect(await screen.findByText('商品不存在或已下架')).toBeInTheDocument()
  expect(screen.getByText('重试')).toBeInTheDocument()
})

it('an error loading shows the message and 重试 recovers', async () => {
  jest.mocked(listMallItems).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(aMallListing())
  openItem(COUPON)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('¥10无门槛券')).toBeInTheDocument()
})

it('redeem: confirm, redeem with a request id, toast, the balance from the answer, the listing reloaded, open my redemptions', async () => {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing())
  jest.mocked(redeemItem).mockResolvedValue({ ...aRedemption(), balance_points: 369 })
  jest.mocked(fetchMe).mockResolvedValue(aMe({ expiring: { points: 300, expires_on: '2027-11-12', expires_at: '2027-11-12T16:00:00Z' } }))
  await meStore.getState().load()
  openItem(COUPON)
  await screen.findByText('¥10无门槛券')
  await act(async () => fireEvent.click(redeemButton()))

  expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '确认使用 100 积分兑换「¥10无门槛券」？' }))
  expect(redeemItem).toHaveBeenCalledWith(
    COUPON,
    expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
  )
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '兑换成功', icon: 'success' })
  expect(fetchMe).toHaveBeenCalledTimes(1) // not again: the spendable balance and the spent points are in the answer
  expect(meStore.getState().data).toMatchObject({ balance_points: 369, expiring: { points: 200 } })
  expect(listMallItems).toHaveBeenCalledTimes(2) // the first load and the refresh (every item's redeemability)
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/member/redemptions/index' })
})

it('cancelling the confirmation redeems nothing', async () => {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing())
  jest.mocked(Taro.showModal).mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' } as any)
  openItem(COUPON)
  await screen.findByText('¥10无门槛券')
  await act(async () => fireEvent.click(redeemButton()))
  expect(redeemItem).not.toHaveBeenCalled()
})

it('a retry after a network error reuses the request id; after a success the next redemption gets a new one', async () => {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing())
  jest
    .mocked(redeemItem)
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockResolvedValueOnce({ ...aRedemption(), balance_points: 369 })
    .mockResolvedValueOnce({ ...aRedemption(), balance_points: 269 })
  openItem(COUPON)
  await screen.findByText('¥10无门槛券')

  await act(async () => fireEvent.click(redeemButton()))
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('网络连接失败，请检查网络后重试'))
  expect(Taro.navigateTo).not.toHaveBeenCalled()
  await act(async () => fireEvent.click(redeemButton()))
  await act(async () => fireEvent.click(redeemButton()))

  const ids = jest.mocked(redeemItem).mock.calls.map((c) => c[1])
  expect(ids[1]).toBe(ids[0])
  expect(ids[2]).not.toBe(ids[1])
})

it('a refusal: its message, the item reloads, and the next try is a new request', async () => {
  jest
    .mocked(listMallItems)
    .mockResolvedValueOnce(aMallListing())
    .mockResolvedValueOnce(aMallListing({ items: [aMallItem({ stock_remaining: 0, redeemable: false, reason: 'out_of_stock' })] }))
  jest.mocked(redeemItem).mockRejectedValueOnce(new AppError('out_of_stock'))
  openItem(COUPON)
  await screen.findByText('¥10无门槛券')
  await act(async () => fireEvent.click(redeemButton()))

  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('商品已兑完'))
  expect(listMallItems).toHaveBeenCalledTimes(2)
  expect(await screen.findByText('商品已兑完')).toBeInTheDocument()
  expect(isDisabled(redeemButton())).toBe(true)
  expect(Taro.navigateTo).not.toHaveBeenCalled()
  expect(fetchMe).not.toHaveBeenCalled()
})
