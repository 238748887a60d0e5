/**
 * 邀请有礼: my invite code and invitees (`list_invitees`), binding a referrer (`bind_referrer`), and the
 * invite code the app was opened with (`?inviter=CODE` on a shared card or link), kept on the device until
 * the member is signed in and the bind has a final answer.
 */
import { errorCodeOf } from '../domain/errors'
import {
  isFinalBindError,
  normalizeInviteCode,
  type BindReferrerResult,
  type InviteSummary,
  type Invitee,
  type ReferralChannel,
} from '../domain/referral'
import { getItem, removeItem, setItem } from '../platform/storage'
import { memberRpc } from './session'

export type { BindReferrerResult, InviteSummary, Invitee }

export const INVITER_STORAGE_KEY = 'jifen.inviter'
export const INVITEES_PAGE_SIZE = 20

/** My code, who invited me, the rules, my stats and one page of invitees (newest first). */
export function listInvitees(options: { limit?: number; before?: string | null } = {}): Promise<InviteSummary> {
  return memberRpc('list_invitees', {
    p_limit: options.limit ?? INVITEES_PAGE_SIZE,
    p_before: options.before ?? undefined,
  })
}

/** Bind the owner of `code` as my referrer; `share` when the code came from a shared card or link. */
export function bindReferrer(code: string, channel: ReferralChannel = 'code'): Promise<BindReferrerResult> {
  return memberRpc('bind_referrer', { p_invite_code: code, p_channel: channel })
}

/**
 * Remember the invite code the app was opened with (`?inviter=CODE`). A later share replaces an earlier one.
 * Returns false (and remembers nothing) for a value that cannot be an invite code.
 */
export function rememberInviter(code: string | null | undefined): boolean {
  const normalized = normalizeInviteCode(code)
  if (!normalized) return false
  setItem(INVITER_STORAGE_KEY, normalized)
  return true
}

/** The remembered invite code, if any. */
export function rememberedInviter(): string | null {
  return normalizeInviteCode(getItem(INVITER_STORAGE_KEY))
}

export function forgetInviter(): void {
  removeItem(INVITER_STORAGE_KEY)
}

/** Forget `code` unless a newer share replaced it meanwhile. */
function forgetIfStill(code: string): void {
  if (rememberedInviter() === code) forgetInviter()
}

let binding: Promise<string> | null = null

/**
 * Bind the remembered invite code (channel `share`) for the signed-in member. Resolves (never rejects) to:
 * - 'none': nothing remembered;
 * - 'bound': bound (or already bound to this referrer); the code is forgotten;
 * - a final refusal code (`referral_window_closed`, `referrer_already_bound`, `self_referral`,
 *   `invite_code_not_found`, `invalid_invite_code`, `referral_cycle`); the code is forgotten;
 * - any other error code (`network_error`, `not_authenticated`, …): the code is kept for the next try.
 * Concurrent calls share one request.
 */
export function bindRememberedInviter(): Promise<'bound' | 'none' | string> {
  binding ??= bindOnce().finally(() => {
    binding = null
  })
  return binding
}

async function bindOnce(): Promise<string> {
  const code = rememberedInviter()
  if (!code) {
    forgetInviter() // drop anything unreadable
    return 'none'
  }
  try {
    await bindReferrer(code, 'share')
  } catch (e) {
    const errorCode = errorCodeOf(e)
    if (isFinalBindError(errorCode)) forgetIfStill(code)
    return errorCode
  }
  forgetIfStill(code)
  return 'bound'
}
