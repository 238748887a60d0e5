import type { PublicRules } from '../../src/domain/rules'

/** The public rules as the configuration tables hold them after seeding (override what a test needs). */
export function aPublicRules(overrides: Partial<PublicRules> = {}): PublicRules {
  return {
    pointRules: {
      registration_bonus_points: 120,
      birthday_bonus_points: 500,
      birthday_min_notice_days: 30,
      purchase_fen_per_point: 100,
      purchase_hold_days: 0,
      check_in_points: 5,
      check_in_cycle_days: 7,
      make_up_window_days: 7,
      make_up_monthly_limit: 2,
      make_up_cost_points: 20,
      task_daily_max_rewards: 15,
      task_daily_max_points: 100,
      referral_bonus_points: 100,
      referral_daily_max_rewards: 10,
      referral_qualifying_action: 'first_check_in_after_phone',
      lot_validity_months: 12,
      tier_window_months: 12,
      tier_grace_days: 30,
    },
    tiers: [
      { code: 'basic', name: '普通会员', rank: 0, min_earned_points: 0, multiplier: 1, upgrade_bonus_points: 0 },
      { code: 'silver', name: '银卡会员', rank: 1, min_earned_points: 1000, multiplier: 1.2, upgrade_bonus_points: 1000 },
      { code: 'gold', name: '金卡会员', rank: 2, min_earned_points: 5000, multiplier: 1.5, upgrade_bonus_points: 1000 },
      { code: 'platinum', name: '铂金会员', rank: 3, min_earned_points: 20000, multiplier: 2, upgrade_bonus_points: 1000 },
    ],
    streakBonuses: [
      { cycle_day: 3, bonus_points: 10 },
      { cycle_day: 7, bonus_points: 30 },
    ],
    tasks: [
      { code: 'complete_profile', title: '完善个人资料', kind: 'one_time', reward_points: 50, period_limit: 1, required_count: 1 },
      { code: 'daily_purchase', title: '今日到店消费', kind: 'daily', reward_points: 10, period_limit: 1, required_count: 1 },
    ],
    campaigns: [
      {
        id: 'c1',
        name: '会员日消费双倍积分',
        starts_at: '2026-11-01T00:00:00+08:00',
        ends_at: '2026-12-01T00:00:00+08:00',
        multiplier: 2,
        sources: ['purchase'],
        member_cap_points: null,
      },
    ],
    ...overrides,
  }
}
