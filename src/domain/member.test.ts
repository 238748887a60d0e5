import {
  checkInToast,
  expiringLabel,
  meAfter,
  expiringTone,
  nextTierLabel,
  nicknameInitial,
  reminderWindowDays,
  roleLabel,
  tierProgressPercent,
} from './member'
import { daysBetween } from './time'
import { aMe } from '../../test/factories/me'

it('tier progress and the next tier', () => {
  const next = { code: 'silver', name: '银卡会员', min_earned_points: 1000, points_needed: 431 }
  expect(tierProgressPercent({ qualifying_points: 569, next_tier: next })).toBe(56)
  expect(tierProgressPercent({ qualifying_points: -5, next_tier: next })).toBe(0)
  expect(tierProgressPercent({ qualifying_points: 30000, next_tier: null })).toBe(100)
  expect(nextTierLabel({ next_tier: next })).toBe('再获得 431 积分升级银卡会员')
  expect(nextTierLabel({ next_tier: null })).toBe('已是最高等级')
})

it('expiring points and the check-in toast', () => {
  expect(expiringLabel({ expiring: { points: 5, expires_on: '2027-11-12', expires_at: '2027-11-12T16:00:00Z' } })).toBe(
    '5 积分将于 2027-11-12 过期',
  )
  expect(expiringLabel({ expiring: null })).toBeNull()
  expect(checkInToast({ points: 5, bonus_points: 10, campaign_points: 0, streak_days: 3 })).toBe('签到成功 +15 积分（连续 3 天）')
})

it('the avatar initial: first character (surrogate pairs whole), upper-cased, or a fallback', () => {
  expect(nicknameInitial('陈一一')).toBe('陈')
  expect(nicknameInitial('林小满')).toBe('林')
  expect(nicknameInitial(' amy')).toBe('A')
  expect(nicknameInitial('😀小明')).toBe('😀')
  expect(nicknameInitial('')).toBe('友')
  expect(nicknameInitial(null)).toBe('友')
  expect(nicknameInitial('', '我')).toBe('我')
})

test('roleLabel: how a staff role reads', () => {
  expect(roleLabel('manager')).toBe('店长')
  expect(roleLabel('clerk')).toBe('店员')
})

describe('expiringTone: orange only within the reminder window', () => {
  const me = (expires_on: string) => ({
    business_date: '2026-11-24',
    expiring: { points: 5, expires_on, expires_at: `${expires_on}T16:00:00Z` },
  })
  it('a year away is neutral, within 30 days (the first reminder) is a warning', () => {
    expect(expiringTone(me('2027-11-12'), 30)).toBe('neutral')
    expect(expiringTone(me('2026-12-25'), 30)).toBe('neutral') // 31 days
    expect(expiringTone(me('2026-12-24'), 30)).toBe('warn') // 30 days
    expect(expiringTone(me('2026-11-24'), 30)).toBe('warn') // today
  })
  it('the window is data: another reminder day moves it', () => {
    expect(expiringTone(me('2027-01-20'), 60)).toBe('warn')
    expect(expiringTone(me('2026-12-10'), 7)).toBe('neutral')
  })
  it('unknown window or unreadable dates: neutral; nothing expiring: null', () => {
    expect(expiringTone(me('2026-11-25'), null)).toBe('neutral')
    expect(expiringTone(me('soon'), 30)).toBe('neutral')
    expect(expiringTone({ business_date: '2026-11-24', expiring: null }, 30)).toBeNull()
  })
  it('the window is the largest reminder day', () => {
    expect(reminderWindowDays([30, 7])).toBe(30)
    expect(reminderWindowDays([7, 60])).toBe(60)
    expect(reminderWindowDays([])).toBeNull()
    expect(reminderWindowDays(null)).toBeNull()
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1)
  })
})

describe('meAfter: me from a write answer, or null when only a reload can tell', () => {
  const me = aMe()
  it('an earn: balance, tier points and the points still needed', () => {
    expect(meAfter(me, { balance_points: 474, ledgerSum: true, earned: 5 })).toMatchObject({
      balance_points: 474,
      qualifying_points: 574,
      next_tier: { points_needed: 426 },
      expiring: me.expiring,
    })
  })
  it('a spend comes out of the next expiring points first', () => {
    const rich = { ...me, expiring: { ...me.expiring!, points: 300 } }
    expect(meAfter(rich, { balance_points: 369, ledgerSum: false, spent: 100 })?.expiring?.points).toBe(200)
    expect(meAfter(me, { balance_points: 369, ledgerSum: false, spent: 100 })).toBeNull() // all 5 spent: what expires next?
  })
  it('null: pending points with a ledger sum, a refund, nothing expiring before an earn, the next tier reached', () => {
    expect(meAfter({ ...me, pending_points: 40 }, { balance_points: 514, ledgerSum: true, earned: 5 })).toBeNull()
    expect(
      meAfter(
        { ...me, pending_points: 40, expiring: { ...me.expiring!, points: 300 } },
        { balance_points: 369, ledgerSum: false, spent: 1 },
      ),
    ).not.toBeNull()
    expect(meAfter(me, { balance_points: 569, ledgerSum: false, refunded: 100 })).toBeNull()
    expect(meAfter({ ...me, expiring: null }, { balance_points: 474, ledgerSum: true, earned: 5 })).toBeNull()
    expect(meAfter(me, { balance_points: 1900, ledgerSum: true, earned: 431 })).toBeNull()
    expect(meAfter({ ...me, next_tier: null }, { balance_points: 1900, ledgerSum: true, earned: 431 })).toMatchObject({
      qualifying_points: 1000,
    })
  })
})
