// report_points_daily, report_summary, report_liability_by_expiry_month,
// report_check_in_actives — exact figures over a known ledger, access (managers only), range validation.
//
// The figures are program-wide, so the known ledger lives in an era nobody else writes (2029–2030): first
// every lot of the seed (written around the real date, expiring a year later) is expired by the expiry job at
// 2030-01-01, so the program's outstanding is exactly what this file wrote. The ledger (beforeAll), with
// balances after each step:
//
//   2029-03-03  D registers (+100, last valid 2030-03-03)                       D 100
//   2029-03-31  F registers (+100, last valid 2030-03-31)                       F 100
//   2029-04-10  E registers (+100, last valid 2030-04-10)                       E 100
//   2029-06-01  D redeems 30                                                    D 70
//   2030-01-01  the expiry job expires the seed                                 outstanding 270
//   2030-03-01  —
//   2030-03-02  A, B register (+100 each); A purchase +300                      A 400, B 100
//   2030-03-03  A, B check in (+5 each); B adjustment +200; A redeems 150       A 255, B 305
//   2030-03-04  the job expires D's 70; A checks in (+5); C registers (+100) and gets a pending purchase +40
//               (available 2030-03-20); A redeems 50                            A 210, C 140, D 0
//   2030-03-05  A checks in (+5, day 3: streak +10); B makes up 03-04 (−20 make_up, +5 check_in); A's 50
//               redemption is reversed (+50); B's adjustment is reversed (−200) A 275, B 90
//   2030-03-06  —
//   2030-03-07  C checks in (+5)                                                C 145
//   2030-03-09  B redeems 10 (after the report range)                           B 80
//   total: A 275 + B 80 + C 145 + E 100 + F 100 = 700
import { useSeededDb } from '../../test/support/db'
import { aMember, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

/** An instant on a Shanghai business day. */
const at = (day: string, time = '12:00:00') => `${day}T${time}+08:00`
/** The reports are read at this instant unless a test says otherwise. */
const REPORT_AT = at('2030-03-10')
const MANAGER = { sub: SEEDED.managerLi.id }

const award = async (when: string, member: string, source: string, points: number, ref: string, availableAt: string | null = null) =>
  Number((await db().sqlAt(when, `select (private.award_points($1, $2, $3, $4, '', '{}', $5)).entry_id as id`,
    [member, source, points, ref, availableAt]))[0].id)
const spend = async (when: string, member: string, points: number, ref: string) =>
  Number((await db().sqlAt(when, `select private.spend_points($1, 'redemption', $2, $3) as id`, [member, points, ref]))[0].id)
const reverse = (when: string, entryId: number) => db().sqlAt(when, 'select private.reverse_entry($1) as id', [entryId])
/** The expiry job (as the database owner, like pg_cron), run until nothing due is left. */
async function expireAll(when: string) {
  const total = { members: 0, lots: 0, points: 0 }
  for (;;) {
    const [{ r }] = await db().sqlAt(when, 'select to_json(public.expire_points(10000)) as r')
    total.members += r.members
    total.lots += r.lots
    total.points += r.points
    if (!r.more) return total
  }
}
const asMember = async (when: string, fn: string, member: string, args: Record<string, unknown> = {}) => {
  const res = await db().callAt(when, fn, args, { sub: member })
  if (res.status !== 200) throw new Error(`${fn}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

const report = (fn: string, args: Record<string, unknown> = {}, when = REPORT_AT, caller: any = MANAGER) =>
  db().callAt(when, fn, args, caller)
async function ok(fn: string, args: Record<string, unknown> = {}, when = REPORT_AT) {
  const res = await report(fn, args, when)
  expect([res.status, res.body?.message]).toEqual([200, undefined])
  return res.body
}

const outstandingTotal = async () =>
  Number((await db().admin.query('select coalesce(sum(balance_points), 0) as n from public.point_balances')).rows[0].n)

const m: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'F', string> = {} as any

beforeAll(async () => {
  m.D = await aMember(db(), { at: at('2029-03-03') })
  m.F = await aMember(db(), { at: at('2029-03-31') })
  m.E = await aMember(db(), { at: at('2029-04-10') })
  await spend(at('2029-06-01'), m.D, 30, 'd-r1')
  await expireAll(at('2030-01-01', '00:00:00'))
  // guard: the seed's lots are all gone (this era must stay later than a year after the real date)
  const { rows: [rest] } = await db().admin.query(
    'select coalesce(sum(balance_points), 0)::int as n from public.point_balances where not (member_id = any ($1))', [[m.D, m.E, m.F]])
  expect(rest.n).toBe(0)
  expect(await outstandingTotal()).toBe(270)

  m.A = await aMember(db(), { at: at('2030-03-02', '10:00:00') })
  m.B = await aMember(db(), { at: at('2030-03-02', '11:00:00') })
  await award(at('2030-03-02', '15:00:00'), m.A, 'purchase', 300, 'p1')

  await asMember(at('2030-03-03', '09:00:00'), 'check_in', m.A)
  await asMember(at('2030-03-03', '09:30:00'), 'check_in', m.B)
  const adjustment = await award(at('2030-03-03', '14:00:00'), m.B, 'adjustment', 200, 'adj1')
  await spend(at('2030-03-03', '16:00:00'), m.A, 150, 'r1')

  expect(await expireAll(at('2030-03-04', '00:30:00'))).toEqual({ members: 1, lots: 1, points: 70 })
  await asMember(at('2030-03-04', '09:00:00'), 'check_in', m.A)
  m.C = await aMember(db(), { at: at('2030-03-04', '10:00:00') })
  await award(at('2030-03-04', '11:00:00'), m.C, 'purchase', 40, 'p2', at('2030-03-20', '00:00:00'))
  const redemption = await spend(at('2030-03-04', '15:00:00'), m.A, 50, 'r2')

  expect((await asMember(at('2030-03-05', '09:00:00'), 'check_in', m.A)).bonus_points).toBe(10)
  expect((await asMember(at('2030-03-05', '10:00:00'), 'make_up_check_in', m.B, { p_date: '2030-03-04' })).bonus_points).toBe(0)
  await reverse(at('2030-03-05', '12:00:00'), redemption)
  await reverse(at('2030-03-05', '13:00:00'), adjustment)

  await asMember(at('2030-03-07', '09:00:00'), 'check_in', m.C)
  await spend(at('2030-03-09'), m.B, 10, 'r3')
  expect(await outstandingTotal()).toBe(700)
})

type Src = [source: string, earned: number, earnReversed: number, spent: number, spendReversed: number, expired: number]
/** A day's per-source rows, as the report lists them. */
const srcs = (...rows: Src[]) => rows.map(([source, earned, earnReversed, spent, spendReversed, expired]) => ({
  source, earned_points: earned, earn_reversed_points: earnReversed, spent_points: spent,
  spend_reversed_points: spendReversed, expired_points: expired,
}))

describe('report_points_daily', () => {
  test('every day of the range, zero-filled, with exact totals and the outstanding at the end of each day', async () => {
    const body = await ok('report_points_daily', { p_from: '2030-03-01', p_to: '2030-03-07' })
    expect([body.from, body.to]).toEqual(['2030-03-01', '2030-03-07'])
    const totals = body.days.map((d: any) => [d.date, d.earned_points, d.earn_reversed_points, d.issued_points, d.spent_points,
      d.spend_reversed_points, d.net_spent_points, d.expired_points, d.net_points, d.outstanding_points])
    expect(totals).toEqual([
      // date       earned  e_rev issued spent s_rev net_spent expired  net  outstanding
      ['2030-03-01', 0, 0, 0, 0, 0, 0, 0, 0, 270],
      ['2030-03-02', 500, 0, 500, 0, 0, 0, 0, 500, 770],
      ['2030-03-03', 210, 0, 210, 150, 0, 150, 0, 60, 830],
      ['2030-03-04', 145, 0, 145, 50, 0, 50, 70, 25, 855],
      ['2030-03-05', 20, 200, -180, 20, 50, -30, 0, -150, 705],
      ['2030-03-06', 0, 0, 0, 0, 0, 0, 0, 0, 705],
      ['2030-03-07', 5, 0, 5, 0, 0, 0, 0, 5, 710],
    ])
    expect(Object.fromEntries(body.days.map((d: any) => [d.date, d.sources]))).toEqual({
      '2030-03-01': [],
      '2030-03-02': srcs(['purchase', 300, 0, 0, 0, 0], ['registration', 200, 0, 0, 0, 0]),
      '2030-03-03': srcs(['adjustment', 200, 0, 0, 0, 0], ['check_in', 10, 0, 0, 0, 0], ['redemption', 0, 0, 150, 0, 0]),
      '2030-03-04': srcs(['check_in', 5, 0, 0, 0, 0], ['expiry', 0, 0, 0, 0, 70], ['purchase', 40, 0, 0, 0, 0],
        ['redemption', 0, 0, 50, 0, 0], ['registration', 100, 0, 0, 0, 0]),
      '2030-03-05': srcs(['adjustment', 0, 200, 0, 0, 0], ['check_in', 10, 0, 0, 0, 0], ['check_in_streak', 10, 0, 0, 0, 0],
        ['make_up', 0, 0, 20, 0, 0], ['redemption', 0, 0, 0, 50, 0]),
      '2030-03-06': [],
      '2030-03-07': srcs(['check_in', 5, 0, 0, 0, 0]),
    })
    // the outstanding is the running sum: the day before plus the day's net
    for (let i = 1; i < body.days.length; i += 1) {
      expect(body.days[i].outstanding_points).toBe(body.days[i - 1].outstanding_points + body.days[i].net_points)
    }
    // each day's totals are the sums of its sources
    for (const d of body.days) {
      for (const k of ['earned_points', 'earn_reversed_points', 'spent_points', 'spend_reversed_points', 'expired_points']) {
        expect(d[k]).toBe(d.sources.reduce((a: number, s: any) => a + s[k], 0))
      }
    }
  })

  test('the outstanding does not depend on the range: the day before, a one-day range, a range reaching past the last entry', async () => {
    const before = await ok('report_points_daily', { p_from: '2030-02-28', p_to: '2030-02-28' })
    expect(before.days).toEqual([{
      date: '2030-02-28', earned_points: 0, earn_reversed_points: 0, issued_points: 0, spent_points: 0, spend_reversed_points: 0,
      net_spent_points: 0, expired_points: 0, net_points: 0, outstanding_points: 270, sources: [],
    }])
    const one = await ok('report_points_daily', { p_from: '2030-03-05', p_to: '2030-03-05' })
    expect(one.days.map((d: any) => [d.date, d.net_points, d.outstanding_points])).toEqual([['2030-03-05', -150, 705]])
    const later = await ok('report_points_daily', { p_from: '2030-03-07', p_to: '2030-03-11' })
    expect(later.days.map((d: any) => [d.date, d.spent_points, d.outstanding_points])).toEqual([
      ['2030-03-07', 0, 710], ['2030-03-08', 0, 710], ['2030-03-09', 10, 700], ['2030-03-10', 0, 700], ['2030-03-11', 0, 700],
    ])
    expect(later.days[2].sources).toEqual(srcs(['redemption', 0, 0, 10, 0, 0]))
    // the seed's expiry at 2030-01-01: everything the seed had left leaves on that day
    const sweep = await ok('report_points_daily', { p_from: '2029-12-31', p_to: '2030-01-01' })
    expect(sweep.days.map((d: any) => [d.date, d.outstanding_points])).toEqual([['2029-12-31', 270 + sweep.days[1].expired_points], ['2030-01-01', 270]])
    expect(sweep.days[1].sources.map((s: any) => s.source)).toEqual(['expiry'])
  })

  test('a full leap year (366 days) is allowed and zero-filled', async () => {
    const body = await ok('report_points_daily', { p_from: '2028-01-01', p_to: '2028-12-31' })
    expect(body.days).toHaveLength(366)
    expect(body.days[59].date).toBe('2028-02-29')
    expect(body.days.every((d: any) => d.net_points === 0)).toBe(true)
  })
})

describe('report_summary', () => {
  test('period totals, rates and the current figures', async () => {
    expect(await ok('report_summary', { p_from: '2030-03-01', p_to: '2030-03-07' })).toEqual({
      from: '2030-03-01',
      to: '2030-03-07',
      earned_points: 880,
      earn_reversed_points: 200,
      issued_points: 680,
      spent_points: 220,
      spend_reversed_points: 50,
      net_spent_points: 170,
      redeemed_points: 150, // redemptions 150 + 50, one of them (50) reversed; the make-up's 20 is not a redemption
      expired_points: 70,
      redemption_rate: 0.2206, // 150 / 680
      breakage_rate: 0.1029, // 70 / 680
      as_of: '2030-03-10T04:00:00+00:00',
      outstanding_points: 700,
      pending_points: 40, // C's purchase, available from 2030-03-20
      members_with_balance: 5,
      point_value_fen: 1,
      outstanding_liability_fen: 700,
    })
  })

  test('a range with the redemption after p_to; a range with nothing issued has no rates', async () => {
    expect(await ok('report_summary', { p_from: '2030-03-01', p_to: '2030-03-09' })).toMatchObject({
      issued_points: 680, spent_points: 230, net_spent_points: 180, redeemed_points: 160, expired_points: 70,
      redemption_rate: 0.2353, breakage_rate: 0.1029,
    })
    expect(await ok('report_summary', { p_from: '2030-03-06', p_to: '2030-03-06' })).toMatchObject({
      earned_points: 0, issued_points: 0, spent_points: 0, redeemed_points: 0, expired_points: 0,
      redemption_rate: null, breakage_rate: null, outstanding_points: 700,
    })
    // reversals exceed earns: issued is negative, the rates are null too
    expect(await ok('report_summary', { p_from: '2030-03-05', p_to: '2030-03-05' })).toMatchObject({
      issued_points: -180, redeemed_points: -50, redemption_rate: null, breakage_rate: null,
    })
  })

  test('pending points are the lots not yet available at the report instant', async () => {
    expect((await ok('report_summary', { p_from: '2030-03-01', p_to: '2030-03-01' }, at('2030-03-19', '23:59:59'))).pending_points).toBe(40)
    expect((await ok('report_summary', { p_from: '2030-03-01', p_to: '2030-03-01' }, at('2030-03-20', '00:00:00'))).pending_points).toBe(0)
  })

  test('the liability follows program.point_value_fen, rounded to whole fen', async () => {
    try {
      await db().admin.query('update public.program set point_value_fen = 1.5')
      expect(await ok('report_summary', { p_from: '2030-03-01', p_to: '2030-03-01' })).toMatchObject({
        point_value_fen: 1.5, outstanding_points: 700, outstanding_liability_fen: 1050,
      })
      await db().admin.query('update public.program set point_value_fen = 0.3333')
      expect((await ok('report_summary', { p_from: '2030-03-01', p_to: '2030-03-01' })).outstanding_liability_fen).toBe(233) // 233.31
      const byMonth = await ok('report_liability_by_expiry_month')
      expect(byMonth.months.map((r: any) => r.liability_fen)).toEqual([33, 33, 167]) // 33.33, 33.33, 166.65
      expect(byMonth.total_liability_fen).toBe(233)
    } finally {
      await db().admin.query('update public.program set point_value_fen = 1')
    }
  })
})

describe('report_liability_by_expiry_month', () => {
  test('unexpired lots by the month of their last valid day; the total equals the outstanding', async () => {
    expect(await ok('report_liability_by_expiry_month')).toEqual({
      as_of: '2030-03-10T04:00:00+00:00',
      months: [
        { month: '2030-03', points: 100, liability_fen: 100 }, // F: last valid 2030-03-31 (expires_at 2030-04-01 00:00)
        { month: '2030-04', points: 100, liability_fen: 100 }, // E: last valid 2030-04-10
        { month: '2031-03', points: 500, liability_fen: 500 }, // A 275 + B 80 + C 145 (C's 40 pending included)
      ],
      total_points: 700,
      total_liability_fen: 700,
      due_points: 0,
      outstanding_points: 700,
      point_value_fen: 1,
    })
  })
})

describe('report_check_in_actives', () => {
  test('members checking in per day (make-ups apart, by the day they were done), zero-filled', async () => {
    const body = await ok('report_check_in_actives', { p_from: '2030-03-01', p_to: '2030-03-07' })
    expect(body).toEqual({
      from: '2030-03-01',
      to: '2030-03-07',
      days: [
        { date: '2030-03-01', checked_in_members: 0, make_ups: 0 },
        { date: '2030-03-02', checked_in_members: 0, make_ups: 0 },
        { date: '2030-03-03', checked_in_members: 2, make_ups: 0 }, // A, B
        { date: '2030-03-04', checked_in_members: 1, make_ups: 0 }, // A (B's make-up of this day counts on 03-05)
        { date: '2030-03-05', checked_in_members: 1, make_ups: 1 }, // A; B made up 03-04
        { date: '2030-03-06', checked_in_members: 0, make_ups: 0 },
        { date: '2030-03-07', checked_in_members: 1, make_ups: 0 }, // C
      ],
    })
  })
})

describe('access and validation', () => {
  const calls: [string, Record<string, unknown>][] = [
    ['report_points_daily', { p_from: '2030-03-01', p_to: '2030-03-07' }],
    ['report_summary', { p_from: '2030-03-01', p_to: '2030-03-07' }],
    ['report_liability_by_expiry_month', {}],
    ['report_check_in_actives', { p_from: '2030-03-01', p_to: '2030-03-07' }],
  ]

  test.each(calls)('%s: managers only', async (fn, args) => {
    const as = async (caller: any) => {
      const res = await report(fn, args, REPORT_AT, caller)
      return [res.status, res.body?.message]
    }
    expect(await as(MANAGER)).toEqual([200, undefined])
    expect(await as({ sub: SEEDED.lin.id })).toEqual([403, 'not_staff'])
    expect(await as({ sub: SEEDED.staffWang.id })).toEqual([403, 'not_manager'])
    expect((await as('anon'))[0]).toBe(401)
    expect((await as('service_role'))[0]).toBe(403)
  })

  test.each(calls.filter(([, args]) => 'p_from' in args))('%s: invalid ranges are 400 invalid_range', async (fn) => {
    for (const args of [
      {}, { p_from: '2030-03-01' }, { p_to: '2030-03-01' }, { p_from: null, p_to: '2030-03-01' }, { p_from: '2030-03-01', p_to: null },
      { p_from: '2030-03-02', p_to: '2030-03-01' }, // from after to
      { p_from: '2027-01-01', p_to: '2028-01-02' }, // 367 days (2027 is no leap year)
      { p_from: '2028-01-01', p_to: '2029-01-01' }, // 367 days (2028 is a leap year)
    ]) {
      const res = await report(fn, { p_from: null, p_to: null, ...args })
      expect([JSON.stringify(args), res.status, res.body?.message]).toEqual([JSON.stringify(args), 400, 'invalid_range'])
    }
    // the longest range: a leap year, 366 days
    const year = await report(fn, { p_from: '2028-01-01', p_to: '2028-12-31' })
    expect([year.status, year.body.from, year.body.to]).toEqual([200, '2028-01-01', '2028-12-31'])
    if (fn !== 'report_summary') expect(year.body.days).toHaveLength(366)
    // the manager check comes first: a member learns nothing about the arguments
    expect((await report(fn, { p_from: '2030-03-02', p_to: '2030-03-01' }, REPORT_AT, { sub: SEEDED.lin.id })).body.message).toBe('not_staff')
  })

  test('every report is a read-only (stable) security definer function with a pinned search_path', async () => {
    // this migration's four (later migrations add reports of their own, checked in their tests)
    const names = ['report_check_in_actives', 'report_liability_by_expiry_month', 'report_points_daily', 'report_summary']
    const { rows } = await db().admin.query(`
      select p.proname, p.provolatile, p.prosecdef, p.proconfig from pg_proc p
      where p.pronamespace = 'public'::regnamespace and p.proname = any ($1) order by 1`, [names])
    expect(rows).toEqual(names.map((proname) => ({ proname, provolatile: 's', prosecdef: true, proconfig: ['search_path=""'] })))
  })
})

// These change the program's current figures: they run last.
describe('while the ledger moves', () => {
  test('lots past their expiry that the job has not expired yet are due, not in a month; the job turns them into expired points', async () => {
    const due = at('2030-04-01', '08:00:00') // F's lot expired at 2030-04-01 00:00
    expect(await ok('report_liability_by_expiry_month', {}, due)).toMatchObject({
      months: [{ month: '2030-04', points: 100, liability_fen: 100 }, { month: '2031-03', points: 500, liability_fen: 500 }],
      total_points: 600, due_points: 100, outstanding_points: 700,
    })
    expect((await ok('report_summary', { p_from: '2030-04-01', p_to: '2030-04-01' }, due)).outstanding_points).toBe(700)

    expect(await expireAll(due)).toEqual({ members: 1, lots: 1, points: 100 })
    expect(await ok('report_liability_by_expiry_month', {}, due)).toMatchObject({
      months: [{ month: '2030-04', points: 100, liability_fen: 100 }, { month: '2031-03', points: 500, liability_fen: 500 }],
      total_points: 600, due_points: 0, outstanding_points: 600,
    })
    const day = await ok('report_points_daily', { p_from: '2030-04-01', p_to: '2030-04-01' }, due)
    expect(day.days.map((d: any) => [d.expired_points, d.net_points, d.outstanding_points])).toEqual([[100, -100, 600]])
    expect(day.days[0].sources).toEqual(srcs(['expiry', 0, 0, 0, 0, 100]))
    expect(await ok('report_summary', { p_from: '2030-03-01', p_to: '2030-04-30' }, due)).toMatchObject({
      issued_points: 680, expired_points: 170, breakage_rate: 0.25, outstanding_points: 600, members_with_balance: 4,
    })
  })

  test('reports running in parallel with check-ins each see one consistent snapshot', async () => {
    const members = await Promise.all(Array.from({ length: 20 }, () => aMember(db())))
    const base = await outstandingTotal() // 600 + 20 × 100
    expect(base).toBe(2600)
    const { rows: [{ today }] } = await db().admin.query(`select private.business_date(now())::text as today`)
    const results = await Promise.all([
      ...members.map((member) => db().call('check_in', {}, { sub: member })),
      ...members.map(() => db().call('report_liability_by_expiry_month', {}, MANAGER)),
      ...members.map(() => db().call('report_points_daily', { p_from: today, p_to: today }, MANAGER)),
    ])
    expect(results.map((r) => r.status)).toEqual(results.map(() => 200))
    for (const { body } of results.slice(20, 40)) {
      expect(body.total_points + body.due_points).toBe(body.outstanding_points)
      expect((body.outstanding_points - base) % 5).toBe(0)
      expect(body.outstanding_points).toBeGreaterThanOrEqual(base)
      expect(body.outstanding_points).toBeLessThanOrEqual(base + 100)
    }
    const before = (await db().call('report_points_daily', { p_from: today, p_to: today }, MANAGER)).body.days[0]
    for (const { body } of results.slice(40)) {
      const [d] = body.days
      // what was there before today is the same in every snapshot; today's net is what committed so far
      expect(d.outstanding_points - d.net_points).toBe(before.outstanding_points - before.net_points)
    }
    expect(await outstandingTotal()).toBe(2700)
    expect((await db().call('report_liability_by_expiry_month', {}, MANAGER)).body).toMatchObject({ total_points: 2700, due_points: 0, outstanding_points: 2700 })
  })
})
