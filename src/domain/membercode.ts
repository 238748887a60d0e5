/**
 * The rotating member code (RPC `issue_member_code`, docs/staff.md) and when the app asks for the next one.
 * Pure TypeScript.
 *
 * Timing never compares the server's timestamps with the phone's clock (phones are often minutes off):
 * a code's lifetime is `expires_at − server_time` (both from the server), and how much of it is left is that
 * lifetime minus the time elapsed on the phone since the code arrived (a difference on one clock).
 */
import type { MemberCode } from './responses'

import { parseTimestampMs } from './time'

export type { MemberCode }

/** Ask for the next code this long before the current one expires. */
export const REFRESH_LEAD_MS = 10_000
/** Never refresh sooner than this after a code arrived (a short TTL or odd timestamps). */
export const MIN_REFRESH_DELAY_MS = 5_000

/**
 * How long the code is valid from the moment it was issued, in ms: `expires_at − server_time`, trusted only
 * when it is positive and no longer than the TTL (plus a second of rounding); otherwise the TTL itself.
 */
export function codeLifetimeMs(code: Pick<MemberCode, 'expires_at' | 'server_time' | 'ttl_seconds'>): number {
  const ttlMs = Math.max(0, (Number(code.ttl_seconds) || 0) * 1000)
  const diff = parseTimestampMs(code.expires_at) - parseTimestampMs(code.server_time)
  if (Number.isFinite(diff) && diff > 0 && (ttlMs === 0 || diff <= ttlMs + 1000)) return diff
  return ttlMs
}

/** Validity left at `nowMs` for a code that arrived at `receivedAtMs` (both on the phone's clock), ≥ 0. */
export function codeRemainingMs(
  code: Pick<MemberCode, 'expires_at' | 'server_time' | 'ttl_seconds'>,
  receivedAtMs: number,
  nowMs: number,
): number {
  const elapsed = Math.max(0, nowMs - receivedAtMs)
  return Math.max(0, codeLifetimeMs(code) - elapsed)
}

/**
 * When to fetch the next code, in ms from `nowMs`: 10 s before the code expires, never sooner than 5 s.
 * `receivedAtMs` (default: now) is when the code arrived, so a timer set a little late still aims at the
 * same moment.
 */
export function refreshDelayMs(
  code: Pick<MemberCode, 'expires_at' | 'server_time' | 'ttl_seconds'>,
  nowMs: number,
  receivedAtMs: number = nowMs,
): number {
  return Math.max(MIN_REFRESH_DELAY_MS, codeRemainingMs(code, receivedAtMs, nowMs) - REFRESH_LEAD_MS)
}

/**
 * Whole seconds until the automatic refresh of a code that arrived at `receivedAtMs` (for 'N 秒后自动刷新'),
 * counting down from the delay chosen on arrival; 0 once it is due.
 */
export function refreshCountdownSeconds(
  code: Pick<MemberCode, 'expires_at' | 'server_time' | 'ttl_seconds'>,
  receivedAtMs: number,
  nowMs: number,
): number {
  const dueAt = receivedAtMs + refreshDelayMs(code, receivedAtMs)
  const left = Math.min(dueAt - receivedAtMs, dueAt - nowMs)
  return Math.max(0, Math.ceil(left / 1000))
}

/** '48 秒后自动刷新', or '正在刷新…' once due. */
export function refreshCountdownLabel(seconds: number): string {
  return seconds > 0 ? `${seconds} 秒后自动刷新` : '正在刷新…'
}

/** The numeric member code: 18 digits, the first always 9 (payment codes start 10–15 and 25–30). */
export const MEMBER_CODE_DIGITS = /^9\d{17}$/

/**
 * 18 digits as typed, read aloud or scanned ('9123 4567 8901 2345 67', '9123-4567-…', surrounding blanks) to the
 * bare digits, or null when the text is no numeric member code.
 */
export function numericMemberCode(text: string | null | undefined): string | null {
  const digits = (text ?? '').replace(/[\s-]/g, '')
  return MEMBER_CODE_DIGITS.test(digits) ? digits : null
}

/** The digits in groups of four for reading aloud: '9123 4567 8901 2345 67'. */
export function groupMemberCodeDigits(digits: string): string {
  return (digits.match(/.{1,4}/g) ?? []).join(' ')
}
