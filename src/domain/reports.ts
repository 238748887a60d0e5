/**
 * 经营看板 (manager dashboard): the operator reports' result types (docs/operator-reports.md), the date range
 * and its presets, and the reports shaped for the cards and charts. Pure TypeScript; every figure may be
 * missing or null (a shape from an older backend, a rate with nothing issued) and shows as '—'.
 */
import { fenToYuan, formatPoints } from './format'
import { addDays, businessDateTime, daysBetween } from './time'
import type {
  PointsDay,
  PointsDaily,
  ReportSummary,
  LiabilityMonth,
  LiabilityByMonth,
  CheckInDay,
  CheckInActives,
  TopItem,
  TopItems,
} from './responses'

export type { PointsDay, PointsDaily, ReportSummary, LiabilityMonth, LiabilityByMonth, CheckInDay, CheckInActives, TopItem, TopItems }

/** Business days (the program's zone, src/domain/time.ts), 'YYYY-MM-DD', both inclusive. */
export interface DateRange {
  from: string
  to: string
}

// ---- the range ----------------------------------------------------------------------------------------

/** The longest range the reports accept (invalid_range beyond). */
export const MAX_RANGE_DAYS = 366

export type PresetKey = '7d' | '30d' | '90d'

export const RANGE_PRESETS: readonly { key: PresetKey; label: string; days: number }[] = [
  { key: '7d', label: '近7天', days: 7 },
  { key: '30d', label: '近30天', days: 30 },
  { key: '90d', label: '近90天', days: 90 },
]

/** Days in a range, both ends included (0 when unreadable or reversed). */
export function rangeDays(range: DateRange): number {
  const n = daysBetween(range.from, range.to) + 1
  return Number.isFinite(n) && n > 0 ? n : 0
}

/** The last `days` business days, today included. */
export function presetRange(key: PresetKey, today: string): DateRange {
  const days = RANGE_PRESETS.find((p) => p.key === key)?.days ?? 7
  return { from: addDays(today, 1 - days), to: today }
}

/**
 * A custom range after one end was picked (Picker mode='date'): the other end moves along so the range
 * stays valid — never reversed, never longer than MAX_RANGE_DAYS.
 */
export function pickRangeEnd(range: DateRange, end: 'from' | 'to', date: string): DateRange {
  if (end === 'from') {
    const to = date > range.to ? date : range.to
    return { from: date, to: rangeDays({ from: date, to }) > MAX_RANGE_DAYS ? addDays(date, MAX_RANGE_DAYS - 1) : to }
  }
  const from = date < range.from ? date : range.from
  return { from: rangeDays({ from, to: date }) > MAX_RANGE_DAYS ? addDays(date, 1 - MAX_RANGE_DAYS) : from, to: date }
}

// ---- formatting ---------------------------------------------------------------------------------------

const isNumber = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n)

/** Points, '—' when missing. */
export function pointsText(n: number | null | undefined): string {
  return isNumber(n) ? formatPoints(n) : '—'
}

/** Fen as ¥ ('¥1,234.56'), '—' when missing. */
export function yuanText(fen: number | null | undefined): string {
  return isNumber(fen) ? fenToYuan(fen) : '—'
}

/** A rate (0.2206) as a percentage ('22.06%'); '—' when null (nothing issued in the range). */
export function rateText(rate: number | string | null | undefined): string {
  const n = typeof rate === 'string' ? Number(rate) : rate
  return isNumber(n) ? `${(Math.round(n * 10000) / 100).toFixed(2)}%` : '—'
}

// ---- the summary cards --------------------------------------------------------------------------------

export interface SummaryCard {
  key: string
  label: string
  value: string
  hint?: string
}

/** 发放 / 使用 / 过期 / 结余积分, 负债, 兑换率, 沉淀率 — in that order. */
export function summaryCards(s: Partial<ReportSummary> | null | undefined): SummaryCard[] {
  return [
    { key: 'issued', label: '发放积分', value: pointsText(s?.issued_points) },
    { key: 'spent', label: '使用积分', value: pointsText(s?.net_spent_points) },
    { key: 'expired', label: '过期积分', value: pointsText(s?.expired_points) },
    { key: 'outstanding', label: '结余积分', value: pointsText(s?.outstanding_points), hint: '当前' },
    { key: 'liability', label: '积分负债', value: yuanText(s?.outstanding_liability_fen), hint: pointValueHint(s?.point_value_fen) },
    { key: 'redemption', label: '兑换率', value: rateText(s?.redemption_rate), hint: '兑换 / 发放' },
    { key: 'breakage', label: '沉淀率', value: rateText(s?.breakage_rate), hint: '过期 / 发放' },
  ]
}

