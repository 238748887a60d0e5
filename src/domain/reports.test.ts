import {
  checkInChart,
  dayLabel,
  hasValues,
  liabilityChart,
  monthLabel,
  niceAxisMax,
  pickRangeEnd,
  pointsDailyChart,
  pointsText,
  presetRange,
  rangeDays,
  rateText,
  summaryCards,
  freshnessText,
  topItemBars,
  yuanText,
  type PointsDay,
} from './reports'
import { addDays, businessToday } from './time'
import { aPointsDay, aSummary } from '../../test/factories/reports'

describe('the range', () => {
  test('today is the Shanghai business day', () => {
    expect(businessToday(Date.parse('2026-11-23T15:59:59Z'))).toBe('2026-11-23')
    expect(businessToday(Date.parse('2026-11-23T16:00:00Z'))).toBe('2026-11-24')
  })

  test('presets end today and count today', () => {
    expect(presetRange('7d', '2026-11-23')).toEqual({ from: '2026-11-17', to: '2026-11-23' })
    expect(presetRange('30d', '2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' })
    expect(presetRange('90d', '2026-11-23')).toEqual({ from: '2026-08-26', to: '2026-11-23' })
    for (const key of ['7d', '30d', '90d'] as const) expect(rangeDays(presetRange(key, '2028-03-01'))).toBe(Number(key.slice(0, -1)))
  })

  test('days and dates', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31')
    expect(rangeDays({ from: '2026-11-23', to: '2026-11-23' })).toBe(1)
    expect(rangeDays({ from: '2026-11-24', to: '2026-11-23' })).toBe(0)
    expect(rangeDays({ from: 'x', to: '2026-11-23' })).toBe(0)
  })

  test('picking one end keeps the range ordered and at most 366 days', () => {
    const range = { from: '2026-11-17', to: '2026-11-23' }
    expect(pickRangeEnd(range, 'from', '2026-11-01')).toEqual({ from: '2026-11-01', to: '2026-11-23' })
    expect(pickRangeEnd(range, 'to', '2026-11-20')).toEqual({ from: '2026-11-17', to: '2026-11-20' })
    // past the other end: the other end follows
    expect(pickRangeEnd(range, 'from', '2026-11-25')).toEqual({ from: '2026-11-25', to: '2026-11-25' })
    expect(pickRangeEnd(range, 'to', '2026-11-10')).toEqual({ from: '2026-11-10', to: '2026-11-10' })
    // too long: the other end is pulled in to 366 days
    expect(pickRangeEnd(range, 'from', '2025-01-01')).toEqual({ from: '2025-01-01', to: '2026-01-01' })
    expect(pickRangeEnd({ from: '2025-01-01', to: '2025-01-02' }, 'to', '2026-11-23')).toEqual({ from: '2025-11-23', to: '2026-11-23' })
    expect(rangeDays(pickRangeEnd(range, 'from', '2020-01-01'))).toBe(366)
  })
})

describe('formatting', () => {
  test('points, yuan and rates; missing values are a dash', () => {
    expect(pointsText(12345)).toBe('12,345')
    expect(pointsText(-180)).toBe('-180')
    expect(pointsText(null)).toBe('—')
    expect(pointsText(undefined)).toBe('—')
    expect(yuanText(123456)).toBe('¥1,234.56')
    expect(yuanText(0)).toBe('¥0.00')
    expect(yuanText(null)).toBe('—')
    expect(rateText(0.2206)).toBe('22.06%')
    expect(rateText(1)).toBe('100.00%')
    expect(rateText(0)).toBe('0.00%')
    expect(rateText('0.1029')).toBe('10.29%') // numeric may arrive as text
    expect(rateText(null)).toBe('—')
    expect(rateText(Number.NaN)).toBe('—')
  })

  test('axis labels', () => {
    expect(dayLabel('2030-03-05')).toBe('03-05')
    expect(monthLabel('2031-03')).toBe('2031-03')
    expect(monthLabel('2031-03-01')).toBe('2031-03')
  })
})

const SUMMARY = aSummary({
  issued_points: 680,
  net_spent_points: 170,
  expired_points: 70,
  outstanding_points: 700,
  outstanding_liability_fen: 70000,
  redemption_rate: 0.2206,
  breakage_rate: 0.1029,
})

test('summary cards: 发放 / 使用 / 过期 / 结余, 负债 in ¥, the two rates; null-safe', () => {
  expect(summaryCards(SUMMARY).map((c) => [c.label, c.value, c.hint])).toEqual([
    ['发放积分', '680', undefined],
    ['使用积分', '170', undefined],
    ['过期积分', '70', undefined],
    ['结余积分', '700', '当前'],
    ['积分负债', '¥700.00', '1积分 = ¥0.01'],
    ['兑换率', '22.06%', '兑换 / 发放'],
    ['沉淀率', '10.29%', '过期 / 发放'],
  ])
  expect(
    summaryCards({ ...SUMMARY, redemption_rate: null, breakage_rate: null })
      .slice(5)
      .map((c) => c.value),
  ).toEqual(['—', '—'])
  expect(summaryCards(null).map((c) => c.value)).toEqual(['—', '—', '—', '—', '—', '—', '—'])
})

