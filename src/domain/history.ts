/**
 * The member's points history (their own rows of `point_entries`) and expiry schedule (their unexpired
 * `point_lots`): types as PostgREST returns them, the filter tabs, and how rows are worded. Pure TypeScript.
 */
import type { PointEntry, ExpiryLot, EntryKind, EntrySource } from './responses'
import { formatPoints } from './format'
import { lastValidDay } from './time'

export type { PointEntry, ExpiryLot, EntryKind, EntrySource }

/** The columns the history screen reads (the PostgREST `select`). */
export const ENTRY_COLUMNS = 'id,amount_points,kind,source,description,business_date,created_at'

/** Rows per page (newest first, keyset paging on (created_at, id)). */
export const HISTORY_PAGE_SIZE = 20

export type HistoryFilter = 'all' | 'earn' | 'spend' | 'expire'

export interface HistoryFilterSpec {
  key: HistoryFilter
  label: string
  /** Only these kinds (none: every kind). */
  kinds?: EntryKind[]
  /** Only credits (1) or only debits (-1). */
  sign?: 1 | -1
}

/**
 * The tabs. 获得: every credit (earn entries and positive reversals, i.e. amount > 0); 使用: spends and
 * negative reversals; 过期: expiries.
 */
export const HISTORY_FILTERS: readonly HistoryFilterSpec[] = [
  { key: 'all', label: '全部' },
  { key: 'earn', label: '获得', sign: 1 },
  { key: 'spend', label: '使用', kinds: ['spend', 'reverse'], sign: -1 },
  { key: 'expire', label: '过期', kinds: ['expire'] },
]

export function historyFilter(key: HistoryFilter): HistoryFilterSpec {
  return HISTORY_FILTERS.find((f) => f.key === key) ?? HISTORY_FILTERS[0]
}

/** Whether an entry belongs under a tab (the same rule the query applies on the server). */
export function matchesFilter(entry: Pick<PointEntry, 'kind' | 'amount_points'>, key: HistoryFilter): boolean {
  const spec = historyFilter(key)
  if (spec.kinds && !spec.kinds.includes(entry.kind)) return false
  if (spec.sign === 1 && !(entry.amount_points > 0)) return false
  if (spec.sign === -1 && !(entry.amount_points < 0)) return false
  return true
}

export const SOURCE_LABELS: Readonly<Record<EntrySource, string>> = {
  check_in: '每日签到',
  check_in_streak: '连续签到奖励',
  task: '任务奖励',
  purchase: '门店消费',
  referral: '邀请奖励',
  campaign: '活动加赠',
  registration: '注册奖励',
  birthday: '生日礼',
  tier_upgrade: '升级奖励',
  make_up: '补签',
  redemption: '积分兑换',
  expiry: '积分过期',
  adjustment: '积分调整',
}

/** The row's title: its description, else the source's label ('积分变动' for a source we don't know). */
export function entryTitle(entry: Pick<PointEntry, 'description' | 'source'>): string {
  const description = (entry.description ?? '').trim()
  if (description) return description
  return SOURCE_LABELS[entry.source] ?? '积分变动'
}

/** '+5', '+1,000', '-100'. */
export function signedPoints(amount: number): string {
  return amount > 0 ? `+${formatPoints(amount)}` : formatPoints(amount)
}

/** Points that expire after one last valid day. */
export interface ExpiryDay {
  /** The last valid day, in the program's zone: 'YYYY-MM-DD'. */
  date: string
  points: number
}

/** Lots summed per last valid day, earliest first; empty lots and unreadable dates left out. */
export function expirySchedule(lots: readonly ExpiryLot[]): ExpiryDay[] {
  const byDay = new Map<string, number>()
  for (const lot of lots) {
    const date = lastValidDay(lot.expires_at)
    if (!date || !(lot.remaining_points > 0)) continue
    byDay.set(date, (byDay.get(date) ?? 0) + lot.remaining_points)
  }
  return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([date, points]) => ({ date, points }))
}

/** '2027-11-12 到期 5 积分'. */
export function expiryDayLabel(day: ExpiryDay): string {
  return `${day.date} 到期 ${formatPoints(day.points)} 积分`
}
