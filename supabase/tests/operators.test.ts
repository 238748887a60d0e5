// Operators (issue 15, first part): the role, the audit trail, and the catalog RPCs — create, edit, publish,
// adjust stock — each checking the role first, refusing bad input with a stable code and changing nothing then,
// auditing what it changed, and never touching what members already redeemed.
import { randomUUID } from 'node:crypto'
import { expectLedgerInvariants, useSeededDb } from '../../test/support/db'
import { aMember, phoneOf, SEEDED } from '../../test/factories/members'

const db = useSeededDb()
const OPERATOR = { sub: SEEDED.operatorZhao.id }
type Res = { status: number; body: any }
const expectError = (res: Res, status: number, code: string) => expect([res.status, res.body?.message]).toEqual([status, code])

const ITEM = { p_kind: 'coupon', p_title: '¥5 拿铁券', p_category_code: 'coupons', p_cost_points: 50, p_stock: 3, p_face_value_fen: 500 }
const save = (args: Record<string, unknown>, caller: object = OPERATOR) => db().call('op_save_mall_item', args, caller as never)
const auditOf = async (id: string) =>
  (await db().admin.query(`select action, before, after, reason, actor_id from public.operator_audit where target_id = $1 order by id`, [id])).rows
const itemRow = async (id: string) => (await db().admin.query('select * from public.mall_items where id = $1', [id])).rows[0]

async function aPublishedItem(args: Record<string, unknown> = {}): Promise<string> {
  const created = await save({ ...ITEM, ...args })
  expect(created.status).toBe(200)
  expect((await db().call('op_set_mall_item_active', { p_item_id: created.body.id, p_active: true }, OPERATOR)).status).toBe(200)
  return created.body.id
}

test('only an active operator may call the operator RPCs: members, clerks and managers get not_operator', async () => {
  const member = await aMember(db())
  for (const caller of [{ sub: member }, { sub: SEEDED.staffWang.id }, { sub: SEEDED.managerLi.id }]) {
    expectError(await save(ITEM, caller), 403, 'not_operator')
    expectError(await db().call('op_list_audit', {}, caller), 403, 'not_operator')
  }
  expect((await db().call('op_save_mall_item', ITEM, 'anon')).status).toBe(401)
  await db().admin.query('update public.operators set active = false where member_id = $1', [SEEDED.operatorZhao.id])
  try {
    expectError(await save(ITEM), 403, 'not_operator')
  } finally {
    await db().admin.query('update public.operators set active = true where member_id = $1', [SEEDED.operatorZhao.id])
  }
  expect((await db().admin.query('select count(*)::int as n from public.operator_audit')).rows[0].n).toBe(0)
})

test('an operator creates an item (unpublished), edits it and publishes it; each write is audited with before → after', async () => {
  const created = await save({ ...ITEM, p_title: '  ¥5 拿铁券 ' })
  expect(created.status).toBe(200)
  expect(created.body).toMatchObject({ title: '¥5 拿铁券', stock_remaining: 3, active: false, cost_points: 50 })
  const id = created.body.id
  const listed = async () => ((await db().call('list_mall_items', {}, { sub: SEEDED.lin.id })).body.items as { id: string }[]).some((i) => i.id === id)
  expect(await listed()).toBe(false)

  const edited = await save({ ...ITEM, p_stock: undefined, p_item_id: id, p_cost_points: 60, p_title: '¥5 拿铁券（新）' })
  expect(edited.status).toBe(200)
  expect(edited.body).toMatchObject({ cost_points: 60, title: '¥5 拿铁券（新）', stock_remaining: 3 })
  const published = await db().call('op_set_mall_item_active', { p_item_id: id, p_active: true }, OPERATOR)
  expect(published.body.active).toBe(true)
  // the same state again: nothing to change, nothing audited
  expect((await db().call('op_set_mall_item_active', { p_item_id: id, p_active: true }, OPERATOR)).status).toBe(200)
  expect(await listed()).toBe(true)

  const audit = await auditOf(id)
  expect(audit.map((a) => a.action)).toEqual(['create_mall_item', 'update_mall_item', 'publish_mall_item'])
  expect(audit.every((a) => a.actor_id === SEEDED.operatorZhao.id)).toBe(true)
  expect(audit[0].before).toBeNull()
  expect([audit[1].before.cost_points, audit[1].after.cost_points]).toEqual([50, 60])
  expect([audit[2].before, audit[2].after]).toEqual([{ active: false }, { active: true }])
  const trail = await db().call('op_list_audit', { p_target_table: 'mall_items', p_target_id: id }, OPERATOR)
  expect(trail.body.map((a: { action: string }) => a.action)).toEqual(['publish_mall_item', 'update_mall_item', 'create_mall_item'])
})