const day = aPointsDay

test('daily points: one row per day and series (发放 = issued, 使用 = net spent, 过期 = expired)', () => {
  const spec = pointsDailyChart({
    from: '2030-03-04',
    to: '2030-03-05',
    days: [day('2030-03-04', 105, 50, 70), day('2030-03-05', -180, -30, 0)],
  })
  expect(spec).toEqual({
    kind: 'line',
    series: ['发放', '使用', '过期'],
    rows: [
      { x: '03-04', y: 105, series: '发放' },
      { x: '03-04', y: 50, series: '使用' },
      { x: '03-04', y: 70, series: '过期' },
      { x: '03-05', y: -180, series: '发放' },
      { x: '03-05', y: -30, series: '使用' },
      { x: '03-05', y: 0, series: '过期' },
    ],
  })
  expect(hasValues(spec)).toBe(true)
  const quiet = pointsDailyChart({ days: [day('2030-03-04', 0, 0, 0)] })
  expect(quiet.rows).toHaveLength(3)
  expect(hasValues(quiet)).toBe(false)
  expect(pointsDailyChart(null).rows).toEqual([])
  expect(pointsDailyChart({ days: [{ date: '2030-03-04' } as PointsDay] }).rows.map((r) => r.y)).toEqual([0, 0, 0])
})

test('check-in actives: 签到人数 and 补签次数 per day', () => {
  expect(checkInChart({ days: [{ date: '2030-03-05', checked_in_members: 3, make_ups: 1 }] })).toEqual({
    kind: 'line',
    series: ['签到人数', '补签次数'],
    rows: [
      { x: '03-05', y: 3, series: '签到人数' },
      { x: '03-05', y: 1, series: '补签次数' },
    ],
  })
  expect(checkInChart(undefined).rows).toEqual([])
})

test('liability by expiry month: a bar per month in ¥', () => {
  expect(
    liabilityChart({
      months: [
        { month: '2030-04', points: 100, liability_fen: 100 },
        { month: '2031-03', points: 50000, liability_fen: 50000 },
      ],
    }),
  ).toEqual({
    kind: 'bar',
    series: ['负债'],
    unit: '¥',
    rows: [
      { x: '2030-04', y: 1, series: '负债' },
      { x: '2031-03', y: 500, series: '负债' },
    ],
  })
  expect(liabilityChart(null).rows).toEqual([])
})

test('top items: ranked, bars relative to the first', () => {
  const item = (id: string, redemptions: number, points: number) => ({
    item_id: id,
    title: `商品${id}`,
    kind: 'coupon' as const,
    redemptions,
    points_spent: points,
    verified: 0,
    cancelled: 0,
  })
  expect(topItemBars({ items: [item('a', 4, 400), item('b', 1, 1200), item('c', 0, 0)] })).toEqual([
    { id: 'a', rank: 1, title: '商品a', redemptions: '4 次', points: '400 积分', share: 1 },
    { id: 'b', rank: 2, title: '商品b', redemptions: '1 次', points: '1,200 积分', share: 0.25 },
    { id: 'c', rank: 3, title: '商品c', redemptions: '0 次', points: '0 积分', share: 0 },
  ])
  expect(topItemBars({ items: [item('c', 0, 0)] })[0].share).toBe(0)
  expect(topItemBars(null)).toEqual([])
})

test('the y axis top: round ticks that hold every value', () => {
  expect(niceAxisMax([])).toBe(4)
  expect(niceAxisMax([0, 0])).toBe(4)
  expect(niceAxisMax([2, 1])).toBe(4) // 0 1 2 3 4
  expect(niceAxisMax([7])).toBe(8)
  expect(niceAxisMax([83.03])).toBe(100) // steps of 25
  expect(niceAxisMax([8423, 550])).toBe(10000)
  expect(niceAxisMax([8001])).toBe(10000)
  expect(niceAxisMax([8000])).toBe(8000)
  expect(niceAxisMax([-180, 40])).toBe(40)
  expect(niceAxisMax([Number.NaN, 3])).toBe(4)
})

test('freshnessText: the instant the figures were read, in the program zone; nothing before they are', () => {
  expect(freshnessText('2026-12-06T13:40:05.123+00:00')).toBe('实时数据 · 截至 2026-12-06 21:40')
  expect(freshnessText(undefined)).toBe('')
  expect(freshnessText('not a time')).toBe('')
})
