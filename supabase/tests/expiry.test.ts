// expire_points (batches, idempotent, concurrent), FIFO, the lazy expiry of the
// primitives, list_expiring_points, run_scheduled_jobs. The 30/7-day reminders are messages: messages.test.ts.
//
// Every test lives in its own era of pinned instants, each earlier than the last test's lots expire, so a
// batch expiry in one test never meets another test's due lots (the seed's lots expire a year after today).
import { Pool } from 'pg'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

const sqlAt = (at: string | null, sql: string, params: unknown[] = [], pool?: Pool) => db().sqlAt(at, sql, params, pool)

const award = (at: string, member: string, points: number, ref: string) =>
  sqlAt(at, `select (private.award_points($1, 'adjustment', $2, $3)).entry_id`, [member, points, ref])
const spend = (at: string, member: string, points: number, ref: string, pool?: Pool) =>
  sqlAt(at, `select private.spend_points($1, 'redemption', $2, $3) as entry_id`, [member, points, ref], pool)

async function lotsOf(member: string): Promise<{ id: string; earned_points: number; remaining_points: number; expires_at: Date }[]> {
  return (await db().admin.query('select id, earned_points, remaining_points, expires_at from public.point_lots where member_id = $1 order by id', [member])).rows
}

async function expiriesOf(members: string[]): Promise<{ member_id: string; amount_points: number; ref: string; business_date: string }[]> {
  const { rows } = await db().admin.query(
    `select member_id, amount_points, ref, business_date::text from public.point_entries
     where member_id = any ($1) and kind = 'expire' order by id`,
    [members],
  )
  return rows
}

const expireAt = async (at: string, args: Record<string, unknown> = {}) => {
  const res = await db().callAt(at, 'expire_points', args, 'service_role')
  expect(res.status).toBe(200)
  return res.body as { members: number; lots: number; points: number; more: boolean }
}

const mine = <T extends { member_id: string }>(rows: T[], members: string[]) => rows.filter((r) => members.includes(r.member_id))

test('a lot earned on 2025-11-23 is valid through 2026-11-23 23:59:59 Shanghai and expires at midnight, once', async () => {
  const m = await aMember(db(), { at: '2025-11-23T12:00:00+08:00' })
  const [lot] = await lotsOf(m)
  expect(lot.expires_at.toISOString()).toBe('2026-11-23T16:00:00.000Z') // 2026-11-24 00:00 +08:00

  await expireAt('2026-11-23T23:59:59+08:00')
  expect(await balanceOf(db(), m)).toBe(100)
  expect(await expiriesOf([m])).toEqual([])

  const run = await expireAt('2026-11-24T00:00:00+08:00')
  expect(run.lots).toBeGreaterThanOrEqual(1)
  expect(run.more).toBe(false)
  expect(await balanceOf(db(), m)).toBe(0)
  expect(await expiriesOf([m])).toEqual([{ member_id: m, amount_points: -100, ref: `lot:${lot.id}`, business_date: '2026-11-24' }])

  // idempotent: nothing left to expire
  expect(await expireAt('2026-11-24T00:00:00+08:00')).toEqual({ members: 0, lots: 0, points: 0, more: false })
  expect(await expireAt('2026-12-01T00:00:00+08:00')).toEqual({ members: 0, lots: 0, points: 0, more: false })
  expect(await expiriesOf([m])).toHaveLength(1)
})

test('spending takes the earliest-expiring lots first, so only the rest of later lots expires', async () => {
  const m = await aMember(db(), { at: '2022-01-10T10:00:00+08:00' }) // 100, last valid 2023-01-10
  await award('2022-03-01T10:00:00+08:00', m, 50, 'fifo-1') // last valid 2023-03-01
  await award('2022-06-01T10:00:00+08:00', m, 70, 'fifo-2') // last valid 2023-06-01
  const [{ entry_id }] = await spend('2022-07-01T10:00:00+08:00', m, 120, 'fifo-spend')
  const [lot1, lot2, lot3] = await lotsOf(m)
  const { rows: usages } = await db().admin.query('select lot_id, points from public.point_lot_usages where entry_id = $1 order by lot_id', [entry_id])
  expect(usages).toEqual([{ lot_id: lot1.id, points: 100 }, { lot_id: lot2.id, points: 20 }])

  await expireAt('2023-01-11T00:00:00+08:00') // lot1 is used up: nothing to expire
  expect(await balanceOf(db(), m)).toBe(100)
  await expireAt('2023-03-02T00:00:00+08:00')
  expect(await balanceOf(db(), m)).toBe(70)
  await expireAt('2023-06-02T00:00:00+08:00')
  expect(await balanceOf(db(), m)).toBe(0)
  expect(await expiriesOf([m])).toEqual([
    { member_id: m, amount_points: -30, ref: `lot:${lot2.id}`, business_date: '2023-03-02' },
    { member_id: m, amount_points: -70, ref: `lot:${lot3.id}`, business_date: '2023-06-02' },
  ])
})

