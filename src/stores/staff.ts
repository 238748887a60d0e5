/**
 * The staff app's stores: the member a scanned code belongs to, the voucher being verified, and the
 * caller's recent actions (paged by id).
 */
import type { StaffAction } from '../domain/staff'
import { STAFF_ACTIONS_PAGE_SIZE } from '../domain/staff'
import { listStaffActions, previewMember, previewVoucher } from '../services/staff'
import { createPagedList } from './paged'
import { createResource, type ResourceStatus } from './resource'

/**
 * `staff_preview_member` of the scanned code. The data carries its code: a screen shows a member only for the
 * code it was opened with, never the previous scan's while the new one loads.
 */
export const memberPreviewStore = createResource(async (code: string) => ({ code, member: await previewMember(code) }))

/** `staff_verify_redemption` preview of the scanned or typed voucher (set to the confirm's answer after 核销). */
export const voucherStore = createResource(async (code: string) => ({ code, voucher: await previewVoucher(code) }))

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
