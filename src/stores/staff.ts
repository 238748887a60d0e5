/**
 * The staff app's stores: the member a scanned code belongs to, the voucher being verified, and the
 * caller's recent actions (paged by id); awarding, voiding and verifying.
 */
import { mayHaveReachedServer } from '../domain/errors'
import type { PurchaseResult, StaffAction, VoidResult, VoucherPreview } from '../domain/staff'
import { STAFF_ACTIONS_PAGE_SIZE } from '../domain/staff'
import {
  awardPurchase as awardPurchaseRpc,
  listStaffActions,
  previewMember,
  previewVoucher,
  verifyVoucher as verifyVoucherRpc,
  voidPurchase as voidPurchaseRpc,
} from '../services/staff'
import { createPagedList } from './paged'
import { createResource, selectorHook, writeOr, type ResourceStatus } from './resource'

/**
 * `staff_preview_member` of the scanned code. The data carries its code: a screen shows a member only for the
 * code it was opened with, never the previous scan's while the new one loads.
 */
export const memberPreviewStore = createResource(async (code: string) => ({ code, member: await previewMember(code) }))
export const useMemberPreview = selectorHook(memberPreviewStore)

/** `staff_verify_redemption` preview of the scanned or typed voucher (set to the confirm's answer after 核销). */
export const voucherStore = createResource(async (code: string) => ({ code, voucher: await previewVoucher(code) }))
export const useVoucher = selectorHook(voucherStore)

/**
 * A preview's state as the screen for `code` should show it. Another code's data counts as still loading; so
 * does everything until this screen's own load of the code has settled (`loadedHere`), because a preview of
 * the same code from an earlier visit may be stale (a member code expires after 60 s). Data whose reload
 * failed is never shown: the error is (e.g. `member_code_expired`).
 */
export function previewFor<T extends { code: string }>(
  state: { status: ResourceStatus; data?: T; errorCode?: string },
  code: string,
  loadedHere = true,
) {
  if (!loadedHere) return { data: undefined, status: 'loading' as ResourceStatus, errorCode: undefined }
  const data = state.data?.code === code && state.status !== 'error' ? state.data : undefined
  return { data, status: data || state.status !== 'ready' ? state.status : ('loading' as const), errorCode: state.errorCode }
}

/** 最近操作: awards, voids and verifications, newest first (no filter: the filter is the listed actions). */
export const staffActionsStore = createPagedList<StaffAction, null>({
  filter: null,
  pageSize: STAFF_ACTIONS_PAGE_SIZE,
  fetchPage: (_filter, last) => listStaffActions({ beforeId: last?.id }),
  keyOf: (a) => a.id,
})
export const useStaffActions = selectorHook(staffActionsStore)

/**
 * Award purchase points to the member of `memberCode` (`staff_award_purchase`; reuse `requestId` to retry after
 * a network error). The member's preview takes the answer's balance (spendable after the award). The recent
 * actions are loaded again where they were loaded (a targeted re-fetch): the answer has the purchase, not the
 * action row the list shows (its id, who, when).
 */
export async function awardPurchase(args: {
  memberCode: string
  amountFen: number
  orderRef: string
  requestId: string
}): Promise<PurchaseResult> {
  const result = await awardPurchaseRpc(args)
  const preview = memberPreviewStore.getState().data
  if (preview?.code === args.memberCode && !result.repeat && result.status !== 'voided') {
    const held = result.pending ? result.points + result.campaign_points : 0
    memberPreviewStore.getState().set({
      ...preview,
      member: { ...preview.member, balance_points: result.balance_points, pending_points: preview.member.pending_points + held },
    })
  }
  void staffActionsStore.getState().refresh()
  return result
}

/**
 * Void the award of an order (`staff_void_purchase`). The listed award takes the answer's purchase status
 * (已撤销) at once; the list's first page is then loaded again (a targeted re-fetch) to show the void itself,
 * whose action row is not in the answer. A refusal also reloads it (e.g. voided at another till meanwhile).
 */
export async function voidPurchase(orderRef: string, reason: string): Promise<VoidResult> {
  const result = await writeOr(voidPurchaseRpc(orderRef, reason), () => void staffActionsStore.getState().load())
  const { items } = staffActionsStore.getState()
  staffActionsStore.setState({
    items: items.map((a) =>
      a.purchase?.order_ref === result.purchase.order_ref
        ? { ...a, purchase: { ...a.purchase, status: result.purchase.status ?? 'voided' } }
        : a,
    ),
  })
  void staffActionsStore.getState().load()
  return result
}

/**
 * Verify (核销) the voucher of `code` once (`staff_verify_redemption`, confirm; reuse `requestId` after a network
 * error). The voucher store takes the answer (now verified). A refusal (verified at another till, expired):
 * the voucher is previewed again to show it as it is.
 */
export async function verifyVoucher(code: string, requestId: string): Promise<VoucherPreview> {
  const verified = await writeOr(
    verifyVoucherRpc(code, requestId),
    (errorCode) => mayHaveReachedServer(errorCode) || void voucherStore.getState().load(code),
  )
  voucherStore.getState().set({ code, voucher: verified })
  return verified
}
