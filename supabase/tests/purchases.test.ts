// staff_preview_member, staff_award_purchase, staff_void_purchase and
// private.undo_tier_upgrades_since — points for purchases in store, the staff limits, refunds.
import { randomUUID } from 'node:crypto'
import { addDays } from '../../test/support/dates'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf, phoneOf, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

const STORE = '00000000-0000-4000-9000-000000000001'
const OTHER_STORE = '00000000-0000-4000-9000-000000000002'
const STORE_NAME = '悦享咖啡·静安寺店'
const D = '2027-03-01'
const at = (day: string, time = '12:00:00') => `${day}T${time}+08:00`
const sameInstant = (a: string, b: string) => expect(Date.parse(a)).toBe(Date.parse(b))

type Res = { status: number; body: any }
const expectError = (res: Res, status: number, code: string) => expect([res.status, res.body?.message]).toEqual([status, code])

/** A new staff member (a member with a staff row). */
async function aStaff(opts: { store?: string; role?: 'clerk' | 'manager'; cap?: number; active?: boolean } = {}) {
  const id = await aMember(db())
  await db().admin.query(
    'insert into public.staff (member_id, store_id, role, daily_award_cap_points, active) values ($1, $2, $3, $4, $5)',
    [id, opts.store ?? STORE, opts.role ?? 'clerk', opts.cap ?? 20000, opts.active ?? true],
  )
  return id
}

/** An RPC as a member, at a pinned instant (null: the real clock). */
const call = (when: string | null, fn: string, args: Record<string, unknown>, sub: string) =>
  when ? db().callAt(when, fn, args, { sub }) : db().call(fn, args, { sub })

async function codeFor(member: string, when: string | null = null): Promise<string> {
  const res = await call(when, 'issue_member_code', {}, member)
  expect(res.status).toBe(200)
  return res.body.token
}

let refCount = 0
const newRef = () => `ORD-${process.pid}-${++refCount}`

async function award(when: string | null, staff: string, member: string, amountFen: number | null,
  opts: { ref?: string; requestId?: string | null; code?: string } = {}): Promise<Res> {
  const code = opts.code ?? (await codeFor(member, when))
  return call(when, 'staff_award_purchase', {
    p_member_code: code, p_amount_fen: amountFen, p_order_ref: opts.ref ?? newRef(),
    p_request_id: opts.requestId === undefined ? randomUUID() : opts.requestId,
  }, staff)
}

const voidAt = (when: string | null, staff: string, ref: string, args: Record<string, unknown> = {}) =>
  call(when, 'staff_void_purchase', { p_order_ref: ref, ...args }, staff)

const purchasesOf = async (member: string) =>
  (await db().admin.query(`select id, order_ref, store_id, status, points, campaign_points, entry_id, void_reason
    from public.purchases where member_id = $1 order by created_at, store_id, order_ref`, [member])).rows
const entriesOf = async (member: string, sources = ['purchase', 'campaign', 'tier_upgrade']) =>
  (await db().admin.query(`select kind, source, ref, amount_points from public.point_entries
    where member_id = $1 and source = any ($2) order by id`, [member, sources])).rows
const auditOf = async (staff: string) =>
  (await db().admin.query(`select action, staff_member_id, store_id, member_id, ref, points, amount_fen::int as amount_fen, detail
    from public.staff_actions where staff_member_id = $1 order by id`, [staff])).rows
const tierOf = async (member: string) =>
  (await db().admin.query('select tier_code, achieved_at from public.member_tiers where member_id = $1', [member])).rows[0]
const spend = (when: string, member: string, points: number) =>
  db().sqlAt(when, `select private.spend_points($1, 'redemption', $2, $3)`, [member, points, `test-spend-${randomUUID()}`])

/** Change point_rules for one test, restoring them afterwards. */
async function withRules(changes: string, fn: () => Promise<void>) {
  const { rows: [rules] } = await db().admin.query('select purchase_hold_days, member_code_award_grace_seconds from public.point_rules')
  await db().admin.query(`update public.point_rules set ${changes}`)
  try {
    await fn()
  } finally {
    await db().admin.query('update public.point_rules set purchase_hold_days = $1, member_code_award_grace_seconds = $2',
      [rules.purchase_hold_days, rules.member_code_award_grace_seconds])
  }
}

/** A purchase campaign (×2) on 2028-03-01, Shanghai. */
const CAMPAIGN_DAY = '2028-03-01'
async function purchaseCampaign(): Promise<string> {
  const { rows } = await db().admin.query(`select id from public.campaigns where name = '测试消费双倍'`)
  if (rows.length) return rows[0].id
  const { rows: [c] } = await db().admin.query(
    `insert into public.campaigns (name, starts_at, ends_at, multiplier, sources) values ('测试消费双倍', $1, $2, 2, '{purchase}') returning id`,
    [at(CAMPAIGN_DAY, '00:00:00'), at(addDays(CAMPAIGN_DAY, 1), '00:00:00')])
  return c.id
}

