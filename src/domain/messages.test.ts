import {
  appLinkOf,
  bellLabel,
  CONSENT_MOMENTS,
  consentToast,
  isSubscribeResult,
  kindLook,
  markUpToId,
  MESSAGE_KINDS,
  SUBSCRIBE_KEYS,
  unreadBadge,
} from './messages'

it('every kind has its own label and glyph; an unknown kind shows as 通知', () => {
  for (const kind of MESSAGE_KINDS) {
    expect(kindLook(kind).label).not.toBe('通知')
    expect(kindLook(kind).glyph).toHaveLength(1)
  }
  expect(kindLook('points_expiring_7d')).toEqual({ label: '积分即将过期', glyph: '积', tone: 'warn' })
  expect(kindLook('voucher_used').tone).toBe('success')
  expect(kindLook('tier_up').label).toBe('等级提升')
  expect(kindLook('birthday_gift')).toEqual({ label: '通知', glyph: '信', tone: 'neutral' })
})

it('the bell: its badge and its accessible name', () => {
  expect(unreadBadge(undefined)).toBeNull()
  expect(unreadBadge(0)).toBeNull()
  expect(unreadBadge(3)).toBe('3')
  expect(unreadBadge(99)).toBe('99')
  expect(unreadBadge(100)).toBe('99+')
  expect(bellLabel(3)).toBe('消息中心，3 条未读')
  expect(bellLabel(120)).toBe('消息中心，99+ 条未读')
  expect(bellLabel(0)).toBe('消息中心')
  expect(bellLabel(undefined)).toBe('消息中心')
})

it('marks up to the newest message shown, only when one shown is unread', () => {
  expect(markUpToId([])).toBeNull()
  expect(markUpToId([{ id: 9, read_at: '2026-11-24T00:00:00Z' }])).toBeNull()
  expect(
    markUpToId([
      { id: 12, read_at: '2026-11-24T00:00:00Z' },
      { id: 11, read_at: null },
      { id: 3, read_at: null },
    ]),
  ).toBe(12)
})

it('a message opens an app path only', () => {
  expect(appLinkOf('/member/redemptions/index')).toBe('/member/redemptions/index')
  expect(appLinkOf(' /member/item/index?id=00000000-0000-4000-b000-000000000001 ')).toBe(
    '/member/item/index?id=00000000-0000-4000-b000-000000000001',
  )
  expect(appLinkOf(null)).toBeNull()
  expect(appLinkOf('')).toBeNull()
  expect(appLinkOf('member/history/index')).toBeNull()
  expect(appLinkOf('//evil.example/x')).toBeNull()
  expect(appLinkOf('https://evil.example/x')).toBeNull()
  expect(appLinkOf('javascript:alert(1)')).toBeNull()
  expect(appLinkOf('/member/history/index#x')).toBeNull()
})

it('subscribe keys, results and the moments that ask (at most 3 templates each: WeChat’s limit)', () => {
  expect(SUBSCRIBE_KEYS).toEqual(['points_expiring', 'voucher_expiring', 'voucher_used', 'tier_changed', 'check_in_reminder'])
  expect(['accept', 'reject', 'ban', 'filter'].every(isSubscribeResult)).toBe(true)
  expect(isSubscribeResult('maybe')).toBe(false)
  expect(isSubscribeResult(undefined)).toBe(false)
  expect(CONSENT_MOMENTS.redeemed).toEqual(['voucher_expiring', 'voucher_used'])
  expect(CONSENT_MOMENTS.pointsExpiring).toEqual(['points_expiring'])
  expect(CONSENT_MOMENTS.checkIn).toEqual(['check_in_reminder', 'points_expiring'])
  for (const keys of Object.values(CONSENT_MOMENTS)) expect(keys.length).toBeLessThanOrEqual(3)
})

it('the toast after WeChat’s dialog', () => {
  expect(consentToast({})).toBeNull()
  expect(consentToast({ voucher_expiring: 'accept', voucher_used: 'reject' })).toBe('已开启提醒')
  expect(consentToast({ points_expiring: 'reject' })).toBe('未开启提醒')
  expect(consentToast({ points_expiring: 'ban' })).toBe('未开启提醒')
})
