/**
 * 积分商城 stores: the mall listing (also what the item screen reads its item from: there is no single-item
 * RPC) and my redemptions, one status filter at a time, paged newest first.
 */
import { create } from 'zustand'

import { errorCodeOf } from '../domain/errors'
import type { Redemption, RedemptionStatus } from '../domain/mall'
import { listMallItems, listMyRedemptions, REDEMPTIONS_PAGE_SIZE } from '../services/mall'
import { createResource, type ResourceStatus } from './resource'

/** `list_mall_items` (all categories: the tabs filter on the device). Reload after a redemption. */
export const mallStore = createResource(() => listMallItems())

export interface RedemptionsState {
  filter: RedemptionStatus | null
  status: ResourceStatus
  items: Redemption[]
  errorCode?: string
  /** The last page was full: there may be more. */
  hasMore: boolean
  loadingMore: boolean
  /** Loading the next page failed (the rows already shown stay). */
  moreErrorCode?: string
  /** The first page of `filter` (default: the current one); keeps the rows visible when the filter is unchanged. */
  load: (filter?: RedemptionStatus | null) => Promise<void>
  /** The next page (no-op while loading, or when there is no more). */
  loadMore: () => Promise<void>
}

let generation = 0

export const redemptionsStore = create<RedemptionsState>()((set, get) => ({
  filter: null,
  status: 'idle',
  items: [],
  hasMore: false,
  loadingMore: false,
  load: async (filter = get().filter) => {
    const call = ++generation
    const sameFilter = filter === get().filter
    set({
      filter,
      status: 'loading',
      errorCode: undefined,
      moreErrorCode: undefined,
      loadingMore: false,
      ...(sameFilter ? {} : { items: [], hasMore: false }),
    })
    try {
      const rows = await listMyRedemptions({ status: filter })
      if (call === generation) set({ status: 'ready', items: rows, hasMore: rows.length >= REDEMPTIONS_PAGE_SIZE })
    } catch (e) {
      if (call === generation) set({ status: 'error', errorCode: errorCodeOf(e), items: [], hasMore: false })
    }
  },
  loadMore: async () => {
    const { status, hasMore, loadingMore, items, filter } = get()
    if (status !== 'ready' || !hasMore || loadingMore || items.length === 0) return
    const call = generation
    set({ loadingMore: true, moreErrorCode: undefined })
    try {
      const rows = await listMyRedemptions({ status: filter, before: items[items.length - 1].created_at })
      if (call !== generation) return
      const seen = new Set(items.map((r) => r.id))
      set({
        items: [...items, ...rows.filter((r) => !seen.has(r.id))],
        hasMore: rows.length >= REDEMPTIONS_PAGE_SIZE,
        loadingMore: false,
      })
    } catch (e) {
      if (call === generation) set({ loadingMore: false, moreErrorCode: errorCodeOf(e) })
    }
  },
}))
