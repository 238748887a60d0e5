import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import type { MyPurchase } from '../../domain/purchases'
import { listMyPurchases } from '../../services/purchases'
import { purchasesStore } from '../../stores/purchases'
import Purchases from './index'

jest.mock('../../services/purchases', () => ({ ...jest.requireActual('../../services/purchases'), listMyPurchases: jest.fn() }))
jest.mock('../../services/session')

const initial = purchasesStore.getState()
let reachBottom: (() => void) | undefined
let pullDown: (() => void) | undefined

beforeEach(() => {
  jest.resetAllMocks()
  purchasesStore.setState(initial, true)
  reachBottom = undefined
  pullDown = undefined
  jest.spyOn(Taro, 'useReachBottom').mockImplementation((cb: () => void) => {
    reachBottom = cb
  })
  jest.spyOn(Taro, 'usePullDownRefresh').mockImplementation((cb: () => void) => {
    pullDown = cb
  })
  jest.spyOn(Taro, 'stopPullDownRefresh').mockImplementation(() => undefined as never)
  jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' })
})
afterEach(() => jest.restoreAllMocks())

let n = 0
function aPurchase(overrides: Partial<MyPurchase> = {}): MyPurchase {
  n += 1
  return {
    id: `p${n}`,
    store: { id: 's1', name: '悦享咖啡·静安寺店' },
    order_ref: `POS-${n}`,
    amount_fen: 6800,
    tier_code: 'basic',
    multiplier: 1,
    points: 68,
    campaign_points: 0,
    status: 'awarded',
    pending: false,
    available_at: '2026-11-24T02:00:00Z',
    created_at: '2026-11-24T02:00:00Z',
    voided_at: null,
    ...overrides,
  }
}

it('lists purchases: store, amount, points with a campaign extra, 已到账 / 待生效 / 已撤销', async () => {
  jest
    .mocked(listMyPurchases)
    .mockResolvedValue([
      aPurchase({ order_ref: 'POS-A', campaign_points: 68 }),
      aPurchase({ order_ref: 'POS-B', pending: true, available_at: '2026-11-27T02:00:00Z', amount_fen: 1250, points: 12 }),
      aPurchase({ order_ref: 'POS-C', status: 'voided', voided_at: '2026-11-24T03:00:00Z' }),
    ])
  render(<Purchases />)
  expect(await screen.findByText('+136 积分（含活动加赠 68）')).toBeInTheDocument()
  expect(screen.getAllByText('悦享咖啡·静安寺店')).toHaveLength(3)
  expect(screen.getAllByText('¥68.00')).toHaveLength(2)
  expect(screen.getByText('已到账')).toBeInTheDocument()
  expect(screen.getByText('待生效')).toBeInTheDocument()
  expect(screen.getByText('2026-11-27 10:00 起可用')).toBeInTheDocument()
  expect(screen.getByText('已撤销')).toBeInTheDocument()
  expect(screen.getByText('68 积分已扣回')).toBeInTheDocument()
  expect(screen.getByText('2026-11-24 10:00 · 订单 POS-A')).toBeInTheDocument()
  expect(listMyPurchases).toHaveBeenCalledWith({ beforeId: undefined })
})

it('pages on the last purchase shown; pull-to-refresh loads the first page again', async () => {
  const first = Array.from({ length: 20 }, () => aPurchase())
  jest
    .mocked(listMyPurchases)
    .mockResolvedValueOnce(first)
    .mockResolvedValueOnce([aPurchase({ order_ref: 'POS-OLD' })])
  render(<Purchases />)
  await screen.findByText(`2026-11-24 10:00 · 订单 ${first[0].order_ref}`)
  await act(async () => reachBottom?.())
  expect(listMyPurchases).toHaveBeenLastCalledWith({ beforeId: first[19].id })
  expect(await screen.findByText('2026-11-24 10:00 · 订单 POS-OLD')).toBeInTheDocument()
  expect(screen.getByText('没有更多了')).toBeInTheDocument()

  jest.mocked(listMyPurchases).mockResolvedValueOnce([aPurchase({ order_ref: 'POS-NEW' })])
  await act(async () => pullDown?.())
  expect(listMyPurchases).toHaveBeenLastCalledWith({ beforeId: undefined })
  expect(await screen.findByText('2026-11-24 10:00 · 订单 POS-NEW')).toBeInTheDocument()
  expect(Taro.stopPullDownRefresh).toHaveBeenCalled()
})

it('no purchases: says so and offers the member code (a tab: switchTab)', async () => {
  jest.mocked(listMyPurchases).mockResolvedValue([])
  render(<Purchases />)
  fireEvent.click(await screen.findByText('出示会员码'))
  expect(screen.getByText('还没有消费记录')).toBeInTheDocument()
  expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/code/index' })
})

it('loading shows the skeleton; an error its message and 重试', async () => {
  jest.mocked(listMyPurchases).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce([aPurchase()])
  render(<Purchases />)
  expect(screen.getByText('加载中…').closest('.skeleton')).not.toBeNull()
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('已到账')).toBeInTheDocument()
})
