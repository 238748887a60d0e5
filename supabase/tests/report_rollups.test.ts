// The report rollups (report_rollups.sql, issue 18): every operator report, read from the rollups, equals the
// same report computed from scratch over the ledger (report_rollups.reference.sql: the definitions before the
// rollups), after a random history written the way the app writes it — awards (some on hold), spends,
// reversals (voids), adjustments, check-ins and 补签, redemptions cancelled or verified, the expiry job — in
// parallel batches (several backends, so several shards), with the scheduler's compaction running at random
// moments among them. Compared in the middle (shards not yet folded) and at the end, for ranges inside,
// before and across the history. Also: compaction skips a writer's rows instead of waiting for them, and a
// rebuild from the tables changes no figure. After every test the rollups are checked against the tables
// (expectLedgerInvariants, useSeededDb).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { useSeededDb } from '../../test/support/db'
import { aMember, SEEDED } from '../../test/factories/members'

const db = useSeededDb()
const MANAGER = { sub: SEEDED.managerLi.id }
const CLERK = { sub: SEEDED.staffWang.id }

/** An instant on a Shanghai business day. */
const at = (day: string, time = '12:00:00') => `${day}T${time}+08:00`
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

const FIRST_DAY = '2031-01-01'
const DAYS = 36
const LAST_DAY = addDays(FIRST_DAY, DAYS - 1)

/** A small deterministic PRNG (the history is the same on every run). */
function prng(seed: number) {
  let s = seed >>> 0
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)] }
}

/** Every report, from the rollups (the RPC, as a manager) and from scratch (reference.*), at `when`. */
async function compareReports(when: string, ranges: Array<[string, string]>) {
  const calls: Array<[string, Record<string, unknown>]> = [['report_liability_by_expiry_month', {}]]
  for (const [from, to] of ranges) {
    for (const fn of ['report_points_daily', 'report_summary', 'report_check_in_actives']) calls.push([fn, { p_from: from, p_to: to }])
    calls.push(['report_top_items', { p_from: from, p_to: to, p_limit: 100 }])
  }
  for (const [fn, args] of calls) {
    const res = await db().callAt(when, fn, args, MANAGER)
    expect([fn, res.status]).toEqual([fn, 200])
    const names = Object.keys(args)
    const [{ r }] = await db().sqlAt(
      when,
      `select to_json(reference.${fn}(${names.map((n, i) => `${n} => $${i + 1}`).join(', ')})) as r`,
      names.map((n) => args[n]),
    )
    expect([fn, args, res.body]).toEqual([fn, args, r])
  }
}

const shardRows = async () =>
  Number(
    (
      await db().admin.query(`select (select count(*) from private.rollup_points_daily where shard <> 0)
        + (select count(*) from private.rollup_check_ins_daily where shard <> 0)
        + (select count(*) from private.rollup_redemptions_daily where shard <> 0)
        + (select count(*) from private.rollup_lots where shard <> 0)
        + (select count(*) from private.rollup_balances where shard <> 0) as n`)
    ).rows[0].n,
  )

beforeAll(async () => {
  await db().admin.query(readFileSync(path.join(__dirname, 'report_rollups.reference.sql'), 'utf8'))
})

