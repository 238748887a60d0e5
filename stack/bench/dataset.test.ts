// The benchmark's data generator at a tiny scale: the ledger invariants hold and the RPCs the benchmark
// drives work on its data through the bench helpers (so `npm run bench` cannot rot unnoticed).
import { createTestDb, expectLedgerInvariants, type TestDb } from '../../test/support/db'
import { BENCH_TASK, generateDataset, itemId, memberId, readLedgerRules, setSlotDays } from './dataset'

let db: TestDb
beforeAll(async () => {
  db = await createTestDb()
  const client = await db.admin.connect()
  try {
    await generateDataset(client, {
      members: 200,
      entriesPerMember: 50,
      historyMonths: 18,
      staff: 5,
      items: 3,
      claimDays: 1,
      claimFirstDay: '2030-01-01',
      ...(await readLedgerRules(client)),
    })
    await setSlotDays(client, { check_in: '2030-02-01', claim_task: '2030-01-01' })
  } finally {
    client.release()
  }
})
afterAll(() => db?.drop())

/** One transaction as the bench scripts run it: the settings statement, then the call. */
async function asBench(settings: string, call: string) {
  const client = await db.admin.connect()
  try {
    await client.query('begin')
    await client.query(settings)
    const { rows } = await client.query(call)
    await client.query('commit')
    return rows[0]
  } catch (err) {
    await client.query('rollback')
    throw err
  } finally {
    client.release()
  }
}

const asMember = (i: number) =>
  `select set_config('request.jwt.claims', bench.claims(${i}), true), set_config('role', 'authenticated', true)`
const asNextSlot = (kind: string) =>
  `select set_config('jifen.now', s.at, true), set_config('request.jwt.claims', s.claims, true), set_config('role', 'authenticated', true) from bench.next_slot('${kind}') s`

test('the generated ledger satisfies the invariants, with due lots, tiers and sizes as configured', async () => {
  await expectLedgerInvariants(db)
  const { rows } = await db.admin.query(`select
    (select count(*)::int from public.point_entries) as entries,
    (select count(*)::int from public.point_lots where remaining_points > 0 and expires_at <= now()) as due,
    (select count(*)::int from public.member_tiers) as tiers,
    (select count(*)::int from public.point_balances where balance_points > 0) as balances`)
  expect(rows[0]).toMatchObject({ entries: 200 * 50, tiers: 200, balances: 200 })
  expect(rows[0].due).toBeGreaterThan(200 * 5)
  // the generator skips foreign-key triggers: every reference must still resolve
  const dangling = await db.admin.query(`select
    (select count(*) from public.point_entries e where not exists (select 1 from public.members m where m.id = e.member_id))
    + (select count(*) from public.point_lots l where not exists (select 1 from public.point_entries e where e.id = l.entry_id and e.member_id = l.member_id))
    + (select count(*) from public.point_lot_usages u where not exists (select 1 from public.point_entries e where e.id = u.entry_id)
                                                      or not exists (select 1 from public.point_lots l where l.id = u.lot_id))
    + (select count(*) from public.task_events t where not exists (select 1 from public.members m where m.id = t.member_id)) as n`)
  expect(Number(dangling.rows[0].n)).toBe(0)
})

test('the benchmark workloads run on it and keep the invariants', async () => {
  const expired = await db.admin.query('select to_json(public.expire_points(10000)) as r')
  expect(expired.rows[0].r.lots).toBeGreaterThan(0)
  expect((await asBench(asNextSlot('check_in'), 'select to_json(public.check_in()) as r')).r.points).toBeGreaterThan(0)
  expect((await asBench(asNextSlot('claim_task'), `select to_json(public.claim_task('${BENCH_TASK}')) as r`)).r.points).toBe(10)
  const redeemed = await asBench(asMember(42), `select to_json(public.redeem_item('${itemId(2)}', gen_random_uuid())) as r`)
  expect(redeemed.r.cost_points).toBe(10)
  const award = await asBench(
    asMember(1),
    `select to_json(public.staff_award_purchase((select code from bench.member_codes where i = 7), 12345, gen_random_uuid()::text, gen_random_uuid())) as r`,
  )
  expect(award.r).toMatchObject({ points: expect.any(Number), member: { id: memberId(7) } })
  expect((await asBench(asMember(9), 'select to_json(public.me()) as r')).r.id).toBe(memberId(9))
  await expectLedgerInvariants(db)
})