test.each([
  ['invalid_item_kind', { p_kind: 'car' }],
  ['invalid_title', { p_title: ' \u3000 ' }],
  ['invalid_title', { p_title: '一'.repeat(31) }],
  ['invalid_description', { p_description: '一'.repeat(501) }],
  ['invalid_category', { p_category_code: 'nope' }],
  ['invalid_image_urls', { p_image_urls: ['javascript:alert(1)'] }],
  ['invalid_cost_points', { p_cost_points: 0 }],
  ['invalid_face_value', { p_face_value_fen: -1 }],
  ['invalid_stock', { p_stock: -1 }],
  ['invalid_stock', { p_stock: null }],
  ['invalid_member_limit', { p_member_limit: 0 }],
  ['invalid_member_limit', { p_member_limit_days: 7 }],
  ['invalid_tier', { p_min_tier_code: 'diamond' }],
  ['invalid_sale_window', { p_sale_starts_at: '2026-12-10T00:00:00Z', p_sale_ends_at: '2026-12-01T00:00:00Z' }],
  ['invalid_sale_window', { p_sale_ends_at: 'infinity' }],
  ['invalid_voucher_valid_days', { p_voucher_valid_days: 3661 }],
])('%s (%j): 400, nothing created, nothing audited', async (code, bad) => {
  const count = async () => (await db().admin.query('select (select count(*) from public.mall_items) + (select count(*) from public.operator_audit) as n')).rows[0].n
  const before = await count()
  expectError(await save({ ...ITEM, ...bad }), 400, code)
  expect(await count()).toBe(before)
})

test('an edit cannot set the stock or reach an item that does not exist', async () => {
  const id = await aPublishedItem()
  expectError(await save({ ...ITEM, p_item_id: id }), 400, 'invalid_stock')
  expectError(await save({ ...ITEM, p_stock: undefined, p_item_id: randomUUID() }), 404, 'item_not_found')
  expectError(await db().call('op_set_mall_item_active', { p_item_id: randomUUID(), p_active: false }, OPERATOR), 404, 'item_not_found')
  expectError(await db().call('op_adjust_item_stock', { p_item_id: randomUUID(), p_delta: 1, p_reason: '盘点' }, OPERATOR), 404, 'item_not_found')
})

test('an edit never changes a voucher already issued: it keeps the title and face value it was redeemed under', async () => {
  const id = await aPublishedItem({ p_cost_points: 10 })
  const redeemed = await db().call('redeem_item', { p_item_id: id, p_request_id: randomUUID() }, { sub: SEEDED.lin.id })
  expect(redeemed.status).toBe(200)
  expect((await save({ ...ITEM, p_stock: undefined, p_item_id: id, p_title: '改名了', p_face_value_fen: 800, p_cost_points: 20 })).status).toBe(200)
  const mine = await db().call('list_my_redemptions', {}, { sub: SEEDED.lin.id })
  const voucher = mine.body.find((r: { id: string }) => r.id === redeemed.body.id)
  expect(voucher).toMatchObject({ cost_points: 10, item: { title: '¥5 拿铁券', face_value_fen: 500 } })
  await expectLedgerInvariants(db())
})

test('stock adjustments: a reason is required, audited; stock never goes below zero (what is redeemed stays redeemed)', async () => {
  const id = await aPublishedItem({ p_stock: 2, p_cost_points: 10 })
  expectError(await db().call('op_adjust_item_stock', { p_item_id: id, p_delta: 5, p_reason: '  ' }, OPERATOR), 400, 'invalid_change_reason')
  expectError(await db().call('op_adjust_item_stock', { p_item_id: id, p_delta: 0, p_reason: '盘点' }, OPERATOR), 400, 'invalid_stock_delta')
  const added = await db().call('op_adjust_item_stock', { p_item_id: id, p_delta: 5, p_reason: '到货 5 张' }, OPERATOR)
  expect(added.body.stock_remaining).toBe(7)
  expect((await db().call('redeem_item', { p_item_id: id, p_request_id: randomUUID() }, { sub: SEEDED.lin.id })).status).toBe(200)
  expectError(await db().call('op_adjust_item_stock', { p_item_id: id, p_delta: -7, p_reason: '下架清点' }, OPERATOR), 409, 'stock_below_zero')
  expect((await itemRow(id)).stock_remaining).toBe(6)
  expect((await db().call('op_adjust_item_stock', { p_item_id: id, p_delta: -6, p_reason: '下架清点' }, OPERATOR)).body.stock_remaining).toBe(0)
  const audit = await auditOf(id)
  expect(audit.filter((a) => a.action === 'adjust_item_stock').map((a) => [a.before.stock_remaining, a.after.stock_remaining, a.reason])).toEqual([
    [2, 7, '到货 5 张'],
    [6, 0, '下架清点'],
  ])
  await expectLedgerInvariants(db())
})

