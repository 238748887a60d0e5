// JWT verification as PostgREST does it: HS256 with the project's secret, exp/nbf/iat checked with
// PostgREST's 30 s clock-skew allowance; the `role` claim picks the database role (anon without one).
import { errors, jwtVerify } from 'jose'
import { signJwt } from '../supabase/functions/_shared/jwt'
import { LOCAL_JWT_SECRET } from './config'
import { ApiError, apiError } from './rest/errors'

export type Claims = Record<string, unknown> & { role?: string; sub?: string; exp?: number }

const CLOCK_SKEW_S = 30

/** Who a local token speaks for: the CLI's anon / service_role keys, or a member (JWT sub). */
export type LocalCaller = 'anon' | 'service_role' | { sub: string }

/** The claims PostgREST sees for a local caller (as the auth function and the CLI's keys set them). */
export function localClaims(caller: LocalCaller): { role: string; [claim: string]: string } {
  return caller === 'anon' || caller === 'service_role'
    ? { role: caller, iss: 'supabase-demo' }
    : { sub: caller.sub, role: 'authenticated', aud: 'authenticated' }
}

/** A token for a local caller, signed with the local JWT secret (tests and local tools only). */
export function localToken(caller: LocalCaller, ttlSeconds = 3600): Promise<string> {
  const iat = Math.floor(Date.now() / 1000)
  return signJwt({ ...localClaims(caller), iat, exp: iat + ttlSeconds }, LOCAL_JWT_SECRET)
}

export function secretKey(secret: string): Uint8Array {
  return new TextEncoder().encode(secret)
}

export async function verifyJwt(token: string, secret: Uint8Array): Promise<Claims> {
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], clockTolerance: CLOCK_SKEW_S })
    return payload as Claims
  } catch (err) {
    const expired = err instanceof errors.JWTExpired
    const claimsError = err instanceof errors.JWTClaimValidationFailed
    const message = expired
      ? 'JWT expired'
      : claimsError
        ? `JWT claims invalid: ${(err as Error).message}`
        : 'JWT invalid: could not be decoded or its signature does not match'
    const e = apiError(401, expired || claimsError ? 'PGRST303' : 'PGRST301', message)
    return Promise.reject(
      new ApiError(e.status, e.body, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message}"` }),
    )
  }
}

/** The bearer token of a request: Authorization wins, then the apikey header (as the Supabase gateway does). */
export function bearerToken(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim())
    if (m) return m[1]
  }
  const key = headers.apikey
  return typeof key === 'string' && key ? key : undefined
}
