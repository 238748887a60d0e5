/** 我的消费: the member's purchases, newest first, a page at a time (keyset on the last purchase shown). */
import type { MyPurchase } from '../domain/purchases'
import { listMyPurchases, PURCHASES_PAGE_SIZE } from '../services/purchases'
import { createPagedList } from './paged'
import { selectorHook } from './resource'

export const purchasesStore = createPagedList<MyPurchase, null>({
  filter: null,
  pageSize: PURCHASES_PAGE_SIZE,
  fetchPage: (_filter, last) => listMyPurchases({ beforeId: last?.id }),
  keyOf: (p) => p.id,
})
export const usePurchases = selectorHook(purchasesStore)
