// report_top_items — the items redeemed most in a range, from real
// redemptions (redeem_item, cancel_redemption, staff_verify_redemption), access (managers only), validation.
//
// The redemptions live in an era nobody else writes (May 2030), on items of their own (beforeAll):
//
//   2030-05-09 23:59:59  m1 redeems V (the day before the range)
//   2030-05-10 00:00:00  m1 redeems X (the range's first instant)
//   2030-05-10           m1 redeems X, Y; redeems W and cancels it
//   2030-05-11           m2 redeems X and cancels it; redeems Y (verified by the clerk); redeems Z twice
//   2030-05-11 23:59:59  m3 redeems V (the range's last instant)
//   2030-05-12 00:00:00  m3 redeems Y (the day after the range)
//
// Range 05-10..05-11: Y 2 redemptions / 40 points (1 verified); X 2 / 20 (1 cancelled); Z 2 / 20 (a tie with X:
// by title); V 1 / 10; W 0 / 0 (1 cancelled).
import { randomUUID } from 'node:crypto'
import { expectLedgerInvariants, useSeededDb } from '../../test/support/db'
import { aMember, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

/** An instant on a Shanghai business day. */
const at = (day: string, time = '12:00:00') => `${day}T${time}+08:00`
const MANAGER = { sub: SEEDED.managerLi.id }
const REPORT_AT = at('2030-05-20')

async function anItem(title: string, kind: string, cost: number): Promise<string> {
  const { rows } = await db().admin.query(
    `insert into public.mall_items (kind, title, category_code, cost_points, stock_remaining) values ($1, $2, 'coupons', $3, 100)
     returning id`, [kind, title, cost])
  return rows[0].id
}
async function must(when: string, fn: string, args: Record<string, unknown>, member: string) {
  const res = await db().callAt(when, fn, args, { sub: member })
  if (res.status !== 200) throw new Error(`${fn}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}
const redeem = (when: string, member: string, item: string) =>
  must(when, 'redeem_item', { p_item_id: item, p_request_id: randomUUID() }, member)
const cancel = (when: string, member: string, redemption: string) =>
  must(when, 'cancel_redemption', { p_redemption_id: redemption, p_request_id: randomUUID() }, member)

const report = (args: Record<string, unknown>, caller: any = MANAGER) => db().callAt(REPORT_AT, 'report_top_items', args, caller)
async function top(args: Record<string, unknown>) {
  const res = await report(args)
  expect([res.status, res.body?.message]).toEqual([200, undefined])
  return res.body
}
/** An item's row as the report gives it. */
type Row = [item: string, redemptions: number, points: number, verified: number, cancelled: number]
const rows = (body: any): Row[] => body.items.map((i: any) => [i.item_id, i.redemptions, i.points_spent, i.verified, i.cancelled])

const it: Record<'V' | 'W' | 'X' | 'Y' | 'Z', string> = {} as any

beforeAll(async () => {
  it.X = await anItem('TOP-B 十元券', 'coupon', 10)
  it.Y = await anItem('TOP-A 保温杯', 'gift', 20)
  it.Z = await anItem('TOP-C 月卡', 'membership', 10)
  it.V = await anItem('TOP-D 五元券', 'coupon', 10)
  it.W = await anItem('TOP-E 帆布袋', 'gift', 10)
  const m1 = await aMember(db(), { at: at('2030-05-01') }) // 100 points each
  const m2 = await aMember(db(), { at: at('2030-05-01') })
  const m3 = await aMember(db(), { at: at('2030-05-01') })

  await redeem(at('2030-05-09', '23:59:59'), m1, it.V)
  await redeem(at('2030-05-10', '00:00:00'), m1, it.X)
  await redeem(at('2030-05-10', '09:00:00'), m1, it.X)
  await redeem(at('2030-05-10', '09:10:00'), m1, it.Y)
  const w = await redeem(at('2030-05-10', '09:20:00'), m1, it.W)
  await cancel(at('2030-05-10', '09:30:00'), m1, w.id)

  const x = await redeem(at('2030-05-11', '09:00:00'), m2, it.X)
  await cancel(at('2030-05-11', '09:05:00'), m2, x.id)
  const y = await redeem(at('2030-05-11', '10:00:00'), m2, it.Y)
  await must(at('2030-05-11', '11:00:00'), 'staff_verify_redemption', { p_voucher_code: y.voucher_code, p_confirm: true, p_request_id: randomUUID() },
    SEEDED.staffWang.id)
  await redeem(at('2030-05-11', '12:00:00'), m2, it.Z)
  await redeem(at('2030-05-11', '12:01:00'), m2, it.Z)
  await redeem(at('2030-05-11', '23:59:59'), m3, it.V)
  await redeem(at('2030-05-12', '00:00:00'), m3, it.Y)
  await expectLedgerInvariants(db())
})

describe('report_top_items', () => {
  test('per item: redemptions and points net of cancellations, verified and cancelled counts; ranked, ties by title', async () => {
    const body = await top({ p_from: '2030-05-10', p_to: '2030-05-11' })
    expect([body.from, body.to]).toEqual(['2030-05-10', '2030-05-11'])
    expect(rows(body)).toEqual([
      [it.Y, 2, 40, 1, 0],
      [it.X, 2, 20, 0, 1],
      [it.Z, 2, 20, 0, 0],
      [it.V, 1, 10, 0, 0],
      [it.W, 0, 0, 0, 1],
    ])
    expect(body.items[0]).toEqual({ item_id: it.Y, title: 'TOP-A 保温杯', kind: 'gift', redemptions: 2, points_spent: 40, verified: 1, cancelled: 0 })
    expect(body.items.map((i: any) => i.kind)).toEqual(['gift', 'coupon', 'membership', 'coupon', 'gift'])
  })

  test('the points spent add up to the summary\'s redeemed points when the cancellations fall in the range', async () => {
    const body = await top({ p_from: '2030-05-10', p_to: '2030-05-11' })
    const summary = await db().callAt(REPORT_AT, 'report_summary', { p_from: '2030-05-10', p_to: '2030-05-11' }, MANAGER)
    expect(body.items.reduce((s: number, i: any) => s + i.points_spent, 0)).toBe(summary.body.redeemed_points)
  })

  test('a day at a time: the range\'s first and last instants count, the days around it do not', async () => {
    expect(rows(await top({ p_from: '2030-05-10', p_to: '2030-05-10' }))).toEqual([
      [it.X, 2, 20, 0, 0],
      [it.Y, 1, 20, 0, 0],
      [it.W, 0, 0, 0, 1],
    ])
    expect(rows(await top({ p_from: '2030-05-11', p_to: '2030-05-11' }))).toEqual([
      [it.Z, 2, 20, 0, 0],
      [it.Y, 1, 20, 1, 0],
      [it.V, 1, 10, 0, 0],
      [it.X, 0, 0, 0, 1],
    ])
    expect(rows(await top({ p_from: '2030-05-09', p_to: '2030-05-09' }))).toEqual([[it.V, 1, 10, 0, 0]])
    expect(rows(await top({ p_from: '2030-05-12', p_to: '2030-05-12' }))).toEqual([[it.Y, 1, 20, 0, 0]])
  })

  test('p_limit keeps the first items of the same order (default 10); an empty range gives no items', async () => {
    expect(rows(await top({ p_from: '2030-05-10', p_to: '2030-05-11', p_limit: 2 })).map((r) => r[0])).toEqual([it.Y, it.X])
    expect(rows(await top({ p_from: '2030-05-10', p_to: '2030-05-11', p_limit: 3 })).map((r) => r[0])).toEqual([it.Y, it.X, it.Z])
    expect((await top({ p_from: '2030-05-09', p_to: '2030-05-12' })).items).toHaveLength(5)
    expect(await top({ p_from: '2030-01-01', p_to: '2030-01-31' })).toEqual({ from: '2030-01-01', to: '2030-01-31', items: [] })
  })

  test('managers only, like the other reports', async () => {
    const args = { p_from: '2030-05-10', p_to: '2030-05-11' }
    const member = await aMember(db())
    const refused = async (caller: any) => {
      const res = await report(args, caller)
      return [res.status, res.body?.message]
    }
    expect((await report(args, 'anon')).status).toBe(401)
    expect((await report(args, 'service_role')).status).toBe(403)
    expect(await refused({ sub: member })).toEqual([403, 'not_staff'])
    expect(await refused({ sub: SEEDED.staffWang.id })).toEqual([403, 'not_manager'])
    // the manager check comes before the arguments
    expect((await report({ p_from: '2030-05-11', p_to: '2030-05-10' }, { sub: SEEDED.staffWang.id })).body.message).toBe('not_manager')
  })

  test('invalid_range and invalid_limit', async () => {
    for (const args of [
      { p_from: '2030-05-11', p_to: '2030-05-10' },
      { p_from: null, p_to: '2030-05-10' },
      { p_from: '2030-05-10', p_to: null },
      { p_from: '2029-05-09', p_to: '2030-05-10' }, // 367 days
    ]) {
      const res = await report(args)
      expect([res.status, res.body?.message]).toEqual([400, 'invalid_range'])
    }
    expect((await report({ p_from: '2028-01-01', p_to: '2028-12-31' })).status).toBe(200) // a leap year: 366 days
    for (const p_limit of [0, 101, null]) {
      const res = await report({ p_from: '2030-05-10', p_to: '2030-05-11', p_limit })
      expect([res.status, res.body?.message]).toEqual([400, 'invalid_limit'])
    }
    expect((await report({ p_from: 'nope', p_to: '2030-05-11' })).status).toBe(400)
  })
})

test('report_top_items is a read-only (stable) security definer function with a pinned search_path', async () => {
  const { rows: fns } = await db().admin.query(`
    select p.provolatile, p.prosecdef, p.proconfig from pg_proc p
    where p.pronamespace = 'public'::regnamespace and p.proname = 'report_top_items'`)
  expect(fns).toEqual([{ provolatile: 's', prosecdef: true, proconfig: ['search_path=""'] }])
})
