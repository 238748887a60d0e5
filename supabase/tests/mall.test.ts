// Mall items and categories, redeem_item, cancel_redemption, list_mall_items,
// list_my_redemptions, staff_verify_redemption (preview / confirm), stock and limits under concurrency.
import { randomUUID } from 'node:crypto'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

const STORE = '00000000-0000-4000-9000-000000000001'
const OTHER_STORE = '00000000-0000-4000-9000-000000000002'
const DAY = '2026-11-23'
/** An instant on a Shanghai business day. */
const at = (day: string, time = '10:00:00') => `${day}T${time}+08:00`
/** An instant as an ISO string in UTC, to compare timestamps whatever their JSON offset. */
const iso = (t: string | null) => (t === null ? null : new Date(t).toISOString())

const expectError = (res: { status: number; body: any }, status: number, code: string) =>
  expect([res.status, res.body?.message]).toEqual([status, code])

beforeAll(async () => {
  await db().admin.query(`insert into public.mall_categories (code, name, sort_order) values
    ('test_coupons', '测试优惠券', 901), ('test_gifts', '测试礼品', 902) on conflict do nothing`)
})

let itemCount = 0
/** A mall item of its own (a ¥10 coupon for 10 points, stock 100, no limits, unless told). Returns its id. */
async function anItem(fields: Record<string, unknown> = {}): Promise<string> {
  itemCount += 1
  const row: Record<string, unknown> = {
    kind: 'coupon', title: `测试券${itemCount}`, category_code: 'test_coupons', cost_points: 10, face_value_fen: 1000,
    stock_remaining: 100, sort_order: 1000 + itemCount, ...fields,
  }
  const cols = Object.keys(row)
  const { rows } = await db().admin.query(
    `insert into public.mall_items (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')}) returning id`,
    Object.values(row))
  return rows[0].id
}

let awardCount = 0
/** Give a member points at an instant (an 'adjustment' earn: one lot expiring 12 months later). */
async function award(member: string, points: number, when: string | null = null) {
  awardCount += 1
  await db().sqlAt(when, `select private.award_points($1, 'adjustment', $2, $3)`, [member, points, `mall-test-${awardCount}`])
}

const redeemAt = (when: string, member: string, item: string, requestId: string | null = randomUUID()) =>
  db().callAt(when, 'redeem_item', { p_item_id: item, p_request_id: requestId }, { sub: member })
const cancelAt = (when: string, member: string, redemption: string, args: Record<string, unknown> = {}) =>
  db().callAt(when, 'cancel_redemption', { p_redemption_id: redemption, ...args }, { sub: member })
const verifyAt = (when: string, staff: string, code: string | null, confirm: boolean, args: Record<string, unknown> = {}) =>
  db().callAt(when, 'staff_verify_redemption', { p_voucher_code: code, p_confirm: confirm, ...args }, { sub: staff })
const mallAt = async (when: string, member: string, category?: string) => {
  const res = await db().callAt(when, 'list_mall_items', category === undefined ? {} : { p_category: category }, { sub: member })
  expect(res.status).toBe(200)
  return res.body
}
const itemIn = async (when: string, member: string, item: string) =>
  (await mallAt(when, member)).items.find((i: any) => i.id === item)

const one = async (sql: string, params: unknown[] = []) => (await db().admin.query(sql, params)).rows[0]
/** What a refused call must leave untouched. */
async function snapshot(member: string, item?: string) {
  return one(`select
      (select balance_points from public.point_balances where member_id = $1) as balance,
      (select count(*)::int from public.point_entries where member_id = $1) as entries,
      (select coalesce(sum(remaining_points), 0)::int from public.point_lots where member_id = $1) as lots,
      (select count(*)::int from public.redemptions where member_id = $1) as redemptions,
      (select count(*)::int from public.task_events where member_id = $1) as events,
      (select count(*)::int from private.rpc_requests where member_id = $1) as requests,
      (select stock_remaining from public.mall_items where id = $2) as stock,
      (select count(*)::int from public.redemptions where item_id = $2) as item_redemptions`, [member, item ?? null])
}
const stockOf = async (item: string) => (await one('select stock_remaining from public.mall_items where id = $1', [item])).stock_remaining
const redemptionRow = (id: string) => one('select * from public.redemptions where id = $1', [id])
const auditRows = async (ref: string) =>
  (await db().admin.query(`select action, staff_member_id, store_id, member_id, ref, points, amount_fen, detail
    from public.staff_actions where ref = $1 order by id`, [ref])).rows

