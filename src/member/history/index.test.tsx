import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import type { PointEntry } from '../../domain/history'
import { fetchEntries, fetchExpirySchedule } from '../../services/history'
import { fetchMe } from '../../services/member'
import { expiryStore, historyStore } from '../../stores/history'
import { meStore } from '../../stores/member'
import { sessionStore } from '../../stores/session'
import HistoryPage from './index'
import { aMe } from '../../../test/factories/me'

jest.mock('../../services/history')
jest.mock('../../services/member')
jest.mock('../../services/session')

const initial = { history: historyStore.getState(), expiry: expiryStore.getState(), me: meStore.getState() }

let reachBottom: (() => void) | undefined

beforeEach(() => {
  jest.resetAllMocks()
  historyStore.setState(initial.history, true)
  expiryStore.setState(initial.expiry, true)
  meStore.setState(initial.me, true)
  reachBottom = undefined
  jest.spyOn(Taro, 'useReachBottom').mockImplementation((cb: () => void) => {
    reachBottom = cb
  })
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(fetchExpirySchedule).mockResolvedValue([{ date: '2027-11-12', points: 5 }])
})
afterEach(() => jest.restoreAllMocks())

let nextId = 1000
function anEntry(overrides: Partial<PointEntry> = {}): PointEntry {
  nextId -= 1
  return {
    id: nextId,
    amount_points: 5,
    kind: 'earn',
    source: 'check_in',
    description: '',
    business_date: '2026-11-24',
    created_at: '2026-11-24T00:30:00.123456+00:00',
    ...overrides,
  }
}

function page(n: number, first: number): PointEntry[] {
  return Array.from({ length: n }, (_, i) => anEntry({ id: first - i, description: `记录 ${first - i}` }))
}

it('without a session (退出登录 then back, a deep link): the sign-in, and neither data nor requests', async () => {
  // what a signed-in member's visit left in the stores is gone with the sign-out
  historyStore.setState({ status: 'ready', items: [anEntry({ description: '上一位会员的记录' })] })
  sessionStore.getState().signOut()
  render(<HistoryPage />)
  expect(await screen.findByText('登录会员')).toBeInTheDocument()
  expect(screen.queryByText('上一位会员的记录')).toBeNull()
  expect(fetchEntries).not.toHaveBeenCalled()
  expect(fetchMe).not.toHaveBeenCalled()
})

it('loading, then balance, expiry schedule and entries', async () => {
  jest.mocked(fetchEntries).mockResolvedValue([
    anEntry({ id: 3, amount_points: 5, description: '' }),
    anEntry({
      id: 2,
      amount_points: -100,
      kind: 'spend',
      source: 'redemption',
      description: '兑换 星巴克中杯券',
      created_at: '2026-11-23T12:05:00+00:00',
    }),
    anEntry({ id: 1, amount_points: 1000, source: 'tier_upgrade', description: '' }),
  ])
  render(<HistoryPage />)
  expect(screen.getAllByText('加载中…').length).toBeGreaterThan(0)

  expect(await screen.findByText('每日签到')).toBeInTheDocument()
  expect(screen.getByText('469')).toBeInTheDocument()
  expect(screen.getByText('2027-11-12 到期 5 积分')).toBeInTheDocument()
  expect(screen.getByText('+5')).toHaveClass('history__amount--plus')
  expect(screen.getByText('-100')).not.toHaveClass('history__amount--plus')
  expect(screen.getByText('兑换 星巴克中杯券')).toBeInTheDocument()
  expect(screen.getByText('2026-11-23 20:05')).toBeInTheDocument()
  expect(screen.getByText('升级奖励')).toBeInTheDocument()
  expect(screen.getByText('+1,000')).toBeInTheDocument()
  expect(screen.getByText('没有更多了')).toBeInTheDocument()
  expect(fetchEntries).toHaveBeenCalledWith('all', undefined)
})

it('empty history and empty schedule', async () => {
  jest.mocked(fetchEntries).mockResolvedValue([])
  jest.mocked(fetchExpirySchedule).mockResolvedValue([])
  render(<HistoryPage />)
  expect(await screen.findByText('还没有积分记录')).toBeInTheDocument()
  expect(screen.getByText('暂无即将过期的积分')).toBeInTheDocument()
  expect(screen.queryByText('没有更多了')).not.toBeInTheDocument()
})

it('an error loading entries shows the message and 重试 recovers', async () => {
  jest
    .mocked(fetchEntries)
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockResolvedValueOnce([anEntry({ description: '签到' })])
  render(<HistoryPage />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('签到')).toBeInTheDocument()
})

