import { checkInToast, expiringLabel, nextTierLabel, nicknameInitial, roleLabel, tierProgressPercent } from './member'

it('tier progress and the next tier', () => {
  const next = { code: 'silver', name: '银卡会员', min_earned_points: 1000, points_needed: 431 }
  expect(tierProgressPercent({ qualifying_points: 569, next_tier: next })).toBe(56)
  expect(tierProgressPercent({ qualifying_points: -5, next_tier: next })).toBe(0)
  expect(tierProgressPercent({ qualifying_points: 30000, next_tier: null })).toBe(100)
  expect(nextTierLabel({ next_tier: next })).toBe('再获得 431 积分升级银卡会员')
  expect(nextTierLabel({ next_tier: null })).toBe('已是最高等级')
})

it('expiring points and the check-in toast', () => {
  expect(expiringLabel({ expiring: { points: 5, expires_on: '2027-11-12', expires_at: '2027-11-12T16:00:00Z' } })).toBe('5 积分将于 2027-11-12 过期')
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