test('batches: more until every due member is done', async () => {
  for (let i = 0; i < 5; i++) await aMember(db(), { at: '2019-03-01T10:00:00+08:00' })
  const at = '2020-04-01T00:00:00+08:00'
  expect(await expireAt(at, { p_batch_size: 2 })).toEqual({ members: 2, lots: 2, points: 200, more: true })
  expect(await expireAt(at, { p_batch_size: 2 })).toEqual({ members: 2, lots: 2, points: 200, more: true })
  expect(await expireAt(at, { p_batch_size: 2 })).toEqual({ members: 1, lots: 1, points: 100, more: false })
  expect(await expireAt(at, { p_batch_size: 2 })).toEqual({ members: 0, lots: 0, points: 0, more: false })
  for (const size of [0, -1, 10001, null]) {
    const res = await db().callAt(at, 'expire_points', { p_batch_size: size }, 'service_role')
    expect([size, res.status, res.body.message]).toEqual([size, 400, 'invalid_batch_size'])
  }
})

test('10 concurrent runners over 30 members expire every lot exactly once', async () => {
  const members: string[] = []
  for (let i = 0; i < 30; i++) members.push(await aMember(db(), { at: '2016-02-01T10:00:00+08:00' }))
  await Promise.all(members.map((m, i) => award('2016-03-01T10:00:00+08:00', m, 10 + i, 'conc')))
  const due = (await db().admin.query('select count(*)::int as n, sum(remaining_points)::int as p from public.point_lots where member_id = any ($1)', [members])).rows[0]
  expect(due.n).toBe(60)

  // each runner on its own connection (as pg_cron runs it: the owner), looping until done
  const pool = new Pool({ connectionString: db().url, max: 10 })
  const runner = async () => {
    const total = { lots: 0, points: 0 }
    for (;;) {
      const [{ run }] = await sqlAt('2017-06-01T00:00:00+08:00', 'select to_json(public.expire_points(2)) as run', [], pool)
      total.lots += run.lots
      total.points += run.points
      if (!run.more) return total
    }
  }
  const totals = await Promise.all(Array.from({ length: 10 }, runner)).finally(() => pool.end())
  expect(totals.reduce((s, t) => s + t.lots, 0)).toBe(60)
  expect(totals.reduce((s, t) => s + t.points, 0)).toBe(due.p)
  const expiries = await expiriesOf(members)
  expect(expiries).toHaveLength(60)
  expect(new Set(expiries.map((e) => e.ref)).size).toBe(60)
  for (const m of members) expect(await balanceOf(db(), m)).toBe(0)
})

test('expiry racing with spends: no deadlock, each due lot expired once, spends only from live lots', async () => {
  const members: string[] = []
  for (let i = 0; i < 20; i++) members.push(await aMember(db(), { at: '2013-02-01T10:00:00+08:00' })) // due 2014-02-02
  await Promise.all(members.map((m) => award('2013-06-01T10:00:00+08:00', m, 50, 'race'))) // due 2014-06-02
  const at = '2014-03-01T12:00:00+08:00'
  const pool = new Pool({ connectionString: db().url, max: 25 })
  try {
    const spends = members.flatMap((m) => [spend(at, m, 20, 'race-1', pool), spend(at, m, 20, 'race-2', pool)])
    const runners = Array.from({ length: 5 }, () => sqlAt(at, 'select public.expire_points(3)', [], pool))
    await Promise.all([...spends, ...runners])
  } finally {
    await pool.end()
  }
  for (const m of members) expect(await balanceOf(db(), m)).toBe(10)
  const expiries = await expiriesOf(members)
  expect(expiries).toHaveLength(20)
  expect(expiries.every((e) => e.amount_points === -100)).toBe(true)
  const { rows } = await db().admin.query(
    `select count(*)::int as n from public.point_lot_usages u join public.point_entries e on e.id = u.entry_id
     join public.point_lots l on l.id = u.lot_id
     where e.member_id = any ($1) and e.kind = 'spend' and l.expires_at <= $2`,
    [members, new Date(at)],
  )
  expect(rows[0].n).toBe(0)
})

