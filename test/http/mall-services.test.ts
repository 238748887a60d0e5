// The mall's client services (src/services/mall) against the real local API and the seeded mall: the shapes
// src/domain/mall.ts declares, redeeming (retry-safe), refusals, cancelling and paging my redemptions.
import type { MallItem, MallListing, Redemption } from '../../src/domain/mall'
import { useSeededApi } from '../support/api'
import { SEEDED } from '../factories/members'

let session: typeof import('../../src/services/session')
let mall: typeof import('../../src/services/mall')
let ids: typeof import('../../src/domain/id')

const ITEM = {
  coupon10: '00000000-0000-4000-b000-000000000001',
  coupon30: '00000000-0000-4000-b000-000000000002',
  month: '00000000-0000-4000-b000-000000000003',
  goldQuarter: '00000000-0000-4000-b000-000000000004',
  powerBank: '00000000-0000-4000-b000-000000000005',
  cup: '00000000-0000-4000-b000-000000000006',
  bag: '00000000-0000-4000-b000-000000000007',
}

/** Exactly the keys the domain types declare (a renamed or missing field fails here). */
const LISTING_KEYS: (keyof MallListing)[] = ['server_time', 'balance_points', 'tier', 'categories', 'items']
const ITEM_KEYS: (keyof MallItem)[] = [
  'id',
  'kind',
  'title',
  'description',
  'category_code',
  'image_urls',
  'cost_points',
  'face_value_fen',
  'stock_remaining',
  'member_limit',
  'member_limit_days',
  'min_tier_code',
  'min_tier_name',
  'sale_starts_at',
  'sale_ends_at',
  'voucher_valid_days',
  'upcoming',
  'member_redeemed',
  'member_limit_left',
  'limit_resets_on',
  'redeemable',
  'reason',
]
const REDEMPTION_KEYS: (keyof Redemption)[] = [
  'id',
  'item',
  'cost_points',
  'voucher_code',
  'status',
  'created_at',
  'expires_at',
  'verified_at',
  'verified_store',
  'cancelled_at',
]
const sorted = (keys: readonly string[]) => [...keys].sort()

let phoneCounter = 0
/** A phone nobody has: signing in with it registers a new member with the 100-point welcome bonus. */
function newPhone(): string {
  phoneCounter += 1
  return `136${String(process.pid % 10000).padStart(4, '0')}${String(phoneCounter).padStart(4, '0')}`
}

const seeded = useSeededApi()
/** The seeded ¥10 coupon's picture as the services hand it to the screens: the item-images public URL. */
const couponImage = () => `${seeded().api.url}/storage/v1/object/public/item-images/items/coupon-10.png`
beforeAll(() => {
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    mall = require('../../src/services/mall')
    ids = require('../../src/domain/id')
  })
})
afterEach(() => session.signOut())

test('listMallItems: the seeded mall in the shape the domain declares', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  const listing = await mall.listMallItems()
  expect(sorted(Object.keys(listing))).toEqual(sorted(LISTING_KEYS))
  expect(listing.tier).toEqual({ code: expect.any(String), name: expect.any(String), rank: expect.any(Number) })
  expect(listing.balance_points).toEqual(expect.any(Number))
  expect(listing.categories).toEqual([
    { code: 'coupons', name: '优惠券' },
    { code: 'membership', name: '会员权益' },
    { code: 'gifts', name: '精选好礼' },
  ])
  expect(listing.items.map((i) => i.id)).toEqual(Object.values(ITEM))
  for (const item of listing.items) expect(sorted(Object.keys(item))).toEqual(sorted(ITEM_KEYS))

  const byId = new Map(listing.items.map((i) => [i.id, i]))
  expect(byId.get(ITEM.coupon10)).toMatchObject({
    kind: 'coupon',
    title: '¥10无门槛券',
    image_urls: [couponImage()],
    cost_points: 100,
    face_value_fen: 1000,
    member_limit: null,
    member_limit_left: null,
    limit_resets_on: null,
    upcoming: false,
    voucher_valid_days: 30,
  })
  expect(byId.get(ITEM.goldQuarter)).toMatchObject({
    min_tier_code: 'gold',
    min_tier_name: '金卡会员',
    redeemable: false,
    reason: 'tier_too_low',
  })
  expect(byId.get(ITEM.cup)).toMatchObject({ stock_remaining: 0, redeemable: false, reason: 'out_of_stock' })
  expect(byId.get(ITEM.bag)).toMatchObject({ upcoming: true, redeemable: false, reason: 'not_on_sale', member_limit: 1 })
  expect(byId.get(ITEM.bag)!.sale_starts_at).toEqual(expect.any(String))

  const gifts = await mall.listMallItems('gifts')
  expect(gifts.items.map((i) => i.id)).toEqual([ITEM.powerBank, ITEM.cup, ITEM.bag])
  await expect(mall.listMallItems('nope')).rejects.toMatchObject({ name: 'AppError', code: 'invalid_category' })
})

test("listMyRedemptions: 林小满's seeded ¥10 coupon, in the shape the domain declares", async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  const all = await mall.listMyRedemptions()
  expect(all.length).toBeGreaterThanOrEqual(1)
  for (const r of all) expect(sorted(Object.keys(r))).toEqual(sorted(REDEMPTION_KEYS))
  const coupon = all.find((r) => r.item.title === '¥10无门槛券' && r.status === 'issued')!
  expect(coupon).toBeDefined()
  expect(coupon.item).toEqual({ id: ITEM.coupon10, kind: 'coupon', title: '¥10无门槛券', face_value_fen: 1000, image_url: couponImage() })
  expect(coupon.voucher_code).toMatch(/^\d{12}$/)
  expect(coupon).toMatchObject({ cost_points: 100, verified_at: null, verified_store: null, cancelled_at: null })

  const issued = await mall.listMyRedemptions({ status: 'issued' })
  expect(issued.map((r) => r.id)).toContain(coupon.id)
  expect(await mall.listMyRedemptions({ status: 'cancelled' })).not.toContainEqual(expect.objectContaining({ id: coupon.id }))
  await expect(mall.listMyRedemptions({ status: 'used' as any })).rejects.toMatchObject({ code: 'invalid_status' })
  await expect(mall.listMyRedemptions({ limit: 0 })).rejects.toMatchObject({ code: 'invalid_limit' })
})

