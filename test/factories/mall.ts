import type { CancelResult, MallItem, MallListing, Redemption } from '../../src/domain/mall'

/** A `list_mall_items` item as the backend gives it (the seed's ¥10 coupon; override what a test needs). */
export function aMallItem(overrides: Partial<MallItem> = {}): MallItem {
  return {
    id: '00000000-0000-4000-b000-000000000001',
    kind: 'coupon',
    title: '¥10无门槛券',
    description: '全场通用，无最低消费，到店出示券码核销',
    category_code: 'coupons',
    image_urls: [],
    cost_points: 100,
    face_value_fen: 1000,
    stock_remaining: 1000,
    member_limit: null,
    member_limit_days: null,
    min_tier_code: null,
    min_tier_name: null,
    sale_starts_at: null,
    sale_ends_at: null,
    voucher_valid_days: 30,
    upcoming: false,
    member_redeemed: 0,
    member_limit_left: null,
    limit_resets_on: null,
    redeemable: true,
    reason: null,
    ...overrides,
  }
}

/** A `list_mall_items` answer: the seed's categories and a few of its items, for a basic member with 469 points. */
export function aMallListing(overrides: Partial<MallListing> = {}): MallListing {
  return {
    server_time: '2026-11-24T02:00:00.000000+00:00',
    balance_points: 469,
    tier: { code: 'basic', name: '普通会员', rank: 0 },
    categories: [
      { code: 'coupons', name: '优惠券' },
      { code: 'membership', name: '会员权益' },
      { code: 'gifts', name: '精选好礼' },
    ],
    items: [
      aMallItem(),
      aMallItem({
        id: '00000000-0000-4000-b000-000000000004',
        kind: 'membership',
        title: '金卡专享·季度会员',
        category_code: 'membership',
        description: '金卡及以上会员专享，3个月会员权益，限兑1次',
        cost_points: 1200,
        face_value_fen: null,
        stock_remaining: 100,
        member_limit: 1,
        member_limit_left: 1,
        min_tier_code: 'gold',
        min_tier_name: '金卡会员',
        redeemable: false,
        reason: 'tier_too_low',
      }),
      aMallItem({
        id: '00000000-0000-4000-b000-000000000006',
        kind: 'gift',
        title: '限量保温杯',
        category_code: 'gifts',
        description: '本期已兑完，敬请期待补货',
        cost_points: 800,
        face_value_fen: null,
        stock_remaining: 0,
        voucher_valid_days: 60,
        redeemable: false,
        reason: 'out_of_stock',
      }),
      aMallItem({
        id: '00000000-0000-4000-b000-000000000007',
        kind: 'gift',
        title: '新年限定帆布袋',
        category_code: 'gifts',
        description: '新年限定款，7天后开兑，每人限兑1个',
        cost_points: 300,
        face_value_fen: null,
        stock_remaining: 300,
        member_limit: 1,
        member_limit_left: 1,
        sale_starts_at: '2026-12-01T02:00:00+00:00',
        sale_ends_at: '2026-12-31T02:00:00+00:00',
        voucher_valid_days: 60,
        upcoming: true,
        redeemable: false,
        reason: 'not_on_sale',
      }),
    ],
    ...overrides,
  }
}

let counter = 0

/** A redemption as `list_my_redemptions` / `redeem_item` give it (an issued ¥10 coupon by default). */
export function aRedemption(overrides: Partial<Redemption> = {}): Redemption {
  counter += 1
  return {
    id: `00000000-0000-4000-c000-${String(counter).padStart(12, '0')}`,
    item: { id: '00000000-0000-4000-b000-000000000001', kind: 'coupon', title: '¥10无门槛券', face_value_fen: 1000, image_url: null },
    cost_points: 100,
    voucher_code: '123456789012',
    status: 'issued',
    created_at: '2026-11-23T02:00:00.123456+00:00',
    expires_at: '2026-12-23T16:00:00+00:00',
    verified_at: null,
    verified_store: null,
    cancelled_at: null,
    ...overrides,
  }
}

export function aCancelResult(r: Redemption, overrides: Partial<CancelResult> = {}): CancelResult {
  return {
    ...r,
    status: 'cancelled',
    cancelled_at: '2026-11-24T02:00:00+00:00',
    refunded_points: r.cost_points,
    balance_points: 569,
    ...overrides,
  }
}