describe('items and categories', () => {
  test('everyone reads items and categories, anon included; the database refuses negative stock and bad images', async () => {
    const item = await anItem({ image_urls: ['https://cdn.example.com/a.png', '/static/mall/b.png'] })
    const anonItems = await db().read('mall_items', `select=id,image_urls&id=eq.${item}`, 'anon')
    expect(anonItems).toEqual({ status: 200, body: [{ id: item, image_urls: ['https://cdn.example.com/a.png', '/static/mall/b.png'] }] })
    expect((await db().read('mall_categories', 'select=code&code=eq.test_gifts', 'anon')).body).toEqual([{ code: 'test_gifts' }])

    await expect(db().admin.query('update public.mall_items set stock_remaining = -1 where id = $1', [item])).rejects.toMatchObject({ code: '23514' })
    for (const urls of [['ftp://x/a.png'], ['//evil.example.com/a.png'], ['https://a b'], [''], [null]]) {
      await expect(anItem({ image_urls: urls })).rejects.toMatchObject({ code: '23514' })
    }
    for (const bad of [{ kind: 'cash' }, { title: '' }, { title: 'x'.repeat(31) }, { cost_points: 0 }, { member_limit_days: 30 },
      { sale_starts_at: at(DAY), sale_ends_at: at(DAY) }, { description: 'x'.repeat(501) }]) {
      await expect(anItem(bad)).rejects.toMatchObject({ code: '23514' })
    }
    await expect(anItem({ min_tier_code: 'diamond' })).rejects.toMatchObject({ code: '23503' })
  })

  test('list_mall_items: the whole mall screen in one call, with what this member may do', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') }) // 100 points
    const cat = 'test_gifts'
    const ok = await anItem({ category_code: cat, kind: 'gift', title: '充电宝', cost_points: 100, face_value_fen: null,
      image_urls: ['/static/mall/powerbank.png'], description: '10000mAh', voucher_valid_days: 60 })
    const upcoming = await anItem({ category_code: cat, sale_starts_at: at('2026-12-01', '00:00:00') })
    await anItem({ category_code: cat, sale_ends_at: at(DAY, '09:59:59') }) // ended: not listed
    await anItem({ category_code: cat, active: false }) // inactive: not listed
    const silver = await anItem({ category_code: cat, min_tier_code: 'silver' })
    const limited = await anItem({ category_code: cat, member_limit: 1, member_limit_days: 30 })
    const soldOut = await anItem({ category_code: cat, stock_remaining: 0 })
    const dear = await anItem({ category_code: cat, cost_points: 101 })
    expect((await redeemAt(at(DAY, '09:00:00'), m, limited)).status).toBe(200)

    const mall = await mallAt(at(DAY), m, cat)
    expect(mall.balance_points).toBe(90)
    expect(mall.tier).toEqual({ code: 'basic', name: '普通会员', rank: 0 })
    expect(iso(mall.server_time)).toBe(iso(at(DAY)))
    expect(mall.categories).toEqual(expect.arrayContaining([{ code: 'test_coupons', name: '测试优惠券' }, { code: cat, name: '测试礼品' }]))
    expect(mall.items.map((i: any) => i.id)).toEqual([ok, upcoming, silver, limited, soldOut, dear])
    expect(mall.items[0]).toEqual({
      id: ok, kind: 'gift', title: '充电宝', description: '10000mAh', category_code: cat, image_urls: ['/static/mall/powerbank.png'],
      cost_points: 100, face_value_fen: null, stock_remaining: 100, member_limit: null, member_limit_days: null,
      min_tier_code: null, min_tier_name: null, sale_starts_at: null, sale_ends_at: null, voucher_valid_days: 60,
      upcoming: false, member_redeemed: 0, member_limit_left: null, limit_resets_on: null,
      redeemable: false, reason: 'insufficient_points', // 90 points left
    })
    const standing = (i: any) => [i.redeemable, i.reason, i.upcoming, i.member_redeemed, i.member_limit_left, i.limit_resets_on]
    expect(mall.items.slice(1).map(standing)).toEqual([
      [false, 'not_on_sale', true, 0, null, null],
      [false, 'tier_too_low', false, 0, null, null],
      [false, 'limit_reached', false, 1, 0, '2026-12-23'],
      [false, 'out_of_stock', false, 0, null, null],
      [false, 'insufficient_points', false, 0, null, null],
    ])
    expect(mall.items[2]).toMatchObject({ min_tier_code: 'silver', min_tier_name: '银卡会员' })
    // each reason is what redeem_item answers
    for (const i of mall.items) expectError(await redeemAt(at(DAY), m, i.id), 409, i.reason)

    await award(m, 1000, at(DAY)) // → silver (+1000 upgrade bonus)
    const after = await mallAt(at(DAY), m, cat)
    expect(after.balance_points).toBe(2090)
    expect(after.tier).toMatchObject({ code: 'silver' })
    expect(after.items.map((i: any) => i.reason)).toEqual([null, 'not_on_sale', null, 'limit_reached', 'out_of_stock', null])
    expect(after.items.map((i: any) => i.redeemable)).toEqual([true, false, true, false, false, true])

    expect((await mallAt(at(DAY), m)).items.map((i: any) => i.id)).toEqual(expect.arrayContaining([ok, limited]))
    expectError(await db().callAt(at(DAY), 'list_mall_items', { p_category: 'no_such_category' }, { sub: m }), 400, 'invalid_category')
    expect((await db().call('list_mall_items', {}, 'anon')).status).toBe(401)
  })
})