describe('staff_award_purchase', () => {
  test('1 point per ¥1 paid (floor), recorded with its ledger entry, task event and audit row', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const ref = newRef()
    const res = await award(at(D), staff, m, 12345, { ref })
    expect(res.status).toBe(200)
    const [purchase] = await purchasesOf(m)
    expect(res.body).toEqual({
      purchase_id: purchase.id, store_id: STORE, order_ref: ref,
      member: { id: m, nickname: expect.stringMatching(/^会员\d{4}$/), phone: expect.stringMatching(/^137\*{4}\d{4}$/) },
      amount_fen: 12345, tier_code: 'basic', multiplier: 1, points: 123, campaign_points: 0,
      available_at: expect.any(String), pending: false, status: 'awarded', created_at: expect.any(String), balance_points: 223,
      awarded_by: { member_id: staff, nickname: expect.stringMatching(/^会员\d{4}$/) }, repeat: false,
    })
    sameInstant(res.body.available_at, at(D))
    sameInstant(res.body.created_at, at(D))
    expect(purchase).toMatchObject({ order_ref: ref, store_id: STORE, status: 'awarded', points: 123, campaign_points: 0 })

    const { rows: entries } = await db().admin.query(
      `select id, source, ref, amount_points, description, meta from public.point_entries where member_id = $1 and source = 'purchase'`, [m])
    expect(entries).toEqual([{
      id: purchase.entry_id, source: 'purchase', ref: `purchase:${purchase.id}`, amount_points: 123, description: `门店消费 ${STORE_NAME}`,
      meta: { purchase_id: purchase.id, amount_fen: 12345, store_id: STORE, store_name: STORE_NAME, order_ref: ref, multiplier: 1 },
    }])
    const { rows: events } = await db().admin.query(
      `select ref, business_date::text from public.task_events where member_id = $1 and event = 'purchase_awarded'`, [m])
    expect(events).toEqual([{ ref: purchase.id, business_date: D }])
    expect(await auditOf(staff)).toEqual([{
      action: 'award_purchase', staff_member_id: staff, store_id: STORE, member_id: m, ref: purchase.id, points: 123, amount_fen: 12345,
      detail: { order_ref: ref, points: 123, campaign_points: 0, multiplier: 1, tier_code: 'basic', available_at: expect.any(String) },
    }])
  })

  test('tier multiplier: 金卡 ×1.5 and 银卡 ×1.2 on the floored yuan, floored again', async () => {
    const staff = await aStaff()
    for (const [tier, multiplier, points] of [['gold', 1.5, 184], ['silver', 1.2, 147], ['platinum', 2, 246]] as const) {
      const m = await aMember(db(), { at: at(D, '09:00:00') })
      await db().admin.query('update public.member_tiers set tier_code = $2 where member_id = $1', [m, tier])
      const res = await award(at(D), staff, m, 12345)
      expect(res.body).toMatchObject({ tier_code: tier, multiplier, points, campaign_points: 0, balance_points: 100 + points })
    }
  })

  test('a running purchase campaign (×2) adds its extra on top, reported as campaign_points', async () => {
    const campaign = await purchaseCampaign()
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(CAMPAIGN_DAY, '09:00:00') })
    const res = await award(at(CAMPAIGN_DAY), staff, m, 10_099)
    expect(res.body).toMatchObject({ points: 100, campaign_points: 100, balance_points: 300 })
    const [purchase] = await purchasesOf(m)
    expect(purchase).toMatchObject({ points: 100, campaign_points: 100 })
    expect(await entriesOf(m)).toEqual([
      { kind: 'earn', source: 'purchase', ref: `purchase:${purchase.id}`, amount_points: 100 },
      { kind: 'earn', source: 'campaign', ref: `entry:${purchase.entry_id}`, amount_points: 100 },
    ])
    expect((await auditOf(staff))[0]).toMatchObject({ points: 200, detail: { points: 100, campaign_points: 100 } })
    expect((await db().admin.query('select awarded_points from public.campaigns where id = $1', [campaign])).rows[0].awarded_points).toBeGreaterThanOrEqual(100)
  })

  test('under ¥1 earns nothing but the purchase is recorded (and counts for the daily purchase task)', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const res = await award(at(D), staff, m, 99)
    expect(res.body).toMatchObject({ amount_fen: 99, points: 0, campaign_points: 0, pending: false, status: 'awarded', balance_points: 100 })
    expect(await purchasesOf(m)).toEqual([expect.objectContaining({ points: 0, campaign_points: 0, entry_id: null })])
    expect(await entriesOf(m)).toEqual([])
    const { rows } = await db().admin.query(`select count(*)::int as n from public.task_events where member_id = $1 and event = 'purchase_awarded'`, [m])
    expect(rows[0].n).toBe(1)
    expect(await auditOf(staff)).toEqual([expect.objectContaining({ action: 'award_purchase', points: 0, amount_fen: 99 })])
    expect((await award(at(D), staff, m, 100)).body).toMatchObject({ points: 1, balance_points: 101 })
  })

  test('hold days: purchase points are pending, spendable N days later; a void within the hold reverses them', async () => {
    await withRules('purchase_hold_days = 3', async () => {
      const staff = await aStaff()
      const m = await aMember(db(), { at: at(D, '09:00:00') })
      const res = await award(at(D), staff, m, 10_000)
      expect(res.body).toMatchObject({ points: 100, pending: true, balance_points: 100 })
      sameInstant(res.body.available_at, at(addDays(D, 3)))
      const me = async (when: string) => (await db().callAt(when, 'me', {}, { sub: m })).body
      expect(await me(at(D))).toMatchObject({ balance_points: 100, pending_points: 100 })
      await expect(spend(at(D), m, 150)).rejects.toMatchObject({ message: 'insufficient_points' })
      expect(await me(at(addDays(D, 3), '11:59:59'))).toMatchObject({ balance_points: 100, pending_points: 100 })
      expect(await me(at(addDays(D, 3)))).toMatchObject({ balance_points: 200, pending_points: 0 })

      const held = newRef()
      expect((await award(at(D), staff, m, 5_000, { ref: held })).body).toMatchObject({ points: 50, pending: true })
      const v = await voidAt(at(D), staff, held)
      expect(v.body).toMatchObject({ reversed_points: 50, purchase: { status: 'voided', pending: false } })
      expect(await me(at(D))).toMatchObject({ balance_points: 100, pending_points: 100 })
    })
  })

  test('bad input is refused before anything happens: request id, amount, order reference', async () => {
    const staff = await aStaff({ cap: 2_000_000 })
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const code = await codeFor(m, at(D))
    const tryAward = (args: Record<string, unknown>) => db().callAt(at(D), 'staff_award_purchase',
      { p_member_code: code, p_amount_fen: 1000, p_order_ref: newRef(), p_request_id: randomUUID(), ...args }, { sub: staff })
    expectError(await tryAward({ p_request_id: null }), 400, 'request_id_required')
    for (const amount of [0, -100, null, 100_000_001]) expectError(await tryAward({ p_amount_fen: amount }), 400, 'invalid_amount')
    for (const ref of ['', '   ', 'a b', 'x'.repeat(65), '订单1', 'a/b', null]) expectError(await tryAward({ p_order_ref: ref }), 400, 'invalid_order_ref')
    expectError(await tryAward({ p_member_code: 'garbage' }), 400, 'invalid_member_code')
    expect(await purchasesOf(m)).toEqual([])
    expect(await auditOf(staff)).toEqual([])

    // limits: ¥1,000,000 is the largest amount; an order reference is trimmed, 64 characters at most
    expect((await tryAward({ p_amount_fen: 100_000_000 })).body).toMatchObject({ points: 1_000_000 })
    const trimmed = await tryAward({ p_order_ref: ' A-1_b ' })
    expect(trimmed.body).toMatchObject({ order_ref: 'A-1_b' })
    expect((await tryAward({ p_order_ref: 'A-1_b' })).body).toEqual({ ...trimmed.body, repeat: true })
    expect((await tryAward({ p_order_ref: 'x'.repeat(64) })).status).toBe(200)
  })

  test('the member code is accepted until its expiry + member_code_award_grace_seconds (300 s), no longer', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const issued = at(D, '10:00:00')
    const lastSecond = at(D, '10:06:00') // expiry 10:01:00 + 300 s
    const tooLate = at(D, '10:06:01')
    expect((await award(lastSecond, staff, m, 1000, { code: await codeFor(m, issued) })).status).toBe(200)
    expectError(await award(tooLate, staff, m, 1000, { code: await codeFor(m, issued) }), 409, 'member_code_expired')
    // the grace is a rule
    await withRules('member_code_award_grace_seconds = 0', async () => {
      expectError(await award(at(D, '10:01:01'), staff, m, 1000, { code: await codeFor(m, issued) }), 409, 'member_code_expired')
    })
    expect(await purchasesOf(m)).toHaveLength(1)
  })

  test('never to the staff member\'s own account', async () => {
    const staff = await aStaff()
    const own = await codeFor(staff, at(D))
    const preview = await call(at(D), 'staff_preview_member', { p_member_code: own }, staff)
    expect(preview.body).toMatchObject({ member_id: staff, is_self: true })
    expectError(await award(at(D), staff, staff, 10_000, { code: own }), 403, 'cannot_award_self')
    expect(await purchasesOf(staff)).toEqual([])
    expect((await auditOf(staff)).map((a) => a.action)).toEqual(['preview_member'])
    // another staff member may award them as a customer
    expect((await award(at(D), await aStaff(), staff, 10_000, { code: own })).status).toBe(200)
  })

  test('members and inactive staff get not_staff (403), anon 401', async () => {
    const member = await aMember(db())
    const inactive = await aStaff({ active: false })
    const m = await aMember(db())
    const code = await codeFor(m)
    const args = {
      staff_preview_member: { p_member_code: code },
      staff_award_purchase: { p_member_code: code, p_amount_fen: 1000, p_order_ref: newRef(), p_request_id: randomUUID() },
      staff_void_purchase: { p_order_ref: newRef() },
    }
    for (const [fn, a] of Object.entries(args)) {
      expectError(await db().call(fn, a, { sub: member }), 403, 'not_staff')
      expectError(await db().call(fn, a, { sub: inactive }), 403, 'not_staff')
      expect((await db().call(fn, a, 'anon')).status).toBe(401)
    }
    expect(await purchasesOf(m)).toEqual([])
    expect((await db().admin.query('select count(*)::int as n from public.staff_actions where member_id = $1', [m])).rows[0].n).toBe(0)
  })

  test('per-staff daily cap: exactly up to the cap; one point more is refused whole; voids free it; next day resets', async () => {
    const staff = await aStaff({ cap: 300 })
    const [a, b] = [await aMember(db(), { at: at(D, '09:00:00') }), await aMember(db(), { at: at(D, '09:00:00') })]
    expect((await award(at(D), staff, a, 20_000)).body).toMatchObject({ points: 200 })
    const second = newRef()
    expect((await award(at(D), staff, b, 10_000, { ref: second })).body).toMatchObject({ points: 100 }) // 300 = cap
    const over = newRef()
    expectError(await award(at(D), staff, b, 100, { ref: over }), 409, 'staff_daily_cap_reached')
    expect(await balanceOf(db(), b)).toBe(200)
    expect((await purchasesOf(b)).map((p) => p.order_ref)).toEqual([second])
    expect((await auditOf(staff)).map((row) => row.action)).toEqual(['award_purchase', 'award_purchase'])
    // an amount under ¥1 earns nothing and is always recorded
    expect((await award(at(D), staff, b, 99)).status).toBe(200)
    // another staff member has their own cap
    expect((await award(at(D), await aStaff({ cap: 300 }), b, 100, { ref: over })).status).toBe(200)

    expect((await voidAt(at(D), staff, second)).status).toBe(200)
    expect((await award(at(D), staff, a, 10_000)).status).toBe(200)
    expectError(await award(at(D, '23:59:59'), staff, a, 100), 409, 'staff_daily_cap_reached')
    expect((await award(at(addDays(D, 1), '00:00:00'), staff, a, 30_000)).body).toMatchObject({ points: 300 })
  })

  test('the daily cap counts campaign points too', async () => {
    await purchaseCampaign()
    const staff = await aStaff({ cap: 300 })
    const m = await aMember(db(), { at: at(CAMPAIGN_DAY, '09:00:00') })
    expect((await award(at(CAMPAIGN_DAY), staff, m, 15_000)).body).toMatchObject({ points: 150, campaign_points: 150 })
    expectError(await award(at(CAMPAIGN_DAY), staff, m, 100), 409, 'staff_daily_cap_reached')
    expect(await balanceOf(db(), m)).toBe(400)
  })

  test('order reference: the same order again returns the first purchase; another member or amount is duplicate_order_ref', async () => {
    const [staff, colleague] = [await aStaff(), await aStaff()]
    const [m, other] = [await aMember(db(), { at: at(D, '09:00:00') }), await aMember(db(), { at: at(D, '09:00:00') })]
    const ref = newRef()
    const first = await award(at(D), staff, m, 10_000, { ref })
    expect(first.status).toBe(200)
    // a repeat says so: nothing awarded now, the answer is the first award (when, by whom)
    const repeated = { ...first, body: { ...first.body, repeat: true } }
    expect(first.body).toMatchObject({ repeat: false, awarded_by: { member_id: staff } })
    expect(await award(at(D, '12:05:00'), staff, m, 10_000, { ref })).toEqual(repeated)
    expect(await award(at(D, '12:05:00'), colleague, m, 10_000, { ref })).toEqual(repeated)
    expectError(await award(at(D, '12:05:00'), staff, m, 10_001, { ref }), 409, 'duplicate_order_ref')
    expectError(await award(at(D, '12:05:00'), staff, other, 10_000, { ref }), 409, 'duplicate_order_ref')
    expect(await balanceOf(db(), m)).toBe(200)
    expect(await purchasesOf(other)).toEqual([])
    expect(await auditOf(staff)).toHaveLength(1)
    expect(await auditOf(colleague)).toHaveLength(0)

    // the same order reference at another store is another order
    const elsewhere = await award(at(D), await aStaff({ store: OTHER_STORE }), m, 10_000, { ref })
    expect(elsewhere.body).toMatchObject({ store_id: OTHER_STORE, order_ref: ref, points: 100, balance_points: 300 })
    expect(elsewhere.body.purchase_id).not.toBe(first.body.purchase_id)
    expect((await purchasesOf(m)).map((p) => [p.store_id, p.order_ref])).toEqual([[STORE, ref], [OTHER_STORE, ref]])
  })

  test('a retry with the same request id returns the first result, even after the code expired', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const code = await codeFor(m, at(D))
    const [ref, requestId] = [newRef(), randomUUID()]
    const first = await award(at(D), staff, m, 10_000, { ref, requestId, code })
    expect(first.status).toBe(200)
    expect(await award(at(D, '18:00:00'), staff, m, 10_000, { ref, requestId, code })).toEqual(first)
    expectError(await award(at(D), staff, m, 20_000, { ref, requestId, code }), 409, 'request_id_reused')
    expect(await purchasesOf(m)).toHaveLength(1)
    expect(await balanceOf(db(), m)).toBe(200)
  })

  test('members read only their own purchases; nobody writes them through the API', async () => {
    const staff = await aStaff()
    const [a, b] = [await aMember(db()), await aMember(db())]
    const [refA, refB] = [newRef(), newRef()]
    expect((await award(null, staff, a, 1000, { ref: refA })).status).toBe(200)
    expect((await award(null, staff, b, 1000, { ref: refB })).status).toBe(200)
    expect((await db().read('purchases', 'select=member_id,order_ref', { sub: a })).body).toEqual([{ member_id: a, order_ref: refA }])
    expect((await db().read('purchases', 'select=id', { sub: staff })).body).toEqual([])
    expect((await db().read('purchases', 'select=id', 'anon')).status).toBe(401)
    await expect(db().sqlAs({ sub: a }, 'update public.purchases set amount_fen = 1')).rejects.toThrow(/permission denied/)
  })
})

