// The local stack's stand-in for pg_cron: while `npm run stack` runs, public.run_scheduled_jobs() runs every
// STACK_JOBS_INTERVAL_MS, so a due lot expires without anybody calling an RPC; 0 turns the timer off; the
// timer stops before Postgres on Ctrl-C.
import { rmSync } from 'node:fs'
import path from 'node:path'
import { Client } from 'pg'
import { dbUrl } from '../../stack/config'
import { runningPostgres } from '../../stack/pidfile'
import { freePort } from '../../stack/net'
import { interrupt, spawnStack } from '../support/stack-process'
import { tempDirForPostgres } from '../../stack/tmp'

let dir: string
let dbPort: number
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  dir = tempDirForPostgres('jifen-jobs-')
  dbPort = await freePort()
  env = { ...process.env, STACK_DATA_DIR: path.join(dir, 'db'), STACK_DB_PORT: String(dbPort), STACK_API_PORT: String(await freePort()) }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const startStack = (intervalMs: number) => spawnStack({ ...env, STACK_JOBS_INTERVAL_MS: String(intervalMs) })
const stop = interrupt

/** As the owner: a new member with 100 points earned on 2020-01-01, so the lot expired long ago. Returns the lot id. */
async function aDueLot(db: Client, ref: string): Promise<string> {
  await db.query('begin')
  await db.query(`select set_config('jifen.now', '2020-01-01T10:00:00+08:00', true)`)
  const { rows } = await db.query(
    `with m as (insert into public.members (nickname) values ('到期测试') returning id)
     select private.award_points(m.id, 'adjustment', 100, $1), m.id from m`,
    [ref],
  )
  await db.query('commit')
  return (await db.query('select id from public.point_lots where member_id = $1', [rows[0].id])).rows[0].id
}

const remaining = async (db: Client, lotId: string) =>
  (await db.query('select remaining_points from public.point_lots where id = $1', [lotId])).rows[0].remaining_points as number

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 200))
  }
  return false
}

test('the timer expires due lots while the stack runs, not when disabled, and stops before Postgres', async () => {
  const first = await startStack(300)
  const db = new Client({ connectionString: dbUrl(dbPort) })
  await db.connect()
  try {
    const lot = await aDueLot(db, 'timer-on')
    expect(await waitFor(async () => (await remaining(db, lot)) === 0, 15_000)).toBe(true)
    const { rows } = await db.query(`select amount_points from public.point_entries where kind = 'expire' and ref = $1`, [`lot:${lot}`])
    expect(rows).toEqual([{ amount_points: -100 }])
    expect(await waitFor(async () => /scheduled jobs: expired \d+ points/.test(first.output()), 5_000)).toBe(true)
  } finally {
    await db.end()
  }
  expect(await stop(first.child)).toBe(0)
  expect(first.output()).not.toMatch(/scheduled jobs failed/)
  expect(runningPostgres(path.join(dir, 'db'))).toBeUndefined()

  const second = await startStack(0)
  const db2 = new Client({ connectionString: dbUrl(dbPort) })
  await db2.connect()
  try {
    const lot = await aDueLot(db2, 'timer-off')
    await new Promise((r) => setTimeout(r, 2_000))
    expect(await remaining(db2, lot)).toBe(100)
  } finally {
    await db2.end()
  }
  expect(await stop(second.child)).toBe(0)
  expect(second.output()).not.toMatch(/scheduled jobs/)
  expect(runningPostgres(path.join(dir, 'db'))).toBeUndefined()
}, 120_000)