describe('redeem_item', () => {
  test('spends the points FIFO, takes one unit of stock, issues a voucher and records the task event', async () => {
    const m = await aMember(db(), { at: at('2026-10-01') })  // 100 points, lot expires 2027-10-02 00:00 Shanghai
    await award(m, 50, at('2026-11-01'))                       // lot expires 2027-11-02 00:00 Shanghai
    const item = await anItem({ title: '¥10无门槛券', cost_points: 120, stock_remaining: 10,
      image_urls: ['https://cdn.example.com/coupon.png', '/static/2.png'] })
    const requestId = randomUUID()
    const res = await redeemAt(at(DAY), m, item, requestId)
    expect(res.status).toBe(200)
    const id = res.body.id
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      item: { id: item, kind: 'coupon', title: '¥10无门槛券', face_value_fen: 1000, image_url: 'https://cdn.example.com/coupon.png' },
      cost_points: 120,
      voucher_code: expect.stringMatching(/^[0-9]{12}$/),
      status: 'issued',
      created_at: expect.any(String),
      expires_at: expect.any(String),
      verified_at: null,
      verified_store: null,
      cancelled_at: null,
      balance_points: 30,
    })
    expect(iso(res.body.created_at)).toBe(iso(at(DAY)))
    expect(iso(res.body.expires_at)).toBe(iso('2026-12-24T00:00:00+08:00')) // through 2026-12-23, 30 days later

    const { rows: entries } = await db().admin.query(
      `select id, kind, source, ref, amount_points, description, meta from public.point_entries where member_id = $1 and source = 'redemption'`, [m])
    expect(entries).toEqual([{ id: expect.any(String), kind: 'spend', source: 'redemption', ref: `redemption:${id}`, amount_points: -120,
      description: '兑换 ¥10无门槛券', meta: { redemption_id: id, item_id: item } }])
    const { rows: usages } = await db().admin.query(
      `select l.expires_at, u.points from public.point_lot_usages u join public.point_lots l on l.id = u.lot_id
       where u.entry_id = $1 order by l.expires_at`, [entries[0].id])
    expect(usages.map((u) => [iso(u.expires_at), u.points])).toEqual([
      [iso('2027-10-02T00:00:00+08:00'), 100], [iso('2027-11-02T00:00:00+08:00'), 20]])
    expect(await balanceOf(db(), m)).toBe(30)
    expect(await stockOf(item)).toBe(9)

    const row = await redemptionRow(id)
    expect(row).toMatchObject({ member_id: m, item_id: item, item_title: '¥10无门槛券', face_value_fen: 1000, cost_points: 120,
      spend_entry_id: entries[0].id, voucher_code: res.body.voucher_code, status: 'issued', verified_at: null, cancel_entry_id: null })
    // the one-time task 首次积分兑换 counts a redemption once its voucher is used (a cancelled one never counts)
    const events = async () => (await db().admin.query(
      `select ref, business_date::text from public.task_events where member_id = $1 and event = 'item_redeemed'`, [m])).rows
    expect(await events()).toEqual([])
    expect((await db().callAt(at(DAY), 'claim_task', { p_task_code: 'first_redemption' }, { sub: m })).body.message).toBe('task_not_completed')
    expect((await verifyAt(at(DAY, '11:00:00'), SEEDED.staffWang.id, res.body.voucher_code, true)).status).toBe(200)
    expect(await events()).toEqual([{ ref: id, business_date: DAY }])
    expect((await db().callAt(at(DAY), 'claim_task', { p_task_code: 'first_redemption' }, { sub: m })).body).toMatchObject({ points: 100 })

    // members read their own redemptions, nobody else's
    expect((await db().read('redemptions', `select=id,voucher_code&id=eq.${id}`, { sub: m })).body)
      .toEqual([{ id, voucher_code: res.body.voucher_code }])
    expect((await db().read('redemptions', `select=id&id=eq.${id}`, { sub: SEEDED.lin.id })).body).toEqual([])
    expect((await db().read('redemptions', 'select=id', 'anon')).status).toBe(401)
  })

  test('a voucher is valid through the end of the Shanghai business day voucher_valid_days later', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const item = await anItem({ voucher_valid_days: 30 })
    const today = await anItem({ voucher_valid_days: 0 })
    const cases: [string, string, string][] = [
      [item, '2026-11-23T23:30:00+08:00', '2026-12-24T00:00:00+08:00'],
      [item, '2026-11-24T00:10:00+08:00', '2026-12-25T00:00:00+08:00'], // still 2026-11-23 in UTC
      [today, '2026-11-24T00:10:00+08:00', '2026-11-25T00:00:00+08:00'],
    ]
    for (const [it, when, expires] of cases) {
      const res = await redeemAt(when, m, it)
      expect(iso(res.body.expires_at)).toBe(iso(expires))
    }
  })

  test('each refusal changes nothing: balance, lots, stock, redemptions, events, request ids', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') }) // 100 points
    const limited = await anItem({ member_limit: 1 })
    expect((await redeemAt(at(DAY), m, limited)).status).toBe(200)
    const cases: [string, number, string][] = [
      [randomUUID(), 404, 'item_not_found'],
      [await anItem({ active: false }), 404, 'item_not_found'],
      [await anItem({ sale_starts_at: at(DAY, '10:00:01') }), 409, 'not_on_sale'],
      [await anItem({ sale_ends_at: at(DAY, '10:00:00') }), 409, 'not_on_sale'],
      [await anItem({ min_tier_code: 'gold' }), 409, 'tier_too_low'],
      [limited, 409, 'limit_reached'],
      [await anItem({ stock_remaining: 0 }), 409, 'out_of_stock'],
      [await anItem({ cost_points: 91 }), 409, 'insufficient_points'],
    ]
    for (const [item, status, code] of cases) {
      const before = await snapshot(m, item)
      const res = await redeemAt(at(DAY), m, item)
      expect([item, res.status, res.body.message]).toEqual([item, status, code])
      expect(await snapshot(m, item)).toEqual(before)
    }
    const item = await anItem()
    const before = await snapshot(m, item)
    expectError(await redeemAt(at(DAY), m, item, null), 400, 'request_id_required')
    expectError(await db().callAt(at(DAY), 'redeem_item', { p_item_id: item }, { sub: m }), 400, 'request_id_required')
    expect((await db().callAt(at(DAY), 'redeem_item', { p_item_id: 'nope', p_request_id: randomUUID() }, { sub: m })).status).toBe(400)
    expect((await db().call('redeem_item', { p_item_id: item, p_request_id: randomUUID() }, 'anon')).status).toBe(401)
    expect(await snapshot(m, item)).toEqual(before)
  })

  test('a refused call stores nothing under its request id: the same id succeeds once the member can', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const item = await anItem({ cost_points: 150 })
    const requestId = randomUUID()
    expectError(await redeemAt(at(DAY), m, item, requestId), 409, 'insufficient_points')
    await award(m, 50, at(DAY))
    const res = await redeemAt(at(DAY), m, item, requestId)
    expect([res.status, res.body.balance_points]).toEqual([200, 0])
  })

  test('request id: a retry returns the first result, the same id for another item is refused', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const item = await anItem()
    const requestId = randomUUID()
    const first = await redeemAt(at(DAY), m, item, requestId)
    expect(first.status).toBe(200)
    const retry = await redeemAt(at(DAY, '10:05:00'), m, item, requestId)
    expect(retry).toEqual(first)
    expect(await stockOf(item)).toBe(99)
    expect(await balanceOf(db(), m)).toBe(90)
    expect((await snapshot(m, item)).redemptions).toBe(1)
    expectError(await redeemAt(at(DAY), m, await anItem(), requestId), 409, 'request_id_reused')
    // even after the voucher was cancelled, the retry answers what the first call did
    expect((await cancelAt(at(DAY), m, first.body.id)).status).toBe(200)
    expect(await redeemAt(at(DAY), m, item, requestId)).toEqual(first)
    expect(await stockOf(item)).toBe(100)
  })

  test('10 parallel calls with one request id: one redemption, every caller gets it', async () => {
    const m = await aMember(db())
    const item = await anItem()
    const requestId = randomUUID()
    const results = await Promise.all(Array.from({ length: 10 }, () =>
      db().call('redeem_item', { p_item_id: item, p_request_id: requestId }, { sub: m })))
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200))
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1)
    expect(await stockOf(item)).toBe(99)
    expect(await balanceOf(db(), m)).toBe(90)
  })
})

