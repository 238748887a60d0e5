// Stores and staff (a staff member is a member with a row here, never a claim).
import { useSeededDb } from '../../test/support/db'
import { aMember, SEEDED } from '../../test/factories/members'

const db = useSeededDb()
const STORE = '00000000-0000-4000-9000-000000000001'

test('the seed has two stores, a clerk and a manager', async () => {
  const { rows } = await db().admin.query('select member_id, role, store_id from public.staff order by member_id')
  expect(rows).toEqual([
    { member_id: SEEDED.staffWang.id, role: 'clerk', store_id: STORE },
    { member_id: SEEDED.managerLi.id, role: 'manager', store_id: STORE },
  ])
  expect((await db().read('stores', 'select=name&order=name', 'anon')).body).toHaveLength(2)
})

test('a staff member reads only their own staff row; other members and anon see none', async () => {
  expect((await db().read('staff', 'select=member_id,role', { sub: SEEDED.staffWang.id })).body).toEqual([{ member_id: SEEDED.staffWang.id, role: 'clerk' }])
  expect((await db().read('staff', 'select=member_id', { sub: SEEDED.lin.id })).body).toEqual([])
  expect((await db().read('staff', 'select=member_id', 'anon')).status).toBe(401)
})

test('constraints: known roles, a non-negative award cap, one row per member, an existing store', async () => {
  const m = await aMember(db())
  const insert = (role: string, cap: number, store = STORE) =>
    db().admin.query('insert into public.staff (member_id, store_id, role, daily_award_cap_points) values ($1, $2, $3, $4)', [m, store, role, cap])
  await expect(insert('owner', 0)).rejects.toMatchObject({ code: '23514' })
  await expect(insert('clerk', -1)).rejects.toMatchObject({ code: '23514' })
  await expect(insert('clerk', 0, '00000000-0000-4000-9000-0000000000ff')).rejects.toMatchObject({ code: '23503' })
  await insert('clerk', 100)
  await expect(insert('manager', 100)).rejects.toMatchObject({ code: '23505' })
  await expect(db().admin.query(`insert into public.stores (name) values ('')`)).rejects.toMatchObject({ code: '23514' })
})
