/**
 * 邀请有礼 (docs/referrals.md): the results of `list_invitees` and `bind_referrer`, and how the invite screen
 * words them. Pure TypeScript.
 *
 * Sharing itself earns nothing (WeChat forbids rewarding a share): the texts promise points only for the
 * invitee's qualifying action.
 */
import type { Invitee, InviteSummary, BindReferrerResult, ReferralStatus } from './responses'
import { formatPoints } from './format'
import { businessDate } from './time'

export type { Invitee, InviteSummary, BindReferrerResult, ReferralStatus }

/** What the invitee must do before both sides are rewarded (`point_rules.referral_qualifying_action`). */
export type QualifyingAction = 'first_check_in_after_phone' | 'first_purchase'
export type ReferralChannel = 'code' | 'share'

/** Invite codes: 8 characters of 23456789ABCDEFGHJKLMNPQRSTUVWXYZ (case-insensitive when typed). */
const INVITE_CODE_RE = /^[2-9A-HJ-NP-Z]{8}$/

/** A typed or shared code as the backend compares it (trimmed, upper case), or null if it can't be one. */
export function normalizeInviteCode(text: string | null | undefined): string | null {
  if (typeof text !== 'string') return null
  const code = text.trim().toUpperCase()
  return INVITE_CODE_RE.test(code) ? code : null
}

/**
 * `bind_referrer` refusals that will never change for this member and code: a remembered code that got one
 * is dropped. Anything else (network, session) is worth trying again later.
 */
const FINAL_BIND_ERRORS = new Set([
  'referral_window_closed',
  'referrer_already_bound',
  'self_referral',
  'invite_code_not_found',
  'invalid_invite_code',
  'referral_cycle',
])

export function isFinalBindError(code: string): boolean {
  return FINAL_BIND_ERRORS.has(code)
}

/** '首次签到（需绑定手机号）' — what the invitee has to do. */
export function qualifyingActionLabel(action: string): string {
  if (action === 'first_check_in_after_phone') return '首次签到（需绑定手机号）'
  if (action === 'first_purchase') return '首次到店消费'
  return '指定任务'
}

/** '邀请好友注册并完成首次签到（需绑定手机号），双方各得100积分；每天最多奖励10次'. */
export function inviteRulesText(s: Pick<InviteSummary, 'bonus_points' | 'daily_max_rewards' | 'qualifying_action'>): string {
  return `邀请好友注册并完成${qualifyingActionLabel(s.qualifying_action)}，双方各得${s.bonus_points}积分；每天最多奖励${s.daily_max_rewards}次`
}

/** The four numbers under the code: 已邀请 / 已奖励 / 累计获得 / 今日. */
export function inviteStats(
  s: Pick<InviteSummary, 'invited_count' | 'rewarded_count' | 'earned_points' | 'rewards_today' | 'daily_max_rewards'>,
): { key: string; label: string; value: string }[] {
  return [
    { key: 'invited', label: '已邀请', value: `${s.invited_count} 人` },
    { key: 'rewarded', label: '已奖励', value: `${s.rewarded_count} 人` },
    { key: 'earned', label: '累计获得', value: `${formatPoints(s.earned_points)} 积分` },
    { key: 'today', label: '今日', value: `${s.rewards_today}/${s.daily_max_rewards}` },
  ]
}

/** The share card's title: a welcome gift for the friend, never a reward for the share. */
export function shareTitle(bonusPoints: number): string {
  return `送你${bonusPoints}积分，一起来赚积分`
}

export function inviteeStatusLabel(status: string): string {
  return status === 'rewarded' ? '已奖励' : '待完成'
}

/** '+100 积分' for a rewarded invitee; '今日奖励已达上限' when the daily cap skipped my reward; else null. */
export function inviteeRewardLabel(invitee: Pick<Invitee, 'status' | 'reward_points' | 'referrer_skipped'>): string | null {
  if (invitee.referrer_skipped === 'daily_cap') return '今日奖励已达上限'
  if (invitee.status === 'rewarded' && invitee.reward_points > 0) return `+${invitee.reward_points} 积分`
  return null
}

/** '2026-11-24 绑定' for an invitee row. */
export function boundDateLabel(timestamp: string): string {
  const date = businessDate(timestamp)
  return date ? `${date} 绑定` : ''
}
