import type { CheckInCalendar, CheckInResult, CheckInRules, MakeUpResult } from '../domain/checkin'
import { AppError } from '../domain/errors'
import { newRequestId } from '../domain/id'
import { CHECK_IN_RULE_ROWS, STREAK_BONUS_ROWS } from '../domain/responses'
import { rest } from './client'
import { runQuery, shaped } from './rpc'
import { memberRpc } from './session'

export type { CheckInCalendar, CheckInResult, CheckInRules, MakeUpResult }

/** One month of check-ins, 'YYYY-MM' (RPC `check_in_calendar`; default: the current business month). */
export function fetchCheckInCalendar(month?: string): Promise<CheckInCalendar> {
  return memberRpc('check_in_calendar', month ? { p_month: month } : {})
}

/** Today's check-in (RPC `check_in`), retry-safe with a request id. */
export function checkIn(requestId = newRequestId()): Promise<CheckInResult> {
  return memberRpc('check_in', { p_request_id: requestId })
}

/** 补签 a missed day 'YYYY-MM-DD' (RPC `make_up_check_in`), retry-safe with a request id. */
export function makeUpCheckIn(date: string, requestId = newRequestId()): Promise<MakeUpResult> {
  return memberRpc('make_up_check_in', { p_date: date, p_request_id: requestId })
}

const RULE_COLUMNS = 'check_in_points,check_in_cycle_days,make_up_window_days,make_up_monthly_limit,make_up_cost_points'

/** The check-in rules (`point_rules`, `check_in_streak_bonuses`: readable by anyone). */
export async function fetchCheckInRules(): Promise<CheckInRules> {
  const [rules, bonuses] = await Promise.all([
    runQuery(rest.from('point_rules').select(RULE_COLUMNS).limit(1)).then(shaped(CHECK_IN_RULE_ROWS)),
    runQuery(rest.from('check_in_streak_bonuses').select('cycle_day,bonus_points').order('cycle_day')).then(shaped(STREAK_BONUS_ROWS)),
  ])
  const row = rules?.[0]
  if (!row) throw new AppError('unknown')
  return { ...row, bonuses: bonuses ?? [] }
}
