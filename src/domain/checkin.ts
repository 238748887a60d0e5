/**
 * The check-in calendar (RPC `check_in_calendar`), 补签 (RPC `make_up_check_in`) and the check-in rules
 * (tables `point_rules`, `check_in_streak_bonuses`), and how the calendar screen words and lays them out.
 * Dates are business days 'YYYY-MM-DD' as the backend gives them; months are 'YYYY-MM'. Pure TypeScript.
 */
import type { CalendarDay, CheckInCalendar, MakeUpResult, StreakBonus } from './responses'
import { meAfter, type CheckInResult, type Me } from './member'
import { daysBetween, weekdayIndex } from './time'

export type { CalendarDay, CheckInCalendar, MakeUpResult, StreakBonus }

export type { CheckInResult }
export { shiftMonth } from './time'

/** The check-in part of `point_rules` plus `check_in_streak_bonuses` (readable by anyone). */
export interface CheckInRules {
  check_in_points: number
  check_in_cycle_days: number
  make_up_window_days: number
  make_up_monthly_limit: number
  make_up_cost_points: number
  bonuses: StreakBonus[]
}

/** Monday first, as Chinese calendars are. */
export const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'] as const

export type DayStatus = 'checked_in' | 'made_up' | 'today' | 'missed' | 'future'

export interface DayCell {
  date: string
  /** Day of the month, 1–31. */
  day: number
  status: DayStatus
  isToday: boolean
  canMakeUp: boolean
  /** Streak bonus: paid (checked days) or due if the streak goes on (today when still open, later days). */
  bonusPoints: number
  /** True when bonusPoints is a projection for a day not checked in yet. */
  bonusProjected: boolean
}

/** '2026-11' → '2026年11月'. */
export function monthTitle(month: string): string {
  const [y, m] = month.split('-').map(Number)
  return `${y}年${m}月`
}

/** Later months than today's are not shown (nothing to see there yet). */
export function canShowNextMonth(calendar: Pick<CheckInCalendar, 'month' | 'today'>): boolean {
  return calendar.month < calendar.today.slice(0, 7)
}

/** Position of a future day in the streak if the member keeps checking in every day from today. */
function projectedStreakPosition(calendar: Pick<CheckInCalendar, 'today' | 'streak_days' | 'checked_in_today'>, date: string): number {
  const ahead = daysBetween(calendar.today, date)
  return calendar.checked_in_today ? calendar.streak_days + ahead : calendar.streak_days + 1 + ahead
}

/**
 * The streak bonus a day not checked in yet would earn if the member checks in every day from today on
 * (cycle day = ((position − 1) % cycle) + 1, looked up in the bonus table); 0 for none or for past days.
 */
export function projectedBonus(
  calendar: Pick<CheckInCalendar, 'today' | 'streak_days' | 'checked_in_today'>,
  rules: Pick<CheckInRules, 'check_in_cycle_days' | 'bonuses'>,
  date: string,
): number {
  if (date < calendar.today || (date === calendar.today && calendar.checked_in_today)) return 0
  const position = projectedStreakPosition(calendar, date)
  const cycleDay = ((position - 1) % rules.check_in_cycle_days) + 1
  return rules.bonuses.find((b) => b.cycle_day === cycleDay)?.bonus_points ?? 0
}

function statusOf(day: CalendarDay, today: string): DayStatus {
  if (day.checked_in) return day.made_up ? 'made_up' : 'checked_in'
  if (day.date === today) return 'today'
  return day.date < today ? 'missed' : 'future'
}

/**
 * The month as calendar rows of 7 (Monday first): null for the blanks before the 1st and after the last day.
 * Without rules, no projected bonuses are shown (paid ones still are).
 */
export function monthGrid(calendar: CheckInCalendar, rules?: Pick<CheckInRules, 'check_in_cycle_days' | 'bonuses'>): (DayCell | null)[][] {
  const cells: (DayCell | null)[] = []
  if (calendar.days.length > 0) {
    for (let i = 0; i < weekdayIndex(calendar.days[0].date); i++) cells.push(null)
  }
  for (const day of calendar.days) {
    const status = statusOf(day, calendar.today)
    const projected = !day.checked_in && rules ? projectedBonus(calendar, rules, day.date) : 0
    cells.push({
      date: day.date,
      day: Number(day.date.slice(8, 10)),
      status,
      isToday: day.date === calendar.today,
      canMakeUp: day.can_make_up,
      bonusPoints: day.checked_in ? day.bonus_points : projected,
      bonusProjected: !day.checked_in && projected > 0,
    })
  }
  while (cells.length % 7 !== 0) cells.push(null)
  const rows: (DayCell | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) rows.push(cells.slice(i, i + 7))
  return rows
}

