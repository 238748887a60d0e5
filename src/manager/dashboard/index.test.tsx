import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import type { ChartSpec, DateRange } from '../../domain/reports'
import { getCanvas2d } from '../../platform/canvas'
import { fetchCheckInActives, fetchLiabilityByMonth, fetchPointsDaily, fetchSummary, fetchTopItems } from '../../services/reports'
import { reportSections, reportsStore } from '../../stores/reports'
import type { Resource } from '../../stores/resource'
import { drawChart } from '../components/Chart/f2'
import DashboardPage from './index'
import { aCheckIns, aLiability, aPointsDaily, aSummary, aTopItems, RANGE } from '../../../test/factories/reports'

jest.mock('../../services/reports')
// jsdom has no canvas: the seam hands out a fake 2D context, and F2 is replaced by a spy that records the specs
jest.mock('../../platform/canvas')
jest.mock('../components/Chart/f2')

const TODAY_MS = Date.parse('2026-11-23T04:00:00Z') // 12:00 in Shanghai

const initial = {
  store: reportsStore.getState(),
  // every section's store with its first state (the stores differ only in their data type)
  sections: (Object.values(reportSections) as unknown as Resource<unknown, [DateRange]>[]).map((s) => [s, s.getState()] as const),
}
const update = jest.fn()
const destroy = jest.fn()

beforeEach(() => {
  jest.resetAllMocks()
  jest.spyOn(Date, 'now').mockReturnValue(TODAY_MS)
  reportsStore.setState(initial.store, true)
  for (const [section, state] of initial.sections) section.setState(state, true)
  jest
    .mocked(getCanvas2d)
    .mockImplementation(async () => ({ context: {} as CanvasRenderingContext2D, width: 343, height: 220, pixelRatio: 2 }))
  jest.mocked(drawChart).mockReturnValue({ update, destroy })
  jest.mocked(fetchSummary).mockResolvedValue(aSummary())
  jest.mocked(fetchPointsDaily).mockResolvedValue(aPointsDaily())
  jest.mocked(fetchLiabilityByMonth).mockResolvedValue(aLiability())
  jest.mocked(fetchCheckInActives).mockResolvedValue(aCheckIns())
  jest.mocked(fetchTopItems).mockResolvedValue(aTopItems())
})
afterEach(() => jest.restoreAllMocks())

/** The spec each chart (by canvas id) was drawn with last: first draw or a later update. */
function drawn(): Record<string, ChartSpec> {
  const specs: Record<string, ChartSpec> = {}
  jest.mocked(getCanvas2d).mock.calls.forEach(([id], i) => {
    const call = jest.mocked(drawChart).mock.calls[i]
    if (call) specs[id] = call[1]
  })
  return specs
}

/** A range chip by its label. */
const chip = (label: string) => screen.getByText(label).closest('.dashboard__preset')

/** Choosing a date in a Taro Picker: a `change` event with the value in `detail`. */
function pick(label: string, value: string) {
  const picker = screen.getByText(label).closest('taro-picker-core')!
  fireEvent(picker, new CustomEvent('change', { bubbles: true, detail: { value } }))
}

