// list_my_purchases — 我的消费 (issue 17): a member's own purchases, newest first, keyset pages, with the store,
// the points, a campaign's extra and the status (voided, pending).
import { randomUUID } from 'node:crypto'
import { addDays } from '../../test/support/dates'
import { expectLedgerInvariants, useSeededDb } from '../../test/support/db'
import { aMember } from '../../test/factories/members'

const db = useSeededDb()

const STORE = '00000000-0000-4000-9000-000000000001'
const STORE_NAME = '悦享咖啡·静安寺店'
const D = '2027-04-01'
const at = (day: string, time = '12:00:00') => `${day}T${time}+08:00`

type Res = { status: number; body: any }
const expectError = (res: Res, status: number, code: string) => expect([res.status, res.body?.message]).toEqual([status, code])

async function aStaff(role: 'clerk' | 'manager' = 'clerk') {
  const id = await aMember(db())
  await db().admin.query('insert into public.staff (member_id, store_id, role, daily_award_cap_points, active) values ($1, $2, $3, 20000, true)', [
    id,
    STORE,
    role,
  ])
  return id
}

let refCount = 0
const newRef = () => `MINE-${process.pid}-${++refCount}`

async function award(when: string, staff: string, member: string, amountFen: number, ref = newRef()): Promise<string> {
  const code = (await db().callAt(when, 'issue_member_code', {}, { sub: member })).body.token
  const res = await db().callAt(
    when,
    'staff_award_purchase',
    { p_member_code: code, p_amount_fen: amountFen, p_order_ref: ref, p_request_id: randomUUID() },
    { sub: staff },
  )
  expect(res.status).toBe(200)
  return ref
}

const mine = (when: string, member: string, args: Record<string, unknown> = {}) => db().callAt(when, 'list_my_purchases', args, { sub: member })

afterEach(async () => {
  await expectLedgerInvariants(db())
})

describe('list_my_purchases', () => {
  test('own purchases newest first: store, amount, points, campaign extra, status; a void shows as voided', async () => {
    const staff = await aStaff('manager')
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const other = await aMember(db(), { at: at(D, '09:00:00') })
    await award(at(D, '10:00:00'), staff, other, 5000)
    const first = await award(at(D, '10:00:00'), staff, m, 6800)
    const second = await award(at(D, '11:00:00'), staff, m, 1250)
    const small = await award(at(D, '11:30:00'), staff, m, 99)
    expect((await db().callAt(at(D, '12:00:00'), 'staff_void_purchase', { p_order_ref: second, p_reason: '顾客退货退款' }, { sub: staff })).status).toBe(200)

    const res = await mine(at(D, '13:00:00'), m)
    expect(res.status).toBe(200)
    expect(res.body.map((p: any) => p.order_ref)).toEqual([small, second, first])
    expect(res.body[2]).toMatchObject({
      store: { id: STORE, name: STORE_NAME },
      order_ref: first,
      amount_fen: 6800,
      tier_code: 'basic',
      points: 68,
      campaign_points: 0,
      status: 'awarded',
      pending: false,
      voided_at: null,
    })
    expect(res.body[1]).toMatchObject({ status: 'voided', points: 12, pending: false })
    expect(res.body[1].voided_at).not.toBeNull()
    expect(res.body[0]).toMatchObject({ amount_fen: 99, points: 0, status: 'awarded' })
    // nobody else's purchases
    expect(res.body.every((p: any) => p.order_ref !== undefined && p.store.name === STORE_NAME)).toBe(true)
    expect((await mine(at(D, '13:00:00'), other)).body).toHaveLength(1)
  })

  test('a campaign extra is reported with the purchase', async () => {
    const day = '2028-05-01'
    await db().admin.query(`insert into public.campaigns (name, starts_at, ends_at, multiplier, sources) values ('我的消费双倍', $1, $2, 2, '{purchase}')`, [
      at(day, '00:00:00'),
      at(addDays(day, 1), '00:00:00'),
    ])
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(day, '09:00:00') })
    await award(at(day), staff, m, 10_000)
    expect((await mine(at(day), m)).body).toEqual([expect.objectContaining({ points: 100, campaign_points: 100, status: 'awarded' })])
  })

  test('held points are pending until available_at', async () => {
    const { rows } = await db().admin.query('select purchase_hold_days from public.point_rules')
    await db().admin.query('update public.point_rules set purchase_hold_days = 3')
    try {
      const staff = await aStaff()
      const m = await aMember(db(), { at: at(D, '09:00:00') })
      await award(at(D), staff, m, 3000)
      expect((await mine(at(D), m)).body[0]).toMatchObject({ points: 30, pending: true, status: 'awarded' })
      expect((await mine(at(addDays(D, 3)), m)).body[0]).toMatchObject({ pending: false })
    } finally {
      await db().admin.query('update public.point_rules set purchase_hold_days = $1', [rows[0].purchase_hold_days])
    }
  })

  test('keyset pages: p_before_id continues after the last row; new purchases do not shift a page', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(D, '09:00:00') })
    const refs: string[] = []
    for (let i = 0; i < 5; i++) refs.push(await award(at(D, `10:0${i}:00`), staff, m, 100 * (i + 1)))
    const page1 = await mine(at(D), m, { p_limit: 2 })
    expect(page1.body.map((p: any) => p.order_ref)).toEqual([refs[4], refs[3]])
    await award(at(D, '10:30:00'), staff, m, 100)
    const page2 = await mine(at(D), m, { p_limit: 2, p_before_id: page1.body[1].id })
    expect(page2.body.map((p: any) => p.order_ref)).toEqual([refs[2], refs[1]])
    const page3 = await mine(at(D), m, { p_limit: 2, p_before_id: page2.body[1].id })
    expect(page3.body.map((p: any) => p.order_ref)).toEqual([refs[0]])
    expect((await mine(at(D), m, { p_before_id: page3.body[0].id })).body).toEqual([])
    // default page size 20
    expect((await mine(at(D), m)).body).toHaveLength(6)
  })

  test('a member with no purchases gets an empty list', async () => {
    const m = await aMember(db())
    const res = await db().call('list_my_purchases', {}, { sub: m })
    expect([res.status, res.body]).toEqual([200, []])
  })

  test('stable errors: invalid_limit, purchase_not_found for another member\'s or an unknown purchase; anon 401, no member 401', async () => {
    const staff = await aStaff()
    const [a, b] = [await aMember(db(), { at: at(D, '09:00:00') }), await aMember(db(), { at: at(D, '09:00:00') })]
    await award(at(D), staff, b, 500)
    const bPurchase = (await mine(at(D), b)).body[0].id
    for (const p_limit of [0, 101, null]) expectError(await mine(at(D), a, { p_limit }), 400, 'invalid_limit')
    expectError(await mine(at(D), a, { p_before_id: bPurchase }), 404, 'purchase_not_found')
    expectError(await mine(at(D), a, { p_before_id: randomUUID() }), 404, 'purchase_not_found')
    const anon = await db().call('list_my_purchases', {}, 'anon')
    expect(anon.status).toBe(401)
    expectError(await db().call('list_my_purchases', {}, { sub: randomUUID() }), 401, 'member_not_found')
  })
})