test('redeem (a retry with the same request id answers the first result), then cancel: the points come back', async () => {
  await session.signIn({ provider: 'dev', phone: newPhone() })
  expect((await mall.listMallItems()).balance_points).toBe(100)

  const requestId = ids.newRequestId()
  const redeemed = await mall.redeemItem(ITEM.coupon10, requestId)
  expect(sorted(Object.keys(redeemed))).toEqual(sorted([...REDEMPTION_KEYS, 'balance_points']))
  expect(redeemed).toMatchObject({
    item: { id: ITEM.coupon10, kind: 'coupon', title: '¥10无门槛券', face_value_fen: 1000, image_url: couponImage() },
    cost_points: 100,
    status: 'issued',
    verified_at: null,
    verified_store: null,
    cancelled_at: null,
    balance_points: 0,
  })
  expect(redeemed.voucher_code).toMatch(/^\d{12}$/)

  // the answer got lost: the retry with the same id redeems nothing new
  const again = await mall.redeemItem(ITEM.coupon10, requestId)
  expect(again).toMatchObject({ id: redeemed.id, voucher_code: redeemed.voucher_code })
  const listing = await mall.listMallItems()
  expect(listing.balance_points).toBe(0)
  expect(listing.items.find((i) => i.id === ITEM.coupon10)).toMatchObject({ redeemable: false, reason: 'insufficient_points' })
  await expect(mall.redeemItem(ITEM.month, requestId)).rejects.toMatchObject({ code: 'request_id_reused' })

  const mine = await mall.listMyRedemptions({ status: 'issued' })
  expect(mine.map((r) => r.id)).toEqual([redeemed.id])

  const cancelled = await mall.cancelRedemption(redeemed.id)
  expect(sorted(Object.keys(cancelled))).toEqual(sorted([...REDEMPTION_KEYS, 'refunded_points', 'balance_points']))
  expect(cancelled).toMatchObject({ id: redeemed.id, status: 'cancelled', refunded_points: 100, balance_points: 100 })
  expect(cancelled.cancelled_at).toEqual(expect.any(String))
  // cancelling twice answers the first cancellation
  expect(await mall.cancelRedemption(redeemed.id)).toMatchObject({ id: redeemed.id, status: 'cancelled' })
  expect((await mall.listMallItems()).balance_points).toBe(100)
  expect(await mall.listMyRedemptions({ status: 'issued' })).toEqual([])
  expect((await mall.listMyRedemptions({ status: 'cancelled' })).map((r) => r.id)).toEqual([redeemed.id])
})

test('refusals carry the codes the screens map to Chinese', async () => {
  await session.signIn({ provider: 'dev', phone: newPhone() })
  await expect(mall.redeemItem(ITEM.powerBank)).rejects.toMatchObject({ code: 'insufficient_points' })
  await expect(mall.redeemItem(ITEM.goldQuarter)).rejects.toMatchObject({ code: 'tier_too_low' })
  await expect(mall.redeemItem(ITEM.bag)).rejects.toMatchObject({ code: 'not_on_sale' })
  await expect(mall.redeemItem(ITEM.cup)).rejects.toMatchObject({ code: 'out_of_stock' })
  await expect(mall.redeemItem('00000000-0000-4000-b000-00000000dead')).rejects.toMatchObject({ code: 'item_not_found' })
  await expect(mall.cancelRedemption('00000000-0000-4000-b000-00000000dead')).rejects.toMatchObject({ code: 'redemption_not_found' })
  expect((await mall.listMallItems()).balance_points).toBe(100)
})

test('another member cannot see or cancel my voucher', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  const [linVoucher] = await mall.listMyRedemptions({ status: 'issued', limit: 1 })
  session.signOut()
  await session.signIn({ provider: 'dev', phone: SEEDED.chen.phone })
  expect((await mall.listMyRedemptions()).map((r) => r.id)).not.toContain(linVoucher.id)
  await expect(mall.cancelRedemption(linVoucher.id)).rejects.toMatchObject({ code: 'redemption_not_found' })
})

test('paging: newest first, the next page before the last created_at', async () => {
  await session.signIn({ provider: 'dev', phone: newPhone() })
  // three ¥10 coupons need 300 points: cancel each one after the redemption to get the points back
  const made: string[] = []
  for (let i = 0; i < 3; i++) {
    const r = await mall.redeemItem(ITEM.coupon10)
    made.unshift(r.id)
    if (i < 2) await mall.cancelRedemption(r.id)
  }
  const first = await mall.listMyRedemptions({ limit: 2 })
  expect(first.map((r) => r.id)).toEqual(made.slice(0, 2))
  expect(first.map((r) => r.status)).toEqual(['issued', 'cancelled'])
  const second = await mall.listMyRedemptions({ limit: 2, before: first[1].created_at })
  expect(second.map((r) => r.id)).toEqual(made.slice(2))
  expect(await mall.listMyRedemptions({ limit: 2, before: second[0].created_at })).toEqual([])
})
