// A fresh database per test file, cloned from the template, and the ways tests talk to it:
// `admin` (superuser, for setup and invariant checks) and `call` / `read`, which go through the local
// API's RestHandler — the same role switch and request.jwt.claims that every HTTP request gets.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Pool } from 'pg'
import { dbUrl, LOCAL_JWT_SECRET, stackConfig } from '../../stack/config'
import { localClaims, localToken, secretKey } from '../../stack/jwt'
import { ledgerInvariantViolations, rollupViolations } from '../../stack/ledger-invariants'
import { RestHandler, type RestResponse } from '../../stack/rest/handler'
import { expectRpcShape, loadRpcShapes, type RpcShapes } from './rpc-shapes'

/** Created by the globalSetup (test/support/cluster.ts) with bootstrap + all migrations. */
export const TEMPLATE_DB = 'jifen_template'
/** The template after supabase/scale/partition_point_entries.sql: the ledger suites run on it too (jest project `partitioned`). */
export const PARTITIONED_TEMPLATE_DB = 'jifen_template_partitioned'
/** The program clock the partitioned template switched at: its partitions are always the same ones (rls_matrix.test.ts). */
export const PARTITIONED_TEMPLATE_SWITCHED_AT = '2026-12-07T12:00:00+08:00'

export type Caller = 'anon' | 'service_role' | { sub: string } | { token: string }

