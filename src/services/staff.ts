/**
 * The staff app's RPCs (docs/staff.md, docs/mall.md): member preview and purchase points, voids, vouchers,
 * the recent actions. All run as the signed-in staff member; the backend checks the staff row.
 */
import { newRequestId } from '../domain/id'
import { numericMemberCode } from '../domain/membercode'
import {
  LISTED_ACTIONS,
  STAFF_ACTIONS_PAGE_SIZE,
  type MemberPreview,
  type PurchaseResult,
  type StaffAction,
  type StaffActionKind,
  type VoidResult,
  type VoucherPreview,
} from '../domain/staff'
import { staffRpc } from './session'

/**
 * Who a scanned member code belongs to (RPC `staff_preview_member`); the code must still be valid. 18 digits
 * are checked first (RPC `staff_check_member_code`, which logs the attempt and limits failed ones: docs/staff.md),
 * one round trip more; an `M1.` token goes straight to the preview.
 */
export async function previewMember(memberCode: string): Promise<MemberPreview> {
  const digits = numericMemberCode(memberCode)
  if (digits) await staffRpc('staff_check_member_code', { p_code: digits })
  return staffRpc('staff_preview_member', { p_member_code: digits ?? memberCode })
}

/**
 * Purchase points for an amount paid at the caller's store (RPC `staff_award_purchase`). Reuse `requestId`
 * when retrying after a network error: the backend answers the first result instead of awarding twice.
 */
export function awardPurchase(args: {
  memberCode: string
  amountFen: number
  orderRef: string
  requestId?: string
}): Promise<PurchaseResult> {
  return staffRpc('staff_award_purchase', {
    p_member_code: args.memberCode,
    p_amount_fen: args.amountFen,
    p_order_ref: args.orderRef,
    p_request_id: args.requestId ?? newRequestId(),
  })
}

/** Void (refund) the award of an order of the caller's store (RPC `staff_void_purchase`). Idempotent. */
export function voidPurchase(orderRef: string, reason: string | null, requestId: string = newRequestId()): Promise<VoidResult> {
  return staffRpc('staff_void_purchase', { p_order_ref: orderRef, p_reason: reason ?? undefined, p_request_id: requestId })
}

/** A voucher as it stands, without changing it (RPC `staff_verify_redemption`, preview). */
export function previewVoucher(voucherCode: string): Promise<VoucherPreview> {
  return staffRpc('staff_verify_redemption', { p_voucher_code: voucherCode, p_confirm: false })
}

/** Verify (核销) a voucher once (RPC `staff_verify_redemption`, confirm); a retry with `requestId` answers the first success. */
export function verifyVoucher(voucherCode: string, requestId: string = newRequestId()): Promise<VoucherPreview> {
  return staffRpc('staff_verify_redemption', { p_voucher_code: voucherCode, p_confirm: true, p_request_id: requestId })
}

/** One page of the caller's actions (a manager: the store's), newest first; next page: `beforeId` = last `id`. */
export function listStaffActions(
  options: { beforeId?: number | null; limit?: number; actions?: readonly StaffActionKind[] } = {},
): Promise<StaffAction[]> {
  return staffRpc('staff_recent_actions', {
    p_limit: options.limit ?? STAFF_ACTIONS_PAGE_SIZE,
    p_before_id: options.beforeId ?? undefined,
    p_actions: [...(options.actions ?? LISTED_ACTIONS)],
  })
}
