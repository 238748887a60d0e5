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

/** Renew this many seconds before the token expires, so no request is sent with a dying token. */
export const RENEW_BEFORE_SECONDS = 60

export function isFresh(session: Pick<Session, 'expiresAt'>, nowMs: number): boolean {
  return session.expiresAt - RENEW_BEFORE_SECONDS > nowMs / 1000
}

/** A mainland mobile number, as the backend accepts it. */
export function isPhone(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value)
}
