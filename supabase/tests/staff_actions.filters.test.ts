// The staff app's list — an action filter and, on purchase rows, the
// purchase as it stands now (so the app offers 撤销 only on a standing award).
import { randomUUID } from 'node:crypto'
import { useSeededDb } from '../../test/support/db'
import { aMember, SEEDED } from '../../test/factories/members'

const db = useSeededDb()
const wang = SEEDED.staffWang.id
const li = SEEDED.managerLi.id
const recent = (caller: string, args: Record<string, unknown> = {}) => db().call('staff_recent_actions', args, { sub: caller })

async function codeFor(member: string): Promise<string> {
  return (await db().call('issue_member_code', {}, { sub: member })).body.token
}

async function award(staff: string, member: string, orderRef: string, amountFen = 5000) {
  const res = await db().call('staff_award_purchase', {
    p_member_code: await codeFor(member), p_amount_fen: amountFen, p_order_ref: orderRef, p_request_id: randomUUID(),
  }, { sub: staff })
  expect(res.status).toBe(200)
  return res.body
}

test('the filter keeps only the asked actions; purchase rows carry the purchase as it stands now', async () => {
  const member = await aMember(db())
  await db().call('staff_preview_member', { p_member_code: await codeFor(member) }, { sub: wang })
  const kept = await award(wang, member, 'RECENT-1')
  const voided = await award(wang, member, 'RECENT-2')
  expect((await db().call('staff_void_purchase', { p_order_ref: 'RECENT-2', p_reason: '顾客退款' }, { sub: wang })).status).toBe(200)

  const all = (await recent(wang, { p_limit: 4 })).body
  expect(all.map((a: any) => a.action)).toEqual(['void_purchase', 'award_purchase', 'award_purchase', 'preview_member'])

  const listed = (await recent(wang, { p_actions: ['award_purchase', 'void_purchase', 'verify_redemption'], p_limit: 3 })).body
  expect(listed.map((a: any) => [a.action, a.purchase?.order_ref, a.purchase?.status])).toEqual([
    ['void_purchase', 'RECENT-2', 'voided'],
    ['award_purchase', 'RECENT-2', 'voided'],
    ['award_purchase', 'RECENT-1', 'awarded'],
  ])
  expect(listed[2].purchase).toMatchObject({ id: kept.purchase_id, voided_at: null })
  expect(listed[1].purchase.id).toBe(voided.purchase_id)
  expect(typeof listed[2].purchase.business_date).toBe('string')
  expect(all[3].purchase).toBeNull() // a preview has no purchase

  // paging with a filter
  const page2 = (await recent(wang, { p_actions: ['award_purchase'], p_limit: 1, p_before_id: listed[1].id })).body
  expect(page2.map((a: any) => a.purchase.order_ref)).toEqual(['RECENT-1'])
  // a manager sees the clerk's rows of the store, filtered the same way
  const manager = (await recent(li, { p_actions: ['void_purchase'], p_limit: 1 })).body
  expect(manager[0]).toMatchObject({ staff_member_id: wang, purchase: { order_ref: 'RECENT-2', status: 'voided' } })
})

test('verifications are listed with the voucher in detail and no purchase', async () => {
  const { rows } = await db().admin.query(`select voucher_code from public.redemptions where member_id = $1 and status = 'issued' limit 1`, [SEEDED.lin.id])
  expect((await db().call('staff_verify_redemption', { p_voucher_code: rows[0].voucher_code, p_confirm: true }, { sub: wang })).status).toBe(200)
  const [row] = (await recent(wang, { p_actions: ['verify_redemption'], p_limit: 1 })).body
  expect(row).toMatchObject({ action: 'verify_redemption', member_nickname: '林小满', purchase: null, detail: { voucher_code: rows[0].voucher_code } })
})

test('a bad filter is invalid_action_filter (400); the old checks still come first', async () => {
  for (const p_actions of [[], ['award_purchase', 'delete_everything'], ['award_purchase', null], 'award_purchase', 1e300,
    { award_purchase: true }, [['award_purchase']], [[[[[[[[[[]]]]]]]]]]]) {
    const res = await recent(wang, { p_actions })
    expect([res.status, res.body.message]).toEqual([400, 'invalid_action_filter'])
  }
  expect((await recent(SEEDED.lin.id, { p_actions: [] })).body.message).toBe('not_staff')
  expect((await recent(wang, { p_limit: 0, p_actions: ['award_purchase'] })).body.message).toBe('invalid_limit')
  expect((await db().call('staff_recent_actions', {}, 'anon')).status).toBe(401)
})
