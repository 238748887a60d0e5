import type { MyPurchase } from '../domain/responses'
import { memberRpc } from './session'

export type { MyPurchase }

export const PURCHASES_PAGE_SIZE = 20

/**
 * 我的消费: the member's own purchases, newest first (RPC `list_my_purchases`); `beforeId` is the last purchase of
 * the previous page (keyset paging: a purchase made meanwhile does not shift the pages).
 */
export function listMyPurchases(options: { beforeId?: string | null; limit?: number } = {}): Promise<MyPurchase[]> {
  return memberRpc('list_my_purchases', { p_before_id: options.beforeId ?? undefined, p_limit: options.limit ?? PURCHASES_PAGE_SIZE })
}
