import type { Me } from '../../src/domain/member'
import type { Session } from '../../src/domain/session'

/** A `me` answer as the backend gives it for a basic member (override what a test needs). */
export function aMe(overrides: Partial<Me> = {}): Me {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    nickname: '林小满',
    avatar_url: null,
    phone: '13800000001',
    birthday: '1996-05-20',
    birthday_editable_from: null,
    created_at: '2026-09-24T19:42:52Z',
    business_date: '2026-11-24',
    staff: null,
    tier: { code: 'basic', name: '普通会员', rank: 0, multiplier: 1 },
    qualifying_points: 569,
    next_tier: { code: 'silver', name: '银卡会员', min_earned_points: 1000, points_needed: 431 },
    downgrade: null,
    balance_points: 469,
    pending_points: 0,
    expiring: { points: 5, expires_on: '2027-11-12', expires_at: '2027-11-12T16:00:00Z' },
    streak_days: 5,
    checked_in_today: false,
    ...overrides,
  }
}

export function aSession(overrides: Partial<Session> = {}): Session {
  return {
    accessToken: 'token',
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    member: {
      id: '00000000-0000-4000-8000-000000000001',
      nickname: '林小满',
      avatar_url: null,
      phone: '13800000001',
      created_at: '2026-09-24T19:42:52Z',
    },
    devPhone: '13800000001',
    ...overrides,
  }
}
