// check_in, make_up_check_in (补签), check_in_calendar, streaks and their bonuses.
import { randomUUID } from 'node:crypto'
import { addDays } from '../../test/support/dates'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf } from '../../test/factories/members'

const db = useSeededDb()

/** An instant on a Shanghai business day. */
const at = (day: string, time = '12:00:00') => `${day}T${time}+08:00`
/** The date `n` days after `day` ('YYYY-MM-DD'). */
/** `n` consecutive dates from `first`. */
const datesFrom = (first: string, n: number) => Array.from({ length: n }, (_, i) => addDays(first, i))

const checkIn = (member: string, day: string, args: Record<string, unknown> = {}) =>
  db().callAt(at(day), 'check_in', args, { sub: member })
const makeUp = (member: string, today: string, date: string | null, args: Record<string, unknown> = {}) =>
  db().callAt(at(today), 'make_up_check_in', { p_date: date, ...args }, { sub: member })
const calendar = (member: string, today: string, month?: string) =>
  db().callAt(at(today, '20:00:00'), 'check_in_calendar', month === undefined ? {} : { p_month: month }, { sub: member })

const entries = async (member: string, source: string) =>
  (await db().admin.query('select ref, amount_points from public.point_entries where member_id = $1 and source = $2 order by id', [member, source])).rows
const checkIns = async (member: string) =>
  (await db().admin.query(`
    select check_in_date::text, made_up, made_up_on::text, streak_days, cycle_day, points, bonus_points
    from public.check_ins where member_id = $1 order by check_in_date`, [member])).rows
const streakDays = async (member: string, through: string) =>
  (await db().admin.query('select private.streak_days($1, $2::date) as n', [member, through])).rows[0].n

const adminAt = (instant: string | null, sql: string, params: unknown[] = []) => db().sqlAt(instant, sql, params)

/** Change point_rules (and optionally the streak bonuses) for one test, restoring them afterwards. */
async function withRules(changes: string, fn: () => Promise<void>, bonuses?: [number, number][]) {
  const { rows: [rules] } = await db().admin.query('select * from public.point_rules')
  const { rows: oldBonuses } = await db().admin.query('select cycle_day, bonus_points from public.check_in_streak_bonuses')
  await db().admin.query(`update public.point_rules set ${changes}`)
  if (bonuses) {
    await db().admin.query('delete from public.check_in_streak_bonuses')
    for (const [day, points] of bonuses) await db().admin.query('insert into public.check_in_streak_bonuses values ($1, $2)', [day, points])
  }
  try {
    await fn()
  } finally {
    await db().admin.query(
      `update public.point_rules set check_in_points = $1, check_in_cycle_days = $2, make_up_window_days = $3,
         make_up_monthly_limit = $4, make_up_cost_points = $5`,
      [rules.check_in_points, rules.check_in_cycle_days, rules.make_up_window_days, rules.make_up_monthly_limit, rules.make_up_cost_points],
    )
    await db().admin.query('delete from public.check_in_streak_bonuses')
    for (const b of oldBonuses) await db().admin.query('insert into public.check_in_streak_bonuses values ($1, $2)', [b.cycle_day, b.bonus_points])
  }
}

const expectError = (res: { status: number; body: any }, status: number, code: string) =>
  expect([res.status, res.body?.message]).toEqual([status, code])