describe('staff_preview_member', () => {
  test('who the code belongs to: nickname, avatar, masked phone, tier, spendable balance; one audit row', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    await db().callAt(at(D, '09:30:00'), 'update_profile', { p_nickname: '小满', p_avatar_url: 'https://example.com/a.png' }, { sub: m })
    await db().admin.query(`update public.member_tiers set tier_code = 'silver' where member_id = $1`, [m])
    const phone = await phoneOf(db(), m)
    const res = await call(at(D), 'staff_preview_member', { p_member_code: await codeFor(m, at(D)) }, staff)
    expect(res.body).toEqual({
      member_id: m, nickname: '小满', avatar_url: 'https://example.com/a.png', phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      tier: { code: 'silver', name: '银卡会员', multiplier: 1.2 }, balance_points: 100, pending_points: 0, is_self: false,
    })
    expect(await auditOf(staff)).toEqual([{
      action: 'preview_member', staff_member_id: staff, store_id: STORE, member_id: m, ref: null, points: null, amount_fen: null,
      detail: { is_self: false },
    }])
  })

  test('the code must be valid and unexpired (no grace); a refused preview writes nothing', async () => {
    const staff = await aStaff()
    const m = await aMember(db())
    const code = await codeFor(m, at(D, '10:00:00'))
    expect((await call(at(D, '10:01:00'), 'staff_preview_member', { p_member_code: code }, staff)).status).toBe(200)
    expectError(await call(at(D, '10:01:01'), 'staff_preview_member', { p_member_code: code }, staff), 409, 'member_code_expired')
    expectError(await call(at(D), 'staff_preview_member', { p_member_code: code.slice(0, -1) + (code.endsWith('0') ? '1' : '0') }, staff), 400, 'invalid_member_code')
    expectError(await call(at(D), 'staff_preview_member', { p_member_code: null }, staff), 400, 'invalid_member_code')
    expect(await auditOf(staff)).toHaveLength(1)
  })
})

