import {
  cancelConfirmText,
  costLabel,
  faceValueLabel,
  formatVoucherCode,
  isSoldOut,
  isUsable,
  itemImageUrl,
  itemBadges,
  itemsOfCategory,
  kindGlyph,
  kindLabel,
  limitBadge,
  limitText,
  redeemConfirmText,
  redemptionDateText,
  redemptionStatusLabel,
  refundToast,
  refusalHint,
  REDEMPTION_TABS,
  saleWindowText,
  stockText,
  tierBadge,
  voucherDigits,
  voucherValidityText,
  withDisplayImages,
  yuanShort,
  type MallItem,
} from './mall'
import { aMallItem, aRedemption } from '../../test/factories/mall'

it('kinds, costs and money', () => {
  expect([kindGlyph('coupon'), kindGlyph('membership'), kindGlyph('gift'), kindGlyph('other')]).toEqual(['券', '会员', '礼', '礼'])
  expect(kindLabel('membership')).toBe('会员权益')
  expect(costLabel(1200)).toBe('1,200 积分')
  expect([yuanShort(1000), yuanShort(1050), yuanShort(1005), yuanShort(1234567), yuanShort(-300)]).toEqual([
    '¥10',
    '¥10.5',
    '¥10.05',
    '¥12,345.67',
    '-¥3',
  ])
  expect(faceValueLabel(1000)).toBe('价值¥10')
  expect(faceValueLabel(null)).toBeNull()
  expect(faceValueLabel(0)).toBeNull()
})

it('badges: tier, sold out, upcoming, limit', () => {
  expect(tierBadge('金卡会员')).toBe('金卡专享')
  expect(tierBadge('钻石')).toBe('钻石专享')
  expect(tierBadge('会员')).toBe('会员专享')
  expect(tierBadge(null)).toBeNull()
  expect(limitBadge({ member_limit: 1, member_limit_days: null })).toBe('限兑 1 次')
  expect(limitBadge({ member_limit: 2, member_limit_days: 30 })).toBe('30天限兑 2 次')
  expect(limitBadge({ member_limit: null, member_limit_days: null })).toBeNull()
  expect(itemBadges(aMallItem())).toEqual([])
  expect(
    itemBadges(aMallItem({ min_tier_name: '金卡会员', stock_remaining: 0, upcoming: true, member_limit: 1 })).map((b) => b.text),
  ).toEqual(['金卡专享', '已兑完', '即将开兑', '限兑 1 次'])
  expect(isSoldOut({ stock_remaining: 3, reason: 'out_of_stock' })).toBe(true)
  expect(isSoldOut({ stock_remaining: 3, reason: null })).toBe(false)
})

it('categories filter the listing', () => {
  const items = [aMallItem({ id: 'a' }), aMallItem({ id: 'b', category_code: 'gifts' })]
  expect(itemsOfCategory(items, null).map((i) => i.id)).toEqual(['a', 'b'])
  expect(itemsOfCategory(items, 'gifts').map((i) => i.id)).toEqual(['b'])
  expect(itemsOfCategory(items, 'none')).toEqual([])
})

it('sale window, validity, stock and limit texts', () => {
  expect(saleWindowText({ sale_starts_at: null, sale_ends_at: null })).toBeNull()
  expect(saleWindowText({ sale_starts_at: '2026-12-01T02:00:00Z', sale_ends_at: '2026-12-31T16:00:00Z' })).toBe(
    '2026-12-01 10:00 至 2027-01-01 00:00',
  )
  expect(saleWindowText({ sale_starts_at: '2026-12-01T02:00:00Z', sale_ends_at: null })).toBe('2026-12-01 10:00 起')
  expect(saleWindowText({ sale_starts_at: null, sale_ends_at: '2026-12-31T16:00:00Z' })).toBe('截至 2027-01-01 00:00')
  expect(voucherValidityText(30)).toBe('兑换后30天内有效')
  expect(voucherValidityText(0)).toBe('仅兑换当天有效')
  expect(stockText(1000)).toBe('剩余 1,000 件')
  expect(stockText(0)).toBe('已兑完')
  expect(limitText({ member_limit: null, member_limit_days: null, member_redeemed: 0, limit_resets_on: null })).toBeNull()
  expect(limitText({ member_limit: 1, member_limit_days: null, member_redeemed: 0, limit_resets_on: null })).toBe('每人限兑 1 次')
  expect(limitText({ member_limit: 1, member_limit_days: 30, member_redeemed: 1, limit_resets_on: '2026-12-23' })).toBe(
    '每人每30天限兑 1 次，已兑 1 次，2026-12-23 起可再兑',
  )
})

