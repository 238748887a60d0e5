// A fresh database per test file, cloned from the template, and the ways tests talk to it:
// `admin` (superuser, for setup and invariant checks) and `call` / `read`, which go through the local
// API's RestHandler — the same role switch and request.jwt.claims that every HTTP request gets.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Pool } from 'pg'
import { dbUrl, LOCAL_JWT_SECRET, stackConfig } from '../../stack/config'
import { secretKey } from '../../stack/jwt'
import { RestHandler, type RestResponse } from '../../stack/rest/handler'
import { signJwt } from '../../supabase/functions/_shared/jwt'

/** Created by the globalSetup (test/support/cluster.ts) with bootstrap + all migrations. */
export const TEMPLATE_DB = 'jifen_template'

export type Caller = 'anon' | 'service_role' | { sub: string } | { token: string }

export interface TestDb {
  name: string
  url: string
  /** superuser pool, bypasses RLS: fixtures and assertions only */
  admin: Pool
  rest: RestHandler
  /** POST /rest/v1/rpc/<fn> as `caller`, through the same path as the HTTP API */
  call(fn: string, args?: Record<string, unknown>, caller?: Caller): Promise<{ status: number; body: any }>
  /** GET /rest/v1/<relation>?<query> as `caller` */
  read(relation: string, query?: string, caller?: Caller): Promise<{ status: number; body: any }>
  /** raw SQL as `caller` (role + request.jwt.claims, as the API sets them), always rolled back */
  sqlAs(caller: Exclude<Caller, { token: string }>, sql: string): Promise<any[]>
  seed(): Promise<void>
  drop(): Promise<void>
}

export function testPgPort(): number {
  const port = Number(process.env.TEST_PG_PORT)
  if (!port) throw new Error('TEST_PG_PORT is not set: run through jest (globalSetup starts Postgres)')
  return port
}

function claimsFor(caller: Exclude<Caller, { token: string }>): { role: string; [claim: string]: string } {
  return caller === 'anon' || caller === 'service_role'
    ? { role: caller, iss: 'supabase-demo' }
    : { sub: caller.sub, role: 'authenticated', aud: 'authenticated' }
}

export async function tokenFor(caller: Caller, ttlSeconds = 3600): Promise<string> {
  if (typeof caller === 'object' && 'token' in caller) return caller.token
  const iat = Math.floor(Date.now() / 1000)
  return signJwt({ ...claimsFor(caller), iat, exp: iat + ttlSeconds }, LOCAL_JWT_SECRET)
}

/** One statement on the cluster's `postgres` database as superuser (create / drop databases). */
export async function rootQuery(sql: string): Promise<void> {
  const root = new Pool({ connectionString: dbUrl(testPgPort()), max: 1 })
  try {
    await root.query(sql)
  } finally {
    await root.end()
  }
}

function parse(res: RestResponse) {
  return { status: res.status, body: res.body === null ? null : JSON.parse(res.body) }
}

export async function createTestDb(): Promise<TestDb> {
  const port = testPgPort()
  const name = `t_${randomBytes(6).toString('hex')}`
  await rootQuery(`create database ${name} template ${TEMPLATE_DB}`)
  const url = dbUrl(port, name)
  const admin = new Pool({ connectionString: url, max: 4 })
  const apiPool = new Pool({ connectionString: dbUrl(port, name, 'authenticator', 'postgres'), max: 60 })
  const rest = new RestHandler(apiPool, secretKey(LOCAL_JWT_SECRET))
  const request = async (method: string, path: string, query: string, caller: Caller, body?: unknown) => {
    const token = await tokenFor(caller)
    return parse(
      await rest.handle({
        method,
        path,
        query: new URLSearchParams(query),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      }),
    )
  }
  return {
    name,
    url,
    admin,
    rest,
    call: (fn, args = {}, caller = 'anon') => request('POST', `/rpc/${fn}`, '', caller, args),
    read: (relation, query = '', caller = 'anon') => request('GET', `/${relation}`, query, caller),
    async sqlAs(caller, sql) {
      const claims = claimsFor(caller)
      const client = await admin.connect()
      try {
        await client.query('begin')
        await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [claims.role, JSON.stringify(claims)])
        return (await client.query(sql)).rows
      } finally {
        await client.query('rollback')
        client.release()
      }
    },
    async seed() {
      await admin.query(readFileSync(stackConfig().seedFile, 'utf8'))
    },
    async drop() {
      await apiPool.end()
      await admin.end()
      await rootQuery(`drop database if exists ${name} with (force)`)
    },
  }
}
