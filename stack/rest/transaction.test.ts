// runTransaction: commit, rollback, and a connection lost while checked out (no uncaught 'error', the client
// is not reused). A fresh pool per test on the test cluster.
import { Pool } from 'pg'
import { useSeededDb } from '../../test/support/db'
import { runTransaction } from './transaction'

const db = useSeededDb()
let pool: Pool
beforeEach(() => {
  pool = new Pool({ connectionString: db().url, max: 2 })
})
afterEach(() => pool.end())

const names = async () =>
  (await db().admin.query(`select name from public.stores where name like 'tx-test-%' order by 1`)).rows.map((r) => r.name)

test('commits what the work did; a failing work is rolled back and rethrown', async () => {
  const store = (name: string) => async () => {
    const client = await pool.connect()
    return runTransaction(client, false, async () => {
      await client.query(`insert into public.stores (name) values ($1)`, [name])
      if (name.endsWith('fail')) throw new Error('boom')
      return name
    })
  }
  await expect(store('tx-test-ok')()).resolves.toBe('tx-test-ok')
  await expect(store('tx-test-fail')()).rejects.toThrow('boom')
  expect(await names()).toEqual(['tx-test-ok'])
  await db().admin.query(`delete from public.stores where name like 'tx-test-%'`)
})

test('a backend terminated mid-transaction fails the call only, and the dead client is discarded', async () => {
  const client = await pool.connect()
  const pid = (await client.query('select pg_backend_pid() as pid')).rows[0].pid
  await expect(runTransaction(client, true, () => client.query('select pg_terminate_backend(pg_backend_pid())'))).rejects.toMatchObject({
    code: '57P01',
  })
  expect(pool.totalCount).toBe(0)
  const next = await pool.connect()
  try {
    expect((await next.query('select pg_backend_pid() as pid')).rows[0].pid).not.toBe(pid)
  } finally {
    next.release()
  }
})
