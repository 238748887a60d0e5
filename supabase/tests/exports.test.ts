// op_export_ledger_entries, op_export_redemptions, op_export_purchases, op_export_liability (issue 15, exports):
// operators only, validation codes that change nothing, the rows of a range of business days with the zone's
// edges (23:59 and 00:01 Shanghai time), keyset paging that returns every row once, the audit row of an
// export's first page, and the liability equal to the operator reports' figures.
//
// The known ledger lives in an era nobody else writes (2031), all by one member M:
//   2031-05-01 10:00  M registers (+100)
//   2031-05-01 23:59  a purchase of ¥123.45 at the seeded store (+123), a redemption of the ¥10 coupon (−100)
//   2031-05-02 00:01  a purchase of ¥50.00 (+50), another coupon (−100)
//   2031-05-02 12:00  the second coupon cancelled (+100), an operator's goodwill adjustment (+30)
//   2031-05-03 09:00  the first purchase voided by the store's manager (−123)
import { randomUUID } from 'node:crypto'
import type { RestResponse } from '../../stack/rest/handler'
import { localToken } from '../../stack/jwt'
import { useSeededDb } from '../../test/support/db'
import { aMember, phoneOf, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

const at = (day: string, time = '12:00:00') => `${day}T${time}+08:00`
const OPERATOR = { sub: SEEDED.operatorZhao.id }
const MANAGER = { sub: SEEDED.managerLi.id }
const STAFF = SEEDED.staffWang.id
const COUPON = '00000000-0000-4000-b000-000000000001'
const EXPORT_AT = at('2031-05-10')
const EXPORTS = ['op_export_ledger_entries', 'op_export_redemptions', 'op_export_purchases', 'op_export_liability'] as const
const KEY: Record<(typeof EXPORTS)[number], [string, string]> = {
  op_export_ledger_entries: ['entry_id', 'p_after_id'],
  op_export_redemptions: ['redemption_id', 'p_after_id'],
  op_export_purchases: ['purchase_id', 'p_after_id'],
  op_export_liability: ['business_date', 'p_after_date'],
}

type Res = { status: number; body: any }
const expectError = (res: Res, status: number, code: string) => expect([res.status, res.body?.message]).toEqual([status, code])
const ok = (res: Res) => {
  if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}
const exportAt = (when: string, fn: string, args: Record<string, unknown>, caller: object = OPERATOR) =>
  db().callAt(when, fn, args, caller as never)
const auditCount = async () => (await db().admin.query('select count(*)::int as n from public.operator_audit')).rows[0].n as number

let M = ''
let phone = ''
const made: { purchases: string[]; redemptions: string[]; orderRefs: string[] } = { purchases: [], redemptions: [], orderRefs: [] }

async function asMember(when: string, fn: string, args: Record<string, unknown>, sub: string) {
  return ok(await db().callAt(when, fn, args, { sub }))
}
async function purchase(when: string, amountFen: number) {
  const code = (await asMember(when, 'issue_member_code', {}, M)).token
  const ref = `EXP-${made.orderRefs.length + 1}`
  const res = await asMember(when, 'staff_award_purchase', { p_member_code: code, p_amount_fen: amountFen, p_order_ref: ref, p_request_id: randomUUID() }, STAFF)
  made.purchases.push(res.purchase_id)
  made.orderRefs.push(ref)
}
async function redeem(when: string) {
  made.redemptions.push((await asMember(when, 'redeem_item', { p_item_id: COUPON, p_request_id: randomUUID() }, M)).id)
}

beforeAll(async () => {
  M = await aMember(db(), { at: at('2031-05-01', '10:00:00') })
  phone = await phoneOf(db(), M)
  await purchase(at('2031-05-01', '23:59:00'), 12345)
  await redeem(at('2031-05-01', '23:59:30'))
  await purchase(at('2031-05-02', '00:01:00'), 5000)
  await redeem(at('2031-05-02', '00:01:30'))
  await asMember(at('2031-05-02'), 'cancel_redemption', { p_redemption_id: made.redemptions[1], p_request_id: randomUUID() }, M)
  ok(await db().callAt(at('2031-05-02'), 'op_adjust_points', { p_member_id: M, p_points: 30, p_reason_code: 'goodwill', p_request_id: randomUUID(), p_note: '导出测试' }, OPERATOR))
  // a clerk voids only on the day of the award: the store's manager voids later
  await asMember(at('2031-05-03', '09:00:00'), 'staff_void_purchase', { p_order_ref: made.orderRefs[0], p_reason: '退货', p_request_id: randomUUID() }, SEEDED.managerLi.id)
})

/** Every page of an export, p_limit rows at a time, following the last row's key. */
async function allPages(fn: (typeof EXPORTS)[number], args: Record<string, unknown>, limit: number, when = EXPORT_AT) {
  const [keyColumn, afterArg] = KEY[fn]
  const rows: any[] = []
  let pages = 0
  for (let after: unknown = null; ; ) {
    const page = ok(await exportAt(when, fn, { ...args, p_limit: limit, ...(after === null ? {} : { [afterArg]: after }) }))
    pages++
    rows.push(...page)
    if (page.length < limit) return { rows, pages }
    after = page[page.length - 1][keyColumn]
  }
}

test('only operators may export: members, clerks and managers get not_operator, anon 401, and nothing is audited', async () => {
  const before = await auditCount()
  const member = await aMember(db())
  for (const fn of EXPORTS) {
    for (const caller of [{ sub: member }, { sub: STAFF }, MANAGER]) {
      expectError(await exportAt(EXPORT_AT, fn, { p_from: '2031-05-01', p_to: '2031-05-02' }, caller), 403, 'not_operator')
    }
    expect((await db().call(fn, { p_from: '2031-05-01', p_to: '2031-05-02' }, 'anon')).status).toBe(401)
  }
  expect(await auditCount()).toBe(before)
})

test.each([
  ['invalid_date_range', { p_from: '2031-05-02', p_to: '2031-05-01' }],
  ['invalid_date_range', { p_from: null, p_to: '2031-05-01' }],
  ['invalid_date_range', { p_from: '2031-05-01' }],
  ['invalid_date_range', { p_from: '2021-06-01', p_to: '2031-06-09' }],
  ['invalid_date_range', { p_from: '-infinity', p_to: '2031-05-01' }],
  ['invalid_date_range', { p_from: '2031-05-01', p_to: '5874897-12-31' }],
  ['invalid_limit', { p_from: '2031-05-01', p_to: '2031-05-02', p_limit: 0 }],
  ['invalid_limit', { p_from: '2031-05-01', p_to: '2031-05-02', p_limit: 1001 }],
  ['invalid_limit', { p_from: '2031-05-01', p_to: '2031-05-02', p_limit: null }],
])('%s (%j) for every export, and nothing is audited', async (code, args) => {
  const before = await auditCount()
  for (const fn of EXPORTS) {
    const res = await exportAt(EXPORT_AT, fn, args)
    // a missing required argument is PostgREST's own 404 (no such function signature)
    if (!('p_to' in args)) expect(res.status).toBe(404)
    else expectError(res, 400, code)
  }
  expect(await auditCount()).toBe(before)
})

test('the longest range is 3,660 days; an unknown p_after_id is invalid_after_id', async () => {
  expect((await exportAt(EXPORT_AT, 'op_export_purchases', { p_from: '2021-06-01', p_to: '2031-06-08', p_limit: 1 })).status).toBe(200)
  const before = await auditCount()
  expectError(await exportAt(EXPORT_AT, 'op_export_ledger_entries', { p_from: '2031-05-01', p_to: '2031-05-02', p_after_id: 9e15 }), 400, 'invalid_after_id')
  for (const fn of ['op_export_redemptions', 'op_export_purchases']) {
    expectError(await exportAt(EXPORT_AT, fn, { p_from: '2031-05-01', p_to: '2031-05-02', p_after_id: randomUUID() }), 400, 'invalid_after_id')
  }
  expect(await auditCount()).toBe(before)
})

test('ledger entries: exactly the entries of the range’s business days, with the zone’s edges, and what an accountant needs', async () => {
  const dayOf = async (from: string, to: string) =>
    (await db().admin.query('select id::float8 as id from public.point_entries where business_date between $1 and $2 order by business_date, id', [from, to])).rows.map((r) => r.id)
  const first = ok(await exportAt(EXPORT_AT, 'op_export_ledger_entries', { p_from: '2031-05-01', p_to: '2031-05-01' }))
  const second = ok(await exportAt(EXPORT_AT, 'op_export_ledger_entries', { p_from: '2031-05-02', p_to: '2031-05-02' }))
  expect(first.map((e: any) => Number(e.entry_id))).toEqual(await dayOf('2031-05-01', '2031-05-01'))
  expect(second.map((e: any) => Number(e.entry_id))).toEqual(await dayOf('2031-05-02', '2031-05-02'))
  // 23:59 is the 1st, 00:01 the 2nd, in Shanghai time (the server runs in UTC: 15:59 and 16:01 of the 1st)
  expect(first.map((e: any) => [e.source, e.kind, e.points])).toEqual([
    ['registration', 'earn', 100],
    ['purchase', 'earn', 123],
    ['redemption', 'spend', -100],
  ])
  expect(second.map((e: any) => [e.source, e.kind, e.points])).toEqual([
    ['purchase', 'earn', 50],
    ['redemption', 'spend', -100],
    ['redemption', 'reverse', 100],
    ['adjustment', 'earn', 30],
  ])
  expect(first.every((e: any) => e.member_id === M && e.member_phone === phone && e.business_date === '2031-05-01')).toBe(true)

  const [registration, bought, spent] = first
  const lot = (await db().admin.query('select expires_at, available_at from public.point_lots where entry_id = $1', [registration.entry_id])).rows[0]
  expect(Date.parse(registration.lot_expires_at)).toBe(lot.expires_at.getTime())
  expect(Date.parse(registration.lot_available_at)).toBe(lot.available_at.getTime())
  expect(bought).toMatchObject({
    purchase_id: made.purchases[0],
    store_name: '悦享咖啡·静安寺店',
    order_ref: made.orderRefs[0],
    staff_member_id: STAFF,
    redemption_id: null,
  })
  expect(spent).toMatchObject({ redemption_id: made.redemptions[0], item_title: '¥10无门槛券', lot_expires_at: null, purchase_id: null })
  const [, , cancelled, adjusted] = second
  expect(cancelled).toMatchObject({ redemption_id: made.redemptions[1], item_title: '¥10无门槛券', reverses_entry_id: second[1].entry_id })
  expect(cancelled.lot_expires_at).not.toBeNull()
  expect(adjusted).toMatchObject({ adjustment_reason: 'goodwill', operator_id: SEEDED.operatorZhao.id, approver_id: null })

  // the void (2031-05-03) points at the purchase it reverses
  const third = ok(await exportAt(EXPORT_AT, 'op_export_ledger_entries', { p_from: '2031-05-03', p_to: '2031-05-03' }))
  expect(third.map((e: any) => [e.source, e.kind, e.points, e.purchase_id, e.order_ref])).toEqual([
    ['purchase', 'reverse', -123, made.purchases[0], made.orderRefs[0]],
  ])
})

test('redemptions: by the business day they were made on, with their voucher state as of the export', async () => {
  const first = ok(await exportAt(EXPORT_AT, 'op_export_redemptions', { p_from: '2031-05-01', p_to: '2031-05-01' }))
  const second = ok(await exportAt(EXPORT_AT, 'op_export_redemptions', { p_from: '2031-05-02', p_to: '2031-05-02' }))
  expect(first.map((r: any) => r.redemption_id)).toEqual([made.redemptions[0]])
  expect(second.map((r: any) => r.redemption_id)).toEqual([made.redemptions[1]])
  expect(first[0]).toMatchObject({
    business_date: '2031-05-01',
    member_id: M,
    member_phone: phone,
    item_id: COUPON,
    item_kind: 'coupon',
    item_title: '¥10无门槛券',
    face_value_fen: 1000,
    points: 100,
    status: 'issued',
    voucher_state: 'issued',
    cancel_entry_id: null,
  })
  expect(first[0]).not.toHaveProperty('voucher_code')
  expect(second[0]).toMatchObject({ status: 'cancelled', voucher_state: 'cancelled' })
  expect(second[0].cancel_entry_id).not.toBeNull()
  // 30 days later the unused voucher has expired
  const later = ok(await exportAt(at('2031-07-01'), 'op_export_redemptions', { p_from: '2031-05-01', p_to: '2031-05-02' }))
  expect(later.map((r: any) => [r.status, r.voucher_state])).toEqual([
    ['issued', 'expired'],
    ['cancelled', 'cancelled'],
  ])
})

test('purchases: by the business day they were awarded on, with store, staff, amounts and the void', async () => {
  const first = ok(await exportAt(EXPORT_AT, 'op_export_purchases', { p_from: '2031-05-01', p_to: '2031-05-01' }))
  const second = ok(await exportAt(EXPORT_AT, 'op_export_purchases', { p_from: '2031-05-02', p_to: '2031-05-02' }))
  expect(first.map((p: any) => p.purchase_id)).toEqual([made.purchases[0]])
  expect(second.map((p: any) => p.purchase_id)).toEqual([made.purchases[1]])
  expect(first[0]).toMatchObject({
    business_date: '2031-05-01',
    store_name: '悦享咖啡·静安寺店',
    order_ref: made.orderRefs[0],
    member_id: M,
    member_phone: phone,
    staff_member_id: STAFF,
    amount_fen: 12345,
    tier_code: 'basic',
    points: 123,
    campaign_points: 0,
    status: 'voided',
    void_reason: '退货',
    voided_by_staff_id: SEEDED.managerLi.id,
  })
  expect(second[0]).toMatchObject({ amount_fen: 5000, points: 50, status: 'awarded', voided_at: null })
})

test('keyset paging returns every row exactly once, in order; only the first page is audited', async () => {
  const args = { p_from: '2031-04-30', p_to: '2031-05-03' }
  for (const fn of EXPORTS) {
    const [keyColumn] = KEY[fn]
    const whole = ok(await exportAt(EXPORT_AT, fn, args))
    const before = await auditCount()
    const { rows, pages } = await allPages(fn, args, 2)
    expect(rows).toEqual(whole)
    expect(new Set(rows.map((r) => r[keyColumn])).size).toBe(rows.length)
    expect(pages).toBe(Math.floor(whole.length / 2) + 1)
    expect(await auditCount()).toBe(before + 1)
  }
  expect((await allPages('op_export_ledger_entries', args, 2)).rows).toHaveLength(8)
})

test('the first page writes one audit row: who exported which range of what', async () => {
  ok(await exportAt(EXPORT_AT, 'op_export_purchases', { p_from: '2031-05-01', p_to: '2031-05-07', p_limit: 500 }))
  const { rows } = await db().admin.query(`select * from public.operator_audit order by id desc limit 1`)
  expect(rows[0]).toMatchObject({
    actor_id: SEEDED.operatorZhao.id,
    action: 'export_purchases',
    target_table: 'purchases',
    target_id: '2031-05-01..2031-05-07',
    before: null,
    after: { from: '2031-05-01', to: '2031-05-07', limit: 500 },
  })
})

test('the first page must be a POST (a GET runs read-only: 405, nothing written); later pages may be GETs', async () => {
  const get = async (query: string): Promise<RestResponse> =>
    db().rest.handle({
      method: 'GET',
      path: '/rpc/op_export_ledger_entries',
      query: new URLSearchParams(query),
      headers: { authorization: `Bearer ${await localToken(OPERATOR)}` },
      body: Buffer.alloc(0),
    })
  const before = await auditCount()
  expect((await get('p_from=2031-05-01&p_to=2031-05-02')).status).toBe(405)
  expect(await auditCount()).toBe(before)
  const page = ok(await db().call('op_export_ledger_entries', { p_from: '2031-05-01', p_to: '2031-05-02', p_limit: 1 }, OPERATOR))
  const next = await get(`p_from=2031-05-01&p_to=2031-05-02&p_after_id=${page[0].entry_id}`)
  expect(next.status).toBe(200)
  expect(JSON.parse(next.body!).length).toBe(6)
})

test('liability: every day of the range with the operator reports’ figures (report_points_daily), and its value', async () => {
  const args = { p_from: '2031-04-29', p_to: '2031-05-04' }
  const days = ok(await exportAt(EXPORT_AT, 'op_export_liability', args))
  const report = ok(await db().callAt(EXPORT_AT, 'report_points_daily', args, MANAGER)).days
  expect(days.map((d: any) => d.business_date)).toEqual(['2031-04-29', '2031-04-30', '2031-05-01', '2031-05-02', '2031-05-03', '2031-05-04'])
  const value = Number((await db().admin.query('select point_value_fen from public.program')).rows[0].point_value_fen)
  days.forEach((d: any, i: number) => {
    const r = report[i]
    expect(d).toEqual({
      business_date: r.date,
      earned_points: r.earned_points,
      earn_reversed_points: r.earn_reversed_points,
      issued_points: r.issued_points,
      spent_points: r.spent_points,
      spend_reversed_points: r.spend_reversed_points,
      net_spent_points: r.net_spent_points,
      expired_points: r.expired_points,
      net_points: r.net_points,
      outstanding_points: r.outstanding_points,
      point_value_fen: d.point_value_fen,
      outstanding_liability_fen: Math.round(r.outstanding_points * value),
    })
    expect(Number(d.point_value_fen)).toBe(value)
  })
  // the known ledger: +100 on the 1st, +123 −100; +50 −100 +100 +30 on the 2nd; −123 on the 3rd
  expect(days.map((d: any) => d.net_points)).toEqual([0, 0, 123, 80, -123, 0])
  expect(days[2]).toMatchObject({ earned_points: 223, spent_points: 100 })
  expect(days[3]).toMatchObject({ issued_points: 80, spent_points: 100, spend_reversed_points: 100, net_spent_points: 0 })
  expect(days[4]).toMatchObject({ earn_reversed_points: 123, issued_points: -123 })
  expect(days[5].outstanding_points - days[0].outstanding_points).toBe(80)
  // a page of days in the middle has the same figures as the whole range
  const page = ok(await exportAt(EXPORT_AT, 'op_export_liability', { ...args, p_after_date: '2031-04-30', p_limit: 2 }))
  expect(page).toEqual(days.slice(2, 4))
})
