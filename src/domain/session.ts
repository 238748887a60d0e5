/** How a member signs in (the `auth` Edge Function's request) and what a session holds. */
export type Credentials = { provider: 'wechat'; code: string } | { provider: 'dev'; phone: string }

export interface SessionMember {
  id: string
  nickname: string
  avatar_url: string | null
  phone: string | null
  created_at: string
}

export interface Session {
  accessToken: string
  /** Unix seconds. */
  expiresAt: number
  member: SessionMember
  /** The dev-login phone (local stack, H5), kept for a silent re-login. */
  devPhone?: string
}

/** Where the session is kept (platform storage; on H5 localStorage, which index.html's early `me` reads too). */
export const SESSION_STORAGE_KEY = 'jifen.session'

/** Renew this many seconds before the token expires, so no request is sent with a dying token. */
export const RENEW_BEFORE_SECONDS = 60

export function isFresh(session: Pick<Session, 'expiresAt'>, nowMs: number): boolean {
  return session.expiresAt - RENEW_BEFORE_SECONDS > nowMs / 1000
}

/** A mainland mobile number, as the backend accepts it. */
export function isPhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value)
}

/**
 * The phone number as typed, checked without changing it behind the user's back: spaces and hyphens
 * (138 0000 0001, 138-0000-0001) and a leading +86 are allowed, nothing else is dropped or cut. Either the
 * 11-digit number, or what is wrong in Chinese.
 */
export function checkPhoneInput(input: string | null | undefined): { phone: string } | { problem: string } {
  const compact = (input ?? '').replace(/[\s-]/g, '').replace(/^\+86/, '')
  if (compact === '') return { problem: '请输入手机号' }
  if (!/^\d+$/.test(compact)) return { problem: '手机号只能包含数字' }
  if (compact.length > 11) return { problem: `手机号应为11位数字，多了${compact.length - 11}位` }
  if (compact.length < 11) return { problem: `手机号应为11位数字，还差${11 - compact.length}位` }
  if (!isPhone(compact)) return { problem: '请输入正确的手机号（1开头的11位数字）' }
  return { phone: compact }
}