describe('staff_void_purchase', () => {
  test('reverses the points, marks the purchase voided; a repeat returns the same result and changes nothing', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const ref = newRef()
    const awarded = await award(at(D), staff, m, 10_000, { ref })
    const res = await voidAt(at(D, '13:00:00'), staff, ref, { p_reason: ' 顾客退货 ' })
    expect(res.status).toBe(200)
    const { balance_points: _, repeat: __, ...purchase } = awarded.body
    expect(res.body).toEqual({
      purchase: { ...purchase, status: 'voided', voided_at: expect.any(String), void_reason: '顾客退货' },
      reversed_points: 100, reversed_campaign_points: 0, referral_rewards: null, task_rewards_reversed: [], balance_points: 100,
      tier_before: { code: 'basic', name: '普通会员' }, tier_after: { code: 'basic', name: '普通会员' },
      bonuses_reversed: [], bonuses_kept: [],
    })
    sameInstant(res.body.purchase.voided_at, at(D, '13:00:00'))
    const { rows: [row] } = await db().admin.query(
      'select status, voided_at, voided_by_staff_id, void_reason from public.purchases where order_ref = $1', [ref])
    expect(row).toEqual({ status: 'voided', voided_at: new Date(at(D, '13:00:00')), voided_by_staff_id: staff, void_reason: '顾客退货' })
    const { rows: reversal } = await db().admin.query(
      `select e.kind, e.source, e.ref, e.amount_points, e.description, e.meta from public.point_entries e
       where e.member_id = $1 and e.kind = 'reverse'`, [m])
    expect(reversal).toEqual([{
      kind: 'reverse', source: 'purchase', ref: `reverse:${(await purchasesOf(m))[0].entry_id}`, amount_points: -100,
      description: `门店消费撤销 ${STORE_NAME}`, meta: { purchase_id: awarded.body.purchase_id, order_ref: ref, reason: '顾客退货' },
    }])
    expect(await balanceOf(db(), m)).toBe(100)

    // again (also by a manager on a later day): the first result, nothing new
    expect(await voidAt(at(D, '14:00:00'), staff, ref)).toEqual(res)
    expect(await voidAt(at(addDays(D, 5)), SEEDED.managerLi.id, ref)).toEqual(res)
    expect(await entriesOf(m)).toHaveLength(2)
    expect((await auditOf(staff)).map((a) => [a.action, a.points, a.amount_fen])).toEqual([['award_purchase', 100, 10_000], ['void_purchase', -100, 10_000]])
    // the order stays taken: awarding it again returns the voided purchase
    expect((await award(at(D, '15:00:00'), staff, m, 10_000, { ref })).body).toMatchObject({ status: 'voided', points: 100, pending: false })
    expect(await balanceOf(db(), m)).toBe(100)
  })

  test('a request id retry returns the first result; the same id with another reason is request_id_reused', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const ref = newRef()
    await award(at(D), staff, m, 10_000, { ref })
    const id = randomUUID()
    const first = await voidAt(at(D), staff, ref, { p_reason: '退款', p_request_id: id })
    expect(first.status).toBe(200)
    expect(await voidAt(at(D), staff, ref, { p_reason: '退款', p_request_id: id })).toEqual(first)
    expectError(await voidAt(at(D), staff, ref, { p_reason: '其他', p_request_id: id }), 409, 'request_id_reused')
  })

  test('the campaign extra is reversed with the purchase and returned to the campaign', async () => {
    const campaign = await purchaseCampaign()
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(CAMPAIGN_DAY, '09:00:00') })
    const ref = newRef()
    const awardedBefore = async () => (await db().admin.query('select awarded_points from public.campaigns where id = $1', [campaign])).rows[0].awarded_points
    const before = await awardedBefore()
    expect((await award(at(CAMPAIGN_DAY), staff, m, 5_000, { ref })).body).toMatchObject({ points: 50, campaign_points: 50 })
    expect(await awardedBefore()).toBe(before + 50)
    const res = await voidAt(at(CAMPAIGN_DAY), staff, ref)
    expect(res.body).toMatchObject({ reversed_points: 50, reversed_campaign_points: 50, balance_points: 100 })
    expect(await awardedBefore()).toBe(before)
    expect((await entriesOf(m)).map((e) => [e.kind, e.source, e.amount_points])).toEqual([
      ['earn', 'purchase', 50], ['earn', 'campaign', 50], ['reverse', 'purchase', -50], ['reverse', 'campaign', -50],
    ])
    expect((await auditOf(staff)).at(-1)).toMatchObject({ action: 'void_purchase', points: -100 })
  })

  test('a clerk voids only purchases of the current business day, a manager any purchase of the store', async () => {
    const [clerk, colleague] = [await aStaff(), await aStaff()]
    const manager = await aStaff({ role: 'manager' })
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const [p1, p2] = [newRef(), newRef()]
    await award(at(D), clerk, m, 10_000, { ref: p1 })
    await award(at(D), clerk, m, 10_000, { ref: p2 })

    expectError(await voidAt(at(addDays(D, 1), '00:00:00'), clerk, p1), 403, 'void_not_allowed')
    expect((await voidAt(at(D, '23:59:59'), colleague, p2)).status).toBe(200) // any clerk of the store, same day
    expect((await voidAt(at(addDays(D, 30)), manager, p1)).status).toBe(200)
    expect((await purchasesOf(m)).map((p) => p.status)).toEqual(['voided', 'voided'])

    // only at the caller's store; unknown and malformed references; the reason's length
    const p3 = newRef()
    await award(at(D), clerk, m, 10_000, { ref: p3 })
    expectError(await voidAt(at(D), await aStaff({ store: OTHER_STORE, role: 'manager' }), p3), 404, 'purchase_not_found')
    expectError(await voidAt(at(D), clerk, newRef()), 404, 'purchase_not_found')
    expectError(await voidAt(at(D), clerk, 'not a ref'), 400, 'invalid_order_ref')
    expectError(await voidAt(at(D), clerk, p3, { p_reason: '很'.repeat(101) }), 400, 'invalid_reason')
    expect((await purchasesOf(m)).find((p) => p.order_ref === p3).status).toBe('awarded')
  })

  test('a purchase that earned nothing is voided without a ledger entry', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const ref = newRef()
    await award(at(D), staff, m, 50, { ref })
    expect((await voidAt(at(D), staff, ref)).body).toMatchObject({ reversed_points: 0, purchase: { status: 'voided', points: 0 } })
    expect(await entriesOf(m)).toEqual([])
  })

  test('points already spent: insufficient_points (409) and nothing changes', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const ref = newRef()
    await award(at(D), staff, m, 50_000, { ref })
    await spend(at(D, '12:30:00'), m, 550)
    const before = { balance: await balanceOf(db(), m), entries: await entriesOf(m), audit: await auditOf(staff) }
    expectError(await voidAt(at(D, '13:00:00'), staff, ref, { p_request_id: randomUUID() }), 409, 'insufficient_points')
    expect(await balanceOf(db(), m)).toBe(50)
    expect({ balance: await balanceOf(db(), m), entries: await entriesOf(m), audit: await auditOf(staff) }).toEqual(before)
    expect((await purchasesOf(m))[0]).toMatchObject({ status: 'awarded', void_reason: null })
  })

  test('a tier the purchase brought is undone at once, with its upgrade bonus', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const ref = newRef()
    expect((await award(at(D), staff, m, 100_000, { ref })).body).toMatchObject({ points: 1000, balance_points: 2100 })
    expect((await tierOf(m)).tier_code).toBe('silver')
    const res = await voidAt(at(D, '15:00:00'), staff, ref)
    expect(res.body).toMatchObject({
      reversed_points: 1000, balance_points: 100,
      tier_before: { code: 'silver', name: '银卡会员' }, tier_after: { code: 'basic', name: '普通会员' },
      bonuses_reversed: [{ tier_code: 'silver', points: 1000 }], bonuses_kept: [],
    })
    expect(await tierOf(m)).toEqual({ tier_code: 'basic', achieved_at: new Date(at(D)) })
    expect((await entriesOf(m)).map((e) => [e.kind, e.source, e.amount_points])).toEqual([
      ['earn', 'purchase', 1000], ['earn', 'tier_upgrade', 1000], ['reverse', 'purchase', -1000], ['reverse', 'tier_upgrade', -1000],
    ])
    expect((await auditOf(staff)).at(-1)).toMatchObject({
      action: 'void_purchase', points: -1000,
      detail: { tier_before: 'silver', tier_after: 'basic', bonuses_reversed: [{ tier_code: 'silver', points: 1000 }], bonuses_kept: [] },
    })
  })

  test('after a voided upgrade, reaching the tier for real pays its bonus (once): the reversed one never counted', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const ref = newRef()
    await award(at(D), staff, m, 100_000, { ref })
    await voidAt(at(D, '15:00:00'), staff, ref)
    expect((await award(at(D, '16:00:00'), staff, m, 100_000)).body).toMatchObject({ points: 1000, balance_points: 2100 })
    expect((await tierOf(m)).tier_code).toBe('silver')
    expect((await entriesOf(m, ['tier_upgrade'])).map((e) => [e.kind, e.ref, e.amount_points])).toEqual([
      ['earn', 'tier:silver', 1000], ['reverse', expect.stringMatching(/^reverse:/), -1000], ['earn', 'tier:silver:2', 1000],
    ])
    // an ordinary re-qualify still pays nothing: the standing bonus counts as paid
    await db().admin.query(`update public.member_tiers set tier_code = 'basic' where member_id = $1`, [m])
    await award(at(D, '17:00:00'), staff, m, 100)
    expect((await entriesOf(m, ['tier_upgrade']))).toHaveLength(3)
    expect((await tierOf(m)).tier_code).toBe('silver')
  })

  test('a void reverses the referral rewards the purchase qualified (first_purchase), and the next purchase re-qualifies', async () => {
    await db().admin.query(`update public.point_rules set referral_qualifying_action = 'first_purchase'`)
    try {
      const staff = await aStaff()
      const referrer = await aMember(db(), { at: at(D, '08:00:00') })
      const invitee = await aMember(db(), { at: at(D, '09:00:00') })
      const { rows: [{ invite_code }] } = await db().admin.query('select invite_code from public.members where id = $1', [referrer])
      expect((await call(at(D, '09:30:00'), 'bind_referrer', { p_invite_code: invite_code }, invitee)).status).toBe(200)
      const referral = async () => (await db().admin.query(
        `select coalesce(sum(amount_points), 0)::int as n from public.point_entries where source = 'referral' and member_id in ($1, $2)`,
        [referrer, invitee])).rows[0].n
      const ref = newRef()
      await award(at(D), staff, invitee, 5000, { ref })
      expect(await referral()).toBe(200)
      const res = await voidAt(at(D, '13:00:00'), staff, ref)
      expect(res.body.referral_rewards).toEqual({
        reversed: [{ member_id: invitee, points: 100 }, { member_id: referrer, points: 100 }], unrecovered: [],
      })
      expect(await referral()).toBe(0)
      expect((await auditOf(staff)).at(-1).detail.referral_rewards).toEqual(res.body.referral_rewards)
      await award(at(D, '14:00:00'), staff, invitee, 1000)
      expect(await referral()).toBe(200)
      // a purchase that qualified nothing reports null
      const other = newRef()
      await award(at(D, '15:00:00'), staff, invitee, 1000, { ref: other })
      expect((await voidAt(at(D, '15:30:00'), staff, other)).body.referral_rewards).toBeNull()
    } finally {
      await db().admin.query(`update public.point_rules set referral_qualifying_action = 'first_check_in_after_phone'`)
    }
  })

  test('an upgrade bonus the member has spent is kept and reported; the tier still goes back', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const ref = newRef()
    await award(at(D), staff, m, 100_000, { ref }) // 100 + 1000 + 1000 bonus
    await spend(at(D, '12:30:00'), m, 1050)
    const res = await voidAt(at(D, '13:00:00'), staff, ref)
    expect(res.body).toMatchObject({
      reversed_points: 1000, balance_points: 50, tier_before: { code: 'silver' }, tier_after: { code: 'basic' },
      bonuses_reversed: [], bonuses_kept: [{ tier_code: 'silver', points: 1000, reason: 'insufficient_points' }],
    })
    expect((await tierOf(m)).tier_code).toBe('basic')
    expect((await entriesOf(m, ['tier_upgrade'])).map((e) => e.kind)).toEqual(['earn'])
  })

  test('voiding an older purchase undoes the tiers reached since: gold back to silver, the gold bonus reversed', async () => {
    const staff = await aStaff()
    const manager = await aStaff({ role: 'manager' })
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const [p1, p2] = [newRef(), newRef()]
    expect((await award(at(D), staff, m, 100_000, { ref: p1 })).body).toMatchObject({ points: 1000, balance_points: 2100 }) // → silver
    expect((await award(at(addDays(D, 1)), staff, m, 340_000, { ref: p2 })).body).toMatchObject({ multiplier: 1.2, points: 4080, balance_points: 7180 }) // → gold
    expect((await tierOf(m)).tier_code).toBe('gold')
    const res = await voidAt(at(addDays(D, 2)), manager, p1)
    expect(res.body).toMatchObject({
      reversed_points: 1000, balance_points: 5180, tier_before: { code: 'gold' }, tier_after: { code: 'silver' },
      bonuses_reversed: [{ tier_code: 'gold', points: 1000 }], bonuses_kept: [],
    })
    // silver was reached when its bonus was paid (still standing)
    expect(await tierOf(m)).toEqual({ tier_code: 'silver', achieved_at: new Date(at(D)) })
  })

  test('a tier reached before the purchase stays (downgrades are for the review, with notice)', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    await db().admin.query(`update public.member_tiers set tier_code = 'silver', achieved_at = $2 where member_id = $1`, [m, at(D, '10:00:00')])
    const ref = newRef()
    expect((await award(at(D), staff, m, 20_000, { ref })).body).toMatchObject({ points: 240 })
    const res = await voidAt(at(D, '13:00:00'), staff, ref)
    expect(res.body).toMatchObject({ tier_before: { code: 'silver' }, tier_after: { code: 'silver' }, bonuses_reversed: [], bonuses_kept: [] })
    expect((await tierOf(m)).tier_code).toBe('silver')
  })
})