test('concurrent redemptions and a stock cut on one item: stock never negative, no redemption beyond stock, no 5xx', async () => {
  const id = await aPublishedItem({ p_stock: 10, p_cost_points: 1 })
  const members = await Promise.all(Array.from({ length: 12 }, () => aMember(db())))
  const results = await Promise.all([
    ...members.map((m) => db().call('redeem_item', { p_item_id: id, p_request_id: randomUUID() }, { sub: m })),
    ...Array.from({ length: 4 }, () => db().call('op_adjust_item_stock', { p_item_id: id, p_delta: -3, p_reason: '并发调整' }, OPERATOR)),
  ])
  expect(results.filter((r) => r.status >= 500)).toEqual([])
  const redeemed = results.slice(0, members.length).filter((r) => r.status === 200).length
  const cuts = results.slice(members.length).filter((r) => r.status === 200).length
  expect((await itemRow(id)).stock_remaining).toBe(10 - redeemed - 3 * cuts)
  expect(10 - redeemed - 3 * cuts).toBeGreaterThanOrEqual(0)
  await expectLedgerInvariants(db())
})

test('the audit trail is append-only and readable by operators only, a page at a time', async () => {
  const id = await aPublishedItem()
  await expect(db().admin.query('update public.operator_audit set reason = $1', ['x'])).rejects.toMatchObject({ code: '42501' })
  await expect(db().admin.query('delete from public.operator_audit')).rejects.toMatchObject({ code: '42501' })
  await expect(db().admin.query('truncate public.operator_audit')).rejects.toMatchObject({ code: '42501' })
  const first = await db().call('op_list_audit', { p_limit: 1 }, OPERATOR)
  expect(first.body).toHaveLength(1)
  expect(first.body[0]).toMatchObject({ action: 'publish_mall_item', target_id: id })
  const next = await db().call('op_list_audit', { p_limit: 1, p_before_id: first.body[0].id }, OPERATOR)
  expect(next.body[0]).toMatchObject({ action: 'create_mall_item', target_id: id })
  expectError(await db().call('op_list_audit', { p_limit: 0 }, OPERATOR), 400, 'invalid_limit')
  expect((await db().read('operator_audit', 'select=id', OPERATOR)).status).toBeGreaterThanOrEqual(400)
})

// ---- campaigns ---------------------------------------------------------------------------------------------

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString()
const CAMPAIGN = { p_name: '会员日签到双倍', p_starts_at: inMinutes(0), p_ends_at: inMinutes(60), p_multiplier: 2, p_sources: ['check_in'] }
const saveCampaign = (args: Record<string, unknown>) => db().call('op_save_campaign', { ...CAMPAIGN, p_starts_at: inMinutes(0), ...args }, OPERATOR)
const checkIn = (member: string) => db().call('check_in', { p_request_id: randomUUID() }, { sub: member })

// each campaign test starts with no campaign running (one test's campaigns would pay in the next)
beforeEach(async () => {
  await db().admin.query(
    `update public.campaigns set starts_at = least(starts_at, now() - interval '2 seconds'), ends_at = now() - interval '1 second' where ends_at > now()`,
  )
})

test('an operator starts a campaign that pays from now on; the answer shows the campaigns it overlaps', async () => {
  const created = await saveCampaign({ p_member_cap_points: 100, p_budget_points: 1000 })
  expect(created.status).toBe(200)
  expect(created.body.campaign).toMatchObject({ name: '会员日签到双倍', sources: ['check_in'], awarded_points: 0 })
  expect(created.body.overlapping).toEqual([])
  const member = await aMember(db())
  const first = await checkIn(member)
  expect(first.body.campaign_points).toBe(first.body.points) // ×2: the extra equals the base
  // a second campaign on check-in and purchase overlaps this one (not one on birthdays only)
  await saveCampaign({ p_name: '生日', p_sources: ['birthday'] })
  const second = await saveCampaign({ p_name: '三倍', p_multiplier: 3, p_sources: ['purchase', 'check_in'] })
  expect(second.body.overlapping.map((c: { name: string }) => c.name)).toEqual(['会员日签到双倍'])
  expect(second.body.campaign.sources).toEqual(['check_in', 'purchase'])
  expect((await auditOf(created.body.campaign.id)).map((a) => a.action)).toEqual(['create_campaign'])
  await expectLedgerInvariants(db())
})

test.each([
  ['invalid_campaign_name', { p_name: ' ' }],
  ['invalid_campaign_window', { p_starts_at: inMinutes(-60) }],
  ['invalid_campaign_window', { p_ends_at: inMinutes(-1) }],
  ['invalid_campaign_window', { p_starts_at: inMinutes(10), p_ends_at: inMinutes(5) }],
  ['invalid_campaign_window', { p_ends_at: 'infinity' }],
  ['invalid_campaign_window', { p_ends_at: inMinutes(6 * 366 * 24 * 60) }],
  ['invalid_multiplier', { p_multiplier: 1 }],
  ['invalid_multiplier', { p_multiplier: 10.5 }],
  ['invalid_multiplier', { p_multiplier: 1.234 }],
  ['invalid_sources', { p_sources: [] }],
  ['invalid_sources', { p_sources: ['bogus'] }],
  ['invalid_sources', { p_sources: 'check_in' }],
  ['invalid_sources', { p_sources: [['check_in']] }],
  ['invalid_member_cap', { p_member_cap_points: 0 }],
  ['invalid_budget', { p_budget_points: -5 }],
])('campaign %s (%j): 400, nothing created', async (code, bad) => {
  const count = async () => (await db().admin.query('select count(*)::int as n from public.campaigns')).rows[0].n
  const before = await count()
  expectError(await saveCampaign(bad), 400, code)
  expect(await count()).toBe(before)
})

