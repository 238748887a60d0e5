import {
  calendarAfterCheckIn,
  canShowNextMonth,
  dayLabel,
  meAfterCheckIn,
  meAfterMakeUp,
  makeUpQuestion,
  makeUpsLabel,
  makeUpToast,
  monthGrid,
  monthTitle,
  projectedBonus,
  rulesText,
  shiftMonth,
  WEEKDAYS,
  type CalendarDay,
  type CheckInCalendar,
} from './checkin'
import { daysBetween, weekdayIndex } from './time'
import { aCheckInRules } from '../../test/factories/checkin'
import { aMe } from '../../test/factories/me'

// bonuses out of order on purpose: the domain must not rely on the backend's order
const RULES = aCheckInRules({
  bonuses: [
    { cycle_day: 7, bonus_points: 30 },
    { cycle_day: 3, bonus_points: 10 },
  ],
})

function day(date: string, over: Partial<CalendarDay> = {}): CalendarDay {
  return { date, checked_in: false, made_up: false, points: 0, bonus_points: 0, can_make_up: false, ...over }
}

/** November 2026 (1 November is a Sunday), today the 24th (a Tuesday). */
function november(over: Partial<CheckInCalendar> = {}): CheckInCalendar {
  const days = Array.from({ length: 30 }, (_, i) => day(`2026-11-${String(i + 1).padStart(2, '0')}`))
  days[19] = day('2026-11-20', { checked_in: true, points: 5 })
  days[20] = day('2026-11-21', { checked_in: true, made_up: true, points: 5, bonus_points: 10 })
  days[22] = day('2026-11-23', { checked_in: true, points: 5 })
  days[18] = day('2026-11-19', { can_make_up: true })
  return {
    month: '2026-11',
    today: '2026-11-24',
    days,
    streak_days: 4,
    make_ups_used: 1,
    make_ups_left: 1,
    make_up_cost_points: 20,
    checked_in_today: false,
    ...over,
  }
}

it('dates: weekdays Monday first, day differences, months', () => {
  expect(WEEKDAYS).toEqual(['一', '二', '三', '四', '五', '六', '日'])
  expect(weekdayIndex('2026-11-23')).toBe(0) // Monday
  expect(weekdayIndex('2026-11-01')).toBe(6) // Sunday
  expect(daysBetween('2026-11-24', '2026-12-01')).toBe(7)
  expect(daysBetween('2026-03-30', '2026-03-28')).toBe(-2)
  expect(shiftMonth('2026-11', 1)).toBe('2026-12')
  expect(shiftMonth('2026-12', 1)).toBe('2027-01')
  expect(shiftMonth('2026-01', -1)).toBe('2025-12')
  expect(shiftMonth('2026-03', -14)).toBe('2025-01')
  expect(monthTitle('2026-03')).toBe('2026年3月')
  expect(canShowNextMonth({ month: '2026-10', today: '2026-11-24' })).toBe(true)
  expect(canShowNextMonth({ month: '2026-11', today: '2026-11-24' })).toBe(false)
})

it('the month grid: blanks before the 1st, statuses, paid and projected bonuses', () => {
  const rows = monthGrid(november(), RULES)
  expect(rows).toHaveLength(6)
  expect(rows.every((r) => r.length === 7)).toBe(true)
  expect(rows[0].slice(0, 6)).toEqual([null, null, null, null, null, null])
  expect(rows[0][6]).toMatchObject({ date: '2026-11-01', day: 1, status: 'missed', canMakeUp: false })
  const cells = rows.flat().filter((c) => c !== null)
  const at = (d: number) => cells[d - 1]!
  expect(cells).toHaveLength(30)
  expect(at(19)).toMatchObject({ status: 'missed', canMakeUp: true, bonusPoints: 0 })
  expect(at(20)).toMatchObject({ status: 'checked_in', bonusPoints: 0 })
  expect(at(21)).toMatchObject({ status: 'made_up', bonusPoints: 10, bonusProjected: false })
  // today still open: the streak of 4 goes on with today as day 5, so the 26th is day 7 (+30)
  expect(at(24)).toMatchObject({ status: 'today', isToday: true, bonusPoints: 0 })
  expect(at(26)).toMatchObject({ status: 'future', bonusPoints: 30, bonusProjected: true })
  expect(at(29)).toMatchObject({ bonusPoints: 10, bonusProjected: true }) // day 10 = cycle day 3
  expect(at(30)).toMatchObject({ bonusPoints: 0 })
  // no rules: only paid bonuses
  expect(
    monthGrid(november())
      .flat()
      .filter((c) => c && c.bonusPoints > 0)
      .map((c) => c!.day),
  ).toEqual([21])
  // a month starting on Monday has no leading blanks; an empty month has no rows
  const june = { ...november(), month: '2026-06', days: [day('2026-06-01')] }
  expect(monthGrid(june)[0][0]).toMatchObject({ day: 1 })
  expect(monthGrid({ ...november(), days: [] })).toEqual([])
})