it('why an item cannot be redeemed', () => {
  expect(refusalHint(aMallItem(), 0)).toBeNull()
  const refused = (o: Partial<MallItem>) => aMallItem({ redeemable: false, ...o })
  expect(refusalHint(refused({ reason: 'not_on_sale', upcoming: true, sale_starts_at: '2026-12-01T02:00:00Z' }), 0)).toBe(
    '2026-12-01 10:00 开兑',
  )
  expect(refusalHint(refused({ reason: 'not_on_sale' }), 0)).toBe('不在兑换时间内')
  expect(refusalHint(refused({ reason: 'tier_too_low', min_tier_name: '金卡会员' }), 0)).toBe('金卡会员及以上可兑')
  expect(refusalHint(refused({ reason: 'tier_too_low' }), 0)).toBe('会员等级不足')
  expect(refusalHint(refused({ reason: 'limit_reached', limit_resets_on: '2026-12-23' }), 0)).toBe('2026-12-23 起可再兑')
  expect(refusalHint(refused({ reason: 'limit_reached' }), 0)).toBe('已达兑换上限')
  expect(refusalHint(refused({ reason: 'out_of_stock' }), 0)).toBe('已兑完')
  expect(refusalHint(refused({ reason: 'insufficient_points', cost_points: 1000 }), 469)).toBe('还差 531 积分')
  expect(refusalHint(refused({ reason: 'insufficient_points', cost_points: 100 }), 469)).toBe('积分不足')
  expect(refusalHint(refused({ reason: 'item_not_found' }), 0)).toBe('商品不存在或已下架')
})

it('redeeming: the confirmation', () => {
  expect(redeemConfirmText({ cost_points: 100, title: '¥10无门槛券' })).toBe('确认使用 100 积分兑换「¥10无门槛券」？')
})

it('voucher codes: grouped for reading, plain digits for the QR', () => {
  expect(formatVoucherCode('123456789012')).toBe('1234-5678-9012')
  expect(formatVoucherCode('123456789012', ' ')).toBe('1234 5678 9012')
  expect(formatVoucherCode('1234-5678 9012')).toBe('1234-5678-9012')
  expect(formatVoucherCode('123456')).toBe('1234-56')
  expect(formatVoucherCode('')).toBe('')
  expect(voucherDigits('1234 5678-9012')).toBe('123456789012')
})

it('redemption status, dates and cancelling', () => {
  expect(REDEMPTION_TABS.map((t) => t.status)).toEqual([null, 'issued', 'verified', 'expired', 'cancelled'])
  expect(['issued', 'verified', 'expired', 'cancelled', 'odd'].map(redemptionStatusLabel)).toEqual([
    '待使用',
    '已使用',
    '已过期',
    '已取消',
    'odd',
  ])
  expect(redemptionDateText(aRedemption())).toBe('有效期至 2026-12-23')
  expect(redemptionDateText(aRedemption({ status: 'expired' }))).toBe('已于 2026-12-23 过期')
  expect(
    redemptionDateText(
      aRedemption({ status: 'verified', verified_at: '2026-11-30T06:05:00Z', verified_store: { id: 's', name: '人民广场店' } }),
    ),
  ).toBe('2026-11-30 14:05 已使用 · 人民广场店')
  expect(redemptionDateText(aRedemption({ status: 'verified', verified_at: '2026-11-30T06:05:00Z' }))).toBe('2026-11-30 14:05 已使用')
  expect(redemptionDateText(aRedemption({ status: 'cancelled', cancelled_at: '2026-11-24T01:00:00Z' }))).toBe('2026-11-24 09:00 已取消')
  expect(redemptionDateText(aRedemption({ status: 'odd' }))).toBe('')
  expect(isUsable(aRedemption())).toBe(true)
  expect(isUsable(aRedemption({ status: 'expired' }))).toBe(false)
  expect(cancelConfirmText(aRedemption())).toBe('取消「¥10无门槛券」的兑换？将退回 100 积分，券码随即失效。')
  expect(refundToast(1200)).toBe('已退回 1,200 积分')
})

describe('itemImageUrl: what an image_urls entry shows', () => {
  const API = 'http://127.0.0.1:54321'
  test('an item-images object key becomes the public URL under the API URL (local stack or hosted)', () => {
    expect(itemImageUrl('items/3f2c.png', API)).toBe('http://127.0.0.1:54321/storage/v1/object/public/item-images/items/3f2c.png')
    expect(itemImageUrl('items/a_b.png', 'https://abc.supabase.co/')).toBe(
      'https://abc.supabase.co/storage/v1/object/public/item-images/items/a_b.png',
    )
  })
  test('absolute http(s) URLs and app paths are kept as they are', () => {
    expect(itemImageUrl('https://cdn.example.com/x.png', API)).toBe('https://cdn.example.com/x.png')
    expect(itemImageUrl('/static/x.png', API)).toBe('/static/x.png')
  })
  test('nothing, or anything else, shows the tile (null)', () => {
    for (const bad of [null, undefined, '', '//evil.example.com/x.png', 'javascript:alert(1)', 'items/../x.png', 'items//x.png']) {
      expect(itemImageUrl(bad, API)).toBeNull()
    }
    expect(itemImageUrl('items/x.png', '')).toBeNull()
  })
  test('withDisplayImages resolves every entry and drops the unusable ones', () => {
    expect(withDisplayImages({ id: 'i', image_urls: ['items/a.png', 'bad url', '/static/b.png'] }, API)).toEqual({
      id: 'i',
      image_urls: [`${API}/storage/v1/object/public/item-images/items/a.png`, '/static/b.png'],
    })
  })
})