export interface TestDb {
  name: string
  url: string
  /** superuser pool, bypasses RLS: fixtures and assertions only */
  admin: Pool
  rest: RestHandler
  /** POST /rest/v1/rpc/<fn> as `caller`, through the same path as the HTTP API; a 200 answer of a function
   * returning a composite type must have exactly its keys, recursively (./rpc-shapes.ts), else this throws */
  call(fn: string, args?: Record<string, unknown>, caller?: Caller): Promise<{ status: number; body: any }>
  /** GET /rest/v1/<relation>?<query> as `caller` */
  read(relation: string, query?: string, caller?: Caller): Promise<{ status: number; body: any }>
  /** `call` with the database clock (private.clock_now) pinned to `at`, e.g. '2026-11-23T23:59:59+08:00' */
  callAt(at: string, fn: string, args?: Record<string, unknown>, caller?: Caller): Promise<{ status: number; body: any }>
  /** SQL as superuser in one committed transaction with the database clock pinned to `at` (null: the real
   * clock) — fixtures that must happen at a business instant, and calls of the private primitives */
  sqlAt(at: string | null, sql: string, params?: unknown[], pool?: Pool): Promise<any[]>
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

export async function tokenFor(caller: Caller, ttlSeconds = 3600): Promise<string> {
  if (typeof caller === 'object' && 'token' in caller) return caller.token
  return localToken(caller, ttlSeconds)
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

/** `drop database … with (force)` ends idle connections a pool is still closing: not an error here. */
function quiet(pool: Pool): Pool {
  pool.on('error', () => {})
  return pool
}

function parse(res: RestResponse) {
  return { status: res.status, body: res.body === null ? null : JSON.parse(res.body) }
}

export async function createTestDb(): Promise<TestDb> {
  const port = testPgPort()
  const name = `t_${randomBytes(6).toString('hex')}`
  const template = process.env.JIFEN_LEDGER_LAYOUT === 'partitioned' ? PARTITIONED_TEMPLATE_DB : TEMPLATE_DB
  await rootQuery(`create database ${name} template ${template}`)
  const url = dbUrl(port, name)
  const admin = quiet(new Pool({ connectionString: url, max: 4 }))
  if (template === PARTITIONED_TEMPLATE_DB) {
    const { rows } = await admin.query(`select relkind from pg_class where oid = 'public.point_entries'::regclass`)
    if (rows[0].relkind !== 'p') throw new Error(`${template}: public.point_entries is not partitioned`)
  }
  const apiPool = quiet(new Pool({ connectionString: dbUrl(port, name, 'authenticator', 'postgres'), max: 60 }))
  const rest = new RestHandler(apiPool, secretKey(LOCAL_JWT_SECRET))
  // One small API pool per pinned instant: `-c jifen.now=…` is a session default the handler never touches.
  const pinned = new Map<string, { pool: Pool; rest: RestHandler }>()
  const handlerAt = (at: string | undefined) => {
    if (at === undefined) return rest
    let entry = pinned.get(at)
    if (!entry) {
      const pool = quiet(
        new Pool({
          connectionString: dbUrl(port, name, 'authenticator', 'postgres'),
          max: 2,
          options: `-c jifen.now=${new Date(at).toISOString()}`,
        }),
      )
      entry = { pool, rest: new RestHandler(pool, secretKey(LOCAL_JWT_SECRET)) }
      pinned.set(at, entry)
    }
    return entry.rest
  }
  let shapes: Promise<RpcShapes> | undefined
  const request = async (method: string, path: string, query: string, caller: Caller, body?: unknown, at?: string) => {
    const token = await tokenFor(caller)
    const res = parse(
      await handlerAt(at).handle({
        method,
        path,
        query: new URLSearchParams(query),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
      }),
    )
    if (res.status === 200 && path.startsWith('/rpc/')) {
      shapes ??= loadRpcShapes(admin)
      expectRpcShape(await shapes, path.slice('/rpc/'.length), res.body)
    }
    return res
  }
  return {
    name,
    url,
    admin,
    rest,
    call: (fn, args = {}, caller = 'anon') => request('POST', `/rpc/${fn}`, '', caller, args),
    read: (relation, query = '', caller = 'anon') => request('GET', `/${relation}`, query, caller),
    callAt: (at, fn, args = {}, caller = 'anon') => request('POST', `/rpc/${fn}`, '', caller, args, at),
    async sqlAt(at, sql, params = [], pool = admin) {
      const client = await pool.connect()
      try {
        await client.query('begin')
        if (at !== null) await client.query(`select set_config('jifen.now', $1, true)`, [at && new Date(at).toISOString()])
        const { rows } = await client.query(sql, params)
        await client.query('commit')
        return rows
      } catch (err) {
        await client.query('rollback')
        throw err
      } finally {
        client.release()
      }
    },
    async sqlAs(caller, sql) {
      const claims = localClaims(caller)
      const client = await admin.connect()
      try {
        await client.query('begin')
        await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
          claims.role,
          JSON.stringify(claims),
        ])
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
      await Promise.all([...pinned.values()].map((p) => p.pool.end()))
      await apiPool.end()
      await admin.end()
      await rootQuery(`drop database if exists ${name} with (force)`)
    },
  }
}

/** The seed's demo campaign (double purchase points around the real date). */
export const DEMO_CAMPAIGN_ID = '00000000-0000-4000-a000-000000000001'

/**
 * The usual DB test file: a fresh seeded database for the file, dropped afterwards, and the ledger
 * invariants asserted after every test (a test that wrote nothing passes them trivially). The demo
 * campaign is removed unless asked for, so amounts do not depend on the real date; campaign tests make their own.
 */
export function useSeededDb(opts: { demoCampaign?: boolean } = {}): () => TestDb {
  let db: TestDb
  beforeAll(async () => {
    db = await createTestDb()
    await db.seed()
    if (!opts.demoCampaign) await db.admin.query('delete from public.campaigns where id = $1', [DEMO_CAMPAIGN_ID])
  })
  afterEach(async () => {
    if (db) await expectLedgerInvariants(db)
  })
  afterAll(() => db?.drop())
  return () => db
}

/** SPEC §2 for every member, and the report rollups equal to the ledger (stack/ledger-invariants.ts). Throws with the offending rows. */
export async function expectLedgerInvariants(db: TestDb): Promise<void> {
  const rows = await ledgerInvariantViolations(db.admin)
  if (rows.length) throw new Error(`ledger invariants broken: ${JSON.stringify(rows)}`)
  const rollups = await rollupViolations(db.admin)
  if (rollups.length) throw new Error(`report rollups differ from the ledger: ${JSON.stringify(rollups)}`)
}