describe('limits, tiers, sale window', () => {
  test('member_limit without days counts non-cancelled redemptions over all time', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const item = await anItem({ member_limit: 2 })
    expect((await redeemAt(at(DAY), m, item)).status).toBe(200)
    const second = await redeemAt(at(DAY), m, item)
    expect(second.status).toBe(200)
    expectError(await redeemAt(at(DAY), m, item), 409, 'limit_reached')
    // a cancelled redemption frees its slot
    expect((await cancelAt(at(DAY), m, second.body.id)).status).toBe(200)
    expect(await itemIn(at(DAY), m, item)).toMatchObject({ member_redeemed: 1, member_limit_left: 1, redeemable: true })
    expect((await redeemAt(at(DAY), m, item)).status).toBe(200)
    // still used up two years later (and expired vouchers still count)
    await award(m, 100, at('2028-12-01'))
    expectError(await redeemAt(at('2028-12-01'), m, item), 409, 'limit_reached')
    expect(await itemIn(at('2028-12-01'), m, item)).toMatchObject({
      member_redeemed: 2, member_limit_left: 0, limit_resets_on: null, redeemable: false, reason: 'limit_reached' })
    // the limit is per member
    const other = await aMember(db(), { at: at('2026-11-01') })
    expect((await redeemAt(at(DAY), other, item)).status).toBe(200)
  })

  test('member_limit per N days: a rolling window of N business days (Shanghai)', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    await award(m, 500, at('2026-11-01'))
    const monthly = await anItem({ member_limit: 1, member_limit_days: 30 })
    expect((await redeemAt(at(DAY, '23:59:00'), m, monthly)).status).toBe(200)
    const lastDay = at('2026-12-22', '23:59:59') // day 30 of the window that starts on 11-23
    expectError(await redeemAt(lastDay, m, monthly), 409, 'limit_reached')
    expect(await itemIn(lastDay, m, monthly)).toMatchObject({ member_redeemed: 1, member_limit_left: 0, limit_resets_on: '2026-12-23' })
    const nextDay = at('2026-12-23', '00:00:00')
    expect(await itemIn(nextDay, m, monthly)).toMatchObject({ member_redeemed: 0, member_limit_left: 1, limit_resets_on: null, redeemable: true })
    expect((await redeemAt(nextDay, m, monthly)).status).toBe(200)
    expectError(await redeemAt(nextDay, m, monthly), 409, 'limit_reached')

    // 2 per 7 days: days 1 and 3 used → refused through day 7; day 8 drops day 1 out of the window
    const weekly = await anItem({ member_limit: 2, member_limit_days: 7 })
    expect((await redeemAt(at('2026-12-01'), m, weekly)).status).toBe(200)
    expect((await redeemAt(at('2026-12-03'), m, weekly)).status).toBe(200)
    expectError(await redeemAt(at('2026-12-07', '23:59:59'), m, weekly), 409, 'limit_reached')
    expect(await itemIn(at('2026-12-07'), m, weekly)).toMatchObject({ member_redeemed: 2, limit_resets_on: '2026-12-08' })
    expect((await redeemAt(at('2026-12-08', '00:00:00'), m, weekly)).status).toBe(200)
    expectError(await redeemAt(at('2026-12-09'), m, weekly), 409, 'limit_reached')
    expect(await itemIn(at('2026-12-09'), m, weekly)).toMatchObject({ member_redeemed: 2, limit_resets_on: '2026-12-10' })
  })

  test('tier restriction: the member current tier rank must reach the item tier rank', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const silver = await anItem({ min_tier_code: 'silver' })
    const gold = await anItem({ min_tier_code: 'gold' })
    const basic = await anItem({ min_tier_code: 'basic' })
    expectError(await redeemAt(at(DAY), m, silver), 409, 'tier_too_low')
    expect((await redeemAt(at(DAY), m, basic)).status).toBe(200)
    await award(m, 1000, at(DAY)) // silver
    expect((await redeemAt(at(DAY), m, silver)).status).toBe(200)
    expectError(await redeemAt(at(DAY), m, gold), 409, 'tier_too_low')
    expect(await itemIn(at(DAY), m, gold)).toMatchObject({ min_tier_name: '金卡会员', reason: 'tier_too_low' })
  })

  test('sale window: upcoming is listed and refused, open from sale_starts_at, gone at sale_ends_at', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const item = await anItem({ sale_starts_at: at('2026-12-01'), sale_ends_at: at('2026-12-08') })
    const before = at('2026-12-01', '09:59:59')
    expectError(await redeemAt(before, m, item), 409, 'not_on_sale')
    expect(await itemIn(before, m, item)).toMatchObject({ upcoming: true, redeemable: false, reason: 'not_on_sale' })
    expect(await itemIn(at('2026-12-01'), m, item)).toMatchObject({ upcoming: false, redeemable: true, reason: null })
    expect((await redeemAt(at('2026-12-01'), m, item)).status).toBe(200)
    expect((await redeemAt(at('2026-12-08', '09:59:59'), m, item)).status).toBe(200)
    expectError(await redeemAt(at('2026-12-08'), m, item), 409, 'not_on_sale')
    expect(await itemIn(at('2026-12-08'), m, item)).toBeUndefined()
  })
})

