// The check-in and task services (src/services/checkin, src/services/tasks, and src/services/member)
// against the real local API: the result shapes the domain types declare, 补签 and claims end to end.
import type { CheckInCalendar } from '../../src/domain/checkin'
import { expectLedgerInvariants, type TestDb } from '../support/db'
import { useSeededApi } from '../support/api'
import { addDays } from '../support/dates'
import { SEEDED } from '../factories/members'

let db: TestDb
let session: typeof import('../../src/services/session')
let checkin: typeof import('../../src/services/checkin')
let tasks: typeof import('../../src/services/tasks')
let member: typeof import('../../src/services/member')

const clientApi = useSeededApi()
beforeAll(() => {
  ;({ db } = clientApi())
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    checkin = require('../../src/services/checkin')
    tasks = require('../../src/services/tasks')
    member = require('../../src/services/member')
  })
})
afterEach(() => session.signOut())

function expectCalendarShape(calendar: CheckInCalendar) {
  expect(Object.keys(calendar).sort()).toEqual(
    ['checked_in_today', 'days', 'make_up_cost_points', 'make_ups_left', 'make_ups_used', 'month', 'streak_days', 'today'].sort(),
  )
  expect(calendar.month).toMatch(/^\d{4}-\d{2}$/)
  expect(calendar.today).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  const [y, m] = calendar.month.split('-').map(Number)
  expect(calendar.days).toHaveLength(new Date(Date.UTC(y, m, 0)).getUTCDate())
  expect(calendar.days[0].date).toBe(`${calendar.month}-01`)
  for (const day of calendar.days) {
    expect(Object.keys(day).sort()).toEqual(['bonus_points', 'can_make_up', 'checked_in', 'date', 'made_up', 'points'].sort())
  }
}

test('the check-in rules are the documented defaults', async () => {
  const rules = await checkin.fetchCheckInRules()
  expect(rules).toEqual({
    check_in_points: 5,
    check_in_cycle_days: 7,
    make_up_window_days: 7,
    make_up_monthly_limit: 2,
    make_up_cost_points: 20,
    bonuses: [
      { cycle_day: 3, bonus_points: 10 },
      { cycle_day: 7, bonus_points: 30 },
    ],
  })
})

test('the expiry reminder days (the home screen warns within the largest) come from point_rules, anonymously', async () => {
  expect(await member.fetchExpiryReminderDays()).toEqual([30, 7])
  await db.admin.query(`update public.point_rules set expiry_reminder_days = '{45,7}'`)
  try {
    expect(await member.fetchExpiryReminderDays()).toEqual([45, 7])
  } finally {
    await db.admin.query(`update public.point_rules set expiry_reminder_days = '{30,7}'`)
  }
})

test("林小满: the calendar, 补签 of a missed day, then today's check-in", async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  const current = await checkin.fetchCheckInCalendar()
  expectCalendarShape(current)
  expect(current.month).toBe(current.today.slice(0, 7))
  // the seed: checked in 12–9 and 5–1 days ago, today still open
  expect(current).toMatchObject({ streak_days: 5, checked_in_today: false, make_ups_used: 0, make_ups_left: 2, make_up_cost_points: 20 })

  // 6 days ago was missed and is inside the window; ask for its month explicitly (it may be the last one)
  const missed = addDays(current.today, -6)
  const month = await checkin.fetchCheckInCalendar(missed.slice(0, 7))
  expectCalendarShape(month)
  expect(month.days.find((d) => d.date === missed)).toEqual({
    date: missed,
    checked_in: false,
    made_up: false,
    points: 0,
    bonus_points: 0,
    can_make_up: true,
  })
  const yesterday = addDays(current.today, -1)
  if (yesterday.startsWith(month.month)) {
    expect(month.days.find((d) => d.date === yesterday)).toMatchObject({ checked_in: true, made_up: false, points: 5, can_make_up: false })
  }

  const requestId = '6d1b2f0e-4a53-4b8e-9d3c-1f2a3b4c5d6e'
  const madeUp = await checkin.makeUpCheckIn(missed, requestId)
  expect(Object.keys(madeUp).sort()).toEqual(
    [
      'balance_points',
      'bonus_points',
      'campaign_points',
      'check_in_date',
      'cost_points',
      'cycle_day',
      'made_up',
      'points',
      'streak_days',
    ].sort(),
  )
  expect(madeUp).toMatchObject({
    check_in_date: missed,
    made_up: true,
    points: 5,
    bonus_points: 0,
    cost_points: 20,
    streak_days: 1,
    cycle_day: 1,
  })
  // a retry with the same request id answers the same
  expect(await checkin.makeUpCheckIn(missed, requestId)).toEqual(madeUp)
  await expect(checkin.makeUpCheckIn(missed)).rejects.toMatchObject({ name: 'AppError', code: 'already_checked_in' })
  await expect(checkin.makeUpCheckIn(current.today)).rejects.toMatchObject({ code: 'invalid_date' })
  await expect(checkin.makeUpCheckIn(addDays(current.today, -20))).rejects.toMatchObject({ code: 'make_up_window_passed' })

  const after = await checkin.fetchCheckInCalendar(missed.slice(0, 7))
  expect(after.days.find((d) => d.date === missed)).toMatchObject({ checked_in: true, made_up: true, points: 5, can_make_up: false })
  expect(after).toMatchObject({ make_ups_used: 1, make_ups_left: 1 })

  const result = await checkin.checkIn()
  expect(Object.keys(result).sort()).toEqual(
    ['balance_points', 'bonus_points', 'campaign_points', 'check_in_date', 'cycle_day', 'made_up', 'points', 'streak_days'].sort(),
  )
  // the make-up joined the streak: today is day 7 (+30)
  expect(result).toMatchObject({ check_in_date: current.today, made_up: false, points: 5, bonus_points: 30, streak_days: 7, cycle_day: 7 })
  const today = await checkin.fetchCheckInCalendar()
  expect(today).toMatchObject({ streak_days: 7, checked_in_today: true })
  expect(today.days.find((d) => d.date === current.today)).toMatchObject({ bonus_points: 30 })
  expect(today.days.find((d) => d.date === current.today)).toMatchObject({ checked_in: true, made_up: false, can_make_up: false })
  await expectLedgerInvariants(db)
})

