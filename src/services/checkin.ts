import type { CheckInCalendar, CheckInRules, MakeUpResult, StreakBonus } from '../domain/checkin'
import { AppError } from '../domain/errors'
import { newRequestId } from '../domain/id'
import { rest } from './client'
import { runQuery } from './rpc'
import { memberRpc } from './session'

export type { CheckInCalendar, CheckInRules, MakeUpResult }

/** One month of check-ins, 'YYYY-MM' (RPC `check_in_calendar`; default: the current business month). */
export function fetchCheckInCalendar(month?: string): Promise<CheckInCalendar> {
  return memberRpc('check_in_calendar', month ? { p_month: month } : {})
}

/** 补签 a missed day 'YYYY-MM-DD' (RPC `make_up_check_in`), retry-safe with a request id. */
export function makeUpCheckIn(date: string, requestId = newRequestId()): Promise<MakeUpResult> {
  return memberRpc('make_up_check_in', { p_date: date, p_request_id: requestId })
}

const RULE_COLUMNS = 'check_in_points,check_in_cycle_days,make_up_window_days,make_up_monthly_limit,make_up_cost_points'

/** The check-in rules (`point_rules`, `check_in_streak_bonuses`: readable by anyone). */
export async function fetchCheckInRules(): Promise<CheckInRules> {
  const [rules, bonuses] = await Promise.all([
    runQuery<Omit<CheckInRules, 'bonuses'>[]>(rest.from('point_rules').select(RULE_COLUMNS).limit(1)),
    runQuery<StreakBonus[]>(rest.from('check_in_streak_bonuses').select('cycle_day,bonus_points').order('cycle_day')),
  ])
  const row = rules?.[0]
  if (!row) throw new AppError('unknown')
  return { ...row, bonuses: bonuses ?? [] }
}
