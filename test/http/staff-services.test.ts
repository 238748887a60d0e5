// The staff app's services (src/services/staff) against the real local API, signed in as the seeded clerk
// 店员王芳 and manager 店长李强: a member code previewed and awarded (retry-safe), the void, a voucher previewed
// and verified, the recent actions — in the shapes src/domain/staff.ts declares — and a non-staff member refused.
import type { MemberPreview, PurchaseResult, StaffAction, VoidResult, VoucherPreview } from '../../src/domain/staff'
import { useSeededApi } from '../support/api'
import { expectLedgerInvariants } from '../support/db'
import { SEEDED } from '../factories/members'

let session: typeof import('../../src/services/session')
let staff: typeof import('../../src/services/staff')
let membercode: typeof import('../../src/services/membercode')
let ids: typeof import('../../src/domain/id')

const PREVIEW_KEYS: (keyof MemberPreview)[] = [
  'member_id',
  'nickname',
  'avatar_url',
  'phone',
  'tier',
  'balance_points',
  'pending_points',
  'is_self',
]
const PURCHASE_KEYS: (keyof PurchaseResult)[] = [
  'purchase_id',
  'store_id',
  'order_ref',
  'member',
  'amount_fen',
  'tier_code',
  'multiplier',
  'points',
  'campaign_points',
  'available_at',
  'pending',
  'status',
  'created_at',
  'awarded_by',
  'repeat',
  'balance_points',
]
const VOID_KEYS: (keyof VoidResult)[] = [
  'purchase',
  'reversed_points',
  'reversed_campaign_points',
  'balance_points',
  'tier_before',
  'tier_after',
  'referral_rewards',
  'task_rewards_reversed',
  'bonuses_reversed',
  'bonuses_kept',
]
const VOUCHER_KEYS: (keyof VoucherPreview)[] = [
  'id',
  'item',
  'cost_points',
  'voucher_code',
  'status',
  'created_at',
  'expires_at',
  'verified_at',
  'cancelled_at',
  'verified_store',
  'verified_by',
  'member',
]
const ACTION_KEYS: (keyof StaffAction)[] = [
  'id',
  'action',
  'created_at',
  'staff_member_id',
  'staff_nickname',
  'store_id',
  'member_id',
  'member_nickname',
  'member_phone',
  'ref',
  'points',
  'amount_fen',
  'detail',
  'purchase',
]
const sorted = (keys: readonly string[]) => [...keys].sort()

const seeded = useSeededApi()
beforeAll(() => {
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    staff = require('../../src/services/staff')
    membercode = require('../../src/services/membercode')
    ids = require('../../src/domain/id')
  })
})
afterEach(async () => {
  session.signOut()
  await expectLedgerInvariants(seeded().db)
})

/** 林小满's member code, as her app fetches it. */
async function linsCode(): Promise<string> {
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  const code = await membercode.issueMemberCode()
  session.signOut()
  return code.token
}