describe('check_in', () => {
  test('pays the base points once per day and answers the whole result', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const res = await checkIn(m, '2026-11-05')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      check_in_date: '2026-11-05', made_up: false, points: 5, bonus_points: 0, campaign_points: 0,
      streak_days: 1, cycle_day: 1, balance_points: 105,
    })
    expect(await entries(m, 'check_in')).toEqual([{ ref: '2026-11-05', amount_points: 5 }])
    expect(await checkIns(m)).toEqual([
      { check_in_date: '2026-11-05', made_up: false, made_up_on: null, streak_days: 1, cycle_day: 1, points: 5, bonus_points: 0 },
    ])
    const { rows } = await db().admin.query(
      `select event, ref, business_date::text from public.task_events where member_id = $1 and event = 'checked_in'`, [m])
    expect(rows).toEqual([{ event: 'checked_in', ref: '2026-11-05', business_date: '2026-11-05' }])
  })

  test('23:59:59 and 00:00:00 in Shanghai are two business days', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const late = await db().callAt('2026-11-23T23:59:59+08:00', 'check_in', {}, { sub: m })
    const early = await db().callAt('2026-11-24T00:00:00+08:00', 'check_in', {}, { sub: m })
    expect([late.status, late.body.check_in_date]).toEqual([200, '2026-11-23'])
    expect([early.status, early.body.check_in_date, early.body.streak_days]).toEqual([200, '2026-11-24', 2])
    expect(await entries(m, 'check_in')).toEqual([{ ref: '2026-11-23', amount_points: 5 }, { ref: '2026-11-24', amount_points: 5 }])
  })

  test('one Shanghai day is one check-in even when the UTC dates differ', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const first = await db().callAt('2026-11-23T00:00:01+08:00', 'check_in', {}, { sub: m }) // 2026-11-22 in UTC
    expect([first.status, first.body.check_in_date]).toEqual([200, '2026-11-23'])
    expectError(await db().callAt('2026-11-23T15:59:59Z', 'check_in', {}, { sub: m }), 409, 'already_checked_in') // 23:59:59 Shanghai
    expect(await entries(m, 'check_in')).toEqual([{ ref: '2026-11-23', amount_points: 5 }])
    expect(await balanceOf(db(), m)).toBe(105)
  })

  test('a streak runs across a month end; a missed day resets it', async () => {
    const m = await aMember(db(), { at: at('2026-10-01') })
    const results = []
    for (const day of ['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-03']) results.push((await checkIn(m, day)).body)
    expect(results.map((r) => [r.check_in_date, r.streak_days, r.cycle_day, r.bonus_points])).toEqual([
      ['2026-10-30', 1, 1, 0],
      ['2026-10-31', 2, 2, 0],
      ['2026-11-01', 3, 3, 10],
      ['2026-11-03', 1, 1, 0],
    ])
    expect(await entries(m, 'check_in_streak')).toEqual([{ ref: '2026-11-01', amount_points: 10 }])
    expect([await streakDays(m, '2026-10-31'), await streakDays(m, '2026-11-01'), await streakDays(m, '2026-11-02'), await streakDays(m, '2026-11-03')])
      .toEqual([2, 3, 0, 1])
    expect(await balanceOf(db(), m)).toBe(100 + 4 * 5 + 10)
  })

  test('+10 on cycle day 3, +30 on day 7, and the cycle restarts on day 8', async () => {
    const m = await aMember(db(), { at: at('2026-11-01') })
    const results = []
    for (const day of datesFrom('2026-12-01', 15)) results.push((await checkIn(m, day)).body)
    expect(results.map((r) => r.streak_days)).toEqual(datesFrom('2026-12-01', 15).map((_, i) => i + 1))
    expect(results.map((r) => r.cycle_day)).toEqual([1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5, 6, 7, 1])
    expect(results.map((r) => r.bonus_points)).toEqual([0, 0, 10, 0, 0, 0, 30, 0, 0, 10, 0, 0, 0, 30, 0])
    expect(await entries(m, 'check_in_streak')).toEqual([
      { ref: '2026-12-03', amount_points: 10 },
      { ref: '2026-12-07', amount_points: 30 },
      { ref: '2026-12-10', amount_points: 10 },
      { ref: '2026-12-14', amount_points: 30 },
    ])
    expect(results[14].balance_points).toBe(100 + 15 * 5 + 80)
  })

  test('campaign extras on check-in and streak points are reported', async () => {
    await db().admin.query(`
      insert into public.campaigns (name, starts_at, ends_at, multiplier, sources)
      values ('签到双倍', '2027-02-01T00:00:00+08:00', '2027-02-04T00:00:00+08:00', 2, '{check_in,check_in_streak}')`)
    const m = await aMember(db(), { at: at('2027-01-20') })
    const results = []
    for (const day of ['2027-02-01', '2027-02-02', '2027-02-03']) results.push((await checkIn(m, day)).body)
    expect(results.map((r) => [r.points, r.bonus_points, r.campaign_points])).toEqual([[5, 0, 5], [5, 0, 5], [5, 10, 15]])
    expect(results[2].balance_points).toBe(100 + 3 * 10 + 20)
  })

  test('amounts, cycle length and bonuses come from the configuration', async () => {
    const m = await aMember(db(), { at: at('2027-02-20') })
    await withRules('check_in_points = 8, check_in_cycle_days = 2, make_up_cost_points = 0', async () => {
      const results = []
      for (const day of ['2027-03-01', '2027-03-02', '2027-03-03']) results.push((await checkIn(m, day)).body)
      expect(results.map((r) => [r.points, r.cycle_day, r.bonus_points])).toEqual([[8, 1, 0], [8, 2, 4], [8, 1, 0]])
      const free = await makeUp(m, '2027-03-05', '2027-03-04')
      expect(free.body).toMatchObject({ points: 8, cost_points: 0, streak_days: 4, cycle_day: 2, bonus_points: 4 })
      expect(await entries(m, 'make_up')).toEqual([])
    }, [[2, 4]])
    expect(await balanceOf(db(), m)).toBe(100 + 4 * 8 + 2 * 4)
  })

  test('50 parallel check-ins of one member: one succeeds, 5 points once', async () => {
    const m = await aMember(db())
    const results = await Promise.all(Array.from({ length: 50 }, () => db().call('check_in', {}, { sub: m })))
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    expect(results.filter((r) => r.status === 409 && r.body.message === 'already_checked_in')).toHaveLength(49)
    expect(await entries(m, 'check_in')).toHaveLength(1)
    expect(await checkIns(m)).toHaveLength(1)
    expect(await balanceOf(db(), m)).toBe(105)
  })

  test('a retry with the same request id returns the first result, even on a later day', async () => {
    const m = await aMember(db(), { at: at('2026-12-01') })
    const id = randomUUID()
    const first = await checkIn(m, '2026-12-05', { p_request_id: id })
    expect(first.status).toBe(200)
    expect(await db().callAt(at('2026-12-05', '18:00:00'), 'check_in', { p_request_id: id }, { sub: m })).toEqual(first)
    expect(await checkIn(m, '2026-12-06', { p_request_id: id })).toEqual(first)
    expect((await checkIns(m)).map((c) => c.check_in_date)).toEqual(['2026-12-05'])
    expect((await checkIn(m, '2026-12-06')).body.streak_days).toBe(2)
    // the same id for another RPC is a reuse
    expectError(await makeUp(m, '2026-12-06', '2026-12-04', { p_request_id: id }), 409, 'request_id_reused')
  })

  test('members only', async () => {
    expect((await db().callAt(at('2026-11-20'), 'check_in', {})).status).toBe(401)
    expect((await db().callAt(at('2026-11-20'), 'check_in', {}, 'service_role')).status).toBe(403)
  })
})

