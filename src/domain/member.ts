/** The signed-in member's summary (RPC `me`) and how the home screen words it. */
import { daysBetween } from './time'

export interface Tier {
  code: string
  name: string
  rank: number
  multiplier: number
}

/** The member's profile: what `update_profile` returns, and the first part of `me`. */
export interface Profile {
  id: string
  nickname: string
  avatar_url: string | null
  phone: string | null
  birthday: string | null
  /** When the birthday may be changed again (null: never set, so free to set). */
  birthday_editable_from: string | null
  created_at: string
}

export interface Me extends Profile {
  business_date: string
  staff: { store_id: string; store_name: string; role: 'clerk' | 'manager' } | null
  tier: Tier
  qualifying_points: number
  next_tier: { code: string; name: string; min_earned_points: number; points_needed: number } | null
  downgrade: { due_at: string; to_tier_code: string; to_tier_name: string } | null
  balance_points: number
  pending_points: number
  expiring: { points: number; expires_on: string; expires_at: string } | null
  streak_days: number
  checked_in_today: boolean
}

export interface CheckInResult {
  check_in_date: string
  made_up: boolean
  points: number
  bonus_points: number
  campaign_points: number
  streak_days: number
  cycle_day: number
  balance_points: number
  cost_points?: number
}

/** Progress towards the next tier, 0–100 (100 at the top tier). */
export function tierProgressPercent(me: Pick<Me, 'qualifying_points' | 'next_tier'>): number {
  if (!me.next_tier) return 100
  return Math.max(0, Math.min(100, Math.floor((me.qualifying_points / me.next_tier.min_earned_points) * 100)))
}

/** '再获得 431 积分升级银卡会员' or '已是最高等级'. */
export function nextTierLabel(me: Pick<Me, 'next_tier'>): string {
  return me.next_tier ? `再获得 ${me.next_tier.points_needed} 积分升级${me.next_tier.name}` : '已是最高等级'
}

/** '5 积分将于 2027-11-12 过期', or null when nothing expires. */
export function expiringLabel(me: Pick<Me, 'expiring'>): string | null {
  return me.expiring ? `${me.expiring.points} 积分将于 ${me.expiring.expires_on} 过期` : null
}

/**
 * The reminder window in days (`point_rules.expiry_reminder_days`, e.g. [30, 7]): its largest entry, the first
 * reminder a member gets; null when the rules are not known (yet) or hold no positive day count.
 */
export function reminderWindowDays(expiryReminderDays: readonly number[] | null | undefined): number | null {
  const days = (expiryReminderDays ?? []).filter((d) => Number.isInteger(d) && d > 0)
  return days.length ? Math.max(...days) : null
}

/**
 * How the home screen shows the next expiring points: 'warn' (orange) only when they expire within the
 * reminder window (counted in business days from `me.business_date`), 'neutral' otherwise, also while the
 * window is unknown; null when nothing expires.
 */
export function expiringTone(
  me: Pick<Me, 'expiring' | 'business_date'>,
  windowDays: number | null,
): 'warn' | 'neutral' | null {
  if (!me.expiring) return null
  if (windowDays == null) return 'neutral'
  const left = daysBetween(me.business_date, me.expiring.expires_on)
  return Number.isFinite(left) && left <= windowDays ? 'warn' : 'neutral'
}

/** '签到成功 +15 积分（连续 3 天）' — base, streak bonus and campaign extra together. */
export function checkInToast(result: Pick<CheckInResult, 'points' | 'bonus_points' | 'campaign_points' | 'streak_days'>): string {
  const total = result.points + result.bonus_points + result.campaign_points
  return `签到成功 +${total} 积分（连续 ${result.streak_days} 天）`
}

/** The first character of a nickname for a round avatar (surrogate pairs kept whole), `fallback` if none. */
export function nicknameInitial(nickname: string | null | undefined, fallback = '友'): string {
  const first = Array.from((nickname ?? '').trim())[0]
  return first ? first.toUpperCase() : fallback
}

/** A staff member's role as shown (`me.staff.role`). */
export function roleLabel(role: string): string {
  return role === 'manager' ? '店长' : '店员'
}
