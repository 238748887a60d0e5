// Load through the local HTTP API (stack/server.ts, the real RestHandler) from this process: `clients`
// concurrent keep-alive request loops for `seconds`; every response must be a 2xx.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { LOCAL_JWT_SECRET } from '../config'
import { signJwt } from '../../supabase/functions/_shared/jwt'
import { summarize, type Result } from './pgbench'
import { ENTRY_COLUMNS, HISTORY_PAGE_SIZE } from '../../src/domain/history'
import { itemId, memberId } from './dataset'

export interface HttpRequest {
  method: 'GET' | 'POST'
  path: string
  body?: unknown
  token: string
}

export async function memberToken(i: number): Promise<string> {
  const iat = Math.floor(Date.now() / 1000)
  return signJwt({ sub: memberId(i), role: 'authenticated', aud: 'authenticated', iat, exp: iat + 3600 }, LOCAL_JWT_SECRET)
}

export async function httpLoad(baseUrl: string, next: () => Promise<HttpRequest>, clients: number, seconds: number): Promise<Result> {
  const latencies: number[] = []
  const deadline = performance.now() + seconds * 1000
  const loop = async () => {
    while (performance.now() < deadline) {
      const r = await next()
      const t = performance.now()
      const res = await fetch(`${baseUrl}/rest/v1${r.path}`, {
        method: r.method,
        headers: { authorization: `Bearer ${r.token}`, apikey: r.token, 'content-type': 'application/json' },
        body: r.body === undefined ? undefined : JSON.stringify(r.body),
      })
      const text = await res.text()
      if (!res.ok) throw new Error(`${r.method} ${r.path}: ${res.status} ${text}`)
      latencies.push(performance.now() - t)
    }
  }
  await Promise.all(Array.from({ length: clients }, loop))
  return summarize(latencies, seconds)
}

/** Random members' requests from a pool of pre-signed tokens (signing is not what is measured). */
export async function randomMemberRequests(members: number, items: number, poolSize = 2000) {
  const ids = Array.from({ length: Math.min(poolSize, members) }, () => 1 + Math.floor(Math.random() * members))
  const tokens = await Promise.all(ids.map(memberToken))
  const token = () => tokens[Math.floor(Math.random() * tokens.length)]
  return {
    me: async (): Promise<HttpRequest> => ({ method: 'POST', path: '/rpc/me', body: {}, token: token() }),
    history: async (): Promise<HttpRequest> => ({
      method: 'GET',
      path: `/point_entries?select=${ENTRY_COLUMNS}&order=id.desc&limit=${HISTORY_PAGE_SIZE}`,
      token: token(),
    }),
    redeem_item: async (): Promise<HttpRequest> => ({
      method: 'POST',
      path: '/rpc/redeem_item',
      body: { p_item_id: itemId(1 + Math.floor(Math.random() * items)), p_request_id: randomUUID() },
      token: token(),
    }),
  }
}

/** check_in of members first, first + 1, … (the API's clock is pinned to one business day). */
export function sequentialCheckIns(first: number) {
  let i = first
  return async (): Promise<HttpRequest> => ({ method: 'POST', path: '/rpc/check_in', body: {}, token: await memberToken(i++) })
}
