/**
 * 积分商城 stores: the mall listing (also what the item screen reads its item from: there is no single-item
 * RPC) and my redemptions, one status filter at a time, paged newest first; redeeming and cancelling.
 */
import { mayHaveReachedServer } from '../domain/errors'
import type { CancelResult, RedeemResult, Redemption, RedemptionStatus } from '../domain/mall'
import {
  cancelRedemption as cancelRedemptionRpc,
  listMallItems,
  listMyRedemptions,
  redeemItem as redeemItemRpc,
  REDEMPTIONS_PAGE_SIZE,
} from '../services/mall'
import { applyPointsAnswer } from './member'
import { createPagedList } from './paged'
import { createResource, selectorHook, writeOr } from './resource'

/** `list_mall_items` (all categories: the tabs filter on the device). */
export const mallStore = createResource(() => listMallItems())
export const useMall = selectorHook(mallStore)

/** 我的兑换: one status filter (null: all) at a time, newest first; the next page starts before the last `created_at`. */
export const redemptionsStore = createPagedList<Redemption, RedemptionStatus | null>({
  filter: null,
  pageSize: REDEMPTIONS_PAGE_SIZE,
  fetchPage: (status, last) => listMyRedemptions({ status, before: last?.created_at }),
  keyOf: (r) => r.id,
})
export const useRedemptions = selectorHook(redemptionsStore)

/** Only the answer's redemption fields (not its balance or refund). */
function redemptionOf({
  id,
  item,
  cost_points,
  voucher_code,
  status,
  created_at,
  expires_at,
  verified_at,
  verified_store,
  cancelled_at,
}: Redemption): Redemption {
  return { id, item, cost_points, voucher_code, status, created_at, expires_at, verified_at, verified_store, cancelled_at }
}

/** Put a redemption from a write's answer into 我的兑换: replaced where listed, first when new; gone from a tab it no longer fits. */
function putRedemption(r: Redemption): void {
  const { status, filter, items } = redemptionsStore.getState()
  if (status !== 'ready') return
  const fits = filter === null || filter === r.status
  const listed = items.some((x) => x.id === r.id)
  const next = listed ? items.map((x) => (x.id === r.id ? r : x)).filter((x) => x.id !== r.id || fits) : fits ? [r, ...items] : items
  redemptionsStore.setState({ items: next })
}

/**
 * The mall listing again, where it was loaded (a targeted re-fetch): after a redemption or a cancel the answer
 * has the one item's voucher and the new balance, but not what they change for every listed item (stock, the
 * member's limit, whether each item is still redeemable and why not: `list_mall_items` decides that).
 */
function reloadMall(): void {
  if (mallStore.getState().status !== 'idle') void mallStore.getState().load()
}

/**
 * Redeem an item (`redeem_item`; pass the same `requestId` to retry after a network error). `me` takes the
 * spendable balance and the spent points (`meAfter`), 我的兑换 the new voucher; the listing is loaded again.
 * A refusal means the listing was stale (sold out, limit reached elsewhere): it is loaded again too (not after an
 * error that may have reached the server: the page retries with the same request id).
 */
export async function redeemItem(itemId: string, requestId: string): Promise<RedeemResult> {
  const result = await writeOr(redeemItemRpc(itemId, requestId), (code) => mayHaveReachedServer(code) || reloadMall())
  applyPointsAnswer({ balance_points: result.balance_points, ledgerSum: false, spent: result.cost_points })
  putRedemption(redemptionOf(result))
  reloadMall()
  return result
}

/**
 * Cancel a voucher (`cancel_redemption`): 我的兑换 shows the cancelled voucher from the answer. `me` takes the
 * balance, but is loaded again: the refund goes back to the lots it was spent from, so the next expiring amount
 * and date move in ways the answer does not say (`meAfter`). A refusal (verified or expired meanwhile): the
 * list is loaded again to show the voucher as it is.
 */
export async function cancelRedemption(redemptionId: string): Promise<CancelResult> {
  const result = await writeOr(cancelRedemptionRpc(redemptionId), () => void redemptionsStore.getState().load())
  putRedemption(redemptionOf(result))
  applyPointsAnswer({ balance_points: result.balance_points, ledgerSum: false, refunded: result.refunded_points })
  reloadMall()
  return result
}