describe('cancel_redemption', () => {
  test('returns the points lot by lot with their ORIGINAL expiry, and the stock; cancelling again changes nothing', async () => {
    const m = await aMember(db(), { at: at('2026-02-10') }) // 100, lot expires 2027-02-11 00:00 Shanghai
    await award(m, 80, at('2026-06-15'))                      // expires 2027-06-16
    await award(m, 50, at('2026-09-30'))                      // expires 2027-10-01
    const item = await anItem({ kind: 'membership', title: '1个月会员', cost_points: 200, face_value_fen: null, stock_remaining: 5 })
    const red = await redeemAt(at(DAY), m, item)
    expect(red.body.balance_points).toBe(30)
    expect(await stockOf(item)).toBe(4)

    const res = await cancelAt(at('2026-11-30'), m, red.body.id)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: red.body.id, status: 'cancelled', refunded_points: 200, balance_points: 230,
      voucher_code: red.body.voucher_code, verified_at: null })
    expect(iso(res.body.cancelled_at)).toBe(iso(at('2026-11-30')))
    expect(await stockOf(item)).toBe(5)
    expect(await balanceOf(db(), m)).toBe(230)

    const row = await redemptionRow(red.body.id)
    expect(row.status).toBe('cancelled')
    const { rows: reversal } = await db().admin.query(
      'select kind, source, ref, amount_points, reverses_entry_id, description from public.point_entries where id = $1', [row.cancel_entry_id])
    expect(reversal).toEqual([{ kind: 'reverse', source: 'redemption', ref: `reverse:${row.spend_entry_id}`, amount_points: 200,
      reverses_entry_id: row.spend_entry_id, description: '取消兑换 1个月会员' }])
    // new lots, one per lot the spend took, each keeping that lot's expiry (not a fresh 12 months)
    const { rows: lots } = await db().admin.query(
      'select earned_points, remaining_points, expires_at from public.point_lots where entry_id = $1 order by expires_at', [row.cancel_entry_id])
    expect(lots.map((l) => [l.earned_points, l.remaining_points, iso(l.expires_at)])).toEqual([
      [100, 100, iso('2027-02-11T00:00:00+08:00')],
      [80, 80, iso('2027-06-16T00:00:00+08:00')],
      [20, 20, iso('2027-10-01T00:00:00+08:00')],
    ])

    const again = await cancelAt(at('2026-12-01'), m, red.body.id)
    expect(again).toEqual(res)
    const requestId = randomUUID()
    expect(await cancelAt(at('2026-12-01'), m, red.body.id, { p_request_id: requestId })).toEqual(res)
    expect(await cancelAt(at('2026-12-01'), m, red.body.id, { p_request_id: requestId })).toEqual(res)
    expect(await balanceOf(db(), m)).toBe(230)
    expect(await stockOf(item)).toBe(5)
    expect((await one(`select count(*)::int as n from public.point_entries where member_id = $1 and kind = 'reverse'`, [m])).n).toBe(1)
  })

  test('only one own, issued, unexpired voucher can be cancelled; refusals change nothing', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const other = await aMember(db(), { at: at('2026-11-01') })
    const item = await anItem({ voucher_valid_days: 30 })
    const [a, b, c] = [await redeemAt(at(DAY), m, item), await redeemAt(at(DAY), m, item), await redeemAt(at(DAY), m, item)]
    expect((await verifyAt(at(DAY), SEEDED.staffWang.id, b.body.voucher_code, true)).status).toBe(200)
    const before = await snapshot(m, item)

    expectError(await cancelAt(at(DAY), other, a.body.id), 404, 'redemption_not_found')
    expectError(await cancelAt(at(DAY), m, randomUUID()), 404, 'redemption_not_found')
    expectError(await cancelAt(at(DAY), m, b.body.id), 409, 'already_verified')
    const expiry = '2026-12-24T00:00:00+08:00'
    expect(iso(c.body.expires_at)).toBe(iso(expiry))
    expectError(await cancelAt(expiry, m, c.body.id), 409, 'voucher_expired')
    expect(await snapshot(m, item)).toEqual(before)
    // one second before its expiry a voucher can still be given back
    expect((await cancelAt('2026-12-23T23:59:59+08:00', m, c.body.id)).body).toMatchObject({ status: 'cancelled', refunded_points: 10 })
    expect((await cancelAt(at(DAY), other, a.body.id, { p_request_id: randomUUID() })).status).toBe(404)
  })

  test('the database lets a status change once, from issued only', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const red = await redeemAt(at(DAY), m, await anItem())
    expect((await cancelAt(at(DAY), m, red.body.id)).status).toBe(200)
    await expect(db().admin.query(`update public.redemptions set status = 'issued', cancelled_at = null, cancel_entry_id = null where id = $1`,
      [red.body.id])).rejects.toMatchObject({ code: '42501' })
    await expect(db().admin.query(`update public.redemptions set cost_points = 1 where id = $1`, [red.body.id])).rejects.toMatchObject({ code: '42501' })
    await expect(db().admin.query(`delete from public.redemptions where id = $1`, [red.body.id])).rejects.toMatchObject({ code: '42501' })
  })
})