test('every staff action writes exactly one audit row with staff, store and member; refusals write none', async () => {
  const staff = await aStaff()
  const m = await aMember(db(), { at: at(D, '09:00:00') })
  const code = await codeFor(m, at(D))
  const ref = newRef()
  await call(at(D), 'staff_preview_member', { p_member_code: code }, staff)
  const awarded = await award(at(D), staff, m, 10_000, { ref, code })
  await award(at(D), staff, m, 10_001, { ref, code }) // refused
  await voidAt(at(D), staff, newRef()) // refused
  await voidAt(at(D), staff, ref)
  const rows = await auditOf(staff)
  expect(rows.map(({ action, staff_member_id, store_id, member_id, ref: r, points, amount_fen }) =>
    ({ action, staff_member_id, store_id, member_id, ref: r, points, amount_fen }))).toEqual([
    { action: 'preview_member', staff_member_id: staff, store_id: STORE, member_id: m, ref: null, points: null, amount_fen: null },
    { action: 'award_purchase', staff_member_id: staff, store_id: STORE, member_id: m, ref: awarded.body.purchase_id, points: 100, amount_fen: 10_000 },
    { action: 'void_purchase', staff_member_id: staff, store_id: STORE, member_id: m, ref: awarded.body.purchase_id, points: -100, amount_fen: 10_000 },
  ])
  expect(rows[2].detail).toMatchObject({ order_ref: ref, reason: null, awarded_by: staff, tier_before: 'basic', tier_after: 'basic' })
  // staff_recent_actions shows them
  const recent = await db().call('staff_recent_actions', { p_limit: 3 }, { sub: staff })
  expect(recent.body.map((a: any) => a.action)).toEqual(['void_purchase', 'award_purchase', 'preview_member'])
})

