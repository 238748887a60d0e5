/** The signed-in member's summary (RPC `me`) and how the home screen words it. */
import type { Tier, Profile, Me, CheckInResult } from './responses'
import { businessDate, daysBetween } from './time'

export type { Tier, Profile, Me, CheckInResult }

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
export function expiringTone(me: Pick<Me, 'expiring' | 'business_date'>, windowDays: number | null): 'warn' | 'neutral' | null {
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

/** What a write's answer says about the member's points, for `meAfter`. */
export interface PointsAnswer {
  /** The balance in the answer. */
  balance_points: number
  /**
   * True when that balance is the ledger sum (`point_balances`: check_in, make_up_check_in, claim_task), which
   * still counts pending (held) points; false when it is spendable now, as `me.balance_points` (mall writes).
   */
  ledgerSum: boolean
  /** Points the write earned (base, bonus, campaign extra): a new lot, and tier points. */
  earned?: number
  /** Points the write spent, taken from the earliest-expiring lots first. */
  spent?: number
  /** Points given back to the lots they were spent from (a cancelled redemption). */
  refunded?: number
}

/**
 * `me` after a write, from the write's answer alone; null when the answer cannot tell what `me` shows, so `me`
 * must be loaded again:
 * - a ledger-sum balance while points are pending (which of them are still pending the answer does not say);
 * - a refund (the points go back to the lots they came from: the next expiring amount and date move);
 * - a spend of the whole next-expiring amount (which lots expire next then is the ledger's to say);
 * - points earned with nothing expiring before (the new lot's expiry date is the backend's rule);
 * - points earned that reach the next tier (the new tier, and the upgrade bonus, are not in the answer).
 */
export function meAfter(me: Me, answer: PointsAnswer): Me | null {
  const earned = answer.earned ?? 0
  const spent = answer.spent ?? 0
  if (answer.ledgerSum && me.pending_points > 0) return null
  if ((answer.refunded ?? 0) > 0) return null
  if (spent > 0 && (!me.expiring || me.expiring.points <= spent)) return null
  if (earned > 0 && !me.expiring) return null
  const qualifying = me.qualifying_points + earned
  if (me.next_tier && qualifying >= me.next_tier.min_earned_points) return null
  return {
    ...me,
    balance_points: answer.balance_points,
    qualifying_points: qualifying,
    next_tier: me.next_tier && { ...me.next_tier, points_needed: Math.max(me.next_tier.min_earned_points - qualifying, 0) },
    expiring: me.expiring && spent > 0 ? { ...me.expiring, points: me.expiring.points - spent } : me.expiring,
  }
}

/** How many business days after registration a member still gets the welcome (once, until dismissed). */
export const WELCOME_DAYS = 7

/** A member who registered within the last WELCOME_DAYS business days (the welcome with the registration bonus). */
export function isNewMember(me: Pick<Me, 'created_at' | 'business_date'>): boolean {
  const registered = businessDate(me.created_at)
  return !!registered && daysBetween(registered, me.business_date) <= WELCOME_DAYS
}

/** The local key remembering that this member dismissed the welcome. */
export const welcomeSeenKey = (memberId: string) => `welcome_seen:${memberId}`
