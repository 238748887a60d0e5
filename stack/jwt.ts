// JWT verification as PostgREST does it: HS256 with the project's secret, exp/nbf/iat checked with
// PostgREST's 30 s clock-skew allowance; the `role` claim picks the database role (anon without one).
import { errors, jwtVerify } from 'jose'
import { ApiError, apiError } from './rest/errors'

export type Claims = Record<string, unknown> & { role?: string; sub?: string; exp?: number }

const CLOCK_SKEW_S = 30

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
    const message = expired ? 'JWT expired' : claimsError ? `JWT claims invalid: ${(err as Error).message}` : 'JWT invalid: could not be decoded or its signature does not match'
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