// Concurrency runs on the real clock: pinned-clock API pools are small.
describe('concurrency', () => {
  test('20 parallel awards of the same order (different request ids, several staff): exactly one award', async () => {
    const staffs = [await aStaff(), await aStaff(), await aStaff(), await aStaff()]
    const m = await aMember(db())
    const code = await codeFor(m)
    const ref = newRef()
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => db().call('staff_award_purchase',
      { p_member_code: code, p_amount_fen: 8_800, p_order_ref: ref, p_request_id: randomUUID() }, { sub: staffs[i % 4] })))
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200))
    const ids = new Set(results.map((r) => r.body.purchase_id))
    expect(ids.size).toBe(1)
    const [id] = [...ids]
    expect(await purchasesOf(m)).toEqual([expect.objectContaining({ id, order_ref: ref, points: 88 })])
    expect(await entriesOf(m)).toEqual([{ kind: 'earn', source: 'purchase', ref: `purchase:${id}`, amount_points: 88 }])
    expect(await balanceOf(db(), m)).toBe(188)
    const { rows } = await db().admin.query(`select count(*)::int as n from public.staff_actions where action = 'award_purchase' and ref = $1`, [id])
    expect(rows[0].n).toBe(1)
    const { rows: events } = await db().admin.query(`select count(*)::int as n from public.task_events where member_id = $1 and event = 'purchase_awarded'`, [m])
    expect(events[0].n).toBe(1)
  })

  test('10 parallel awards of the same order to different members: one wins, the rest are duplicate_order_ref', async () => {
    const staffs = [await aStaff(), await aStaff(), await aStaff(), await aStaff(), await aStaff()]
    const members: string[] = []
    for (let i = 0; i < 10; i++) members.push(await aMember(db()))
    const codes = await Promise.all(members.map((m) => codeFor(m)))
    const ref = newRef()
    const results = await Promise.all(members.map((_, i) => db().call('staff_award_purchase',
      { p_member_code: codes[i], p_amount_fen: 5_000, p_order_ref: ref, p_request_id: randomUUID() }, { sub: staffs[i % 5] })))
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.message === 'duplicate_order_ref')).toBe(true)
    const { rows } = await db().admin.query(
      `select count(*)::int as n, sum(points)::int as points from public.purchases where store_id = $1 and order_ref = $2`, [STORE, ref])
    expect(rows[0]).toEqual({ n: 1, points: 50 })
    const balances = await Promise.all(members.map((m) => balanceOf(db(), m)))
    expect(balances.sort()).toEqual([...Array(9).fill(100), 150])
  })

  test('15 parallel awards by one staff member to different members around the daily cap: the cap holds exactly', async () => {
    const staff = await aStaff({ cap: 1000 })
    const members: string[] = []
    for (let i = 0; i < 15; i++) members.push(await aMember(db()))
    const codes = await Promise.all(members.map((m) => codeFor(m)))
    const results = await Promise.all(members.map((_, i) => db().call('staff_award_purchase',
      { p_member_code: codes[i], p_amount_fen: 10_000, p_order_ref: newRef(), p_request_id: randomUUID() }, { sub: staff })))
    expect(results.filter((r) => r.status === 200)).toHaveLength(10)
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.message === 'staff_daily_cap_reached')).toBe(true)
    const { rows } = await db().admin.query(
      `select count(*)::int as n, sum(points + campaign_points)::int as points from public.purchases where staff_member_id = $1`, [staff])
    expect(rows[0]).toEqual({ n: 10, points: 1000 })
    expect(await auditOf(staff)).toHaveLength(10)
    const balances = await Promise.all(members.map((m) => balanceOf(db(), m)))
    expect(balances.filter((b) => b === 200)).toHaveLength(10)
    expect(balances.filter((b) => b === 100)).toHaveLength(5)
  })

  test('parallel voids of one purchase by several staff: reversed once, every caller gets the same result', async () => {
    const staffs = [await aStaff(), await aStaff(), await aStaff()]
    const m = await aMember(db())
    const ref = newRef()
    expect((await award(null, staffs[0], m, 30_000, { ref })).status).toBe(200)
    const results = await Promise.all(Array.from({ length: 9 }, (_, i) => voidAt(null, staffs[i % 3], ref)))
    expect(results.map((r) => r.status)).toEqual(Array(9).fill(200))
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1)
    expect(await entriesOf(m)).toHaveLength(2)
    expect(await balanceOf(db(), m)).toBe(100)
  })
})
