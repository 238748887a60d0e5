// The store manager's services (src/services/manager) against the real local API as the seeded manager (店长李强,
// 静安寺店): the staff list, adding a clerk, changing his cap and deactivating him, the member look-up and detail,
// each answer checked against the shape the screens read (src/services/contract.ts); the refusals for others.
import type { TestDb } from '../support/db'
import { useSeededApi } from '../support/api'
import { aMember, phoneOf, SEEDED } from '../factories/members'

let db: TestDb
let session: typeof import('../../src/services/session')
let manager: typeof import('../../src/services/manager')

const clientApi = useSeededApi()
beforeAll(() => {
  ;({ db } = clientApi())
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    manager = require('../../src/services/manager')
  })
})
afterEach(() => session.signOut())

test('as the manager: the staff list, a clerk added, his cap changed, deactivated; an invitation for a new phone', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.managerLi.phone })
  const before = await manager.fetchStoreStaff()
  expect(before.store_name).toBe('悦享咖啡·静安寺店')
  expect(before.staff.find((s) => s.is_self)).toMatchObject({ nickname: '店长李强', role: 'manager', phone: '139****0002' })
  expect(before.staff.find((s) => s.member_id === SEEDED.staffWang.id)).toMatchObject({ role: 'clerk', active: true })

  const member = await aMember(db)
  const added = await manager.addClerk(await phoneOf(db, member), 3000)
  expect(added.invitation).toBeNull()
  expect(added.staff).toMatchObject({ member_id: member, role: 'clerk', daily_award_cap_points: 3000, active: true })
  expect((await manager.setClerkCap(member, 4500)).daily_award_cap_points).toBe(4500)
  expect((await manager.deactivateClerk(member, '离职')).active).toBe(false)
  const after = await manager.fetchStoreStaff()
  expect(after.staff.find((s) => s.member_id === member)).toMatchObject({
    active: false,
    daily_award_cap_points: 4500,
    awarded_today_points: 0,
  })

  const invited = await manager.addClerk('13655507777', 2000)
  expect(invited.staff).toBeNull()
  expect(invited.invitation).toMatchObject({ phone: '13655507777', role: 'clerk', daily_award_cap_points: 2000 })
  expect((await manager.fetchStoreStaff()).invitations[0]).toMatchObject({ phone: '136****7777', daily_award_cap_points: 2000 })

  await expect(manager.addClerk('12345', 100)).rejects.toMatchObject({ name: 'AppError', code: 'invalid_phone' })
  await expect(manager.addClerk(SEEDED.managerLi.phone, 100)).rejects.toMatchObject({ code: 'staff_elsewhere' })
  await expect(manager.setClerkCap(member, 100)).rejects.toMatchObject({ code: 'staff_not_found' })
})

test("as the manager: his store's member by phone, then the detail with the purchases at his store", async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.managerLi.phone })
  const [lin] = await manager.findStoreMembers(SEEDED.lin.phone)
  expect(lin).toMatchObject({
    member_id: SEEDED.lin.id,
    nickname: '林小满',
    phone: '138****0001',
    purchase_count: 1,
    purchase_amount_fen: 6800,
  })
  const detail = await manager.fetchStoreMember(lin.member_id)
  // the seed awards both at one instant: order by reference here
  expect(detail.purchases.map((p) => [p.order_ref, p.status]).sort()).toEqual([
    ['DEMO-0001', 'awarded'],
    ['DEMO-0002', 'voided'],
  ])
  expect(detail.voided_count).toBe(1)
  expect(await manager.findStoreMembers(SEEDED.chen.phone)).toEqual([]) // never bought at the store
  await expect(manager.fetchStoreMember(SEEDED.chen.id)).rejects.toMatchObject({ code: 'store_member_not_found' })
  await expect(manager.findStoreMembers('0001')).rejects.toMatchObject({ code: 'invalid_member_query' })
  // the session survives a 404 about another member (no sign-in again)
  expect(await manager.fetchStoreStaff()).toMatchObject({ store_name: '悦享咖啡·静安寺店' })
})

test('a clerk gets not_manager, a member not_staff', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.staffWang.phone })
  await expect(manager.fetchStoreStaff()).rejects.toMatchObject({ name: 'AppError', code: 'not_manager' })
  await expect(manager.findStoreMembers(SEEDED.lin.phone)).rejects.toMatchObject({ code: 'not_manager' })
  session.signOut()
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  await expect(manager.fetchStoreMember(SEEDED.lin.id)).rejects.toMatchObject({ code: 'not_staff' })
})