test('preview → award (a retry answers the first result) → recent actions → void', async () => {
  const code = await linsCode()
  await session.signIn({ provider: 'dev', phone: SEEDED.staffWang.phone })

  const preview = await staff.previewMember(code)
  expect(sorted(Object.keys(preview))).toEqual(sorted(PREVIEW_KEYS))
  expect(preview).toMatchObject({ nickname: '林小满', phone: '138****0001', is_self: false, tier: { name: expect.any(String) } })

  const requestId = ids.newRequestId()
  const awarded = await staff.awardPurchase({ memberCode: code, amountFen: 6800, orderRef: 'HTTP-0001', requestId })
  expect(sorted(Object.keys(awarded))).toEqual(sorted(PURCHASE_KEYS))
  expect(awarded).toMatchObject({ order_ref: 'HTTP-0001', amount_fen: 6800, status: 'awarded', member: { nickname: '林小满' } })
  expect(awarded.points).toBeGreaterThanOrEqual(68)
  expect(await staff.awardPurchase({ memberCode: code, amountFen: 6800, orderRef: 'HTTP-0001', requestId })).toEqual(awarded)
  expect(awarded.balance_points).toBe(preview.balance_points + awarded.points + awarded.campaign_points)

  const [latest] = await staff.listStaffActions({ limit: 1 })
  expect(sorted(Object.keys(latest))).toEqual(sorted(ACTION_KEYS))
  expect(latest).toMatchObject({ action: 'award_purchase', purchase: { order_ref: 'HTTP-0001', status: 'awarded' } })

  const voided = await staff.voidPurchase('HTTP-0001', '金额录入错误')
  expect(sorted(Object.keys(voided))).toEqual(sorted(VOID_KEYS))
  expect(voided).toMatchObject({ purchase: { status: 'voided', void_reason: '金额录入错误' }, reversed_points: awarded.points })
  const [voidRow, awardRow] = await staff.listStaffActions({ limit: 2 })
  expect([voidRow.action, awardRow.purchase?.status]).toEqual(['void_purchase', 'voided'])
  // previews are not listed: the award / void rows come first although a preview was written before them
  expect((await staff.listStaffActions()).some((a) => a.action === 'preview_member')).toBe(false)
})

test('refusals arrive as AppErrors with the backend code', async () => {
  const code = await linsCode()
  await session.signIn({ provider: 'dev', phone: SEEDED.staffWang.phone })
  await expect(staff.previewMember('M1.garbage')).rejects.toMatchObject({ name: 'AppError', code: 'invalid_member_code' })
  await expect(staff.awardPurchase({ memberCode: code, amountFen: 0, orderRef: 'HTTP-0002' })).rejects.toMatchObject({
    code: 'invalid_amount',
  })
  await expect(staff.voidPurchase('NO-SUCH-ORDER', null)).rejects.toMatchObject({ code: 'purchase_not_found' })
  await expect(staff.previewVoucher('000000000000')).rejects.toMatchObject({ code: 'voucher_not_found' })
  session.signOut()

  await session.signIn({ provider: 'dev', phone: SEEDED.chen.phone })
  await expect(staff.previewMember(code)).rejects.toMatchObject({ code: 'not_staff' })
  await expect(staff.listStaffActions()).rejects.toMatchObject({ code: 'not_staff' })
})

test("a voucher: preview leaves it, verify uses it once; the manager's list shows the clerk's verification", async () => {
  const { rows } = await seeded().db.admin.query(
    `select voucher_code from public.redemptions where member_id = $1 and status = 'issued' order by created_at limit 1`,
    [SEEDED.lin.id],
  )
  const voucherCode: string = rows[0].voucher_code
  await session.signIn({ provider: 'dev', phone: SEEDED.staffWang.phone })
  const preview = await staff.previewVoucher(voucherCode)
  expect(sorted(Object.keys(preview))).toEqual(sorted(VOUCHER_KEYS))
  expect(preview).toMatchObject({ status: 'issued', member: { nickname: '林小满', phone: '138****0001' }, verified_by: null })

  const requestId = ids.newRequestId()
  const verified = await staff.verifyVoucher(voucherCode, requestId)
  expect(verified).toMatchObject({
    status: 'verified',
    verified_by: { nickname: '店员王芳' },
    verified_store: { name: expect.any(String) },
  })
  expect(await staff.verifyVoucher(voucherCode, requestId)).toEqual(verified) // a retried confirm
  await expect(staff.verifyVoucher(voucherCode)).rejects.toMatchObject({ code: 'already_verified' })
  session.signOut()

  await session.signIn({ provider: 'dev', phone: SEEDED.managerLi.phone })
  const [row] = await staff.listStaffActions({ actions: ['verify_redemption'], limit: 1 })
  expect(row).toMatchObject({ staff_nickname: '店员王芳', detail: { voucher_code: voucherCode }, purchase: null })
})
