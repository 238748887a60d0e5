/**
 * 积分商城 (docs/mall.md): the results of `list_mall_items`, `redeem_item`, `cancel_redemption` and
 * `list_my_redemptions`, and how the mall, item and redemption screens word them. Pure TypeScript.
 */
import type { MallCategory, MallItem, MallListing, Redemption, RedeemResult, CancelResult } from './responses'
import { messageFor } from './errors'
import { formatPoints } from './format'
import { lastValidDay, businessDateTime } from './time'

export type { MallCategory, MallItem, MallListing, Redemption, RedeemResult, CancelResult }

export type ItemKind = 'coupon' | 'membership' | 'gift'

/** Why an item cannot be redeemed now: the code `redeem_item` would answer. */
export type MallRefusal = 'not_on_sale' | 'tier_too_low' | 'limit_reached' | 'out_of_stock' | 'insufficient_points'

/** Derived status: `expired` = issued with `expires_at` passed. */
export type RedemptionStatus = 'issued' | 'verified' | 'cancelled' | 'expired'

/** Tabs of 我的兑换: label and the `p_status` filter (null: all). */
export const REDEMPTION_TABS: readonly { label: string; status: RedemptionStatus | null }[] = [
  { label: '全部', status: null },
  { label: '待使用', status: 'issued' },
  { label: '已使用', status: 'verified' },
  { label: '已过期', status: 'expired' },
  { label: '已取消', status: 'cancelled' },
]

const KINDS: Record<string, { glyph: string; label: string }> = {
  coupon: { glyph: '券', label: '优惠券' },
  membership: { glyph: '会员', label: '会员权益' },
  gift: { glyph: '礼', label: '实物礼品' },
}

/** The big glyph on an item's picture tile: 券 / 会员 / 礼 ('礼' for an unknown kind). */
export function kindGlyph(kind: string): string {
  return (KINDS[kind] ?? KINDS.gift).glyph
}

/** '优惠券' / '会员权益' / '实物礼品'. */
export function kindLabel(kind: string): string {
  return (KINDS[kind] ?? KINDS.gift).label
}

/** The Storage bucket that holds item pictures (docs/storage.md). */
export const ITEM_IMAGES_BUCKET = 'item-images'

/** An object key in the item-images bucket, as `mall_items.image_urls` may hold it: no scheme, no leading slash. */
const OBJECT_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/

/**
 * What an `image_urls` entry shows: an absolute http(s) URL or an app-relative path ('/static/…') as stored; an
 * object key ('items/3f2c….png') as the item-images bucket's public URL under `apiUrl` (the Supabase project URL,
 * local stack or hosted): `${apiUrl}/storage/v1/object/public/item-images/items/3f2c….png`. Anything else, or a
 * key without an API URL: null (the picture falls back to the kind's tile).
 */
export function itemImageUrl(entry: string | null | undefined, apiUrl: string): string | null {
  if (!entry) return null
  if (/^https?:\/\/\S+$/.test(entry) || /^\/(?!\/)\S*$/.test(entry)) return entry
  if (!OBJECT_KEY.test(entry) || !apiUrl) return null
  const base = apiUrl.replace(/\/+$/, '')
  return `${base}/storage/v1/object/public/${ITEM_IMAGES_BUCKET}/${entry.split('/').map(encodeURIComponent).join('/')}`
}

/** A listing whose `image_urls` are what the screens show (itemImageUrl); entries that show nothing are dropped. */
export function withDisplayImages<T extends { image_urls: string[] }>(item: T, apiUrl: string): T {
  return { ...item, image_urls: item.image_urls.map((u) => itemImageUrl(u, apiUrl)).filter((u): u is string => u !== null) }
}

/** '1,200 积分'. */
export function costLabel(points: number): string {
  return `${formatPoints(points)} 积分`
}

/** Money without needless cents: 1000 → '¥10', 1050 → '¥10.5', 1005 → '¥10.05'. */
export function yuanShort(fen: number): string {
  const abs = Math.round(Math.abs(fen))
  const yuan = formatPoints(Math.floor(abs / 100))
  const cents = abs % 100
  const tail = cents === 0 ? '' : cents % 10 === 0 ? `.${cents / 10}` : `.${String(cents).padStart(2, '0')}`
  return `${fen < 0 ? '-' : ''}¥${yuan}${tail}`
}

/** '价值¥10' for an item with a money value, else null. */
export function faceValueLabel(fen: number | null | undefined): string | null {
  return typeof fen === 'number' && fen > 0 ? `价值${yuanShort(fen)}` : null
}

/** '金卡会员' → '金卡专享' (the tier restriction badge); null without a restriction. */
export function tierBadge(minTierName: string | null | undefined): string | null {
  if (!minTierName) return null
  const base = minTierName.replace(/会员$/, '') || minTierName
  return `${base}专享`
}

/** '限兑 1 次' / '30天限兑 1 次'; null without a per-member limit. */
export function limitBadge(item: Pick<MallItem, 'member_limit' | 'member_limit_days'>): string | null {
  if (!item.member_limit) return null
  return item.member_limit_days ? `${item.member_limit_days}天限兑 ${item.member_limit} 次` : `限兑 ${item.member_limit} 次`
}

export type BadgeTone = 'tier' | 'soldout' | 'upcoming' | 'limit'