describe('list_my_redemptions', () => {
  test('own redemptions newest first with derived status, filters and paging', async () => {
    const m = await aMember(db(), { at: at('2026-10-01') })
    const item = await anItem({ kind: 'gift', title: '充电宝', image_urls: ['/static/pb.png'], voucher_valid_days: 10 })
    const r1 = (await redeemAt(at('2026-11-01'), m, item)).body // expires 2026-11-12: expired by DAY
    const r2 = (await redeemAt(at('2026-11-20'), m, item)).body
    const r3 = (await redeemAt(at('2026-11-21'), m, item)).body
    const r4 = (await redeemAt(at('2026-11-22'), m, item)).body
    expect((await cancelAt(at('2026-11-22'), m, r2.id)).status).toBe(200)
    expect((await verifyAt(at('2026-11-22', '12:00:00'), SEEDED.staffWang.id, r3.voucher_code, true)).status).toBe(200)
    await aMember(db(), { at: at('2026-10-01') }).then((o) => redeemAt(at('2026-11-22'), o, item))

    const list = async (args: Record<string, unknown> = {}) => {
      const res = await db().callAt(at(DAY), 'list_my_redemptions', args, { sub: m })
      expect(res.status).toBe(200)
      return res.body
    }
    const all = await list()
    expect(all.map((r: any) => [r.id, r.status])).toEqual([[r4.id, 'issued'], [r3.id, 'verified'], [r2.id, 'cancelled'], [r1.id, 'expired']])
    expect(all[1]).toMatchObject({
      item: { id: item, kind: 'gift', title: '充电宝', face_value_fen: 1000, image_url: '/static/pb.png' },
      voucher_code: r3.voucher_code, cost_points: 10, verified_store: { id: STORE, name: '悦享咖啡·静安寺店' },
    })
    expect(iso(all[1].verified_at)).toBe(iso(at('2026-11-22', '12:00:00')))
    for (const [status, ids] of [['issued', [r4.id]], ['verified', [r3.id]], ['cancelled', [r2.id]], ['expired', [r1.id]]] as const) {
      expect((await list({ p_status: status })).map((r: any) => r.id)).toEqual(ids)
    }
    const page1 = await list({ p_limit: 2 })
    expect(page1.map((r: any) => r.id)).toEqual([r4.id, r3.id])
    expect((await list({ p_limit: 2, p_before: page1[1].created_at })).map((r: any) => r.id)).toEqual([r2.id, r1.id])
    expect(await list({ p_before: at('2026-10-01') })).toEqual([])

    expectError(await db().callAt(at(DAY), 'list_my_redemptions', { p_status: 'used' }, { sub: m }), 400, 'invalid_status')
    for (const p_limit of [0, 101, null]) {
      expectError(await db().callAt(at(DAY), 'list_my_redemptions', { p_limit }, { sub: m }), 400, 'invalid_limit')
    }
    expect((await db().callAt(at(DAY), 'list_my_redemptions', {}, { sub: SEEDED.managerLi.id })).body).toEqual([])
    expect((await db().call('list_my_redemptions', {}, 'anon')).status).toBe(401)
  })
})