/**
 * How fresh the figures are (docs/operator-reports.md "Freshness"): every report is live, read from rollups
 * written in the same transaction as the ledger, so the dashboard says so with the instant it was read:
 * '实时数据 · 截至 2026-12-06 21:40'. '' before the summary has answered.
 */
export function freshnessText(asOf: string | null | undefined): string {
  const at = businessDateTime(asOf)
  return at ? `实时数据 · 截至 ${at}` : ''
}

/** 1 → '1积分 = ¥0.01'. */
function pointValueHint(fen: number | null | undefined): string | undefined {
  return isNumber(fen) ? `1积分 = ¥${(fen / 100).toFixed(fen % 1 === 0 ? 2 : 4)}` : undefined
}

// ---- chart series -------------------------------------------------------------------------------------

/** One value of one series at one x (F2 reads rows like these). */
export interface ChartRow {
  x: string
  y: number
  series: string
}

export interface ChartSpec {
  kind: 'line' | 'bar'
  /** Series names in legend order. */
  series: string[]
  rows: ChartRow[]
  /** Shown next to the y axis values, e.g. '¥'. */
  unit?: string
}

/** '2030-03-05' → '03-05'. */
export const dayLabel = (date: string) => (typeof date === 'string' ? date.slice(5) : '')

/** A month as members and managers read it everywhere (issue 17): '2030-04' → '2030-04'; the first 7 characters of a longer date. */
export const monthLabel = (month: string) => (typeof month === 'string' ? month.slice(0, 7) : '')

const num = (n: unknown) => (isNumber(n) ? n : 0)

function perDay<D extends { date: string }>(days: D[] | null | undefined, series: [name: string, value: (d: D) => unknown][]): ChartSpec {
  const rows = (days ?? []).flatMap((d) => series.map(([name, value]) => ({ x: dayLabel(d.date), y: num(value(d)), series: name })))
  return { kind: 'line', series: series.map(([name]) => name), rows }
}

/** 发放 / 使用 / 过期 per day (issued, net spent, expired). */
export function pointsDailyChart(daily: Partial<PointsDaily> | null | undefined): ChartSpec {
  return perDay(daily?.days, [
    ['发放', (d) => d.issued_points],
    ['使用', (d) => d.net_spent_points],
    ['过期', (d) => d.expired_points],
  ])
}

/** 签到人数 / 补签次数 per day. */
export function checkInChart(actives: Partial<CheckInActives> | null | undefined): ChartSpec {
  return perDay(actives?.days, [
    ['签到人数', (d) => d.checked_in_members],
    ['补签次数', (d) => d.make_ups],
  ])
}

/** Liability (¥) by the month the points expire. */
export function liabilityChart(liability: Partial<LiabilityByMonth> | null | undefined): ChartSpec {
  const rows = (liability?.months ?? []).map((m) => ({ x: monthLabel(m.month), y: num(m.liability_fen) / 100, series: '负债' }))
  return { kind: 'bar', series: ['负债'], rows, unit: '¥' }
}

/** The y axis has this many intervals (ticks at 0, ¼, ½, ¾ and the top). */
export const Y_INTERVALS = 4

/**
 * The top of a y axis from 0 that holds every value, with round ticks: Y_INTERVALS steps of 1, 2, 2.5 or 5
 * × 10ⁿ, at least 1 (counts get whole ticks: 0 1 2 3 4, not 0 0.75 1.5).
 */
export function niceAxisMax(values: number[]): number {
  const top = Math.max(0, ...values.filter(isNumber))
  const raw = Math.max(1, top / Y_INTERVALS)
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw - 1e-9)!
  return step * Y_INTERVALS
}

/** Whether a chart has anything but zeros to show. */
export function hasValues(spec: ChartSpec): boolean {
  return spec.rows.some((r) => r.y !== 0)
}

// ---- top items ----------------------------------------------------------------------------------------

export interface TopItemBar {
  id: string
  rank: number
  title: string
  redemptions: string
  points: string
  /** Bar length, 0–1 of the most redeemed item. */
  share: number
}

/** The ranked list: bars relative to the first (most redeemed) item. */
export function topItemBars(top: Partial<TopItems> | null | undefined): TopItemBar[] {
  const items = top?.items ?? []
  const max = Math.max(0, ...items.map((i) => num(i.redemptions)))
  return items.map((i, index) => ({
    id: i.item_id,
    rank: index + 1,
    title: i.title ?? '',
    redemptions: `${pointsText(i.redemptions)} 次`,
    points: `${pointsText(i.points_spent)} 积分`,
    share: max > 0 ? num(i.redemptions) / max : 0,
  }))
}