it('loading, then the last 7 days: cards, the three charts with their series, and the top items', async () => {
  render(<DashboardPage />)
  expect(screen.getAllByText('加载中…')).toHaveLength(5)
  expect(await screen.findByText('¥456.78')).toBeInTheDocument()
  for (const fetcher of [fetchSummary, fetchPointsDaily, fetchCheckInActives]) expect(fetcher).toHaveBeenCalledWith(RANGE)
  expect(fetchTopItems).toHaveBeenCalledWith(RANGE)
  expect(chip('近7天')).toHaveClass('dashboard__preset--active')
  expect(screen.getByText('2026-11-17')).toBeInTheDocument()
  expect(screen.getByText('2026-11-23')).toBeInTheDocument()
  // the figures are live: the instant they were read, in the program zone (the summary's as_of)
  expect(screen.getByText('实时数据 · 截至 2026-11-23 12:00')).toBeInTheDocument()

  const figures = [...document.querySelectorAll('.dashboard__figure')].map((f) =>
    [...f.querySelectorAll('.dashboard__figure-label, .dashboard__figure-value')].map((t) => t.textContent),
  )
  expect(figures).toEqual([
    ['发放积分', '1,200'],
    ['使用积分', '300'],
    ['过期积分', '120'],
    ['结余积分', '45,678'],
    ['积分负债', '¥456.78'],
    ['兑换率', '25.00%'],
    ['沉淀率', '10.00%'],
  ])

  await waitFor(() => expect(drawChart).toHaveBeenCalledTimes(3))
  const specs = drawn()
  expect(Object.keys(specs).sort()).toEqual(['dashboard-checkins', 'dashboard-daily', 'dashboard-liability'])
  expect(specs['dashboard-daily'].series).toEqual(['发放', '使用', '过期'])
  expect(specs['dashboard-daily'].rows.slice(0, 6)).toEqual([
    { x: '11-17', y: 200, series: '发放' },
    { x: '11-17', y: 0, series: '使用' },
    { x: '11-17', y: 0, series: '过期' },
    { x: '11-18', y: 150, series: '发放' },
    { x: '11-18', y: 100, series: '使用' },
    { x: '11-18', y: 0, series: '过期' },
  ])
  expect(specs['dashboard-daily'].rows).toHaveLength(21)
  expect(specs['dashboard-liability']).toEqual({
    kind: 'bar',
    series: ['负债'],
    unit: '¥',
    rows: [
      { x: '2027-02', y: 120, series: '负债' },
      { x: '2027-11', y: 336.78, series: '负债' },
    ],
  })
  expect(specs['dashboard-checkins'].rows.filter((r) => r.series === '签到人数').map((r) => r.y)).toEqual([3, 4, 2, 5, 6, 4, 7])
  // the context from the seam is what F2 draws on
  expect(jest.mocked(drawChart).mock.calls[0][0]).toMatchObject({ width: 343, height: 220, pixelRatio: 2 })

  expect(screen.getByText('合计 ¥456.78（45,678 积分），按到期月份')).toBeInTheDocument()
  expect(screen.getByText('¥10无门槛券')).toBeInTheDocument()
  expect(screen.getByText('3 次')).toBeInTheDocument()
  expect(screen.getByText('800 积分')).toBeInTheDocument()
  const bars = [...document.querySelectorAll('.dashboard__top-bar')].map((b) => (b as HTMLElement).style.width)
  expect(bars).toEqual(['100%', '33%'])
})

it('a preset reloads every section and redraws the same charts with the new series', async () => {
  render(<DashboardPage />)
  await waitFor(() => expect(drawChart).toHaveBeenCalledTimes(3))
  const range30 = { from: '2026-10-25', to: '2026-11-23' }
  jest.mocked(fetchPointsDaily).mockResolvedValue(aPointsDaily(range30, [[10, 20, 30]]))
  fireEvent.click(screen.getByText('近30天'))
  await waitFor(() =>
    expect(update).toHaveBeenCalledWith(
      expect.objectContaining({
        rows: [
          { x: '11-17', y: 10, series: '发放' },
          { x: '11-17', y: 20, series: '使用' },
          { x: '11-17', y: 30, series: '过期' },
        ],
      }),
    ),
  )
  for (const fetcher of [fetchSummary, fetchPointsDaily, fetchCheckInActives, fetchTopItems])
    expect(fetcher).toHaveBeenLastCalledWith(range30)
  expect(fetchLiabilityByMonth).toHaveBeenCalledTimes(2)
  expect(chip('近30天')).toHaveClass('dashboard__preset--active')
  expect(drawChart).toHaveBeenCalledTimes(3) // redrawn, not drawn again
})

