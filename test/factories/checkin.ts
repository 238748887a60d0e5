import type { CheckInRules } from '../../src/domain/checkin'

/** The check-in rules as `fetchCheckInRules` gives them: the documented defaults (override what a test needs). */
export function aCheckInRules(overrides: Partial<CheckInRules> = {}): CheckInRules {
  return {
    check_in_points: 5,
    check_in_cycle_days: 7,
    make_up_window_days: 7,
    make_up_monthly_limit: 2,
    make_up_cost_points: 20,
    bonuses: [
      { cycle_day: 3, bonus_points: 10 },
      { cycle_day: 7, bonus_points: 30 },
    ],
    ...overrides,
  }
}