describe('staff_verify_redemption', () => {
  test('staff never verify their own voucher; another staff member may', async () => {
    await award(SEEDED.staffWang.id, 50)
    const item = await anItem()
    const red = (await redeemAt(at(DAY), SEEDED.staffWang.id, item)).body
    const own = await verifyAt(at(DAY, '11:00:00'), SEEDED.staffWang.id, red.voucher_code, true)
    expect([own.status, own.body.message]).toEqual([403, 'cannot_verify_self'])
    expect(await redemptionRow(red.id)).toMatchObject({ status: 'issued' })
    expect(await auditRows(red.id)).toEqual([])
    expect((await verifyAt(at(DAY, '11:01:00'), SEEDED.managerLi.id, red.voucher_code, true)).body.status).toBe('verified')
  })

  test('preview shows the voucher and audits it without changing it; confirm verifies once', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const member = await one('select nickname, phone from public.members where id = $1', [m])
    const item = await anItem({ title: '¥10无门槛券', face_value_fen: 1000 })
    const red = (await redeemAt(at(DAY), m, item)).body
    const code: string = red.voucher_code
    const typed = `${code.slice(0, 4)}-${code.slice(4, 8)} ${code.slice(8)}`

    const preview = await verifyAt(at(DAY, '11:00:00'), SEEDED.staffWang.id, typed, false)
    expect(preview.status).toBe(200)
    expect(preview.body).toMatchObject({
      id: red.id, voucher_code: code, status: 'issued', cost_points: 10, verified_at: null, verified_by: null, verified_store: null,
      item: { id: item, kind: 'coupon', title: '¥10无门槛券', face_value_fen: 1000 },
      member: { nickname: member.nickname, phone: `${member.phone.slice(0, 3)}****${member.phone.slice(7)}` },
    })
    expect(iso(preview.body.expires_at)).toBe(iso(red.expires_at))
    expect(await redemptionRow(red.id)).toMatchObject({ status: 'issued', verified_at: null })
    expect(await auditRows(red.id)).toEqual([{ action: 'preview_redemption', staff_member_id: SEEDED.staffWang.id, store_id: STORE,
      member_id: m, ref: red.id, points: 10, amount_fen: '1000', detail: { voucher_code: code, status: 'issued', item_title: '¥10无门槛券' } }])
    // the default is the preview
    expect((await db().callAt(at(DAY), 'staff_verify_redemption', { p_voucher_code: code }, { sub: SEEDED.staffWang.id })).body.status).toBe('issued')

    const confirm = await verifyAt(at(DAY, '11:01:00'), SEEDED.staffWang.id, code, true)
    expect(confirm.status).toBe(200)
    expect(confirm.body).toMatchObject({ id: red.id, status: 'verified', verified_store: { id: STORE, name: '悦享咖啡·静安寺店' },
      verified_by: { staff_member_id: SEEDED.staffWang.id, nickname: '店员王芳' } })
    expect(iso(confirm.body.verified_at)).toBe(iso(at(DAY, '11:01:00')))
    expect(await redemptionRow(red.id)).toMatchObject({ status: 'verified', verified_by_staff_id: SEEDED.staffWang.id, verified_store_id: STORE })
    const audit = await auditRows(red.id)
    expect(audit.map((a) => a.action)).toEqual(['preview_redemption', 'preview_redemption', 'verify_redemption'])
    expect(audit[2]).toEqual({ action: 'verify_redemption', staff_member_id: SEEDED.staffWang.id, store_id: STORE, member_id: m,
      ref: red.id, points: 10, amount_fen: '1000', detail: { voucher_code: code, item_id: item, item_title: '¥10无门槛券' } })

    expectError(await verifyAt(at(DAY, '11:02:00'), SEEDED.managerLi.id, code, true), 409, 'already_verified')
    const after = await verifyAt(at(DAY, '11:03:00'), SEEDED.managerLi.id, code, false)
    expect(after.body).toMatchObject({ status: 'verified', verified_by: { staff_member_id: SEEDED.staffWang.id } })
    expect((await auditRows(red.id)).map((a) => a.action)).toEqual(['preview_redemption', 'preview_redemption', 'verify_redemption', 'preview_redemption'])
    // the ledger is untouched by verification
    expect(await balanceOf(db(), m)).toBe(90)
  })

  test('codes are normalised and checked; unknown, cancelled and expired vouchers are refused and nothing changes', async () => {
    const staff = SEEDED.staffWang.id
    for (const code of [null, '', '12345678901', '1234567890123', '12345678901a', '１２３４５６７８９０１２']) {
      expectError(await verifyAt(at(DAY), staff, code, false), 400, 'invalid_voucher_code')
      expectError(await verifyAt(at(DAY), staff, code, true), 400, 'invalid_voucher_code')
    }
    const m = await aMember(db(), { at: at('2026-11-01') })
    const item = await anItem({ voucher_valid_days: 30 })
    const cancelled = (await redeemAt(at(DAY), m, item)).body
    const expiring = (await redeemAt(at(DAY), m, item)).body
    expect((await cancelAt(at(DAY), m, cancelled.id)).status).toBe(200)
    const unknown = cancelled.voucher_code === '000000000000' ? '000000000001' : '000000000000'
    expectError(await verifyAt(at(DAY), staff, unknown, false), 404, 'voucher_not_found')
    expectError(await verifyAt(at(DAY), staff, unknown, true), 404, 'voucher_not_found')

    const before = await snapshot(m, item)
    const audits = (await one('select count(*)::int as n from public.staff_actions')).n
    expectError(await verifyAt(at(DAY), staff, cancelled.voucher_code, true), 409, 'redemption_cancelled')
    const expiry = '2026-12-24T00:00:00+08:00'
    expectError(await verifyAt(expiry, staff, expiring.voucher_code, true), 409, 'voucher_expired')
    expect(await snapshot(m, item)).toEqual(before)
    expect((await one('select count(*)::int as n from public.staff_actions')).n).toBe(audits)
    expect((await verifyAt(at(DAY), staff, cancelled.voucher_code, false)).body.status).toBe('cancelled')
    expect((await verifyAt(expiry, staff, expiring.voucher_code, false)).body.status).toBe('expired')
    // the last second of its last day it is still good
    expect((await verifyAt('2026-12-23T23:59:59+08:00', staff, expiring.voucher_code, true)).body.status).toBe('verified')
  })

  test('only active staff; any store verifies any member voucher, recorded at the verifying staff store', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const red = (await redeemAt(at(DAY), m, await anItem())).body
    expectError(await verifyAt(at(DAY), m, red.voucher_code, false), 403, 'not_staff')
    expectError(await verifyAt(at(DAY), SEEDED.lin.id, red.voucher_code, true), 403, 'not_staff')
    expect((await db().call('staff_verify_redemption', { p_voucher_code: red.voucher_code }, 'anon')).status).toBe(401)
    expect(await auditRows(red.id)).toEqual([])

    const elsewhere = await aMember(db())
    await db().admin.query(`insert into public.staff (member_id, store_id, role) values ($1, $2, 'clerk')`, [elsewhere, OTHER_STORE])
    const res = await verifyAt(at(DAY), elsewhere, red.voucher_code, true)
    expect(res.body).toMatchObject({ status: 'verified', verified_store: { id: OTHER_STORE, name: '悦享咖啡·徐家汇店' } })
    expect((await auditRows(red.id)).map((a) => [a.action, a.store_id])).toEqual([['verify_redemption', OTHER_STORE]])
  })

  test('a confirm retried with its request id returns the first success; the id is the staff member own', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const item = await anItem()
    const red = (await redeemAt(at(DAY), m, item)).body
    const other = (await redeemAt(at(DAY), m, item)).body
    const requestId = randomUUID()
    const first = await verifyAt(at(DAY), SEEDED.staffWang.id, red.voucher_code, true, { p_request_id: requestId })
    expect(first.body.status).toBe('verified')
    const retry = await verifyAt(at(DAY, '10:01:00'), SEEDED.staffWang.id, `${red.voucher_code.slice(0, 6)} ${red.voucher_code.slice(6)}`, true, { p_request_id: requestId })
    expect(retry).toEqual(first)
    expectError(await verifyAt(at(DAY), SEEDED.staffWang.id, other.voucher_code, true, { p_request_id: requestId }), 409, 'request_id_reused')
    // another staff member with the same id is another request: that voucher is verified already
    expectError(await verifyAt(at(DAY), SEEDED.managerLi.id, red.voucher_code, true, { p_request_id: requestId }), 409, 'already_verified')
    expect((await auditRows(red.id)).map((a) => a.action)).toEqual(['verify_redemption'])
  })
})

