// The clock helpers are inlined into the statements that call them (no
// per-call function setup) and still answer the same; the set-based expire_member_lots writes exactly the
// rows the per-lot loop wrote (the other expiry behaviour is covered by expiry.test.ts).
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf } from '../../test/factories/members'

const db = useSeededDb()

async function plan(sql: string): Promise<string> {
  const { rows } = await db().admin.query(`explain (verbose, costs off) ${sql}`)
  return rows.map((r) => r['QUERY PLAN']).join('\n')
}

test('clock_now and business_date are inlined into the calling statement', async () => {
  const text = await plan('select private.business_date(private.clock_now())')
  expect(text).toMatch(/current_setting\('jifen\.now'/)
  expect(text).not.toMatch(/private\.(clock_now|business_date)/)
  const entries = await plan(`select id from public.point_entries where created_at <= private.clock_now() and business_date = private.business_date(now())`)
  expect(entries).not.toMatch(/private\.(clock_now|business_date)/)
  expect(entries).toMatch(/program_time_zone\(\)/) // a plpgsql function: its plan is cached per session
})

test('the clock helpers answer as before: the pinned instant, the business day in the program time zone', async () => {
  const [row] = await db().sqlAt('2026-11-23T16:30:00Z', `select private.clock_now() as now, private.business_date(private.clock_now())::text as day,
    private.business_date('2026-11-23T15:59:59Z')::text as before_midnight, private.program_time_zone() as tz`)
  expect(row).toEqual({ now: new Date('2026-11-23T16:30:00Z'), day: '2026-11-24', before_midnight: '2026-11-23', tz: 'Asia/Shanghai' })
  const [real] = await db().sqlAt(null, `select private.clock_now() = now() as real`)
  expect(real.real).toBe(true)
})

test('expiring a member with several due lots writes one expire entry, usage and emptied lot per lot, in expiry order', async () => {
  const m = await aMember(db(), { at: '2024-03-01T12:00:00+08:00' }) // registration bonus: one lot
  for (const [at, points] of [['2024-03-05T12:00:00+08:00', 30], ['2024-03-04T12:00:00+08:00', 20], ['2024-06-01T12:00:00+08:00', 40]] as const) {
    await db().sqlAt(at, `select private.award_points($1, 'adjustment', $2, $3)`, [m, points, `speed:${at}`])
  }
  const before = await balanceOf(db(), m)
  const lots = (await db().admin.query('select id, remaining_points, expires_at from public.point_lots where member_id = $1 order by expires_at, id', [m])).rows
  const due = lots.filter((l) => l.expires_at <= new Date('2025-03-10T00:00:00+08:00'))
  expect(due).toHaveLength(3)

  const [result] = await db().sqlAt('2025-03-10T00:00:00+08:00', 'select * from private.expire_member_lots($1)', [m])
  expect(result).toEqual({ points: due.reduce((s, l) => s + l.remaining_points, 0), lots: 3 })
  expect(await balanceOf(db(), m)).toBe(before - result.points)

  const { rows: entries } = await db().admin.query(
    `select e.id, e.amount_points, e.kind, e.source, e.ref, e.business_date::text, e.description, e.meta, e.created_at,
            u.lot_id, u.points, l.remaining_points
     from public.point_entries e join public.point_lot_usages u on u.entry_id = e.id join public.point_lots l on l.id = u.lot_id
     where e.member_id = $1 and e.kind = 'expire' order by e.id`,
    [m],
  )
  expect(entries).toEqual(
    due.map((l) => ({
      id: expect.any(String),
      amount_points: -l.remaining_points,
      kind: 'expire',
      source: 'expiry',
      ref: `lot:${l.id}`,
      business_date: '2025-03-10',
      description: '积分过期',
      meta: { lot_id: Number(l.id), expires_at: expect.any(String) },
      created_at: new Date('2025-03-09T16:00:00Z'),
      lot_id: l.id,
      points: l.remaining_points,
      remaining_points: 0,
    })),
  )
  expect(entries.map((e) => new Date(e.meta.expires_at).getTime())).toEqual(due.map((l) => l.expires_at.getTime()))

  // nothing left: a second pass writes nothing
  const [again] = await db().sqlAt('2025-03-10T00:00:00+08:00', 'select * from private.expire_member_lots($1)', [m])
  expect(again).toEqual({ points: 0, lots: 0 })
})

test('a history page (time order, keyset on created_at and id) is read through an index, without sorting the member\'s entries', async () => {
  // since issue 13 the client pages by (created_at desc, id desc): point_entries_member_time_idx serves it
  const m = await aMember(db())
  const client = await db().admin.connect()
  const plans: string[] = []
  try {
    await client.query('begin')
    // a test database is too small to need an index at all
    await client.query('set local enable_seqscan = off')
    await client.query('set local enable_bitmapscan = off')
    for (const keyset of ['', `and created_at = now() and id < 1000000`, `and created_at < now()`]) {
      const { rows } = await client.query(`explain (costs off) select id, amount_points, kind, source, description, business_date, created_at
        from public.point_entries where member_id = $1 ${keyset} order by created_at desc, id desc limit 20`, [m])
      plans.push(rows.map((r) => r['QUERY PLAN']).join('\n'))
    }
  } finally {
    await client.query('rollback')
    client.release()
  }
  for (const text of plans) {
    expect(text).toMatch(/Index (Only )?Scan using point_entries_member_(time|id)_idx/) // the same-instant page may take either
    expect(text).not.toMatch(/Sort/)
  }
})

test('the converted helpers still answer as before', async () => {
  const m = await aMember(db(), { at: '2026-01-10T12:00:00+08:00' }) // registration bonus
  await db().sqlAt('2026-01-10T12:00:00+08:00', `insert into public.check_ins (member_id, check_in_date, streak_days, cycle_day, points)
    select $1, d, 1, 1, 5 from generate_series('2026-01-08'::date, '2026-01-10', interval '1 day') d`, [m])
  const [row] = await db().sqlAt('2026-01-10T12:00:00+08:00', `select
      private.available_points($1) as available, private.qualifying_points($1) as qualifying,
      (private.tier_for_points(1500)).code as tier, private.member_tier_rank($1) as rank,
      private.lot_expires_at('2026-01-10')::text as lot_expires, private.lot_expires_on('2027-01-10T16:00:00Z')::text as last_day,
      (private.check_in_streak($1, '2026-01-09')).first_date::text as streak_from, private.current_streak_days($1, '2026-01-11') as streak,
      private.mask_phone('13800000001') as phone, private.is_image_url_list(array['/static/a.png', '//evil']) as images_ok,
      private.voucher_expires_at('2026-01-10T12:00:00+08:00', 30)::text as voucher_expires, (private.rules()).lot_validity_months as months`, [m])
  expect(row).toEqual({
    available: expect.any(Number), qualifying: row.available, tier: 'silver', rank: 0,
    lot_expires: '2027-01-10 16:00:00+00', last_day: '2027-01-10', streak_from: '2026-01-08', streak: 3,
    phone: '138****0001', images_ok: false, voucher_expires: '2026-02-09 16:00:00+00', months: 12,
  })
  expect(row.available).toBeGreaterThan(0)
})
