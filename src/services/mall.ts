/**
 * 积分商城 (docs/mall.md): the item listing, redeeming an item, and the member's vouchers. One small typed
 * function per RPC; all run as the signed-in member.
 */
import { newRequestId } from '../domain/id'
import {
  itemImageUrl,
  withDisplayImages,
  type CancelResult,
  type MallListing,
  type RedeemResult,
  type Redemption,
  type RedemptionStatus,
} from '../domain/mall'
import { supabaseUrl } from './config'
import { memberRpc } from './session'

export type { CancelResult, MallListing, RedeemResult, Redemption, RedemptionStatus }

export const REDEMPTIONS_PAGE_SIZE = 20

/**
 * Balance, tier, categories and the items on sale or upcoming (RPC `list_mall_items`), optionally of one category.
 * `image_urls` come back as the screens show them: Storage object keys become public URLs (itemImageUrl).
 */
export async function listMallItems(category: string | null = null): Promise<MallListing> {
  const listing = await memberRpc('list_mall_items', { p_category: category ?? undefined })
  return { ...listing, items: listing.items.map((item) => withDisplayImages(item, supabaseUrl)) }
}

/**
 * Redeem an item for points (RPC `redeem_item`). Pass the same `requestId` when retrying after a network
 * error: the backend then answers the first result instead of redeeming twice.
 */
export async function redeemItem(itemId: string, requestId: string = newRequestId()): Promise<RedeemResult> {
  return withItemImage(await memberRpc('redeem_item', { p_item_id: itemId, p_request_id: requestId }))
}

/** Give an issued, unexpired voucher back (RPC `cancel_redemption`): the points return. Idempotent. */
export async function cancelRedemption(redemptionId: string, requestId: string = newRequestId()): Promise<CancelResult> {
  return withItemImage(await memberRpc('cancel_redemption', { p_redemption_id: redemptionId, p_request_id: requestId }))
}

/** One page of my redemptions, newest first (RPC `list_my_redemptions`); next page: `before` = last `created_at`. */
export async function listMyRedemptions(
  options: { status?: RedemptionStatus | null; limit?: number; before?: string | null } = {},
): Promise<Redemption[]> {
  const page = await memberRpc('list_my_redemptions', {
    p_status: options.status ?? undefined,
    p_limit: options.limit ?? REDEMPTIONS_PAGE_SIZE,
    p_before: options.before ?? undefined,
  })
  return page.map(withItemImage)
}

/** A redemption whose item picture is what the screens show (itemImageUrl). */
function withItemImage<T extends Pick<Redemption, 'item'>>(r: T): T {
  return { ...r, item: { ...r.item, image_url: itemImageUrl(r.item.image_url, supabaseUrl) } }
}