test('list_expiring_points: what expires within N business days, per member and day', async () => {
  const a = await aMember(db(), { at: '2010-01-15T10:00:00+08:00' }) // 100, last valid 2011-01-15
  await award('2010-01-15T20:00:00+08:00', a, 40, 'same-day') // same day: one group of 140
  const b = await aMember(db(), { at: '2010-02-20T10:00:00+08:00' }) // last valid 2011-02-20
  const list = async (at: string, days: number) => {
    const res = await db().callAt(at, 'list_expiring_points', { p_within_days: days }, 'service_role')
    expect(res.status).toBe(200)
    return mine(res.body, [a, b])
  }
  const aGroup = { member_id: a, points: 140, expires_on: '2011-01-15' }

  expect(await list('2010-12-20T12:00:00+08:00', 30)).toEqual([{ ...aGroup, expires_at: '2011-01-15T16:00:00+00:00' }])
  expect(await list('2010-12-20T12:00:00+08:00', 7)).toEqual([])
  expect(await list('2011-01-10T09:00:00+08:00', 7)).toEqual([{ ...aGroup, expires_at: '2011-01-15T16:00:00+00:00' }])
  expect(await list('2011-01-15T23:59:59+08:00', 0)).toMatchObject([aGroup])
  expect(await list('2011-01-16T00:00:00+08:00', 30)).toEqual([]) // expired (even before the batch ran)
  expect((await db().callAt('2011-01-10T09:00:00+08:00', 'list_expiring_points', { p_within_days: -1 }, 'service_role')).body.message).toBe('invalid_within_days')
})

test('spends at a pinned clock never consume an expired lot (the primitives expire lazily)', async () => {
  const m = await aMember(db(), { at: '2007-01-10T10:00:00+08:00' }) // 100, last valid 2008-01-10
  await award('2007-06-01T10:00:00+08:00', m, 50, 'lazy') // last valid 2008-06-01
  const [lot1, lot2] = await lotsOf(m)
  await spend('2008-01-10T23:59:59+08:00', m, 10, 'lazy-1') // still valid: from lot1
  await expect(spend('2008-01-11T00:00:00+08:00', m, 120, 'lazy-2')).rejects.toThrow('insufficient_points')
  const [{ entry_id }] = await spend('2008-01-11T00:00:00+08:00', m, 30, 'lazy-3')
  const { rows: usages } = await db().admin.query('select lot_id, points from public.point_lot_usages where entry_id = $1', [entry_id])
  expect(usages).toEqual([{ lot_id: lot2.id, points: 30 }])
  expect(await expiriesOf([m])).toEqual([{ member_id: m, amount_points: -90, ref: `lot:${lot1.id}`, business_date: '2008-01-11' }])
  expect(await balanceOf(db(), m)).toBe(20)
  expect(await expireAt('2008-01-11T00:00:00+08:00')).toEqual({ members: 0, lots: 0, points: 0, more: false })
})