test('a month that is not YYYY-MM is refused', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.chen.phone })
  await expect(checkin.fetchCheckInCalendar('2026-13')).rejects.toMatchObject({ code: 'invalid_month' })
})

test('a new member: tasks with caps, 领取 of 绑定手机号, then it is done', async () => {
  await session.signIn({ provider: 'dev', phone: '13700009876' })
  const list = await tasks.fetchTasks()
  expect(Object.keys(list).sort()).toEqual(['business_date', 'daily', 'tasks'])
  expect(list.daily).toEqual({ rewards_used: 0, rewards_max: 15, points_used: 0, points_max: 100 })
  expect(list.tasks.map((t) => t.code)).toEqual(['complete_profile', 'bind_phone', 'first_redemption', 'daily_purchase', 'weekly_check_in'])
  for (const task of list.tasks) {
    expect(Object.keys(task).sort()).toEqual(
      [
        'claimable',
        'claimed',
        'code',
        'completions',
        'description',
        'done',
        'event',
        'kind',
        'period_key',
        'period_limit',
        'progress',
        'required_count',
        'reward_points',
        'title',
      ].sort(),
    )
  }
  const bind = list.tasks.find((t) => t.code === 'bind_phone')!
  expect(bind).toMatchObject({
    title: '绑定手机号',
    kind: 'one_time',
    event: 'phone_bound',
    period_key: 'once',
    progress: 1,
    completions: 1,
    claimed: 0,
    claimable: 1,
    done: false,
  })
  expect(list.tasks.find((t) => t.code === 'weekly_check_in')).toMatchObject({
    kind: 'weekly',
    required_count: 5,
    progress: 0,
    claimable: 0,
    done: false,
  })
  expect(list.tasks.find((t) => t.code === 'weekly_check_in')!.period_key).toMatch(/^W\d{4}-\d{2}-\d{2}$/)

  const requestId = '0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f'
  const claim = await tasks.claimTask('bind_phone', requestId)
  expect(claim).toEqual({ task_code: 'bind_phone', period_key: 'once', seq: 1, points: 50, campaign_points: 0, balance_points: 150 })
  expect(await tasks.claimTask('bind_phone', requestId)).toEqual(claim)
  await expect(tasks.claimTask('bind_phone')).rejects.toMatchObject({ name: 'AppError', code: 'task_not_completed' })
  await expect(tasks.claimTask('no_such_task')).rejects.toMatchObject({ code: 'task_not_found' })

  const after = await tasks.fetchTasks()
  expect(after.daily).toMatchObject({ rewards_used: 1, points_used: 50 })
  expect(after.tasks.find((t) => t.code === 'bind_phone')).toMatchObject({ claimed: 1, claimable: 0, done: true })
  await expectLedgerInvariants(db)
})