describe('make_up_check_in', () => {
  test('makes up a missed day for 20 points: a make-up entry, then a normal check-in of that day', async () => {
    const m = await aMember(db(), { at: at('2026-10-01') })
    const res = await makeUp(m, '2026-11-20', '2026-11-13')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      check_in_date: '2026-11-13', made_up: true, points: 5, bonus_points: 0, campaign_points: 0,
      streak_days: 1, cycle_day: 1, balance_points: 85, cost_points: 20,
    })
    const { rows } = await db().admin.query(
      `select source, ref, amount_points, description, business_date::text from public.point_entries
       where member_id = $1 and source in ('make_up', 'check_in') order by id`, [m])
    expect(rows).toEqual([
      { source: 'make_up', ref: '2026-11-13', amount_points: -20, description: '补签 2026-11-13', business_date: '2026-11-20' },
      { source: 'check_in', ref: '2026-11-13', amount_points: 5, description: '补签签到 2026-11-13', business_date: '2026-11-20' },
    ])
    expect(await checkIns(m)).toEqual([
      { check_in_date: '2026-11-13', made_up: true, made_up_on: '2026-11-20', streak_days: 1, cycle_day: 1, points: 5, bonus_points: 0 },
    ])
    const events = await db().admin.query(
      `select ref, business_date::text from public.task_events where member_id = $1 and event = 'checked_in'`, [m])
    expect(events.rows).toEqual([{ ref: '2026-11-13', business_date: '2026-11-13' }])
  })

  test('only past days: today, the future and no date are invalid', async () => {
    const m = await aMember(db(), { at: at('2026-10-01') })
    for (const date of ['2026-11-20', '2026-11-21', null]) expectError(await makeUp(m, '2026-11-20', date), 400, 'invalid_date')
    expect((await makeUp(m, '2026-11-20', 'not-a-date')).status).toBe(400)
    expect(await balanceOf(db(), m)).toBe(100)
  })

  test('within the last 7 days: day -7 is allowed, day -8 is not', async () => {
    const m = await aMember(db(), { at: at('2026-10-01') })
    const mk = (instant: string, date: string) => db().callAt(instant, 'make_up_check_in', { p_date: date }, { sub: m })
    expectError(await makeUp(m, '2026-11-20', '2026-11-12'), 409, 'make_up_window_passed')
    // the window follows the Shanghai day: at 00:00:00 on the 21st the 13th is 8 days ago, a second before it is 7
    expectError(await mk('2026-11-21T00:00:00+08:00', '2026-11-13'), 409, 'make_up_window_passed')
    expect((await mk('2026-11-20T23:59:59+08:00', '2026-11-13')).status).toBe(200)
  })

  test('never before the registration business day', async () => {
    const m = await aMember(db(), { at: '2026-11-18T00:30:00+08:00' }) // 2026-11-17 in UTC
    expectError(await makeUp(m, '2026-11-20', '2026-11-17'), 409, 'make_up_window_passed')
    expect((await makeUp(m, '2026-11-20', '2026-11-18')).status).toBe(200)
  })

  test('a day already checked in (normally or made up) cannot be made up', async () => {
    const m = await aMember(db(), { at: at('2026-10-01') })
    await checkIn(m, '2026-11-19')
    expectError(await makeUp(m, '2026-11-20', '2026-11-19'), 409, 'already_checked_in')
    expect((await makeUp(m, '2026-11-20', '2026-11-18')).status).toBe(200)
    expectError(await makeUp(m, '2026-11-20', '2026-11-18'), 409, 'already_checked_in')
    expect(await entries(m, 'make_up')).toEqual([{ ref: '2026-11-18', amount_points: -20 }])
  })

  test('at most 2 per month, counted by the business month the make-up is done in', async () => {
    const m = await aMember(db(), { at: at('2026-10-01') })
    const lastNovemberSecond = '2026-11-30T23:59:59+08:00'
    const mk = (instant: string, date: string) => db().callAt(instant, 'make_up_check_in', { p_date: date }, { sub: m })
    expect((await mk(lastNovemberSecond, '2026-11-26')).status).toBe(200)
    expect((await mk(lastNovemberSecond, '2026-11-28')).status).toBe(200)
    expectError(await mk(lastNovemberSecond, '2026-11-29'), 409, 'make_up_limit_reached')
    expect(await balanceOf(db(), m)).toBe(100 - 2 * 20 + 2 * 5) // the refused one charged nothing
    // a new month, a new allowance (even for November days)
    expect((await mk('2026-12-01T00:00:00+08:00', '2026-11-29')).status).toBe(200)
    expect((await mk('2026-12-01T00:00:00+08:00', '2026-11-25')).status).toBe(200)
    expectError(await mk('2026-12-01T00:00:00+08:00', '2026-11-27'), 409, 'make_up_limit_reached')
    expect((await checkIns(m)).map((c) => [c.check_in_date, c.made_up_on])).toEqual([
      ['2026-11-25', '2026-12-01'], ['2026-11-26', '2026-11-30'], ['2026-11-28', '2026-11-30'], ['2026-11-29', '2026-12-01'],
    ])
  })

  test('insufficient points: refused, nothing changes, and the request id stays unused', async () => {
    const m = await aMember(db(), { at: at('2026-10-01') })
    await adminAt(at('2026-11-19'), `select private.spend_points($1, 'adjustment', 90, 'drain', '测试')`, [m])
    const id = randomUUID()
    expectError(await makeUp(m, '2026-11-20', '2026-11-19', { p_request_id: id }), 409, 'insufficient_points')
    expect(await balanceOf(db(), m)).toBe(10)
    expect(await checkIns(m)).toEqual([])
    expect([...(await entries(m, 'make_up')), ...(await entries(m, 'check_in'))]).toEqual([])
    expect((await db().admin.query(`select 1 from public.task_events where member_id = $1 and event = 'checked_in'`, [m])).rows).toEqual([])
    await adminAt(at('2026-11-20', '10:00:00'), `select private.award_points($1, 'adjustment', 10, 'top-up', '测试')`, [m])
    const retry = await makeUp(m, '2026-11-20', '2026-11-19', { p_request_id: id })
    expect([retry.status, retry.body.balance_points]).toEqual([200, 20 - 20 + 5])
  })

  test('a retry returns the first result and charges once; the same id for another day is refused', async () => {
    const m = await aMember(db(), { at: at('2026-12-01') })
    const id = randomUUID()
    const first = await makeUp(m, '2026-12-06', '2026-12-04', { p_request_id: id })
    expect(first.status).toBe(200)
    expect(await makeUp(m, '2026-12-06', '2026-12-04', { p_request_id: id })).toEqual(first)
    expectError(await makeUp(m, '2026-12-06', '2026-12-03', { p_request_id: id }), 409, 'request_id_reused')
    expect(await entries(m, 'make_up')).toEqual([{ ref: '2026-12-04', amount_points: -20 }])
    expect(await balanceOf(db(), m)).toBe(85)
  })

  test('a make-up that completes cycle day 3 pays the +10; the next day then pays nothing', async () => {
    const m = await aMember(db(), { at: at('2026-12-01') })
    await checkIn(m, '2026-12-10')
    await checkIn(m, '2026-12-11')
    expect((await makeUp(m, '2026-12-13', '2026-12-12')).body).toMatchObject({ streak_days: 3, cycle_day: 3, bonus_points: 10 })
    expect((await checkIn(m, '2026-12-13')).body).toMatchObject({ streak_days: 4, cycle_day: 4, bonus_points: 0 })
  })

  test('merging two streaks never pays a bonus twice; a later day 7 still pays +30 once', async () => {
    const m = await aMember(db(), { at: at('2026-12-01') })
    for (const day of ['2027-01-01', '2027-01-02', '2027-01-04', '2027-01-05']) await checkIn(m, day)
    expect((await checkIn(m, '2027-01-06')).body).toMatchObject({ streak_days: 3, cycle_day: 3, bonus_points: 10 })
    const merged = await makeUp(m, '2027-01-07', '2027-01-03')
    expect(merged.body).toMatchObject({ check_in_date: '2027-01-03', streak_days: 3, cycle_day: 3, bonus_points: 0, cost_points: 20 })
    expect(await streakDays(m, '2027-01-06')).toBe(6) // positions come from the data, not the stored columns
    expect((await checkIn(m, '2027-01-07')).body).toMatchObject({ streak_days: 7, cycle_day: 7, bonus_points: 30 })
    // the next cycle window of the merged streak pays its own +10
    for (const day of ['2027-01-08', '2027-01-09']) await checkIn(m, day)
    expect((await checkIn(m, '2027-01-10')).body).toMatchObject({ streak_days: 10, cycle_day: 3, bonus_points: 10 })
    expect(await entries(m, 'check_in_streak')).toEqual([
      { ref: '2027-01-06', amount_points: 10 },
      { ref: '2027-01-07', amount_points: 30 },
      { ref: '2027-01-10', amount_points: 10 },
    ])
    expect(await balanceOf(db(), m)).toBe(100 + 10 * 5 + 50 - 20)
  })

  test('20 parallel make-ups of different days never exceed the monthly limit', async () => {
    const m = await aMember(db())
    await db().admin.query(`update public.members set created_at = now() - interval '60 days' where id = $1`, [m])
    const today = (await db().admin.query('select private.business_date(now())::text as d')).rows[0].d
    const days = datesFrom(addDays(today, -20), 20)
    await withRules('make_up_window_days = 31', async () => {
      const results = await Promise.all(days.map((day) => db().call('make_up_check_in', { p_date: day }, { sub: m })))
      expect(results.filter((r) => r.status === 200)).toHaveLength(2)
      expect(results.filter((r) => r.status === 409 && r.body.message === 'make_up_limit_reached')).toHaveLength(18)
    })
    expect(await entries(m, 'make_up')).toHaveLength(2)
    expect(await checkIns(m)).toHaveLength(2)
    expect(await balanceOf(db(), m)).toBe(100 - 2 * 20 + 2 * 5)
  })

  test('members only', async () => {
    expect((await db().callAt(at('2026-11-20'), 'make_up_check_in', { p_date: '2026-11-19' })).status).toBe(401)
  })
})

