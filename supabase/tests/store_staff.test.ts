// The store manager's subset (store_staff.sql): his store's staff list with today's awarded points against each
// cap, cap changes by member id, and his store's members (those who bought there) found by phone / member code /
// id with their purchases AT HIS STORE. Role checks come first; another store's staff and members are never
// answered (a member who only bought elsewhere is answered exactly as an unknown one).
import { randomUUID } from 'node:crypto'
import { useSeededDb } from '../../test/support/db'
import { aMember, phoneOf, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

const STORE_A = '00000000-0000-4000-9000-000000000001' // 静安寺店: 店长李强, 店员王芳
const STORE_B = '00000000-0000-4000-9000-000000000002' // 徐家汇店
const MANAGER_A = { sub: SEEDED.managerLi.id }
const CLERK_A = SEEDED.staffWang.id

type Res = { status: number; body: any }
const expectError = (res: Res, status: number, code: string) => expect([res.status, res.body?.message]).toEqual([status, code])
const mask = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`

/** A new staff member (a member with a staff row). */
async function aStaff(opts: { store?: string; role?: 'clerk' | 'manager'; cap?: number; active?: boolean } = {}) {
  const id = await aMember(db())
  await db().admin.query(
    'insert into public.staff (member_id, store_id, role, daily_award_cap_points, active) values ($1, $2, $3, $4, $5)',
    [id, opts.store ?? STORE_A, opts.role ?? 'clerk', opts.cap ?? 20000, opts.active ?? true],
  )
  return id
}

async function codeFor(member: string): Promise<string> {
  const res = await db().call('issue_member_code', {}, { sub: member })
  expect(res.status).toBe(200)
  return res.body.token
}

let refs = 0
async function award(staff: string, member: string, amountFen: number): Promise<{ order_ref: string; points: number; campaign_points: number }> {
  const res = await db().call('staff_award_purchase', {
    p_member_code: await codeFor(member), p_amount_fen: amountFen, p_order_ref: `SS-${process.pid}-${++refs}`, p_request_id: randomUUID(),
  }, { sub: staff })
  expect(res.status).toBe(200)
  return res.body
}

const listStaff = (caller: object = MANAGER_A) => db().call('staff_list_store_staff', {}, caller as never)
const find = (query: unknown, caller: object = MANAGER_A) => db().call('staff_find_members', { p_query: query }, caller as never)
const detail = (member: string, caller: object = MANAGER_A) => db().call('staff_store_member_detail', { p_member_id: member }, caller as never)
const auditOf = async (id: string) =>
  (await db().admin.query(`select action, before, after, actor_id from public.operator_audit where target_id = $1 order by id`, [id])).rows

/** What a member's purchases at a store add up to, read as superuser. */
async function purchaseFigures(member: string, store: string) {
  const { rows } = await db().admin.query(
    `select min(created_at) as first_at, max(created_at) as last_at,
       (count(*) filter (where status = 'awarded'))::int as standing,
       coalesce(sum(amount_fen) filter (where status = 'awarded'), 0)::int as amount_fen,
       coalesce(sum(points + campaign_points) filter (where status = 'awarded'), 0)::int as points,
       (count(*) filter (where status = 'voided'))::int as voided
     from public.purchases where member_id = $1 and store_id = $2`,
    [member, store],
  )
  return rows[0]
}

let managerB: string
let clerkB: string
let onlyB: string // a member who bought at store B only
beforeAll(async () => {
  managerB = await aStaff({ store: STORE_B, role: 'manager' })
  clerkB = await aStaff({ store: STORE_B })
  onlyB = await aMember(db())
  await award(clerkB, onlyB, 2500)
})

test('roles first: members, clerks, operators who are not staff and deactivated managers are refused; anon is 401', async () => {
  const member = await aMember(db())
  const deactivated = await aStaff({ role: 'manager', active: false })
  const calls = [
    (c: object) => listStaff(c),
    (c: object) => find(SEEDED.lin.phone, c),
    (c: object) => detail(SEEDED.lin.id, c),
    (c: object) => db().call('staff_set_clerk_cap', { p_member_id: CLERK_A, p_daily_award_cap_points: 1 }, c as never),
  ]
  for (const call of calls) {
    expectError(await call({ sub: member }), 403, 'not_staff')
    expectError(await call({ sub: SEEDED.operatorZhao.id }), 403, 'not_staff') // an operator is not a store's staff
    expectError(await call({ sub: deactivated }), 403, 'not_staff')
    expectError(await call({ sub: CLERK_A }), 403, 'not_manager')
  }
  // role before validation: a clerk with a bad query is still not_manager
  expectError(await find('nonsense', { sub: CLERK_A }), 403, 'not_manager')
  expect((await db().call('staff_list_store_staff', {}, 'anon')).status).toBe(401)
  expect((await db().admin.query('select daily_award_cap_points from public.staff where member_id = $1', [CLERK_A])).rows[0].daily_award_cap_points).toBe(20000)
})

test("the staff list: his store's staff only, masked phones, today's awarded points as the cap check counts them, open invitations", async () => {
  const member = await aMember(db())
  const first = await award(CLERK_A, member, 12345)
  const second = await award(CLERK_A, member, 5000)
  // a voided purchase does not count (as in the cap check)
  expect((await db().call('staff_void_purchase', { p_order_ref: second.order_ref, p_reason: '退货' }, { sub: CLERK_A })).status).toBe(200)
  const invited = await db().call('staff_set_clerk', { p_phone: '13655501234', p_daily_award_cap_points: 3000 }, MANAGER_A)
  expect(invited.status).toBe(200)
  const leaver = await aStaff()
  expect((await db().call('staff_deactivate_clerk', { p_member_id: leaver, p_reason: '离职' }, MANAGER_A)).status).toBe(200)

  const res = await listStaff()
  expect(res.status).toBe(200)
  const { staff, invitations } = res.body
  expect(res.body).toMatchObject({ store_id: STORE_A, store_name: '悦享咖啡·静安寺店' })
  expect(res.body.business_date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  // active first, the manager first among them; the deactivated clerk last
  expect(staff[0]).toMatchObject({ member_id: SEEDED.managerLi.id, nickname: '店长李强', phone: '139****0002', role: 'manager', active: true, is_self: true })
  const wang = staff.find((s: any) => s.member_id === CLERK_A)
  expect(wang).toMatchObject({ nickname: '店员王芳', phone: mask(SEEDED.staffWang.phone), role: 'clerk', active: true, daily_award_cap_points: 20000, is_self: false })
  expect(wang.awarded_today_points).toBe(first.points + first.campaign_points)
  expect(wang.awarded_today_points).toBeGreaterThan(0)
  expect(staff.at(-1)).toMatchObject({ member_id: leaver, active: false })
  expect(staff.map((s: any) => s.member_id)).not.toContain(managerB)
  expect(staff.map((s: any) => s.member_id)).not.toContain(clerkB)
  expect(staff.every((s: any) => /^1\d{2}\*{4}\d{4}$/.test(s.phone))).toBe(true)
  expect(invitations).toEqual([
    { id: invited.body.invitation.id, phone: '136****1234', role: 'clerk', daily_award_cap_points: 3000, invited_at: expect.any(String) },
  ])

  // the same figure the cap check uses: a cap at exactly today's awarded points refuses the next award
  await db().admin.query('update public.staff set daily_award_cap_points = $2 where member_id = $1', [CLERK_A, wang.awarded_today_points])
  try {
    const over = await db().call('staff_award_purchase', {
      p_member_code: await codeFor(member), p_amount_fen: 100, p_order_ref: `SS-${process.pid}-over`, p_request_id: randomUUID(),
    }, { sub: CLERK_A })
    expectError(over, 409, 'staff_daily_cap_reached')
  } finally {
    await db().admin.query('update public.staff set daily_award_cap_points = 20000 where member_id = $1', [CLERK_A])
  }

  // manager B sees his own store: not A's staff, not A's invitation
  const b = (await listStaff({ sub: managerB })).body
  expect(b.store_id).toBe(STORE_B)
  expect(b.staff.map((s: any) => s.member_id).sort()).toEqual([managerB, clerkB].sort())
  expect(b.staff.find((s: any) => s.member_id === clerkB).awarded_today_points).toBeGreaterThan(0)
  expect(b.invitations).toEqual([])
})

test("a manager changes the cap of his store's active clerks by member id, audited; not another store's, not a manager's", async () => {
  const clerk = await aStaff({ cap: 1000 })
  const set = (member: string, cap: unknown, caller: object = MANAGER_A) =>
    db().call('staff_set_clerk_cap', { p_member_id: member, p_daily_award_cap_points: cap }, caller as never)
  const changed = await set(clerk, 2500)
  expect(changed.status).toBe(200)
  expect(changed.body).toMatchObject({ member_id: clerk, store_id: STORE_A, role: 'clerk', daily_award_cap_points: 2500, active: true })
  // the same cap again: nothing changes, nothing audited
  expect((await set(clerk, 2500)).body.daily_award_cap_points).toBe(2500)
  expect(await auditOf(clerk)).toEqual([
    { action: 'set_staff_cap', before: { daily_award_cap_points: 1000 }, after: { daily_award_cap_points: 2500 }, actor_id: SEEDED.managerLi.id },
  ])
  for (const cap of [-1, 100000001, null, 1.5]) {
    const res = await set(clerk, cap)
    expect([res.status, res.body?.message === 'invalid_award_cap' || res.body?.code === '22P02']).toEqual([400, true])
  }
  expectError(await set(clerkB, 10), 404, 'staff_not_found') // another store's clerk
  expectError(await set(SEEDED.managerLi.id, 10), 404, 'staff_not_found') // a manager (himself)
  expectError(await set(randomUUID(), 10), 404, 'staff_not_found')
  const gone = await aStaff({ active: false })
  expectError(await set(gone, 10), 404, 'staff_not_found')
  expectError(await set(clerk, 10, { sub: managerB }), 404, 'staff_not_found') // B's manager on A's clerk
  expect((await db().admin.query('select daily_award_cap_points from public.staff where member_id = $1', [clerk])).rows[0].daily_award_cap_points).toBe(2500)
  expect(await auditOf(clerk)).toHaveLength(1)
})

test("finding his store's members by phone, member code or id; the figures are the member's purchases at this store", async () => {
  // 林小满 bought at store A in the seed (DEMO-0001 standing, DEMO-0002 voided); she also buys at B now, which
  // must not count for A
  await award(clerkB, SEEDED.lin.id, 9900)
  const figures = await purchaseFigures(SEEDED.lin.id, STORE_A)
  expect([figures.standing, figures.amount_fen, figures.voided]).toEqual([1, 6800, 1])
  const { rows: [{ tier_code: tier }] } = await db().admin.query(
    `select coalesce((select tier_code from public.member_tiers where member_id = $1), (select code from public.tiers where rank = 0)) as tier_code`,
    [SEEDED.lin.id])
  const { rows: [{ n: available }] } = await db().admin.query('select private.available_points($1) as n', [SEEDED.lin.id])
  const expected = {
    member_id: SEEDED.lin.id,
    nickname: '林小满',
    phone: '138****0001',
    tier_code: tier,
    tier_name: expect.any(String),
    balance_points: available,
    first_purchase_at: expect.any(String),
    last_purchase_at: expect.any(String),
    purchase_count: 1,
    purchase_amount_fen: 6800,
  }
  const code = await codeFor(SEEDED.lin.id)
  for (const query of [SEEDED.lin.phone, ` ${SEEDED.lin.phone} `, code, code.toLowerCase(), SEEDED.lin.id, SEEDED.lin.id.toUpperCase()]) {
    const res = await find(query)
    expect([query, res.status]).toEqual([query, 200])
    expect(res.body).toEqual([expected])
  }
  const [found] = (await find(SEEDED.lin.phone)).body
  expect(Date.parse(found.first_purchase_at)).toBe(new Date(figures.first_at).getTime())
  expect(Date.parse(found.last_purchase_at)).toBe(new Date(figures.last_at).getTime())
  // manager B finds her too, with B's figures only
  expect((await find(SEEDED.lin.phone, { sub: managerB })).body[0]).toMatchObject({ purchase_count: 1, purchase_amount_fen: 9900 })
})

test('a member who never bought at his store is answered as an unknown one: nothing', async () => {
  const never = await aMember(db())
  for (const member of [onlyB, never, SEEDED.chen.id]) {
    for (const query of [await phoneOf(db(), member), await codeFor(member), member]) {
      expect(await find(query)).toEqual({ status: 200, body: [] })
    }
  }
  expect(await find('13655500000')).toEqual({ status: 200, body: [] }) // nobody has this phone
  expect(await find(randomUUID())).toEqual({ status: 200, body: [] })
  // B's manager finds B's member
  expect((await find(onlyB, { sub: managerB })).body).toHaveLength(1)
})

test.each([
  ['empty', ''],
  ['blank', ' \u3000 '],
  ['null', null],
  ['the last 4 digits (operators only)', '0001'],
  ['10 digits', '1380000000'],
  ['12 digits', '138000000011'],
  ['not a mobile number', '12800000001'],
  ['letters', '138OOOOOOO1'],
  ['a nickname', '林小满'],
  ['too long', '1'.repeat(500)],
])('an invalid query (%s) is invalid_member_query', async (_name, query) => {
  expectError(await find(query), 400, 'invalid_member_query')
})

test('a bad or expired member code is refused with the member code errors', async () => {
  const code = await codeFor(SEEDED.lin.id)
  expectError(await find(code.slice(0, -1) + (code.endsWith('0') ? '1' : '0')), 400, 'invalid_member_code')
  expectError(await find('M1.nonsense'), 400, 'invalid_member_code')
  const later = new Date(Date.now() + 10 * 60_000).toISOString()
  const res = await db().callAt(later, 'staff_find_members', { p_query: code }, MANAGER_A)
  expectError(res, 409, 'member_code_expired')
})

test('the member detail: profile summary, balance, pending and expiring points, and the purchases at his store only, voids included', async () => {
  const member = await aMember(db())
  // purchase points held for 3 days: pending, not yet spendable
  await db().admin.query('update public.point_rules set purchase_hold_days = 3')
  let a1, a2
  try {
    a1 = await award(CLERK_A, member, 8800)
    a2 = await award(CLERK_A, member, 4200)
  } finally {
    await db().admin.query('update public.point_rules set purchase_hold_days = 0')
  }
  expect((await db().call('staff_void_purchase', { p_order_ref: a2.order_ref, p_reason: '金额录入错误' }, MANAGER_A)).status).toBe(200)
  await award(clerkB, member, 7700) // at B: not in A's answer

  const res = await detail(member)
  expect(res.status).toBe(200)
  const d = res.body
  const figures = await purchaseFigures(member, STORE_A)
  expect(d.member).toMatchObject({ member_id: member, phone: mask(await phoneOf(db(), member)), purchase_count: 1, purchase_amount_fen: 8800 })
  expect(d.purchase_points).toBe(figures.points)
  expect(d.purchase_points).toBe(a1.points + a1.campaign_points)
  expect(d.voided_count).toBe(1)
  expect(d.purchases.map((p: any) => [p.order_ref, p.status, p.amount_fen])).toEqual([
    [a2.order_ref, 'voided', 4200],
    [a1.order_ref, 'awarded', 8800],
  ])
  expect(d.purchases[0]).toMatchObject({ void_reason: '金额录入错误', awarded_by: { member_id: CLERK_A, nickname: '店员王芳' } })
  expect(d.purchases[0].voided_at).toEqual(expect.any(String))
  expect(d.purchases[1]).toMatchObject({ voided_at: null, void_reason: null, points: a1.points })
  // purchase points are on hold: pending, not yet in the balance; the registration bonus expires first
  const { rows: [lots] } = await db().admin.query(
    `select private.available_points($1) as available,
       (select coalesce(sum(remaining_points), 0)::int from public.point_lots where member_id = $1 and remaining_points > 0 and available_at > now()) as pending`,
    [member])
  expect([d.member.balance_points, d.pending_points]).toEqual([lots.available, lots.pending])
  expect(d.pending_points).toBeGreaterThan(0)
  expect(d.expiring === null || (d.expiring.points > 0 && /^\d{4}-\d{2}-\d{2}$/.test(d.expiring.expires_on))).toBe(true)
  expect(Number(d.tier_multiplier)).toBeGreaterThanOrEqual(1)
  expect(d.member_since).toEqual(expect.any(String))

  // B's manager sees B's purchase only
  const b = (await detail(member, { sub: managerB })).body
  expect(b.purchases.map((p: any) => p.amount_fen)).toEqual([7700])
})

test('the detail of a member without purchases at his store is store_member_not_found, the same as an unknown id', async () => {
  const unknown = await detail(randomUUID())
  expectError(unknown, 404, 'store_member_not_found')
  const elsewhere = await detail(onlyB)
  expect(elsewhere).toEqual(unknown)
  expectError(await detail(SEEDED.chen.id), 404, 'store_member_not_found')
  expect((await detail('not-a-uuid')).status).toBe(400)
})