test('editing a running campaign: never retroactive — the start stays, the budget not below what it paid; new awards follow the edit', async () => {
  const created = await saveCampaign({ p_budget_points: 1000 })
  const id = created.body.campaign.id
  const a = await aMember(db())
  const paid = (await checkIn(a)).body.campaign_points as number
  expect(paid).toBeGreaterThan(0)
  const edit = (args: Record<string, unknown>) => saveCampaign({ p_campaign_id: id, p_starts_at: created.body.campaign.starts_at, ...args })
  expectError(await edit({ p_starts_at: inMinutes(-30) }), 400, 'invalid_campaign_window')
  expectError(await edit({ p_budget_points: paid - 1 }), 400, 'invalid_budget')
  const tripled = await edit({ p_multiplier: 3, p_budget_points: paid + 1000 })
  expect(tripled.status).toBe(200)
  const b = await aMember(db())
  const next = (await checkIn(b)).body
  expect(next.campaign_points).toBe(2 * next.points)
  // what the campaign paid before the edit stays as it was
  const entries = await db().admin.query(`select amount_points from public.point_entries where member_id = $1 and source = 'campaign'`, [a])
  expect(entries.rows.map((r) => r.amount_points)).toEqual([paid])
  const audit = await auditOf(id)
  expect(audit.map((x) => x.action)).toEqual(['create_campaign', 'update_campaign'])
  expect([audit[1].before.multiplier, audit[1].after.multiplier]).toEqual([2, 3])
  await expectLedgerInvariants(db())
})

test('ending a campaign early: it stops paying at once, cannot change afterwards; a scheduled one never runs', async () => {
  const running = (await saveCampaign({})).body.campaign
  expectError(await db().call('op_end_campaign', { p_campaign_id: running.id, p_reason: '' }, OPERATOR), 400, 'invalid_change_reason')
  const ended = await db().call('op_end_campaign', { p_campaign_id: running.id, p_reason: '预算提前用完' }, OPERATOR)
  expect(ended.status).toBe(200)
  expect(new Date(ended.body.ends_at).getTime()).toBeLessThanOrEqual(Date.now() + 1000)
  expect((await checkIn(await aMember(db()))).body.campaign_points).toBe(0)
  expectError(await db().call('op_end_campaign', { p_campaign_id: running.id, p_reason: '再来一次' }, OPERATOR), 409, 'campaign_ended')
  expectError(await saveCampaign({ p_campaign_id: running.id }), 409, 'campaign_ended')
  expectError(await db().call('op_end_campaign', { p_campaign_id: randomUUID(), p_reason: 'x' }, OPERATOR), 404, 'campaign_not_found')

  const scheduled = (await saveCampaign({ p_starts_at: inMinutes(30), p_ends_at: inMinutes(90) })).body.campaign
  const cancelled = await db().call('op_end_campaign', { p_campaign_id: scheduled.id, p_reason: '取消' }, OPERATOR)
  expect(new Date(cancelled.body.ends_at) > new Date(cancelled.body.starts_at)).toBe(true)
  expect(new Date(cancelled.body.ends_at).getTime()).toBeLessThanOrEqual(Date.now() + 1000)
  const audit = await auditOf(scheduled.id)
  expect(audit.map((x) => [x.action, x.reason])).toEqual([
    ['create_campaign', null],
    ['end_campaign', '取消'],
  ])
  await expectLedgerInvariants(db())
})

// ---- member service: manual adjustments (4-eyes above the threshold) -----------------------------------------

const SECOND_OPERATOR = async () => {
  const id = await aMember(db())
  await db().admin.query('insert into public.operators (member_id, created_by) values ($1, $2)', [id, SEEDED.operatorZhao.id])
  return { sub: id }
}
const adjust = (member: string, points: number, extra: Record<string, unknown> = {}, caller: object = OPERATOR) =>
  db().call('op_adjust_points', { p_member_id: member, p_points: points, p_reason_code: 'service_compensation', p_request_id: randomUUID(), ...extra }, caller as never)
const balance = async (member: string) => (await db().call('me', {}, { sub: member })).body.balance_points as number

