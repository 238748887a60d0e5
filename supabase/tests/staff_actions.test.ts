// Who counts as staff, the append-only audit trail, staff_recent_actions.
import { useSeededDb } from '../../test/support/db'
import { aMember, SEEDED } from '../../test/factories/members'

const db = useSeededDb()
const STORE = '00000000-0000-4000-9000-000000000001'
const OTHER_STORE = '00000000-0000-4000-9000-000000000002'

/** An audit row written the way staff features write it (as superuser: the features come later). */
async function logAction(staffId: string, action: string, memberId: string | null, ref: string) {
  const { rows } = await db().admin.query(
    `select private.log_staff_action(s, $2, $3, $4, 10, 1000, '{"k":1}') as id from public.staff s where s.member_id = $1`,
    [staffId, action, memberId, ref],
  )
  return Number(rows[0].id)
}

const recent = (caller: string, args: Record<string, unknown> = {}) => db().call('staff_recent_actions', args, { sub: caller })

test('only active staff pass private.require_staff; a role list keeps clerks out', async () => {
  const asCaller = (sub: string, sql: string) => db().sqlAs({ sub }, sql)
  // sqlAs runs as the API role, which cannot reach private: check through the definer RPC instead
  expect((await recent(SEEDED.lin.id)).body).toMatchObject({ message: 'not_staff' })
  expect((await recent(SEEDED.lin.id)).status).toBe(403)
  expect((await db().call('staff_recent_actions', {}, 'anon')).status).toBe(401)
  await expect(asCaller(SEEDED.staffWang.id, 'select private.require_staff()')).rejects.toMatchObject({ code: '42501' })

  const rows = async (sub: string, roles: string | null) => (await db().sqlAt(null,
    `select set_config('request.jwt.claims', $1, true), (private.require_staff($2::text[])).role`,
    [JSON.stringify({ sub, role: 'authenticated' }), roles]))[0].role
  expect(await rows(SEEDED.staffWang.id, null)).toBe('clerk')
  expect(await rows(SEEDED.managerLi.id, '{manager}')).toBe('manager')
  await expect(rows(SEEDED.staffWang.id, '{manager}')).rejects.toMatchObject({ message: 'not_manager', code: 'PT403' })
  await expect(rows(SEEDED.lin.id, null)).rejects.toMatchObject({ message: 'not_staff', code: 'PT403' })

  const former = await aMember(db())
  await db().admin.query(`insert into public.staff (member_id, store_id, active) values ($1, $2, false)`, [former, STORE])
  await expect(rows(former, null)).rejects.toMatchObject({ message: 'not_staff' })
})

test('the audit trail is append-only for every role, the owner included', async () => {
  const id = await logAction(SEEDED.staffWang.id, 'preview_member', SEEDED.lin.id, 'x')
  await expect(db().admin.query('update public.staff_actions set points = 0 where id = $1', [id])).rejects.toMatchObject({ code: '42501' })
  await expect(db().admin.query('delete from public.staff_actions where id = $1', [id])).rejects.toMatchObject({ code: '42501' })
  await expect(db().admin.query('truncate public.staff_actions')).rejects.toMatchObject({ code: '42501' })
  await expect(db().admin.query(`select private.log_staff_action(s, 'delete_everything') from public.staff s limit 1`))
    .rejects.toMatchObject({ code: '23514' })
})

test('staff_recent_actions: a clerk sees their own, a manager their whole store, newest first, paged', async () => {
  const other = await aMember(db())
  await db().admin.query(`insert into public.staff (member_id, store_id, role) values ($1, $2, 'clerk')`, [other, OTHER_STORE])
  const a1 = await logAction(SEEDED.staffWang.id, 'award_purchase', SEEDED.lin.id, 'p1')
  const a2 = await logAction(SEEDED.managerLi.id, 'verify_redemption', SEEDED.chen.id, 'r1')
  const a3 = await logAction(SEEDED.staffWang.id, 'void_purchase', SEEDED.lin.id, 'p1')
  const elsewhere = await logAction(other, 'award_purchase', SEEDED.chen.id, 'p2')

  const clerk = await recent(SEEDED.staffWang.id)
  expect(clerk.status).toBe(200)
  const clerkIds = clerk.body.map((a: any) => a.id)
  expect(clerkIds.slice(0, 2)).toEqual([a3, a1])
  expect(clerkIds).not.toContain(a2)
  expect(clerk.body[0]).toMatchObject({
    action: 'void_purchase', staff_member_id: SEEDED.staffWang.id, staff_nickname: '店员王芳', store_id: STORE,
    member_id: SEEDED.lin.id, member_nickname: '林小满', member_phone: '138****0001', ref: 'p1', points: 10,
    amount_fen: 1000, detail: { k: 1 },
  })

  const manager = (await recent(SEEDED.managerLi.id)).body.map((a: any) => a.id)
  expect(manager.slice(0, 3)).toEqual([a3, a2, a1])
  expect(manager).not.toContain(elsewhere)

  const page1 = (await recent(SEEDED.managerLi.id, { p_limit: 2 })).body.map((a: any) => a.id)
  const page2 = (await recent(SEEDED.managerLi.id, { p_limit: 2, p_before_id: page1[1] })).body.map((a: any) => a.id)
  expect(page1).toEqual([a3, a2])
  expect(page2[0]).toBe(a1)

  for (const p_limit of [0, 101, null]) {
    expect((await recent(SEEDED.staffWang.id, { p_limit })).body.message).toBe('invalid_limit')
  }
})

test('staff read their own audit rows directly; members see none', async () => {
  await logAction(SEEDED.staffWang.id, 'preview_member', SEEDED.lin.id, 'direct')
  const mine = await db().read('staff_actions', 'select=staff_member_id', { sub: SEEDED.staffWang.id })
  expect(mine.body.length).toBeGreaterThan(0)
  expect(new Set(mine.body.map((r: any) => r.staff_member_id))).toEqual(new Set([SEEDED.staffWang.id]))
  expect((await db().read('staff_actions', 'select=id', { sub: SEEDED.lin.id })).body).toEqual([])
})
