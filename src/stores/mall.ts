/**
 * 积分商城 stores: the mall listing (also what the item screen reads its item from: there is no single-item
 * RPC) and my redemptions, one status filter at a time, paged newest first.
 */
import type { Redemption, RedemptionStatus } from '../domain/mall'
import { listMallItems, listMyRedemptions, REDEMPTIONS_PAGE_SIZE } from '../services/mall'
import { createPagedList } from './paged'
import { createResource } from './resource'

/** `list_mall_items` (all categories: the tabs filter on the device). Reload after a redemption. */
export const mallStore = createResource(() => listMallItems())

/** 我的兑换: one status filter (null: all) at a time, newest first; the next page starts before the last `created_at`. */
export const redemptionsStore = createPagedList<Redemption, RedemptionStatus | null>({
  filter: null,
  pageSize: REDEMPTIONS_PAGE_SIZE,
  fetchPage: (status, last) => listMyRedemptions({ status, before: last?.created_at }),
  keyOf: (r) => r.id,
})