test('an adjustment up to the threshold applies at once, as one ledger entry the member reads as 积分调整; a retry changes nothing', async () => {
  const member = await aMember(db())
  const before = await balance(member)
  const requestId = randomUUID()
  const res = await adjust(member, 300, { p_note: '咖啡洒了', p_request_id: requestId })
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({ status: 'applied', points: 300, requested_by: SEEDED.operatorZhao.id, decided_by: null })
  expect((await adjust(member, 300, { p_note: '咖啡洒了', p_request_id: requestId })).body.id).toBe(res.body.id)
  expect(await balance(member)).toBe(before + 300)
  const entries = await db().read('point_entries', `select=source,amount_points,description&source=eq.adjustment`, { sub: member })
  expect(entries.body).toEqual([{ source: 'adjustment', amount_points: 300, description: '积分调整 · 服务补偿' }])
  const taken = await adjust(member, -250, { p_reason_code: 'correction' })
  expect(taken.body.status).toBe('applied')
  expect(await balance(member)).toBe(before + 50)
  // taking away more than the member has: insufficient_points, nothing recorded
  const count = async () => (await db().admin.query('select count(*)::int as n from public.point_adjustments where member_id = $1', [member])).rows[0].n
  const n = await count()
  expectError(await adjust(member, -(before + 51), { p_reason_code: 'abuse' }), 409, 'insufficient_points')
  expect(await count()).toBe(n)
  expect((await auditOf(res.body.id)).map((a) => [a.action, a.reason])).toEqual([['apply_adjustment', '咖啡洒了']])
  await expectLedgerInvariants(db())
})

test('above the threshold an adjustment waits for a second operator; the requester cannot decide his own', async () => {
  const member = await aMember(db())
  const before = await balance(member)
  const pending = await adjust(member, 5000, { p_reason_code: 'missing_points' })
  expect(pending.body).toMatchObject({ status: 'pending', entry_id: null })
  expect(await balance(member)).toBe(before)
  const queue = await db().call('op_list_adjustments', { p_status: 'pending' }, OPERATOR)
  expect(queue.body.map((a: { id: string }) => a.id)).toContain(pending.body.id)

  expectError(await db().call('op_decide_adjustment', { p_adjustment_id: pending.body.id, p_approve: true }, OPERATOR), 403, 'own_adjustment')
  expectError(await db().call('op_decide_adjustment', { p_adjustment_id: pending.body.id, p_approve: true }, { sub: SEEDED.managerLi.id }), 403, 'not_operator')
  const second = await SECOND_OPERATOR()
  const approved = await db().call('op_decide_adjustment', { p_adjustment_id: pending.body.id, p_approve: true }, second)
  expect(approved.body).toMatchObject({ status: 'applied', decided_by: second.sub })
  // an added adjustment is an earn: it counts towards tiers (5,100 earned passes 银卡 and 金卡: one upgrade bonus)
  const entry = await db().admin.query('select amount_points from public.point_entries where id = $1', [approved.body.entry_id])
  expect(entry.rows[0].amount_points).toBe(5000)
  const tierBonus = (await db().admin.query(`select coalesce(sum(amount_points), 0)::int as s from public.point_entries where member_id = $1 and source = 'tier_upgrade'`, [member])).rows[0].s
  expect(await balance(member)).toBe(before + 5000 + tierBonus)
  expectError(await db().call('op_decide_adjustment', { p_adjustment_id: pending.body.id, p_approve: false }, second), 409, 'adjustment_decided')

  const rejected = await adjust(member, -2000, { p_reason_code: 'abuse' })
  expect((await db().call('op_decide_adjustment', { p_adjustment_id: rejected.body.id, p_approve: false }, second)).body.status).toBe('rejected')
  expect(await balance(member)).toBe(before + 5000 + tierBonus)
  expectError(await db().call('op_decide_adjustment', { p_adjustment_id: randomUUID(), p_approve: true }, second), 404, 'adjustment_not_found')
  expect((await auditOf(pending.body.id)).map((a) => a.action)).toEqual(['request_adjustment', 'approve_adjustment'])
  await expectLedgerInvariants(db())
})

test('approving a take-away the member can no longer cover is insufficient_points and leaves it pending', async () => {
  const member = await aMember(db())
  const have = await balance(member)
  await db().admin.query('update public.point_rules set adjustment_approval_points = 10')
  try {
    const pending = await adjust(member, -have, { p_reason_code: 'abuse' })
    expect(pending.body.status).toBe('pending')
    expect((await db().call('redeem_item', { p_item_id: await aPublishedItem({ p_cost_points: 1 }), p_request_id: randomUUID() }, { sub: member })).status).toBe(200)
    const second = await SECOND_OPERATOR()
    expectError(await db().call('op_decide_adjustment', { p_adjustment_id: pending.body.id, p_approve: true }, second), 409, 'insufficient_points')
    const row = (await db().admin.query('select status from public.point_adjustments where id = $1', [pending.body.id])).rows[0]
    expect(row.status).toBe('pending')
  } finally {
    await db().admin.query('update public.point_rules set adjustment_approval_points = 1000')
  }
  await expectLedgerInvariants(db())
})

