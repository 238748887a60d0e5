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
  seed(): Promise<void>
  drop(): Promise<void>
}

export function testPgPort(): number {
  const port = Number(process.env.TEST_PG_PORT)
  if (!port) throw new Error('TEST_PG_PORT is not set: run through jest (globalSetup starts Postgres)')
  return port
}

export async function tokenFor(caller: Caller, ttlSeconds = 3600): Promise<string> {
  if (typeof caller === 'object' && 'token' in caller) return caller.token
  const iat = Math.floor(Date.now() / 1000)
  const claims =
    caller === 'anon' || caller === 'service_role' ? { role: caller, iss: 'supabase-demo' } : { sub: caller.sub, role: 'authenticated', aud: 'authenticated' }
  return signJwt({ ...claims, iat, exp: iat + ttlSeconds }, LOCAL_JWT_SECRET)
}

function parse(res: RestResponse) {
  return { status: res.status, body: res.body === null ? null : JSON.parse(res.body) }
}

export async function createTestDb(): Promise<TestDb> {
  const port = testPgPort()
  const name = `t_${randomBytes(6).toString('hex')}`
  const root = new Pool({ connectionString: dbUrl(port), max: 1 })
  await root.query(`create database ${name} template ${TEMPLATE_DB}`)
  await root.end()
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
    async seed() {
      await admin.query(readFileSync(stackConfig().seedFile, 'utf8'))
    },
    async drop() {
      await apiPool.end()
      await admin.end()
      const root2 = new Pool({ connectionString: dbUrl(port), max: 1 })
      await root2.query(`drop database if exists ${name} with (force)`)
      await root2.end()
    },
  }
}
