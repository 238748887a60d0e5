// Load through the local HTTP API (stack/server.ts, the real RestHandler) from this process: `clients`
// concurrent keep-alive request loops for `seconds`; every response must be a 2xx.
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { Client } from 'pg'
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

export async function memberToken(i: number | string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000)
  const sub = typeof i === 'string' ? i : memberId(i)
  return signJwt({ sub, role: 'authenticated', aud: 'authenticated', iat, exp: iat + 3600 }, LOCAL_JWT_SECRET)
}

/** One request to the local API (`/rest/v1…`) as the token's member. */
function send(baseUrl: string, r: HttpRequest): Promise<Response> {
  return fetch(`${baseUrl}/rest/v1${r.path}`, {
    method: r.method,
    headers: { authorization: `Bearer ${r.token}`, apikey: r.token, 'content-type': 'application/json' },
    body: r.body === undefined ? undefined : JSON.stringify(r.body),
  })
}

export async function httpLoad(baseUrl: string, next: () => Promise<HttpRequest>, clients: number, seconds: number): Promise<Result> {
  const latencies: number[] = []
  const deadline = performance.now() + seconds * 1000
  const loop = async () => {
    while (performance.now() < deadline) {
      const r = await next()
      const t = performance.now()
      const res = await send(baseUrl, r)
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

export interface RushResult {
  buyers: number
  stock: number
  /** from the first request sent to the last answer */
  ms: number
  p50Ms: number
  p99Ms: number
  /** HTTP status (and error code) → answers */
  answers: Record<string, number>
  /** redemptions the database holds for the item afterwards, and the stock left */
  redeemed: number
  stockLeft: number
}

/**
 * The hot item over HTTP (issue 18): a new item with `stock` vouchers, `buyers` members who can afford it (one
 * request each, tokens signed beforehand) all ask for it at once, each on its own connection.
 */
export async function hotItemRush(db: Client, baseUrl: string, buyers: number, stock: number): Promise<RushResult> {
  const item: string = (
    await db.query(
      `insert into public.mall_items (kind, title, category_code, cost_points, stock_remaining)
       values ('coupon', '限量抢购券', 'bench', 10, $1) returning id`,
      [stock],
    )
  ).rows[0].id
  const members: string[] = (
    await db.query('select member_id from public.point_balances where balance_points >= 100 order by random() limit $1', [buyers])
  ).rows.map((r) => r.member_id)
  const tokens = await Promise.all(members.map(memberToken))
  const answers: Record<string, number> = {}
  const latencies: number[] = []
  const t0 = performance.now()
  await Promise.all(
    tokens.map(async (token) => {
      const t = performance.now()
      const res = await send(baseUrl, {
        method: 'POST',
        path: '/rpc/redeem_item',
        body: { p_item_id: item, p_request_id: randomUUID() },
        token,
      })
      const body = await res.json().catch(() => ({}))
      latencies.push(performance.now() - t)
      const key = res.ok ? String(res.status) : `${res.status} ${body.message ?? ''}`.trim()
      answers[key] = (answers[key] ?? 0) + 1
    }),
  )
  const ms = performance.now() - t0
  const { rows } = await db.query(
    `select (select count(*)::int from public.redemptions where item_id = $1) as redeemed,
            (select stock_remaining from public.mall_items where id = $1) as stock_left`,
    [item],
  )
  const { p50Ms, p99Ms } = summarize(latencies, ms / 1000)
  return { buyers: members.length, stock, ms, p50Ms, p99Ms, answers, redeemed: rows[0].redeemed, stockLeft: rows[0].stock_left }
}