test.each([
  ['invalid_adjustment_points', 400, { p_points: 0 }],
  ['invalid_adjustment_points', 400, { p_points: 1_000_001 }],
  ['invalid_adjustment_reason', 400, { p_reason_code: 'because' }],
  ['invalid_note', 400, { p_note: '一'.repeat(201) }],
  ['request_id_required', 400, { p_request_id: null }],
  ['member_not_found', 404, { p_member_id: randomUUID() }],
])('adjustment %s: refused, nothing recorded', async (code, status, bad) => {
  const member = await aMember(db())
  expectError(await adjust(member, 10, bad), status, code)
  expect((await db().admin.query('select count(*)::int as n from public.point_adjustments where member_id = $1', [member])).rows[0].n).toBe(0)
})

test('parallel adjustments of one member and the member spending: balances never negative, each applied once, no 5xx', async () => {
  const member = await aMember(db())
  const have = await balance(member)
  const item = await aPublishedItem({ p_cost_points: 30, p_stock: 100 })
  const results = await Promise.all([
    ...Array.from({ length: 6 }, () => adjust(member, -30, { p_reason_code: 'correction' })),
    ...Array.from({ length: 6 }, () => adjust(member, 20)),
    ...Array.from({ length: 4 }, () => db().call('redeem_item', { p_item_id: item, p_request_id: randomUUID() }, { sub: member })),
  ])
  expect(results.filter((r) => r.status >= 500)).toEqual([])
  for (const r of results) if (r.status !== 200) expect(r.body.message).toBe('insufficient_points')
  const applied = await db().admin.query(`select coalesce(sum(points), 0)::int as s from public.point_adjustments where member_id = $1 and status = 'applied'`, [member])
  const redeemed = results.slice(12).filter((r) => r.status === 200).length
  expect(await balance(member)).toBe(have + applied.rows[0].s - 30 * redeemed)
  await expectLedgerInvariants(db())
})

// ---- member service: find and look ------------------------------------------------------------------------------

test('an operator finds a member by phone, its last 4 digits, member code or id; anything else is invalid_query', async () => {
  const find = (q: unknown) => db().call('op_find_members', { p_query: q }, OPERATOR)
  const byPhone = await find(SEEDED.lin.phone)
  expect(byPhone.body).toEqual([expect.objectContaining({ id: SEEDED.lin.id, nickname: '林小满', phone: SEEDED.lin.phone })])
  expect((await find(SEEDED.lin.phone.slice(-4))).body.map((m: { id: string }) => m.id)).toContain(SEEDED.lin.id)
  expect((await find(SEEDED.lin.id)).body.map((m: { id: string }) => m.id)).toEqual([SEEDED.lin.id])
  const code = (await db().call('issue_member_code', {}, { sub: SEEDED.chen.id })).body.token
  expect((await find(` ${code} `)).body.map((m: { id: string }) => m.id)).toEqual([SEEDED.chen.id])
  expect((await find('13700000000')).body).toEqual([])
  for (const bad of ['', '12', '林', '%', null, '1380000000%']) expectError(await find(bad), 400, 'invalid_query')
  expectError(await find('M1.nonsense'), 400, 'invalid_member_code')
  expectError(await db().call('op_find_members', { p_query: SEEDED.lin.phone }, { sub: SEEDED.managerLi.id }), 403, 'not_operator')
})

test('the member detail: profile, tier, balance and available points, open lots, entries, redemptions, purchases, referral, adjustments', async () => {
  const detail = await db().call('op_member_detail', { p_member_id: SEEDED.lin.id }, OPERATOR)
  expect(detail.status).toBe(200)
  const d = detail.body
  expect(d.member).toMatchObject({ id: SEEDED.lin.id, nickname: '林小满', phone: SEEDED.lin.phone })
  expect(d.balance_points).toBe((await db().admin.query('select balance_points from public.point_balances where member_id = $1', [SEEDED.lin.id])).rows[0].balance_points)
  expect(d.available_points).toBe((await db().call('me', {}, { sub: SEEDED.lin.id })).body.balance_points)
  expect(d.open_lots.reduce((sum: number, l: { remaining_points: number }) => sum + l.remaining_points, 0)).toBe(d.balance_points)
  expect(d.entries.length).toBeGreaterThan(0)
  expect(d.redemptions.length).toBeGreaterThan(0) // the seed's unused ¥10 coupon
  expect(d.purchases.length).toBeGreaterThan(0)
  expect(d.invitee_count).toBe(1) // 陈一一
  expect(d.referral).toBeNull()
  expect((await db().call('op_member_detail', { p_member_id: SEEDED.chen.id }, OPERATOR)).body.referral).toMatchObject({ referrer_id: SEEDED.lin.id })
  expectError(await db().call('op_member_detail', { p_member_id: randomUUID() }, OPERATOR), 404, 'member_not_found')
  expectError(await db().call('op_member_detail', { p_member_id: SEEDED.lin.id }, { sub: SEEDED.lin.id }), 403, 'not_operator')
})

// ---- stores and staff ----------------------------------------------------------------------------------------