test('every report equals the ledger computed from scratch, through a random history with compaction among the writes', async () => {
  const rnd = prng(18)
  // members registered a year before the history, so their registration lots expire during it
  const members: string[] = []
  for (let i = 0; i < 8; i++) members.push(await aMember(db(), { at: at(addDays(FIRST_DAY, -365 + i * 3)) }))
  for (let i = 0; i < 4; i++) members.push(await aMember(db(), { at: at(addDays(FIRST_DAY, -2)) }))
  const items = (
    await db().admin.query(
      `insert into public.mall_items (kind, title, category_code, cost_points, stock_remaining, face_value_fen)
       values ('coupon', '汇总测试券A', 'coupons', 20, 100000, 100), ('coupon', '汇总测试券B', 'coupons', 35, 100000, 300)
       returning id`,
    )
  ).rows.map((r) => r.id as string)
  const entries: number[] = []
  const vouchers: Array<{ id: string; code: string; member: string }> = []
  const ignore = () => undefined

  const op = async (day: string) => {
    const when = at(day, `${String(9 + rnd.int(12)).padStart(2, '0')}:${String(rnd.int(60)).padStart(2, '0')}:00`)
    const member = rnd.pick(members)
    const me = { sub: member }
    switch (rnd.int(11)) {
      case 0:
      case 1: {
        // an award; purchases are sometimes on hold for three days (pending points)
        const source = rnd.pick(['purchase', 'task', 'adjustment', 'birthday'])
        const hold = source === 'purchase' && rnd.next() < 0.5 ? at(addDays(day, 3)) : null
        const rows = await db().sqlAt(when, `select (private.award_points($1, $2, $3, $4, '', '{}', $5)).entry_id as id`, [
          member, source, 1 + rnd.int(80), `rollup-${randomUUID()}`, hold,
        ])
        entries.push(Number(rows[0].id))
        return
      }
      case 2: {
        const rows = await db()
          .sqlAt(when, `select private.spend_points($1, 'redemption', $2, $3) as id`, [member, 1 + rnd.int(40), `rollup-${randomUUID()}`])
          .catch(() => [])
        if (rows.length) entries.push(Number(rows[0].id))
        return
      }
      case 3:
        // a void or a cancelled spend: the reversal of an earlier entry (refused when spent or done: nothing changes)
        if (entries.length) await db().sqlAt(when, 'select private.reverse_entry($1)', [rnd.pick(entries)]).catch(ignore)
        return
      case 4:
        await db().callAt(when, 'check_in', { p_request_id: randomUUID() }, me)
        return
      case 5:
        await db().callAt(when, 'make_up_check_in', { p_date: addDays(day, -1 - rnd.int(3)), p_request_id: randomUUID() }, me)
        return
      case 6: {
        const res = await db().callAt(when, 'redeem_item', { p_item_id: rnd.pick(items), p_request_id: randomUUID() }, me)
        if (res.status === 200) vouchers.push({ id: res.body.id, code: res.body.voucher_code, member })
        return
      }
      case 7: {
        if (!vouchers.length) return
        const v = rnd.pick(vouchers)
        if (rnd.next() < 0.5)
          await db().callAt(when, 'cancel_redemption', { p_redemption_id: v.id, p_request_id: randomUUID() }, { sub: v.member })
        else await db().callAt(when, 'staff_verify_redemption', { p_voucher_code: v.code, p_confirm: true, p_request_id: randomUUID() }, CLERK)
        return
      }
      case 8:
        await db().sqlAt(when, 'select public.expire_points(10000)')
        return
      case 9:
        await db().sqlAt(when, 'select private.compact_report_rollups()')
        return
      default:
        await db().sqlAt(when, `select private.award_points($1, 'adjustment', $2, $3)`, [member, 5 + rnd.int(30), `rollup-${randomUUID()}`])
    }
  }

  for (let d = 0; d < DAYS; d++) {
    const day = addDays(FIRST_DAY, d)
    for (let batch = 0; batch < 3; batch++) await Promise.all(Array.from({ length: 4 }, () => op(day)))
    if (d === 14) {
      // the middle of the history, shards not yet folded
      expect(await shardRows()).toBeGreaterThan(0)
      await compareReports(at(day, '23:00:00'), [
        [FIRST_DAY, day],
        [day, day],
        [addDays(FIRST_DAY, -400), addDays(FIRST_DAY, -40)],
      ])
    }
  }

  // purchases of the last three days are still on hold: pending points, compared above
  const summary = await db().callAt(at(LAST_DAY, '23:30:00'), 'report_summary', { p_from: LAST_DAY, p_to: LAST_DAY }, MANAGER)
  expect(summary.body.pending_points).toBeGreaterThan(0)

  // the history had every kind of row in it
  const { rows: kinds } = await db().admin.query(
    `select array_agg(distinct kind order by kind) as kinds,
       (select count(*) from public.check_ins where made_up and made_up_on >= $1) as make_ups,
       (select count(*) from public.redemptions r join public.mall_items i on i.id = r.item_id where i.title like '汇总测试券%' and r.status = 'cancelled') as cancelled,
       (select count(*) from public.redemptions r join public.mall_items i on i.id = r.item_id where i.title like '汇总测试券%' and r.status = 'verified') as verified
     from public.point_entries where business_date >= $1`,
    [FIRST_DAY],
  )
  expect(kinds[0].kinds).toEqual(['earn', 'expire', 'reverse', 'spend'])
  expect(Number(kinds[0].make_ups)).toBeGreaterThan(0)
  expect(Number(kinds[0].cancelled)).toBeGreaterThan(0)
  expect(Number(kinds[0].verified)).toBeGreaterThan(0)

  const ranges: Array<[string, string]> = [
    [FIRST_DAY, LAST_DAY],
    [addDays(FIRST_DAY, 5), addDays(FIRST_DAY, 9)],
    [LAST_DAY, LAST_DAY],
    [addDays(LAST_DAY, -365), LAST_DAY], // the longest range, across the registrations a year before
    [addDays(LAST_DAY, 1), addDays(LAST_DAY, 30)], // after the history: nothing written, outstanding carried
  ]
  await compareReports(at(LAST_DAY, '23:30:00'), ranges)

  // folded: the same figures from shard 0 alone
  await db().sqlAt(at(LAST_DAY, '23:40:00'), 'select private.compact_report_rollups()')
  expect(await shardRows()).toBe(0)
  await compareReports(at(LAST_DAY, '23:50:00'), ranges)

  // rebuilt from the tables: the same figures again
  await db().admin.query('select private.rebuild_report_rollups()')
  expect(await shardRows()).toBe(0)
  await compareReports(at(LAST_DAY, '23:50:00'), ranges)
}, 300_000)

test('compaction skips the rows of a transaction in progress instead of waiting for it, and folds them later', async () => {
  const member = await aMember(db())
  await db().admin.query('select private.compact_report_rollups()')
  const writer = await db().admin.connect()
  try {
    await writer.query('begin')
    await writer.query(`select private.award_points($1, 'adjustment', 7, 'rollup-held')`, [member])
    const pid = Number((await writer.query('select pg_backend_pid() as pid')).rows[0].pid)
    // another backend compacts while the writer holds its shard rows: it must not wait
    const compactor = await db().admin.connect()
    try {
      await compactor.query(`set lock_timeout = '2s'`)
      await compactor.query('select private.compact_report_rollups()')
    } finally {
      compactor.release()
    }
    await writer.query('commit')
    const held = await db().admin.query('select count(*)::int as n from private.rollup_points_daily where shard = $1', [pid])
    expect(held.rows[0].n).toBeGreaterThan(0)
  } catch (e) {
    await writer.query('rollback').catch(() => undefined)
    throw e
  } finally {
    writer.release()
  }
  await db().admin.query('select private.compact_report_rollups()')
  expect(await shardRows()).toBe(0)
})

test('the scheduler folds the shards as its last step', async () => {
  await aMember(db())
  expect(await shardRows()).toBeGreaterThan(0)
  const [{ r }] = await db().sqlAt(null, 'select public.run_scheduled_jobs() as r')
  expect(r.compact_report_rollups.rows).toBeGreaterThan(0)
  expect(await shardRows()).toBe(0)
})
