// The SQL helpers the write RPCs call are plpgsql (plans kept per session) and
// answer as before; expire_member_lots skips its write statement when nothing is due. The RPCs around them
// are covered by create_purchases, create_task_claims, create_mall, create_staff_actions and create_expiry.
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

const CONVERTED = ['purchase_json', 'log_staff_action', 'task_period', 'member_tasks', 'task_day_usage', 'new_voucher_code', 'redemption_json']

test('the helpers are plpgsql, still with an empty search_path and their volatility', async () => {
  const { rows } = await db().admin.query(
    `select p.proname, l.lanname, p.provolatile, p.proconfig from pg_proc p join pg_language l on l.oid = p.prolang
     where p.pronamespace = 'private'::regnamespace and p.proname = any ($1) order by p.proname`,
    [CONVERTED],
  )
  const volatile = ['log_staff_action', 'new_voucher_code']
  expect(rows).toEqual(
    [...CONVERTED].sort().map((proname) => ({
      proname, lanname: 'plpgsql', provolatile: volatile.includes(proname) ? 'v' : 's', proconfig: ['search_path=""'],
    })),
  )
})

test('task_period: the period of each task kind containing a day', async () => {
  const { rows } = await db().admin.query(`select k, (p).period_key, (p).starts_on::text, (p).ends_on::text
    from unnest(array['one_time', 'daily', 'weekly']) k, private.task_period(k, '2026-11-26') p order by k`)
  expect(rows).toEqual([
    { k: 'daily', period_key: 'D2026-11-26', starts_on: '2026-11-26', ends_on: '2026-11-26' },
    { k: 'one_time', period_key: 'once', starts_on: null, ends_on: null },
    { k: 'weekly', period_key: 'W2026-11-23', starts_on: '2026-11-23', ends_on: '2026-11-29' },
  ])
})

test('member_tasks and task_day_usage count the events and claims of the period and day', async () => {
  const day = '2026-11-26T10:00:00+08:00'
  const m = await aMember(db(), { at: day })
  await db().sqlAt(day, `select private.record_task_event($1, 'checked_in', 'trim-' || d, d)
    from unnest(array['2026-11-24', '2026-11-25', '2026-11-26']::date[]) d`, [m])
  const [weekly] = await db().sqlAt(day, `select * from private.member_tasks($1, '2026-11-26') where code = 'weekly_check_in'`, [m])
  expect(weekly).toMatchObject({ kind: 'weekly', event: 'checked_in', period_key: 'W2026-11-23', progress: 3, claimed: 0 })
  expect(weekly.completions).toBe(Math.min(Math.floor(3 / weekly.required_count), weekly.period_limit))

  const claim = await db().callAt(day, 'claim_task', { p_task_code: 'bind_phone' }, { sub: m })
  expect(claim.status).toBe(200)
  const [usage] = await db().sqlAt(day, `select * from private.task_day_usage($1, '2026-11-26')`, [m])
  expect(usage).toEqual({ rewards_used: 1, points_used: claim.body.points })
  const [bind] = await db().sqlAt(day, `select claimed, completions from private.member_tasks($1, '2026-11-26') where code = 'bind_phone'`, [m])
  expect(bind).toEqual({ claimed: 1, completions: 1 })
})

test('log_staff_action writes the row at the database clock and returns its id; new_voucher_code is 12 digits', async () => {
  const at = '2026-11-26T10:00:00+08:00'
  const [{ id }] = await db().sqlAt(at, `select private.log_staff_action(s, 'preview_member', $2, null, null, null, null) as id
    from public.staff s where s.member_id = $1`, [SEEDED.staffWang.id, SEEDED.lin.id])
  const { rows } = await db().admin.query('select staff_member_id, action, member_id, detail, created_at from public.staff_actions where id = $1', [id])
  expect(rows).toEqual([{ staff_member_id: SEEDED.staffWang.id, action: 'preview_member', member_id: SEEDED.lin.id, detail: {}, created_at: new Date(at) }])

  const codes = await db().sqlAt(null, 'select private.new_voucher_code() as c from generate_series(1, 20)')
  for (const { c } of codes) expect(c).toMatch(/^[0-9]{12}$/)
})

test('expire_member_lots with nothing due answers (0, 0) and writes nothing; with a due lot it still expires it', async () => {
  const m = await aMember(db(), { at: '2025-01-10T12:00:00+08:00' }) // registration bonus: one lot, due 2026-01-11
  const count = async () => (await db().admin.query('select count(*)::int as n from public.point_entries where member_id = $1', [m])).rows[0].n
  const entries = await count()
  const before = await balanceOf(db(), m)

  const [none] = await db().sqlAt('2025-06-01T12:00:00+08:00', 'select * from private.expire_member_lots($1)', [m])
  expect(none).toEqual({ points: 0, lots: 0 })
  expect(await count()).toBe(entries)

  const [due] = await db().sqlAt('2026-01-12T12:00:00+08:00', 'select * from private.expire_member_lots($1)', [m])
  expect(due).toEqual({ points: before, lots: 1 })
  expect(await count()).toBe(entries + 1)
  expect(await balanceOf(db(), m)).toBe(0)
})

test('the due-lot probe is an index scan on the open lots', async () => {
  const client = await db().admin.connect()
  let text: string
  try {
    await client.query('begin')
    await client.query('set local enable_seqscan = off') // a test database is too small to need an index at all
    const { rows } = await client.query(`explain (costs off) select 1 from public.point_lots l
      where l.member_id = $1 and l.remaining_points > 0 and l.expires_at <= now()`, [SEEDED.lin.id])
    text = rows.map((r) => r['QUERY PLAN']).join('\n')
  } finally {
    await client.query('rollback')
    client.release()
  }
  expect(text).toMatch(/Index (Only )?Scan using point_lots_open_idx/)
})

test('staff_award_purchase inserts the purchase once, complete (no update of the row it just wrote)', async () => {
  const m = await aMember(db())
  const { rows: [{ code }] } = await db().admin.query(
    `select private.sign_member_code($1, extract(epoch from now())::bigint + 600) as code`, [m])
  const counts = `select pg_stat_get_xact_tuples_inserted('public.purchases'::regclass)::int as inserted,
    pg_stat_get_xact_tuples_updated('public.purchases'::regclass)::int as updated`
  const client = await db().admin.connect()
  try {
    await client.query('begin')
    // the backend's counters may still hold earlier transactions' counts: compare before and after the call
    const before = (await client.query(counts)).rows[0]
    await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
      [JSON.stringify({ sub: SEEDED.staffWang.id, role: 'authenticated' })])
    const { rows: [{ r }] } = await client.query(`select to_json(public.staff_award_purchase($1, 12345, 'TRIM-ONCE-1', gen_random_uuid())) as r`, [code])
    await client.query('reset role')
    const after = (await client.query(counts)).rows[0]
    expect(r.points).toBeGreaterThan(0)
    expect({ inserted: after.inserted - before.inserted, updated: after.updated - before.updated }).toEqual({ inserted: 1, updated: 0 })
  } finally {
    await client.query('rollback')
    client.release()
  }
})
