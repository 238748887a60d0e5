/**
 * The signed-in member's session: the `auth` Edge Function's token, kept in platform storage, renewed silently
 * (wx.login in the mini-program; the saved dev phone on the local stack's H5) shortly before it expires or
 * when the API says it expired, and `memberRpc` / `staffRpc`, which call an RPC with the member's token.
 */
import type { PostgrestClient } from '@supabase/postgrest-js'

import { AppError, isErrorCode } from '../domain/errors'
import { isFresh, SESSION_STORAGE_KEY as STORAGE_KEY, type Credentials, type Session } from '../domain/session'
import { platformFetch } from '../platform/fetch'
import { silentCredentials } from '../platform/credentials'
import { getItem, removeItem, setItem } from '../platform/storage'
import { restFor } from './client'
import { anonKey, supabaseUrl } from './config'
import type { AppRpcName, RpcResult } from './contract'
import { callRpc, type RpcArgs } from './rpc'
import { withTimeout } from './timeout'

/** Answers after which signing in again may help. */
const TOKEN_ERRORS = new Set(['jwt_expired', 'invalid_jwt', 'not_authenticated', 'member_not_found'])

let renewing: Promise<Session> | null = null
/** Bumped by signOut: a renewal still under way then does not bring the session back. */
let epoch = 0

function stored(): Session | null {
  try {
    const raw = getItem(STORAGE_KEY)
    return raw ? (JSON.parse(raw) as Session) : null
  } catch {
    return null
  }
}

function keep(session: Session | null): void {
  if (session) setItem(STORAGE_KEY, JSON.stringify(session))
  else removeItem(STORAGE_KEY)
}

/** The session saved on this device, if any (it may have expired: memberRpc renews it). */
export function currentSession(): Session | null {
  return stored()
}

/**
 * POST /functions/v1/<name> with a JSON body (the anon key, and the member's token when given): the answer's
 * JSON, or an AppError with the function's stable code (`message`), `network_error` or `request_timeout`.
 * The one client for the Edge Functions (`auth`, `wxacode`).
 */
export async function postFunction(name: string, payload: unknown, accessToken?: string): Promise<Record<string, any>> {
  let res: Response
  let body: Record<string, any>
  try {
    ;[res, body] = await withTimeout(async (signal) => {
      const answer = await platformFetch(`${supabaseUrl}/functions/v1/${name}`, {
        method: 'POST',
        headers: {
          apikey: anonKey,
          'Content-Type': 'application/json',
          ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
        },
        body: JSON.stringify(payload),
        signal,
      })
      return [answer, (await answer.json().catch(() => ({}))) as Record<string, any>] as const
    })
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('network_error', { cause: e })
  }
  if (!res.ok) throw new AppError(isErrorCode(body?.message) ? body.message : 'unknown', { cause: body })
  return body
}

/** The `auth` function's answer as a session (not kept). AppError codes as documented for `auth`. */
async function authenticate(credentials: Credentials): Promise<Session> {
  const body = await postFunction('auth', credentials)
  const session: Session = {
    accessToken: body.access_token,
    expiresAt: body.expires_at,
    member: body.member,
    ...(credentials.provider === 'dev' ? { devPhone: credentials.phone } : {}),
  }
  return session
}

/** Sign in through the `auth` function; keeps the session. AppError codes as documented for `auth`. */
export async function signIn(credentials: Credentials): Promise<Session> {
  const session = await authenticate(credentials)
  keep(session)
  return session
}

export function signOut(): void {
  epoch += 1
  keep(null)
}

/** Sign in again without asking (one attempt at a time); not_authenticated if this platform cannot. */
function renew(): Promise<Session> {
  renewing ??= (async () => {
    const started = epoch
    try {
      const credentials = await silentCredentials(stored())
      if (!credentials) throw new AppError('not_authenticated')
      const session = await authenticate(credentials)
      if (epoch !== started) throw new AppError('not_authenticated') // signed out meanwhile
      keep(session)
      return session
    } finally {
      renewing = null
    }
  })()
  return renewing
}

/** A session whose token is good for at least another minute. */
export async function freshSession(): Promise<Session> {
  const session = stored()
  if (session && isFresh(session, Date.now())) return session
  return renew()
}

/**
 * A request as the signed-in member (`request` gets a client carrying the member's token). A token the API
 * refuses (expired, revoked, member gone) is renewed once and the request repeated: the refused one changed
 * nothing. Other errors are AppErrors with the backend's code.
 */
export async function asMember<T>(request: (client: PostgrestClient) => Promise<T>): Promise<T> {
  return withMemberToken((token) => request(restFor(token)))
}

/** `request` with the member's access token, renewed once when refused (see asMember). */
async function withMemberToken<T>(request: (accessToken: string) => Promise<T>): Promise<T> {
  const session = await freshSession()
  try {
    return await request(session.accessToken)
  } catch (e) {
    if (!(e instanceof AppError) || !TOKEN_ERRORS.has(e.code)) throw e
    // refused after another call already renewed the token (one renewal for parallel calls): use that one
    const now = stored()
    const renewed = now && now.accessToken !== session.accessToken && isFresh(now, Date.now()) ? now : await renew()
    return request(renewed.accessToken)
  }
}

/** An Edge Function as the signed-in member (`postFunction` with the member's token, renewed like asMember). */
export function memberFunction(name: string, payload: unknown): Promise<Record<string, any>> {
  return withMemberToken((token) => postFunction(name, payload, token))
}

/** The staff app's and the manager dashboard's RPCs (the backend checks the caller's staff row). */
export type StaffRpcName = Extract<AppRpcName, `staff_${string}` | `report_${string}`>
/** Every other RPC a signed-in member calls for herself. */
export type MemberRpcName = Exclude<AppRpcName, StaffRpcName>

/** An RPC with the signed-in user's token (see asMember): what memberRpc and staffRpc share. */
function signedInRpc<F extends AppRpcName>(fn: F, args?: RpcArgs<F>): Promise<RpcResult<F>> {
  return asMember((client) => callRpc(client, fn, args ?? {}))
}

/**
 * An RPC as the signed-in member (see asMember). The name and the arguments are checked against the
 * generated schema types; the answer is checked against its shape and typed by it (src/services/contract.ts).
 */
export function memberRpc<F extends MemberRpcName>(fn: F, args?: RpcArgs<F>): Promise<RpcResult<F>> {
  return signedInRpc(fn, args)
}

/**
 * A staff or manager RPC (`staff_*`, `report_*`) as the signed-in user, who must be staff: the same session,
 * renewal and errors as memberRpc; the backend refuses anyone else (`not_staff`, `not_manager`).
 */
export function staffRpc<F extends StaffRpcName>(fn: F, args?: RpcArgs<F>): Promise<RpcResult<F>> {
  return signedInRpc(fn, args)
}
