import type { CheckInActives, DateRange, LiabilityByMonth, PointsDaily, PointsDay, ReportSummary, TopItems } from '../../src/domain/reports'

export const RANGE: DateRange = { from: '2026-11-17', to: '2026-11-23' }

/** A `report_summary` answer (override what a test needs). */
export function aSummary(overrides: Partial<ReportSummary> = {}): ReportSummary {
  return {
    ...RANGE,
    earned_points: 1280,
    earn_reversed_points: 80,
    issued_points: 1200,
    spent_points: 350,
    spend_reversed_points: 50,
    net_spent_points: 300,
    redeemed_points: 300,
    expired_points: 120,
    redemption_rate: 0.25,
    breakage_rate: 0.1,
    as_of: '2026-11-23T04:00:00+00:00',
    outstanding_points: 45678,
    pending_points: 40,
    members_with_balance: 12,
    point_value_fen: 1,
    outstanding_liability_fen: 45678,
    ...overrides,
  }
}

/** A `report_points_daily` day with these issued / spent / expired points (nothing reversed). */
export function aPointsDay(date: string, issued: number, spent: number, expired: number): PointsDay {
  return {
    date,
    earned_points: issued,
    earn_reversed_points: 0,
    issued_points: issued,
    spent_points: spent,
    spend_reversed_points: 0,
    net_spent_points: spent,
    expired_points: expired,
    net_points: issued - spent - expired,
    outstanding_points: 45000,
  }
}

/** A `report_points_daily` answer: the range's seven days. */
export function aPointsDaily(
  range: DateRange = RANGE,
  values: [number, number, number][] = [
    [200, 0, 0],
    [150, 100, 0],
    [180, 0, 120],
    [170, 100, 0],
    [160, 0, 0],
    [140, 100, 0],
    [200, 0, 0],
  ],
): PointsDaily {
  const days = values.map(([i, s, e], n) => aPointsDay(`2026-11-${String(17 + n).padStart(2, '0')}`, i, s, e))
  return { ...range, days }
}

export function aLiability(overrides: Partial<LiabilityByMonth> = {}): LiabilityByMonth {
  return {
    as_of: '2026-11-23T04:00:00+00:00',
    months: [
      { month: '2027-02', points: 12000, liability_fen: 12000 },
      { month: '2027-11', points: 33678, liability_fen: 33678 },
    ],
    total_points: 45678,
    total_liability_fen: 45678,
    due_points: 0,
    outstanding_points: 45678,
    point_value_fen: 1,
    ...overrides,
  }
}

export function aCheckIns(range: DateRange = RANGE, counts: number[] = [3, 4, 2, 5, 6, 4, 7]): CheckInActives {
  return {
    ...range,
    days: counts.map((n, i) => ({ date: `2026-11-${String(17 + i).padStart(2, '0')}`, checked_in_members: n, make_ups: i === 2 ? 1 : 0 })),
  }
}

export function aTopItems(
  range: DateRange = RANGE,
  items: TopItems['items'] = [
    { item_id: 'i1', title: '¥10无门槛券', kind: 'coupon', redemptions: 3, points_spent: 300, verified: 1, cancelled: 1 },
    { item_id: 'i2', title: '限量保温杯', kind: 'gift', redemptions: 1, points_spent: 800, verified: 0, cancelled: 0 },
  ],
): TopItems {
  return { ...range, items }
}