test('run_scheduled_jobs expires, reviews tiers and reports each job', async () => {
  const m = await aMember(db(), { at: '2004-05-01T10:00:00+08:00' })
  const res = await db().callAt('2005-05-02T00:00:00+08:00', 'run_scheduled_jobs', {}, 'service_role')
  expect(res.status).toBe(200)
  expect(res.body.expire_points).toEqual({ members: 1, lots: 1, points: 100, more: false })
  expect(res.body.review_tiers).toEqual(expect.objectContaining({ downgraded: expect.any(Number) }))
  expect(res.body.enqueue_reminders).toEqual({ points: expect.any(Number), vouchers: expect.any(Number) })
  expect(res.body.enqueue_check_in_reminders).toEqual({ messages: expect.any(Number) })
  expect(res.body.compact_report_rollups).toEqual({ rows: expect.any(Number) })
  expect(Object.keys(res.body)).toEqual(['apply_rule_changes', 'award_birthday_bonuses', 'expire_points', 'review_tiers',
    'enqueue_reminders', 'enqueue_check_in_reminders', 'delete_member_codes', 'compact_report_rollups'])
  expect('award_birthday_bonuses' in res.body).toBe(true)
  expect(await balanceOf(db(), m)).toBe(0)

  // one run at a time: while another run holds the lock, a call does nothing
  const other = await db().admin.connect()
  try {
    await other.query('begin')
    await other.query(`select pg_advisory_xact_lock(hashtextextended('jifen.run_scheduled_jobs', 0))`)
    expect((await db().call('run_scheduled_jobs', {}, 'service_role')).body).toEqual({ skipped: true })
  } finally {
    await other.query('rollback')
    other.release()
  }
})

test('the scheduler RPCs are not for anon or members', async () => {
  const member = { sub: SEEDED.lin.id }
  const calls: [string, Record<string, unknown>][] = [
    ['expire_points', {}],
    ['list_expiring_points', { p_within_days: 30 }],
    ['run_scheduled_jobs', {}],
  ]
  for (const [fn, args] of calls) {
    expect([fn, (await db().call(fn, args, 'anon')).status]).toEqual([fn, 401])
    expect([fn, (await db().call(fn, args, member)).status]).toEqual([fn, 403])
  }
})

test('one batch writes the entries the lazy path writes: per lot, in expiry order, each balance down by its sum', async () => {
  // a, b and c joined the same day (100 each) and earned twice more; a and c are expired by one batch, b lazily
  const [a, b, c] = [await aMember(db(), { at: '2001-01-10T10:00:00+08:00' }), await aMember(db(), { at: '2001-01-10T10:00:00+08:00' }), await aMember(db(), { at: '2001-01-10T10:00:00+08:00' })]
  for (const m of [a, b, c]) {
    await award('2001-02-01T10:00:00+08:00', m, 20, 'batch-1')
    await award('2001-03-01T10:00:00+08:00', m, 30, 'batch-2')
  }
  await spend('2001-04-01T10:00:00+08:00', c, 110, 'batch-spend') // c: lot 1 used up, 10 of lot 2 and lot 3 left
  const at = '2002-06-01T10:00:00+08:00'
  await award(at, b, 1, 'batch-lazy') // b's due lots expire first, under the award's balance lock
  expect(await expireAt(at)).toEqual({ members: 2, lots: 5, points: 150 + 40, more: false })

  const shape = async (m: string) => {
    const lots = await lotsOf(m)
    return (await expiriesOf([m])).map((e) => ({ ...e, member_id: 'm', ref: `lot #${lots.findIndex((l) => `lot:${l.id}` === e.ref) + 1}` }))
  }
  const expected = [
    { member_id: 'm', amount_points: -100, ref: 'lot #1', business_date: '2002-06-01' },
    { member_id: 'm', amount_points: -20, ref: 'lot #2', business_date: '2002-06-01' },
    { member_id: 'm', amount_points: -30, ref: 'lot #3', business_date: '2002-06-01' },
  ]
  expect(await shape(b)).toEqual(expected)
  expect(await shape(a)).toEqual(expected)
  expect(await shape(c)).toEqual([{ ...expected[1], amount_points: -10 }, expected[2]])
  expect([await balanceOf(db(), a), await balanceOf(db(), b), await balanceOf(db(), c)]).toEqual([0, 1, 0])
  for (const m of [a, c]) {
    const { rows } = await db().admin.query(
      `select sum(u.points)::int as used from public.point_lot_usages u join public.point_entries e on e.id = u.entry_id
       where e.member_id = $1 and e.kind = 'expire'`,
      [m],
    )
    expect(rows[0].used).toBe(m === a ? 150 : 40)
    expect((await lotsOf(m)).every((l) => l.remaining_points === 0)).toBe(true)
  }
})
