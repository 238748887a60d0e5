// The console's reads (supabase/schemas/console_reads.sql): staff and open invitations of a store, and members'
// names by id — operators only, validated, read-only (nothing audited, nothing changed).
import { useSeededDb, expectLedgerInvariants } from '../../test/support/db'
import { aMember, phoneOf, SEEDED } from '../../test/factories/members'

const db = useSeededDb()
const OPERATOR = { sub: SEEDED.operatorZhao.id }
type Res = { status: number; body: any }
const expectError = (res: Res, status: number, code: string) => expect([res.status, res.body?.message]).toEqual([status, code])
const storeOf = async (memberId: string): Promise<string> =>
  (await db().admin.query('select store_id from public.staff where member_id = $1', [memberId])).rows[0].store_id
const auditCount = async () => (await db().admin.query('select count(*)::int as n from public.operator_audit')).rows[0].n

test('members, clerks, managers and anon cannot read them', async () => {
  const member = await aMember(db())
  const store = await storeOf(SEEDED.staffWang.id)
  for (const caller of [{ sub: member }, { sub: SEEDED.staffWang.id }, { sub: SEEDED.managerLi.id }]) {
    expectError(await db().call('op_list_staff', { p_store_id: store }, caller), 403, 'not_operator')
    expectError(await db().call('op_list_staff_invitations', {}, caller), 403, 'not_operator')
    expectError(await db().call('op_member_names', { p_member_ids: [member] }, caller), 403, 'not_operator')
  }
  for (const fn of ['op_list_staff', 'op_list_staff_invitations']) expect((await db().call(fn, {}, 'anon')).status).toBe(401)
})

test("op_list_staff: a store's staff with names and full phones, active first, managers first; deactivated ones too", async () => {
  const store = await storeOf(SEEDED.staffWang.id)
  const res = await db().call('op_list_staff', { p_store_id: store }, OPERATOR)
  expect(res.status).toBe(200)
  expect(res.body.map((s: any) => [s.member_id, s.role, s.active, s.phone])).toEqual([
    [SEEDED.managerLi.id, 'manager', true, SEEDED.managerLi.phone],
    [SEEDED.staffWang.id, 'clerk', true, SEEDED.staffWang.phone],
  ])
  expect(res.body[1]).toMatchObject({ nickname: '店员王芳', store_id: store, daily_award_cap_points: expect.any(Number) })

  expect((await db().call('op_deactivate_staff', { p_member_id: SEEDED.staffWang.id, p_reason: '离职' }, OPERATOR)).status).toBe(200)
  const after = await db().call('op_list_staff', { p_store_id: store }, OPERATOR)
  expect(after.body.map((s: any) => [s.member_id, s.active])).toEqual([
    [SEEDED.managerLi.id, true],
    [SEEDED.staffWang.id, false],
  ])
  // every store at once
  const all = await db().call('op_list_staff', {}, OPERATOR)
  expect(all.body.length).toBeGreaterThanOrEqual(2)
  expectError(await db().call('op_list_staff', { p_store_id: '00000000-0000-4000-8000-00000000dead' }, OPERATOR), 404, 'store_not_found')
})

test('op_list_staff_invitations: the open invitations of a store, not the accepted ones', async () => {
  const store = await storeOf(SEEDED.staffWang.id)
  const invited = await db().call('op_set_staff', { p_phone: '13712345678', p_store_id: store, p_role: 'clerk', p_daily_award_cap_points: 3000 }, OPERATOR)
  expect(invited.status).toBe(200)
  expect(invited.body.invitation).toMatchObject({ phone: '13712345678' })
  const open = await db().call('op_list_staff_invitations', { p_store_id: store }, OPERATOR)
  expect(open.status).toBe(200)
  expect(open.body).toEqual([expect.objectContaining({ phone: '13712345678', role: 'clerk', daily_award_cap_points: 3000, accepted_at: null })])

  // the phone signs in: the invitation is accepted and leaves the list
  const res = await db().call('register_member', { p_provider: 'dev', p_subject: '13712345678' }, 'service_role')
  expect(res.status).toBe(200)
  expect((await db().call('op_list_staff_invitations', { p_store_id: store }, OPERATOR)).body).toEqual([])
  expect((await db().call('op_list_staff_invitations', {}, OPERATOR)).body).toEqual([])
  expectError(await db().call('op_list_staff_invitations', { p_store_id: '00000000-0000-4000-8000-00000000dead' }, OPERATOR), 404, 'store_not_found')
  await expectLedgerInvariants(db())
})

test('op_member_names: names and phones by id; unknown ids left out; bad lists refused', async () => {
  const member = await aMember(db())
  const res = await db().call('op_member_names', { p_member_ids: [member, SEEDED.lin.id, '00000000-0000-4000-8000-00000000dead'] }, OPERATOR)
  expect(res.status).toBe(200)
  expect(res.body).toHaveLength(2)
  expect(res.body).toEqual(
    expect.arrayContaining([
      { id: SEEDED.lin.id, nickname: expect.any(String), phone: SEEDED.lin.phone },
      { id: member, nickname: expect.any(String), phone: await phoneOf(db(), member) },
    ]),
  )
  expect((await db().call('op_member_names', { p_member_ids: [] }, OPERATOR)).body).toEqual([])
  for (const bad of [null, 'x', [1], ['not-a-uuid'], [[SEEDED.lin.id]], { a: 1 }, Array.from({ length: 101 }, () => SEEDED.lin.id)]) {
    expectError(await db().call('op_member_names', { p_member_ids: bad }, OPERATOR), 400, 'invalid_member_ids')
  }
})

test('reading changes nothing and audits nothing', async () => {
  const before = await auditCount()
  await db().call('op_list_staff', {}, OPERATOR)
  await db().call('op_list_staff_invitations', {}, OPERATOR)
  await db().call('op_member_names', { p_member_ids: [SEEDED.lin.id] }, OPERATOR)
  expect(await auditCount()).toBe(before)
  await expectLedgerInvariants(db())
})
