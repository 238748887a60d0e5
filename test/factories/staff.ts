import type { MemberPreview, PurchaseResult, StaffAction, VoidResult, VoucherPreview } from '../../src/domain/staff'
import { aRedemption } from './mall'

/** A member code as issue_member_code gives it (林小满's; the MAC is made up: the tests never verify it). */
export const A_MEMBER_CODE = 'M1.00000000000040008000000000000001.1795489260.0123456789ABCDEF0123456789ABCDEF'

/** `staff_preview_member` of 林小满 (override what a test needs). */
export function aMemberPreview(overrides: Partial<MemberPreview> = {}): MemberPreview {
  return {
    member_id: '00000000-0000-4000-8000-000000000001',
    nickname: '林小满',
    avatar_url: null,
    phone: '138****0001',
    tier: { code: 'silver', name: '银卡会员', multiplier: 1.2 },
    balance_points: 1280,
    pending_points: 0,
    is_self: false,
    ...overrides,
  }
}

/** `staff_award_purchase` of ¥68 at ×1.2 with the demo campaign's double points. */
export function aPurchaseResult(overrides: Partial<PurchaseResult> = {}): PurchaseResult {
  return {
    purchase_id: '00000000-0000-4000-d000-000000000001',
    store_id: '00000000-0000-4000-9000-000000000001',
    order_ref: 'POS-0001',
    member: { id: '00000000-0000-4000-8000-000000000001', nickname: '林小满', phone: '138****0001' },
    amount_fen: 6800,
    tier_code: 'silver',
    multiplier: 1.2,
    points: 81,
    campaign_points: 81,
    available_at: '2026-11-23T02:00:00+00:00',
    pending: false,
    status: 'awarded',
    created_at: '2026-11-23T02:00:00+00:00',
    balance_points: 1442,
    repeat: false,
    awarded_by: { member_id: '00000000-0000-4000-8000-000000000003', nickname: '店员王芳' },
    ...overrides,
  }
}

function purchaseOf({ repeat: _repeat, balance_points: _balance, ...purchase }: PurchaseResult) {
  return purchase
}

export function aVoidResult(overrides: Partial<VoidResult> = {}): VoidResult {
  return {
    purchase: { ...purchaseOf(aPurchaseResult({ status: 'voided' })), voided_at: '2026-11-23T03:00:00+00:00', void_reason: '顾客退货退款' },
    reversed_points: 81,
    reversed_campaign_points: 81,
    balance_points: 1280,
    tier_before: { code: 'silver', name: '银卡会员' },
    tier_after: { code: 'silver', name: '银卡会员' },
    referral_rewards: null,
    task_rewards_reversed: [],
    bonuses_reversed: [],
    bonuses_kept: [],
    ...overrides,
  }
}

/** `staff_verify_redemption` of the ¥10 coupon, issued (override status etc. for the other states). */
export function aVoucher(overrides: Partial<VoucherPreview> = {}): VoucherPreview {
  return { ...aRedemption(), verified_by: null, member: { nickname: '林小满', phone: '138****0001' }, ...overrides }
}

let actionId = 100
/** A row of `staff_recent_actions`: an award by 店员王芳 that still stands. */
export function aStaffAction(overrides: Partial<StaffAction> = {}): StaffAction {
  actionId -= 1
  return {
    id: actionId,
    action: 'award_purchase',
    created_at: '2026-11-23T02:00:00+00:00',
    staff_member_id: '00000000-0000-4000-8000-000000000003',
    staff_nickname: '店员王芳',
    store_id: '00000000-0000-4000-9000-000000000001',
    member_id: '00000000-0000-4000-8000-000000000001',
    member_nickname: '林小满',
    member_phone: '138****0001',
    ref: '00000000-0000-4000-d000-000000000001',
    points: 162,
    amount_fen: 6800,
    detail: { order_ref: 'POS-0001' },
    purchase: {
      id: '00000000-0000-4000-d000-000000000001',
      order_ref: 'POS-0001',
      status: 'awarded',
      business_date: '2026-11-23',
      voided_at: null,
    },
    ...overrides,
  }
}