describe('check_in_calendar', () => {
  test('one entry per day of the month with what was earned and what can be made up', async () => {
    const m = await aMember(db(), { at: at('2026-10-25') })
    for (const day of ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-10']) await checkIn(m, day)
    await makeUp(m, '2026-11-12', '2026-11-11')
    const { status, body } = await calendar(m, '2026-11-12')
    expect(status).toBe(200)
    expect(Object.keys(body).sort()).toEqual(
      ['checked_in_today', 'days', 'make_up_cost_points', 'make_ups_left', 'make_ups_used', 'month', 'streak_days', 'today'])
    expect(body).toMatchObject({
      month: '2026-11', today: '2026-11-12', streak_days: 2, make_ups_used: 1, make_ups_left: 1, make_up_cost_points: 20, checked_in_today: false,
    })
    expect(body.days).toHaveLength(30)
    expect(body.days.map((d: any) => d.date)).toEqual(datesFrom('2026-11-01', 30))
    expect(body.days[0]).toEqual({ date: '2026-11-01', checked_in: true, made_up: false, points: 5, bonus_points: 0, can_make_up: false })
    expect(body.days[2]).toMatchObject({ date: '2026-11-03', checked_in: true, bonus_points: 10 })
    expect(body.days[10]).toEqual({ date: '2026-11-11', checked_in: true, made_up: true, points: 5, bonus_points: 0, can_make_up: false })
    expect(body.days[3]).toEqual({ date: '2026-11-04', checked_in: false, made_up: false, points: 0, bonus_points: 0, can_make_up: false })
    // missed days from 7 days ago to yesterday can be made up; not today, not the future
    expect(body.days.filter((d: any) => d.can_make_up).map((d: any) => d.date))
      .toEqual(['2026-11-05', '2026-11-06', '2026-11-07', '2026-11-08', '2026-11-09'])

    await checkIn(m, '2026-11-12')
    expect((await calendar(m, '2026-11-12')).body).toMatchObject({ streak_days: 3, checked_in_today: true })
    expect((await calendar(m, '2026-11-14')).body.streak_days).toBe(0)
  })

  test('no day can be made up once the monthly limit is used', async () => {
    const m = await aMember(db(), { at: at('2026-10-25') })
    await makeUp(m, '2026-11-12', '2026-11-10')
    await makeUp(m, '2026-11-12', '2026-11-11')
    const { body } = await calendar(m, '2026-11-12')
    expect(body).toMatchObject({ make_ups_used: 2, make_ups_left: 0, streak_days: 2 })
    expect(body.days.some((d: any) => d.can_make_up)).toBe(false)
  })

  test('any month by YYYY-MM; bad months are refused', async () => {
    const m = await aMember(db(), { at: at('2026-10-25') })
    const oct = (await calendar(m, '2026-11-01', '2026-10')).body
    expect([oct.month, oct.days.length, oct.days[30].date]).toEqual(['2026-10', 31, '2026-10-31'])
    // registered on Oct 25: the window (Oct 25 - Oct 31) starts on the registration day
    expect(oct.days.filter((d: any) => d.can_make_up).map((d: any) => d.date)).toEqual(datesFrom('2026-10-25', 7))
    expect((await calendar(m, '2026-11-01', '2027-02')).body.days).toHaveLength(28)
    expect((await calendar(m, '2026-11-01', '2028-02')).body.days).toHaveLength(29)
    for (const month of ['2026-13', '2026-1', '2026-00', '2026-11-01', 'november', '']) {
      expectError(await calendar(m, '2026-11-01', month), 400, 'invalid_month')
    }
  })

  test('members only; a member reads only their own check-ins', async () => {
    expect((await db().callAt(at('2026-11-20'), 'check_in_calendar', {})).status).toBe(401)
    const a = await aMember(db(), { at: at('2026-11-01') })
    const b = await aMember(db(), { at: at('2026-11-01') })
    await checkIn(a, '2026-11-20')
    expect((await db().read('check_ins', 'select=member_id,check_in_date', { sub: a })).body).toEqual([{ member_id: a, check_in_date: '2026-11-20' }])
    expect((await db().read('check_ins', 'select=member_id', { sub: b })).body).toEqual([])
    expect((await db().read('check_ins', 'select=member_id')).status).toBe(401)
  })
})