/** The badges of a mall card, in display order. */
export function itemBadges(item: MallItem): { text: string; tone: BadgeTone }[] {
  const badges: { text: string; tone: BadgeTone }[] = []
  const tier = tierBadge(item.min_tier_name)
  if (tier) badges.push({ text: tier, tone: 'tier' })
  if (isSoldOut(item)) badges.push({ text: '已兑完', tone: 'soldout' })
  if (item.upcoming) badges.push({ text: '即将开兑', tone: 'upcoming' })
  const limit = limitBadge(item)
  if (limit) badges.push({ text: limit, tone: 'limit' })
  return badges
}

export function isSoldOut(item: Pick<MallItem, 'stock_remaining' | 'reason'>): boolean {
  return item.stock_remaining <= 0 || item.reason === 'out_of_stock'
}

/** Items of one category (null: all), in the listing's order. */
export function itemsOfCategory(items: readonly MallItem[], category: string | null): MallItem[] {
  return category ? items.filter((i) => i.category_code === category) : [...items]
}

/** The sale window, or null when it is open on both sides. */
export function saleWindowText(item: Pick<MallItem, 'sale_starts_at' | 'sale_ends_at'>): string | null {
  const start = item.sale_starts_at ? businessDateTime(item.sale_starts_at) : ''
  const end = item.sale_ends_at ? businessDateTime(item.sale_ends_at) : ''
  if (start && end) return `${start} 至 ${end}`
  if (start) return `${start} 起`
  if (end) return `截至 ${end}`
  return null
}

/** '兑换后30天内有效' (0 days: '仅兑换当天有效'). */
export function voucherValidityText(days: number): string {
  return days > 0 ? `兑换后${days}天内有效` : '仅兑换当天有效'
}

/** '剩余 1,000 件' / '已兑完'. */
export function stockText(stock: number): string {
  return stock > 0 ? `剩余 ${formatPoints(stock)} 件` : '已兑完'
}

/** The per-member limit in words for the item screen, with what this member used; null without a limit. */
export function limitText(
  item: Pick<MallItem, 'member_limit' | 'member_limit_days' | 'member_redeemed' | 'limit_resets_on'>,
): string | null {
  if (!item.member_limit) return null
  const rule = item.member_limit_days ? `每人每${item.member_limit_days}天限兑 ${item.member_limit} 次` : `每人限兑 ${item.member_limit} 次`
  let used = item.member_redeemed > 0 ? `，已兑 ${item.member_redeemed} 次` : ''
  if (item.limit_resets_on) used += `，${item.limit_resets_on} 起可再兑`
  return rule + used
}

/**
 * A short, specific hint why the member cannot redeem now (muted on the mall card, under the reason on the
 * item screen); null when redeemable.
 */
export function refusalHint(item: MallItem, balancePoints: number): string | null {
  if (item.redeemable || !item.reason) return null
  switch (item.reason) {
    case 'not_on_sale':
      return item.upcoming && item.sale_starts_at ? `${businessDateTime(item.sale_starts_at)} 开兑` : '不在兑换时间内'
    case 'tier_too_low':
      return item.min_tier_name ? `${item.min_tier_name}及以上可兑` : '会员等级不足'
    case 'limit_reached':
      return item.limit_resets_on ? `${item.limit_resets_on} 起可再兑` : '已达兑换上限'
    case 'out_of_stock':
      return '已兑完'
    case 'insufficient_points': {
      const short = item.cost_points - balancePoints
      return short > 0 ? `还差 ${formatPoints(short)} 积分` : '积分不足'
    }
    default:
      return messageFor(item.reason)
  }
}

/** '确认使用 100 积分兑换「¥10无门槛券」？' */
export function redeemConfirmText(item: Pick<MallItem, 'cost_points' | 'title'>): string {
  return `确认使用 ${formatPoints(item.cost_points)} 积分兑换「${item.title}」？`
}

/** The 12 digits of a voucher (spaces / dashes removed): what the QR code carries. */
export function voucherDigits(code: string): string {
  return code.replace(/\D/g, '')
}

/** '123456789012' → '1234-5678-9012' (groups of 4; a partial last group stays). For reading only: the QR
 * carries `voucherDigits`. */
export function formatVoucherCode(code: string, separator = '-'): string {
  return (voucherDigits(code).match(/\d{1,4}/g) ?? []).join(separator)
}

const STATUS_LABELS: Record<string, string> = {
  issued: '待使用',
  verified: '已使用',
  expired: '已过期',
  cancelled: '已取消',
}

export function redemptionStatusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status
}

/** The date line of a redemption card, by status. */
export function redemptionDateText(
  r: Pick<Redemption, 'status' | 'expires_at' | 'verified_at' | 'cancelled_at' | 'verified_store'>,
): string {
  switch (r.status) {
    case 'issued':
      return `有效期至 ${lastValidDay(r.expires_at)}`
    case 'expired':
      return `已于 ${lastValidDay(r.expires_at)} 过期`
    case 'verified': {
      const at = `${businessDateTime(r.verified_at)} 已使用`
      return r.verified_store ? `${at} · ${r.verified_store.name}` : at
    }
    case 'cancelled':
      return `${businessDateTime(r.cancelled_at)} 已取消`
    default:
      return ''
  }
}

/** Only an issued, unexpired voucher can be cancelled (and shows its code). */
export function isUsable(r: Pick<Redemption, 'status'>): boolean {
  return r.status === 'issued'
}

/** '取消后将退回 100 积分，券码随即失效。' */
export function cancelConfirmText(r: Pick<Redemption, 'cost_points' | 'item'>): string {
  return `取消「${r.item.title}」的兑换？将退回 ${formatPoints(r.cost_points)} 积分，券码随即失效。`
}

/** '已退回 100 积分'. */
export function refundToast(points: number): string {
  return `已退回 ${formatPoints(points)} 积分`
}