it('a custom range from the date pickers', async () => {
  render(<DashboardPage />)
  await screen.findByText('¥456.78')
  pick('2026-11-17', '2026-11-01')
  await waitFor(() => expect(fetchSummary).toHaveBeenLastCalledWith({ from: '2026-11-01', to: '2026-11-23' }))
  expect(chip('自定义')).toHaveClass('dashboard__preset--active')
  pick('2026-11-23', '2026-10-20') // before the start: the start follows
  await waitFor(() => expect(fetchTopItems).toHaveBeenLastCalledWith({ from: '2026-10-20', to: '2026-10-20' }))
  expect(screen.getAllByText('2026-10-20')).toHaveLength(2)
})

it('empty sections: no movements, nothing owed, no check-ins, no redemptions; rates without issuance', async () => {
  jest.mocked(fetchSummary).mockResolvedValue(aSummary({ issued_points: 0, redemption_rate: null, breakage_rate: null }))
  jest.mocked(fetchPointsDaily).mockResolvedValue(
    aPointsDaily(RANGE, [
      [0, 0, 0],
      [0, 0, 0],
    ]),
  )
  jest.mocked(fetchLiabilityByMonth).mockResolvedValue(aLiability({ months: [], total_points: 0, total_liability_fen: 0 }))
  jest.mocked(fetchCheckInActives).mockResolvedValue(aCheckIns(RANGE, [0, 0]))
  jest.mocked(fetchTopItems).mockResolvedValue(aTopItems(RANGE, []))
  render(<DashboardPage />)
  expect(await screen.findByText('该时段没有积分变动')).toBeInTheDocument()
  expect(screen.getByText('暂无待到期的积分')).toBeInTheDocument()
  expect(screen.getByText('该时段没有签到')).toBeInTheDocument()
  expect(screen.getByText('该时段没有兑换')).toBeInTheDocument()
  expect(screen.getAllByText('—')).toHaveLength(2)
  expect(drawChart).not.toHaveBeenCalled()
})

it('due points are mentioned under the liability chart', async () => {
  jest.mocked(fetchLiabilityByMonth).mockResolvedValue(aLiability({ due_points: 30 }))
  render(<DashboardPage />)
  expect(await screen.findByText('合计 ¥456.78（45,678 积分），按到期月份；另有 30 积分已到期待处理')).toBeInTheDocument()
})

it('a section that fails shows its error with 重试; the others show their figures', async () => {
  jest.mocked(fetchTopItems).mockRejectedValueOnce(new AppError('network_error'))
  jest.mocked(fetchLiabilityByMonth).mockRejectedValueOnce(new AppError('unknown'))
  render(<DashboardPage />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  expect(screen.getByText('¥456.78')).toBeInTheDocument()
  expect(screen.getAllByText('重试')).toHaveLength(2)
  fireEvent.click(document.querySelector('.dashboard__card--topItems .state-view__retry')!)
  expect(await screen.findByText('¥10无门槛券')).toBeInTheDocument()
  expect(fetchTopItems).toHaveBeenCalledTimes(2)
  expect(fetchSummary).toHaveBeenCalledTimes(1)
  expect(screen.getAllByText('重试')).toHaveLength(1)
})

it.each([
  ['not_manager', '仅限店长查看'],
  ['not_staff', '仅限门店员工操作'],
  ['not_authenticated', '请先登录'],
])('%s: one message for the whole page, no figures and no charts', async (code, message) => {
  for (const fetcher of [fetchSummary, fetchPointsDaily, fetchLiabilityByMonth, fetchCheckInActives, fetchTopItems]) {
    jest.mocked(fetcher).mockRejectedValue(new AppError(code))
  }
  render(<DashboardPage />)
  expect(await screen.findByText(message)).toBeInTheDocument()
  expect(screen.getAllByText(message)).toHaveLength(1)
  expect(screen.queryByText('重试')).toBeNull()
  expect(screen.queryByText('核心指标')).toBeNull()
  expect(drawChart).not.toHaveBeenCalled()
})

it('the charts are destroyed with the page', async () => {
  const { unmount } = render(<DashboardPage />)
  await waitFor(() => expect(drawChart).toHaveBeenCalledTimes(3))
  act(() => unmount())
  expect(destroy).toHaveBeenCalledTimes(3)
})