/** The small word under a day's number. */
export function dayLabel(cell: Pick<DayCell, 'status' | 'canMakeUp'>): string {
  switch (cell.status) {
    case 'checked_in':
      return '已签'
    case 'made_up':
      return '已补签'
    case 'today':
      return '今天'
    case 'missed':
      return cell.canMakeUp ? '补签' : '未签'
    default:
      return ''
  }
}

/** '本月还可补签 2 次，每次 20 积分' or '本月补签次数已用完'. */
export function makeUpsLabel(calendar: Pick<CheckInCalendar, 'make_ups_left' | 'make_up_cost_points'>): string {
  return calendar.make_ups_left > 0
    ? `本月还可补签 ${calendar.make_ups_left} 次，每次 ${calendar.make_up_cost_points} 积分`
    : '本月补签次数已用完'
}

/** The confirm question before a make-up: '补签 2026-11-18 需消耗 20 积分'. */
export function makeUpQuestion(date: string, costPoints: number): string {
  return `补签 ${date} 需消耗 ${costPoints} 积分`
}

/** '补签成功 +5 积分（消耗 20 积分）' — what the day paid (base, bonus, campaign) and what it cost. */
export function makeUpToast(result: Pick<MakeUpResult, 'points' | 'bonus_points' | 'campaign_points' | 'cost_points'>): string {
  const total = result.points + result.bonus_points + result.campaign_points
  return `补签成功 +${total} 积分（消耗 ${result.cost_points} 积分）`
}

/** '每日签到+5，连续第3天+10，第7天+30，断签重置；近7天可补签，每月2次，每次20积分' from the rule rows. */
export function rulesText(rules: CheckInRules): string {
  const bonuses = [...rules.bonuses]
    .sort((a, b) => a.cycle_day - b.cycle_day)
    .map((b, i) => `${i === 0 ? '连续' : ''}第${b.cycle_day}天+${b.bonus_points}`)
  const checkIn = [`每日签到+${rules.check_in_points}`, ...bonuses, '断签重置'].join('，')
  const makeUp =
    rules.make_up_monthly_limit > 0 && rules.make_up_window_days > 0
      ? `近${rules.make_up_window_days}天可补签，每月${rules.make_up_monthly_limit}次，每次${rules.make_up_cost_points}积分`
      : '暂不支持补签'
  return `${checkIn}；${makeUp}`
}

/** Points a check-in paid: base, streak bonus and campaign extra. */
const earnedBy = (result: Pick<CheckInResult, 'points' | 'bonus_points' | 'campaign_points'>) =>
  result.points + result.bonus_points + result.campaign_points

/**
 * `me` after today's check-in, from `check_in`'s answer: the balance, tier points, the streak (through today)
 * and 今日已签到. Null when the answer cannot tell (`meAfter`), or when `me` is of an earlier business day.
 * Not in the answer: a referral reward the same check-in may pay the member (a first check-in after binding a
 * phone, `private.qualify_referral`, runs after the balance in the answer was read); it shows on the next load
 * of `me` (the home screen shown again).
 */
export function meAfterCheckIn(me: Me, result: CheckInResult): Me | null {
  if (result.check_in_date !== me.business_date) return null
  const after = meAfter(me, { balance_points: result.balance_points, ledgerSum: true, earned: earnedBy(result) })
  return after && { ...after, streak_days: result.streak_days, checked_in_today: true }
}

/**
 * `me` after a 补签, from `make_up_check_in`'s answer (balance, tier points, the spent cost); the streak is not
 * in it (its `streak_days` is the made-up day's run): the caller takes `streak_days` from the calendar.
 */
export function meAfterMakeUp(me: Me, result: MakeUpResult): Me | null {
  return meAfter(me, { balance_points: result.balance_points, ledgerSum: true, earned: earnedBy(result), spent: result.cost_points })
}

/**
 * The calendar after today's check-in, from `check_in`'s answer: the day (points, bonus), the streak through
 * today and 今日已签到. A calendar of another month only gets the streak and 今日已签到 (whichever month is shown).
 */
export function calendarAfterCheckIn(calendar: CheckInCalendar, result: CheckInResult): CheckInCalendar {
  return {
    ...calendar,
    streak_days: result.streak_days,
    checked_in_today: result.check_in_date === calendar.today ? true : calendar.checked_in_today,
    days: calendar.days.map((day) =>
      day.date === result.check_in_date
        ? { ...day, checked_in: true, made_up: false, points: result.points, bonus_points: result.bonus_points, can_make_up: false }
        : day,
    ),
  }
}