it('projected bonuses count from today, checked in or not', () => {
  const open = { today: '2026-11-24', streak_days: 2, checked_in_today: false }
  expect(projectedBonus(open, RULES, '2026-11-24')).toBe(10) // today would be day 3
  expect(projectedBonus(open, RULES, '2026-11-23')).toBe(0) // past
  const done = { today: '2026-11-24', streak_days: 3, checked_in_today: true }
  expect(projectedBonus(done, RULES, '2026-11-24')).toBe(0) // paid, not projected
  expect(projectedBonus(done, RULES, '2026-11-28')).toBe(30) // day 7
  expect(projectedBonus({ today: '2026-11-24', streak_days: 0, checked_in_today: false }, RULES, '2026-11-26')).toBe(10)
})

it('labels and texts', () => {
  expect(dayLabel({ status: 'checked_in', canMakeUp: false })).toBe('已签')
  expect(dayLabel({ status: 'made_up', canMakeUp: false })).toBe('已补签')
  expect(dayLabel({ status: 'today', canMakeUp: false })).toBe('今天')
  expect(dayLabel({ status: 'missed', canMakeUp: true })).toBe('补签')
  expect(dayLabel({ status: 'missed', canMakeUp: false })).toBe('未签')
  expect(dayLabel({ status: 'future', canMakeUp: false })).toBe('')
  expect(makeUpsLabel({ make_ups_left: 2, make_up_cost_points: 20 })).toBe('本月还可补签 2 次，每次 20 积分')
  expect(makeUpsLabel({ make_ups_left: 0, make_up_cost_points: 20 })).toBe('本月补签次数已用完')
  expect(makeUpQuestion('2026-11-18', 20)).toBe('补签 2026-11-18 需消耗 20 积分')
  expect(makeUpToast({ points: 5, bonus_points: 10, campaign_points: 5, cost_points: 20 })).toBe('补签成功 +20 积分（消耗 20 积分）')
  expect(rulesText(RULES)).toBe('每日签到+5，连续第3天+10，第7天+30，断签重置；近7天可补签，每月2次，每次20积分')
  expect(rulesText({ ...RULES, bonuses: [], make_up_monthly_limit: 0 })).toBe('每日签到+5，断签重置；暂不支持补签')
})

describe('a check-in answer on the calendar and on me', () => {
  const result = {
    check_in_date: '2026-11-24',
    made_up: false,
    points: 5,
    bonus_points: 10,
    campaign_points: 5,
    streak_days: 5,
    cycle_day: 5,
    balance_points: 489,
  }

  test('the day, the streak through today and 今日已签到; the other days as they were', () => {
    const after = calendarAfterCheckIn(november(), result)
    expect(after).toMatchObject({ streak_days: 5, checked_in_today: true })
    expect(after.days[23]).toEqual(day('2026-11-24', { checked_in: true, points: 5, bonus_points: 10 }))
    expect(after.days.filter((_, i) => i !== 23)).toEqual(november().days.filter((_, i) => i !== 23))
    expect(monthGrid(after, RULES)[4][1]).toMatchObject({ status: 'checked_in', bonusPoints: 10, bonusProjected: false })
  })

  test('another month on screen: only the streak and 今日已签到', () => {
    const october = { ...november(), month: '2026-10', days: [day('2026-10-01')] }
    expect(calendarAfterCheckIn(october, result)).toMatchObject({ streak_days: 5, checked_in_today: true, days: [day('2026-10-01')] })
  })

  test('me: balance, tier points, streak and 今日已签到; null for a me of an earlier day', () => {
    expect(meAfterCheckIn(aMe(), result)).toMatchObject({
      balance_points: 489,
      qualifying_points: 589,
      streak_days: 5,
      checked_in_today: true,
    })
    expect(meAfterCheckIn(aMe({ business_date: '2026-11-23' }), result)).toBeNull()
  })

  test('a 补签: the cost comes out of the next expiring points; the streak is left to the calendar', () => {
    const me = aMe({ expiring: { points: 100, expires_on: '2027-11-12', expires_at: '2027-11-12T16:00:00Z' } })
    const madeUp = {
      ...result,
      check_in_date: '2026-11-19',
      made_up: true as const,
      bonus_points: 0,
      campaign_points: 0,
      streak_days: 1,
      balance_points: 454,
      cost_points: 20,
    }
    expect(meAfterMakeUp(me, madeUp)).toMatchObject({
      balance_points: 454,
      qualifying_points: 574,
      streak_days: 5,
      expiring: { points: 80 },
    })
  })
})