test('an operator opens a store and renames it; bad names and addresses are refused', async () => {
  const created = await db().call('op_save_store', { p_name: ' 悦享咖啡·陆家嘴店 ', p_address: '浦东新区世纪大道8号' }, OPERATOR)
  expect(created.body).toMatchObject({ name: '悦享咖啡·陆家嘴店', address: '浦东新区世纪大道8号' })
  const renamed = await db().call('op_save_store', { p_store_id: created.body.id, p_name: '陆家嘴店' }, OPERATOR)
  expect(renamed.body).toMatchObject({ id: created.body.id, name: '陆家嘴店', address: '' })
  expectError(await db().call('op_save_store', { p_name: '' }, OPERATOR), 400, 'invalid_store_name')
  expectError(await db().call('op_save_store', { p_name: '店', p_address: '路'.repeat(121) }, OPERATOR), 400, 'invalid_address')
  expectError(await db().call('op_save_store', { p_store_id: randomUUID(), p_name: '店' }, OPERATOR), 404, 'store_not_found')
  expect((await auditOf(created.body.id)).map((a) => a.action)).toEqual(['create_store', 'update_store'])
})

test('staff by phone: a member who signed in becomes staff at once; a new phone is invited and becomes staff at its first sign-in', async () => {
  const store = (await db().call('op_save_store', { p_name: '员工测试店' }, OPERATOR)).body.id
  // a member who signed in before
  const member = await aMember(db())
  const phone = await phoneOf(db(), member)
  const made = await db().call('op_set_staff', { p_phone: phone, p_store_id: store, p_role: 'clerk', p_daily_award_cap_points: 3000 }, OPERATOR)
  expect(made.body).toMatchObject({ staff: { member_id: member, store_id: store, role: 'clerk', daily_award_cap_points: 3000, active: true }, invitation: null })
  expect((await db().call('staff_recent_actions', {}, { sub: member })).status).toBe(200)

  // a phone nobody signed in with: an invitation, accepted by the first sign-in
  const newPhone = '13655501234'
  const invited = await db().call('op_set_staff', { p_phone: newPhone, p_store_id: store, p_role: 'manager' }, OPERATOR)
  expect(invited.body).toMatchObject({ staff: null, invitation: { phone: newPhone, role: 'manager', accepted_at: null } })
  // invited again (another role): the newer invitation replaces the open one
  await db().call('op_set_staff', { p_phone: newPhone, p_store_id: store, p_role: 'clerk' }, OPERATOR)
  const signedIn = await db().call('register_member', { p_provider: 'dev', p_subject: newPhone }, 'service_role')
  const staffRow = (await db().admin.query('select store_id, role, active from public.staff where member_id = $1', [signedIn.body.id])).rows
  expect(staffRow).toEqual([{ store_id: store, role: 'clerk', active: true }])
  const open = await db().admin.query('select count(*)::int as n from public.staff_invitations where phone = $1 and accepted_at is null', [newPhone])
  expect(open.rows[0].n).toBe(0)

  // a phone verified later (WeChat sign-in without a phone, then bind_member_phone) accepts its invitation too
  const wechat = await aMember(db(), { provider: 'wechat' })
  await db().call('op_set_staff', { p_phone: '13655505678', p_store_id: store, p_role: 'clerk' }, OPERATOR)
  expect((await db().call('bind_member_phone', { p_member_id: wechat, p_phone: '13655505678' }, 'service_role')).status).toBe(200)
  expect((await db().admin.query('select role from public.staff where member_id = $1', [wechat])).rows).toEqual([{ role: 'clerk' }])
})

test('deactivating staff: not_staff from then on, their past awards unchanged; bad input refused', async () => {
  const store = (await db().call('op_save_store', { p_name: '停用测试店' }, OPERATOR)).body.id
  const clerk = await aMember(db())
  const phone = await phoneOf(db(), clerk)
  await db().call('op_set_staff', { p_phone: phone, p_store_id: store, p_role: 'clerk' }, OPERATOR)
  expectError(await db().call('op_deactivate_staff', { p_member_id: clerk, p_reason: '' }, OPERATOR), 400, 'invalid_change_reason')
  expect((await db().call('op_deactivate_staff', { p_member_id: clerk, p_reason: '离职' }, OPERATOR)).body.active).toBe(false)
  expectError(await db().call('staff_recent_actions', {}, { sub: clerk }), 403, 'not_staff')
  expectError(await db().call('op_deactivate_staff', { p_member_id: clerk, p_reason: '离职' }, OPERATOR), 404, 'staff_not_found')
  // set again: active again
  expect((await db().call('op_set_staff', { p_phone: phone, p_store_id: store, p_role: 'clerk' }, OPERATOR)).body.staff.active).toBe(true)
  const bad = (args: Record<string, unknown>) => db().call('op_set_staff', { p_phone: phone, p_store_id: store, p_role: 'clerk', ...args }, OPERATOR)
  expectError(await bad({ p_phone: '123' }), 400, 'invalid_phone')
  expectError(await bad({ p_role: 'owner' }), 400, 'invalid_role')
  expectError(await bad({ p_daily_award_cap_points: -1 }), 400, 'invalid_award_cap')
  expectError(await bad({ p_store_id: randomUUID() }), 404, 'store_not_found')
  expect((await auditOf(clerk)).map((a) => a.action)).toEqual(['set_staff', 'deactivate_staff', 'set_staff'])
})

