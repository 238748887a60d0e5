/** Display helpers of the console: times in the program's zone, points, money. Pure. */
import { businessDateTime, parseTimestampMs } from '../../../src/domain/time'
import { fenToYuan, formatPoints } from '../../../src/domain/format'
import { SOURCE_LABELS } from '../../../src/domain/history'

export { fenToYuan, formatPoints }

/** '2026-12-06 13:05' in the program's zone; '—' for none. */
export function dateTime(timestamp: string | null | undefined): string {
  if (!timestamp || Number.isNaN(parseTimestampMs(timestamp))) return '—'
  return businessDateTime(timestamp)
}

/** ±points with a sign ('+1,200', '-50'). */
export function signedPoints(points: number): string {
  return `${points > 0 ? '+' : ''}${formatPoints(points)}`
}

/** An entry or campaign source in words (积分明细's labels, src/domain/history.ts). */
export function sourceLabel(source: string): string {
  return (SOURCE_LABELS as Record<string, string>)[source] ?? source
}

export const CAMPAIGN_SOURCES = ['check_in', 'check_in_streak', 'task', 'purchase', 'referral', 'birthday', 'registration'] as const

export const ADJUSTMENT_REASONS: readonly { code: string; label: string }[] = [
  { code: 'missing_points', label: '补发未到账积分' },
  { code: 'service_compensation', label: '服务补偿' },
  { code: 'goodwill', label: '会员关怀' },
  { code: 'correction', label: '积分更正' },
  { code: 'abuse', label: '违规扣回' },
]

export function adjustmentReasonLabel(code: string): string {
  return ADJUSTMENT_REASONS.find((r) => r.code === code)?.label ?? code
}

export const ADJUSTMENT_STATUS: Readonly<Record<string, { label: string; color: string }>> = {
  pending: { label: '待审批', color: 'warning' },
  applied: { label: '已生效', color: 'success' },
  rejected: { label: '已驳回', color: 'default' },
}

export const CAMPAIGN_STATE: Readonly<Record<string, { label: string; color: string }>> = {
  running: { label: '进行中', color: 'success' },
  scheduled: { label: '未开始', color: 'blue' },
  ended: { label: '已结束', color: 'default' },
}

/** Fen as a yuan number (1050 → 10.5) for a number input. */
export function yuanFromFen(fen: number): number {
  return fen / 100
}

/** A yuan amount typed with up to two decimals as whole fen (10.5 → 1050). */
export function fenFromYuan(yuan: number): number {
  return Math.round(yuan * 100)
}
