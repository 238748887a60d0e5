// A connection lost in the middle of a request (backend terminated, Postgres restarted) fails that request
// with a 5xx and nothing else: the API process keeps running and its pool opens a new connection.
import { randomUUID } from 'node:crypto'
import { useSeededDb } from '../support/db'
import { SEEDED } from '../factories/members'

const db = useSeededDb()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('a backend terminated mid-request answers 5xx, rolls back, and the next request works', async () => {
  const member = SEEDED.lin.id
  const lock = await db().admin.connect()
  try {
    await lock.query('begin')
    await lock.query('select 1 from public.point_balances where member_id = $1 for update', [member])
    const pending = db().call('check_in', { p_request_id: randomUUID() }, { sub: member })
    let pid: number | undefined
    while (!pid) {
      await sleep(20)
      const { rows } = await db().admin.query(
        `select pid from pg_stat_activity where datname = current_database() and usename = 'authenticator' and wait_event_type = 'Lock'`,
      )
      pid = rows[0]?.pid
    }
    await db().admin.query('select pg_terminate_backend($1)', [pid])
    expect((await pending).status).toBeGreaterThanOrEqual(500)
  } finally {
    await lock.query('rollback')
    lock.release()
  }
  const { rows } = await db().admin.query(
    "select count(*)::int as n from public.check_ins where member_id = $1 and created_at > now() - interval '1 minute'",
    [member],
  )
  expect(rows[0].n).toBe(0)
  expect((await db().call('check_in', { p_request_id: randomUUID() }, { sub: member })).status).toBe(200)
})