test("a store manager adds and deactivates clerks of his own store only; staff of another store or a manager is not his", async () => {
  const MANAGER = { sub: SEEDED.managerLi.id } // 静安寺店
  const member = await aMember(db())
  const phone = await phoneOf(db(), member)
  const added = await db().call('staff_set_clerk', { p_phone: phone, p_daily_award_cap_points: 5000 }, MANAGER)
  expect(added.body.staff).toMatchObject({ member_id: member, role: 'clerk', daily_award_cap_points: 5000, store_id: '00000000-0000-4000-9000-000000000001' })
  // the cap changes; the audit names the manager
  expect((await db().call('staff_set_clerk', { p_phone: phone, p_daily_award_cap_points: 8000 }, MANAGER)).body.staff.daily_award_cap_points).toBe(8000)
  expect((await auditOf(member)).map((a) => [a.action, a.actor_id])).toEqual([
    ['set_staff', SEEDED.managerLi.id],
    ['set_staff', SEEDED.managerLi.id],
  ])
  // a clerk may not; another store's staff and managers are not his
  expectError(await db().call('staff_set_clerk', { p_phone: phone }, { sub: SEEDED.staffWang.id }), 403, 'not_manager')
  const otherStore = (await db().call('op_save_store', { p_name: '别的店' }, OPERATOR)).body.id
  const elsewhere = await aMember(db())
  const elsewherePhone = await phoneOf(db(), elsewhere)
  await db().call('op_set_staff', { p_phone: elsewherePhone, p_store_id: otherStore, p_role: 'clerk' }, OPERATOR)
  expectError(await db().call('staff_set_clerk', { p_phone: elsewherePhone }, MANAGER), 409, 'staff_elsewhere')
  expectError(await db().call('staff_set_clerk', { p_phone: '13900000002' }, MANAGER), 409, 'staff_elsewhere') // himself: a manager
  expectError(await db().call('staff_deactivate_clerk', { p_member_id: elsewhere, p_reason: '离职' }, MANAGER), 404, 'staff_not_found')
  expectError(await db().call('staff_deactivate_clerk', { p_member_id: SEEDED.managerLi.id, p_reason: '离职' }, MANAGER), 404, 'staff_not_found')
  // his own clerk
  expect((await db().call('staff_deactivate_clerk', { p_member_id: member, p_reason: '离职' }, MANAGER)).body.active).toBe(false)
  expectError(await db().call('staff_recent_actions', {}, { sub: member }), 403, 'not_staff')
  // a phone nobody signed in with: an invitation to his store as a clerk
  const invited = await db().call('staff_set_clerk', { p_phone: '13655509999' }, MANAGER)
  expect(invited.body.invitation).toMatchObject({ role: 'clerk', store_id: '00000000-0000-4000-9000-000000000001', invited_by: SEEDED.managerLi.id })
})

test('categories: an operator adds and renames one (the code stays); the campaign list puts running and scheduled first, with awarded vs budget', async () => {
  const added = await db().call('op_save_mall_category', { p_code: 'drinks', p_name: '饮品', p_sort_order: 5 }, OPERATOR)
  expect(added.body).toEqual({ code: 'drinks', name: '饮品', sort_order: 5 })
  expect((await db().call('op_save_mall_category', { p_code: 'drinks', p_name: '咖啡饮品' }, OPERATOR)).body.name).toBe('咖啡饮品')
  expectError(await db().call('op_save_mall_category', { p_code: 'Drinks!', p_name: '饮品' }, OPERATOR), 400, 'invalid_category_code')
  expectError(await db().call('op_save_mall_category', { p_code: 'drinks', p_name: '' }, OPERATOR), 400, 'invalid_category_name')
  expect((await auditOf('drinks')).map((a) => a.action)).toEqual(['create_mall_category', 'update_mall_category'])

  const running = (await saveCampaign({ p_name: '进行中', p_budget_points: 500 })).body.campaign
  const scheduled = (await saveCampaign({ p_name: '未开始', p_starts_at: inMinutes(30), p_ends_at: inMinutes(90) })).body.campaign
  await checkIn(await aMember(db()))
  const list = (await db().call('op_list_campaigns', {}, OPERATOR)).body as { campaign: { id: string; awarded_points: number }; state: string }[]
  expect(list.slice(0, 2).map((r) => [r.campaign.id, r.state])).toEqual([
    [running.id, 'running'],
    [scheduled.id, 'scheduled'],
  ])
  expect(list[0].campaign.awarded_points).toBeGreaterThan(0)
  expect(list.slice(2).every((r) => r.state === 'ended')).toBe(true)
  expectError(await db().call('op_list_campaigns', { p_limit: 101 }, OPERATOR), 400, 'invalid_limit')
})