it('an error loading the expiry schedule has its own 重试', async () => {
  jest.mocked(fetchEntries).mockResolvedValue([anEntry({ description: '签到' })])
  jest
    .mocked(fetchExpirySchedule)
    .mockRejectedValueOnce(new AppError('unknown'))
    .mockResolvedValueOnce([{ date: '2027-12-01', points: 30 }])
  render(<HistoryPage />)
  expect(await screen.findByText('网络开小差了，请稍后再试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('2027-12-01 到期 30 积分')).toBeInTheDocument()
})

it('a long schedule shows three days and 查看全部', async () => {
  jest.mocked(fetchEntries).mockResolvedValue([])
  jest.mocked(fetchExpirySchedule).mockResolvedValue([
    { date: '2027-11-12', points: 5 },
    { date: '2027-11-13', points: 5 },
    { date: '2027-11-14', points: 15 },
    { date: '2027-11-15', points: 5 },
  ])
  render(<HistoryPage />)
  expect(await screen.findByText('2027-11-14 到期 15 积分')).toBeInTheDocument()
  expect(screen.queryByText('2027-11-15 到期 5 积分')).not.toBeInTheDocument()
  fireEvent.click(screen.getByText('查看全部（4 天）'))
  expect(screen.getByText('2027-11-15 到期 5 积分')).toBeInTheDocument()
  fireEvent.click(screen.getByText('收起'))
  expect(screen.queryByText('2027-11-15 到期 5 积分')).not.toBeInTheDocument()
})

it('the tabs reload with their filter', async () => {
  jest
    .mocked(fetchEntries)
    .mockImplementation(async (filter) =>
      filter === 'expire'
        ? [anEntry({ amount_points: -5, kind: 'expire', source: 'expiry', description: '' })]
        : filter === 'spend'
          ? []
          : [anEntry({ description: '签到' })],
    )
  render(<HistoryPage />)
  expect(await screen.findByText('签到')).toBeInTheDocument()

  await act(async () => fireEvent.click(screen.getByText('过期')))
  expect(fetchEntries).toHaveBeenLastCalledWith('expire', undefined)
  expect(await screen.findByText('积分过期')).toBeInTheDocument()
  expect(screen.getByText('过期').closest('.history__tab')).toHaveClass('history__tab--active')

  await act(async () => fireEvent.click(screen.getByText('使用')))
  expect(fetchEntries).toHaveBeenLastCalledWith('spend', undefined)
  expect(await screen.findByText('还没有使用积分的记录')).toBeInTheDocument()

  await act(async () => fireEvent.click(screen.getByText('获得')))
  expect(fetchEntries).toHaveBeenLastCalledWith('earn', undefined)
  expect(await screen.findByText('签到')).toBeInTheDocument()
  // the active tab again: no reload
  const calls = jest.mocked(fetchEntries).mock.calls.length
  await act(async () => fireEvent.click(screen.getByText('获得')))
  expect(jest.mocked(fetchEntries).mock.calls.length).toBe(calls)
})

it('reaching the bottom loads the next page after the last row (created_at, id), until there is no more', async () => {
  jest.mocked(fetchEntries).mockResolvedValueOnce(page(20, 100)).mockResolvedValueOnce(page(3, 80))
  render(<HistoryPage />)
  expect(await screen.findByText('记录 100')).toBeInTheDocument()
  expect(screen.getByText('上拉加载更多')).toBeInTheDocument()

  await act(async () => reachBottom!())
  expect(fetchEntries).toHaveBeenLastCalledWith('all', { created_at: '2026-11-24T00:30:00.123456+00:00', id: 81 })
  expect(await screen.findByText('记录 78')).toBeInTheDocument()
  expect(screen.getByText('没有更多了')).toBeInTheDocument()

  // nothing more to load
  await act(async () => reachBottom!())
  expect(fetchEntries).toHaveBeenCalledTimes(2)
})

it('the next page shows 加载中… while loading; a failed page offers a retry', async () => {
  let resolve!: (rows: PointEntry[]) => void
  jest
    .mocked(fetchEntries)
    .mockResolvedValueOnce(page(20, 100))
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockImplementationOnce(() => new Promise((r) => (resolve = r)))
  render(<HistoryPage />)
  expect(await screen.findByText('记录 100')).toBeInTheDocument()

  await act(async () => reachBottom!())
  const retry = await screen.findByText('网络连接失败，请检查网络后重试，点击重试')
  expect(screen.getByText('记录 81')).toBeInTheDocument()

  await act(async () => fireEvent.click(retry))
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  // a second bottom event while loading does not fetch twice
  await act(async () => reachBottom!())
  expect(fetchEntries).toHaveBeenCalledTimes(3)
  await act(async () => resolve(page(1, 80)))
  expect(await screen.findByText('记录 80')).toBeInTheDocument()
  expect(screen.getByText('没有更多了')).toBeInTheDocument()
})

it('上拉加载更多 can also be tapped', async () => {
  jest.mocked(fetchEntries).mockResolvedValueOnce(page(20, 100)).mockResolvedValueOnce([])
  render(<HistoryPage />)
  const more = await screen.findByText('上拉加载更多')
  await act(async () => fireEvent.click(more))
  expect(fetchEntries).toHaveBeenLastCalledWith('all', { created_at: '2026-11-24T00:30:00.123456+00:00', id: 81 })
  expect(await screen.findByText('没有更多了')).toBeInTheDocument()
})
