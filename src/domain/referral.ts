/**
 * 邀请有礼 (docs/referrals.md): the results of `list_invitees` and `bind_referrer`, and how the invite screen
 * words them. Pure TypeScript.
 *
 * Sharing itself earns nothing (WeChat forbids rewarding a share): the texts promise points only for the
 * invitee's qualifying action.
 */
import type { Invitee, InviteSummary, BindReferrerResult, ReferralStatus } from './responses'
import { formatPoints } from './format'
import { businessDate, businessDateTime, parseTimestampMs } from './time'

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

/** Characters people type between groups of a code read out or copied ('ABCD 2345', 'abcd-2345'). */
const SEPARATORS = /[\s\-_]+/g
const ALPHABET = /^[2-9A-HJ-NP-Z]*$/

/**
 * A typed invite code checked before `bind_referrer` is called: the code as the backend compares it, or what
 * is wrong with the text, in Chinese. Spaces and hyphens are dropped and letters upper-cased; nothing else is
 * changed behind the member's back (an O is not read as a 0: the alphabet has neither).
 */
export function checkInviteCodeInput(text: string): { code: string } | { problem: string } {
  const code = text.replace(SEPARATORS, '').toUpperCase()
  if (!code) return { problem: '请输入邀请码' }
  if (/[01IO]/.test(code)) return { problem: '邀请码不含数字0、1和字母I、O，请核对' }
  if (!ALPHABET.test(code)) return { problem: '邀请码只包含数字和字母' }
  if (code.length < 8) return { problem: `邀请码为8位，还差${8 - code.length}位` }
  if (code.length > 8) return { problem: `邀请码为8位，多了${code.length - 8}位` }
  return { code }
}

/**
 * Whether the member may still type a code: nobody bound yet and the bind window (`bind_until`) still ahead
 * (the backend decides at the call: `referral_window_closed`).
 */
export function canBindReferrer(s: Pick<InviteSummary, 'referrer' | 'bind_until'>, nowMs: number): boolean {
  if (s.referrer || !s.bind_until) return false
  const until = parseTimestampMs(s.bind_until)
  return Number.isFinite(until) && until > nowMs
}

/** '请在 2026-11-25 09:00 前填写' under the code field; '' if unreadable. */
export function bindDeadlineLabel(bindUntil: string | null | undefined): string {
  const at = businessDateTime(bindUntil)
  return at ? `请在 ${at} 前填写` : ''
}

/**
 * The invite code a 小程序码 carries: `scene` as the page receives it (URL-encoded, at most 32 characters), either
 * the bare code or `inviter=CODE` / `i=CODE`. Null if it is none.
 */
export function inviteCodeFromScene(scene: string | null | undefined): string | null {
  if (typeof scene !== 'string' || !scene) return null
  let text = scene
  try {
    text = decodeURIComponent(scene)
  } catch {
    // not encoded: read as it is
  }
  const pair = /(?:^|[&?])(?:inviter|i)=([^&]*)/.exec(text)
  return normalizeInviteCode(pair ? pair[1] : text)
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
