// The 经营看板 services (src/services/reports) against the real local API as the seeded manager (店长李强):
// the five report RPCs through PostgREST, the shapes the dashboard reads, and the refusals for others.
import { randomUUID } from 'node:crypto'
import type { TestDb } from '../support/db'
import { useSeededApi } from '../support/api'
import { SEEDED } from '../factories/members'
import { presetRange } from '../../src/domain/reports'
import { businessToday } from '../../src/domain/time'

let db: TestDb
let session: typeof import('../../src/services/session')
let reports: typeof import('../../src/services/reports')

const DAILY_KEYS = [
  'date',
  'earn_reversed_points',
  'earned_points',
  'expired_points',
  'issued_points',
  'net_points',
  'net_spent_points',
  'outstanding_points',
  'sources',
  'spend_reversed_points',
  'spent_points',
]
const SUMMARY_KEYS = [
  'as_of',
  'breakage_rate',
  'earn_reversed_points',
  'earned_points',
  'expired_points',
  'from',
  'issued_points',
  'members_with_balance',
  'net_spent_points',
  'outstanding_liability_fen',
  'outstanding_points',
  'pending_points',
  'point_value_fen',
  'redeemed_points',
  'redemption_rate',
  'spend_reversed_points',
  'spent_points',
  'to',
]
const TOP_KEYS = ['cancelled', 'item_id', 'kind', 'points_spent', 'redemptions', 'title', 'verified']

const clientApi = useSeededApi()
beforeAll(() => {
  ;({ db } = clientApi())
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    reports = require('../../src/services/reports')
  })
})
afterEach(() => session.signOut())

const week = () => presetRange('7d', businessToday(Date.now()))

test('as the manager: every section for the last 7 days, in the shapes the dashboard reads', async () => {
  // a redemption today, so the top items have one
  const [{ id: item }] = (await db.admin.query(`select id from public.mall_items where active and title = '¥10无门槛券'`)).rows
  const redeemed = await db.call('redeem_item', { p_item_id: item, p_request_id: randomUUID() }, { sub: SEEDED.chen.id })
  expect(redeemed.status).toBe(200)

  await session.signIn({ provider: 'dev', phone: SEEDED.managerLi.phone })
  const range = week()
  const [daily, summary, liability, checkIns, top] = await Promise.all([
    reports.fetchPointsDaily(range),
    reports.fetchSummary(range),
    reports.fetchLiabilityByMonth(),
    reports.fetchCheckInActives(range),
    reports.fetchTopItems(range),
  ])

  expect([daily.from, daily.to]).toEqual([range.from, range.to])
  expect(daily.days.map((d) => d.date)).toHaveLength(7)
  expect(daily.days[6].date).toBe(range.to)
  for (const day of daily.days) {
    expect(Object.keys(day).sort()).toEqual(DAILY_KEYS)
    expect(typeof day.issued_points).toBe('number')
  }

  expect(Object.keys(summary).sort()).toEqual(SUMMARY_KEYS)
  expect(summary.issued_points).toBeGreaterThan(0) // the seed's members earned this week
  expect(typeof summary.redemption_rate).toBe('number')
  expect(summary.redeemed_points).toBeGreaterThanOrEqual(100)
  expect(summary.point_value_fen).toBe(1)
  expect(summary.outstanding_liability_fen).toBe(summary.outstanding_points)
  expect(summary.outstanding_points).toBe(daily.days[6].outstanding_points)

  expect(liability.months.length).toBeGreaterThan(0)
  for (const m of liability.months) {
    expect(m.month).toMatch(/^\d{4}-\d{2}$/)
    expect(m.liability_fen).toBe(m.points)
  }
  expect(liability.total_points + liability.due_points).toBe(liability.outstanding_points)

  expect(checkIns.days).toHaveLength(7)
  expect(Object.keys(checkIns.days[0]).sort()).toEqual(['checked_in_members', 'date', 'make_ups'])

  expect([top.from, top.to]).toEqual([range.from, range.to])
  expect(top.items.length).toBeGreaterThan(0)
  expect(top.items.length).toBeLessThanOrEqual(reports.TOP_ITEMS_LIMIT)
  for (const i of top.items) expect(Object.keys(i).sort()).toEqual(TOP_KEYS)
  expect(top.items.find((i) => i.item_id === item)).toMatchObject({ title: '¥10无门槛券', kind: 'coupon' })
  expect(top.items.find((i) => i.item_id === item)!.redemptions).toBeGreaterThanOrEqual(1)
  expect((await reports.fetchTopItems(range, 1)).items).toHaveLength(1)
})

test('a range the reports refuse is an AppError invalid_range', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.managerLi.phone })
  const { from, to } = week()
  await expect(reports.fetchSummary({ from: to, to: from })).rejects.toMatchObject({ name: 'AppError', code: 'invalid_range' })
  await expect(reports.fetchTopItems({ from: '2025-01-01', to: '2026-11-23' })).rejects.toMatchObject({ code: 'invalid_range' })
})

test('a clerk gets not_manager, a member not_staff', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.staffWang.phone })
  await expect(reports.fetchSummary(week())).rejects.toMatchObject({ name: 'AppError', code: 'not_manager' })
  await expect(reports.fetchLiabilityByMonth()).rejects.toMatchObject({ code: 'not_manager' })
  session.signOut()
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  await expect(reports.fetchTopItems(week())).rejects.toMatchObject({ code: 'not_staff' })
})
