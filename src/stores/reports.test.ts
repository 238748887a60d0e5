import { AppError } from '../domain/errors'
import type { DateRange } from '../domain/reports'
import { fetchCheckInActives, fetchLiabilityByMonth, fetchPointsDaily, fetchSummary, fetchTopItems } from '../services/reports'
import { reportSections, reportsStore } from './reports'
import type { Resource } from './resource'
import { aCheckIns, aLiability, aPointsDaily, aSummary, aTopItems, RANGE } from '../../test/factories/reports'

jest.mock('../services/reports')

const initial = {
  store: reportsStore.getState(),
  // every section's store with its first state (the stores differ only in their data type)
  sections: (Object.values(reportSections) as unknown as Resource<unknown, [DateRange]>[]).map((s) => [s, s.getState()] as const),
}

beforeEach(() => {
  jest.resetAllMocks()
  reportsStore.setState(initial.store, true)
  for (const [section, state] of initial.sections) section.setState(state, true)
  jest.mocked(fetchSummary).mockResolvedValue(aSummary())
  jest.mocked(fetchPointsDaily).mockResolvedValue(aPointsDaily())
  jest.mocked(fetchLiabilityByMonth).mockResolvedValue(aLiability())
  jest.mocked(fetchCheckInActives).mockResolvedValue(aCheckIns())
  jest.mocked(fetchTopItems).mockResolvedValue(aTopItems())
})

const statuses = () => Object.fromEntries(Object.entries(reportSections).map(([k, s]) => [k, s.getState().status]))

test('a preset loads every section for its range, all at once', async () => {
  const loading = reportsStore.getState().choosePreset('7d', '2026-11-23')
  expect(statuses()).toEqual({ summary: 'loading', daily: 'loading', liability: 'loading', checkIns: 'loading', topItems: 'loading' })
  // every request went out before any answered
  for (const fetcher of [fetchSummary, fetchPointsDaily, fetchCheckInActives, fetchTopItems]) expect(fetcher).toHaveBeenCalledWith(RANGE)
  expect(fetchLiabilityByMonth).toHaveBeenCalledTimes(1)
  await loading
  expect(statuses()).toEqual({ summary: 'ready', daily: 'ready', liability: 'ready', checkIns: 'ready', topItems: 'ready' })
  expect(reportsStore.getState()).toMatchObject({ preset: '7d', range: RANGE })
  expect(reportSections.summary.getState().data).toEqual(aSummary())
  expect(reportSections.topItems.getState().data).toEqual(aTopItems())
})

test('a section that fails shows its error alone; retry loads it again for the current range', async () => {
  jest.mocked(fetchCheckInActives).mockRejectedValueOnce(new AppError('network_error'))
  await reportsStore.getState().load(RANGE, 'custom')
  expect(statuses()).toMatchObject({ summary: 'ready', checkIns: 'error' })
  expect(reportSections.checkIns.getState().errorCode).toBe('network_error')
  expect(reportsStore.getState().preset).toBe('custom')

  await reportsStore.getState().retry('checkIns')
  expect(reportSections.checkIns.getState()).toMatchObject({ status: 'ready', data: aCheckIns() })
  expect(fetchCheckInActives).toHaveBeenLastCalledWith(RANGE)
  expect(fetchSummary).toHaveBeenCalledTimes(1) // the others are not asked again
})

test('an answer for an older range is dropped', async () => {
  const older = { from: '2026-10-25', to: '2026-11-23' }
  let answerOlder!: () => void
  jest
    .mocked(fetchSummary)
    .mockImplementationOnce(() => new Promise((resolve) => (answerOlder = () => resolve(aSummary({ ...older, issued_points: 9999 })))))
  const first = reportsStore.getState().load(older, '30d')
  await reportsStore.getState().load(RANGE, '7d')
  answerOlder()
  await first
  expect(reportSections.summary.getState().data).toEqual(aSummary())
  expect(reportsStore.getState()).toMatchObject({ preset: '7d', range: RANGE })
})

test('retry before any range does nothing', async () => {
  await reportsStore.getState().retry('summary')
  expect(fetchSummary).not.toHaveBeenCalled()
})