// Concurrency runs on the real clock: pinned-clock API pools are small.
describe('concurrency', () => {
  test('200 members redeem an item with stock 50 at once: exactly 50 succeed, stock 0, 50 spends', async () => {
    const members = await Promise.all(Array.from({ length: 200 }, () => aMember(db())))
    await db().admin.query(`select private.award_points(id, 'adjustment', 100, 'mall-race') from unnest($1::uuid[]) id`, [members])
    const item = await anItem({ cost_points: 150, stock_remaining: 50 })
    const results = await Promise.all(members.map((m) => db().call('redeem_item', { p_item_id: item, p_request_id: randomUUID() }, { sub: m })))
    const ok = results.filter((r) => r.status === 200)
    expect(ok).toHaveLength(50)
    expect(results.filter((r) => r.status !== 200).map((r) => [r.status, r.body.message])).toEqual(Array(150).fill([409, 'out_of_stock']))
    expect(await stockOf(item)).toBe(0)
    const { rows: [counts] } = await db().admin.query(`select
        (select count(*)::int from public.redemptions where item_id = $1) as redemptions,
        (select count(distinct voucher_code)::int from public.redemptions where item_id = $1) as codes,
        (select count(*)::int from public.point_entries where source = 'redemption' and kind = 'spend' and meta ->> 'item_id' = $1::text) as spends,
        (select count(*)::int from public.redemptions r join public.point_entries e on e.id = r.spend_entry_id
          where r.item_id = $1 and e.ref = 'redemption:' || r.id and e.amount_points = -150) as linked`, [item])
    expect(counts).toEqual({ redemptions: 50, codes: 50, spends: 50, linked: 50 })
    const winners = new Set(ok.map((r) => r.body.id))
    expect(winners.size).toBe(50)
    const balances = await Promise.all(members.map((m) => balanceOf(db(), m)))
    expect(balances.filter((b) => b === 50)).toHaveLength(50)
    expect(balances.filter((b) => b === 200)).toHaveLength(150)
  })

  test('one member, 20 parallel redemptions of an item limited to 1: exactly one succeeds', async () => {
    const m = await aMember(db())
    await award(m, 500) // enough for all 20 (below silver: no upgrade bonus)
    const item = await anItem({ member_limit: 1, cost_points: 10 })
    const results = await Promise.all(Array.from({ length: 20 }, () =>
      db().call('redeem_item', { p_item_id: item, p_request_id: randomUUID() }, { sub: m })))
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.filter((r) => r.status !== 200).map((r) => r.body.message)).toEqual(Array(19).fill('limit_reached'))
    expect(await stockOf(item)).toBe(99)
    expect(await balanceOf(db(), m)).toBe(590)
    expect((await one('select count(*)::int as n from public.redemptions where item_id = $1', [item])).n).toBe(1)
  })

  test('20 parallel confirms of one voucher: exactly one verifies, the rest are already_verified, one audit row', async () => {
    const m = await aMember(db())
    const red = (await db().call('redeem_item', { p_item_id: await anItem(), p_request_id: randomUUID() }, { sub: m })).body
    const staff = [SEEDED.staffWang.id, SEEDED.managerLi.id]
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      db().call('staff_verify_redemption', { p_voucher_code: red.voucher_code, p_confirm: true, p_request_id: randomUUID() }, { sub: staff[i % 2] })))
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.filter((r) => r.status !== 200).map((r) => [r.status, r.body.message])).toEqual(Array(19).fill([409, 'already_verified']))
    expect((await auditRows(red.id)).map((a) => a.action)).toEqual(['verify_redemption'])
    expect((await redemptionRow(red.id)).status).toBe('verified')
  })

  test('a cancel racing a confirm of the same voucher: exactly one wins, the other is refused', async () => {
    const m = await aMember(db())
    const item = await anItem()
    for (let round = 0; round < 10; round++) {
      const red = (await db().call('redeem_item', { p_item_id: item, p_request_id: randomUUID() }, { sub: m })).body
      const [cancel, confirm] = await Promise.all([
        db().call('cancel_redemption', { p_redemption_id: red.id }, { sub: m }),
        db().call('staff_verify_redemption', { p_voucher_code: red.voucher_code, p_confirm: true }, { sub: SEEDED.staffWang.id }),
      ])
      const outcome = [cancel.status === 200 ? 'cancelled' : cancel.body.message, confirm.status === 200 ? 'verified' : confirm.body.message]
      expect([['cancelled', 'redemption_cancelled'], ['already_verified', 'verified']]).toContainEqual(outcome)
      expect((await redemptionRow(red.id)).status).toBe(outcome.includes('cancelled') ? 'cancelled' : 'verified')
    }
    const { rows: [n] } = await db().admin.query(`select
        (select count(*)::int from public.redemptions where item_id = $1 and status = 'issued') as issued,
        (select count(*)::int from public.redemptions where item_id = $1 and status <> 'cancelled') as kept`, [item])
    expect(n.issued).toBe(0)
    expect(await stockOf(item)).toBe(100 - n.kept)
    expect(await balanceOf(db(), m)).toBe(100 - 10 * n.kept)
  })
})
