// Task progress per period, claims, the daily caps, request-id retries.
import { randomUUID } from 'node:crypto'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf } from '../../test/factories/members'

const db = useSeededDb()

const MON = '2026-11-23' // a Monday (Asia/Shanghai)
const at = (day: string, time = '10:00:00') => `${day}T${time}+08:00`

async function event(member: string, evt: string, ref: string, day: string | null = null) {
  await db().admin.query('select private.record_task_event($1, $2, $3, $4::date)', [member, evt, ref, day])
}

async function events(member: string, evt: string, n: number, day: string | null = null) {
  for (let i = 0; i < n; i++) await event(member, evt, `${evt}-${day}-${i}`, day)
}

let taskCount = 0
/** A test task of its own (its own event unless given), active unless told otherwise. Returns its code. */
async function aTask(opts: { kind?: string; reward?: number; required?: number; limit?: number; event?: string; active?: boolean } = {}) {
  taskCount += 1
  const code = `test_task_${taskCount}`
  await db().admin.query(
    `insert into public.tasks (code, title, kind, event, required_count, reward_points, period_limit, sort_order, active)
     values ($1, $1, $2, $3, $4, $5, $6, 1000 + $7, $8)`,
    [code, opts.kind ?? 'daily', opts.event ?? `${code}_done`, opts.required ?? 1, opts.reward ?? 10, opts.limit ?? 1, taskCount, opts.active ?? true],
  )
  return code
}

const claimAt = (when: string, member: string, code: string, requestId?: string) =>
  db().callAt(when, 'claim_task', requestId ? { p_task_code: code, p_request_id: requestId } : { p_task_code: code }, { sub: member })

async function taskAt(when: string, member: string, code: string) {
  const res = await db().callAt(when, 'list_tasks', {}, { sub: member })
  expect(res.status).toBe(200)
  return res.body.tasks.find((t: any) => t.code === code)
}

const claimCount = async (member: string) =>
  (await db().admin.query('select count(*)::int as n from public.task_claims where member_id = $1', [member])).rows[0].n as number

test('list_tasks: active tasks in order with progress and the daily caps; anon gets 401', async () => {
  const m = await aMember(db(), { at: at(MON) })
  const hidden = await aTask({ active: false })
  const res = await db().callAt(at(MON), 'list_tasks', {}, { sub: m })
  expect(res.status).toBe(200)
  expect(res.body.business_date).toBe(MON)
  expect(res.body.daily).toEqual({ rewards_used: 0, rewards_max: 15, points_used: 0, points_max: 100 })
  const codes = res.body.tasks.map((t: any) => t.code)
  expect(codes.slice(0, 5)).toEqual(['complete_profile', 'bind_phone', 'first_redemption', 'daily_purchase', 'weekly_check_in'])
  expect(codes).not.toContain(hidden)
  // a dev sign-in brings a verified phone: bind_phone is completed at registration
  expect(res.body.tasks[1]).toEqual({
    code: 'bind_phone', title: '绑定手机号', description: '绑定手机号，账户更安全', kind: 'one_time', event: 'phone_bound',
    reward_points: 50, required_count: 1, period_limit: 1, period_key: 'once', progress: 1, completions: 1, claimed: 0,
    claimable: 1, done: false,
  })
  expect(res.body.tasks[3]).toMatchObject({ code: 'daily_purchase', period_key: `D${MON}`, progress: 0, claimable: 0 })
  expect(res.body.tasks[4]).toMatchObject({ code: 'weekly_check_in', period_key: `W${MON}`, required_count: 5 })

  expect((await db().call('list_tasks', {}, 'anon')).status).toBe(401)
  expect((await db().call('claim_task', { p_task_code: 'bind_phone' }, 'anon')).status).toBe(401)
})

test('one-time task: claimed once ever, paid through the ledger', async () => {
  const m = await aMember(db(), { at: at(MON) })
  const before = await balanceOf(db(), m)
  const res = await claimAt(at(MON), m, 'bind_phone')
  expect(res.status).toBe(200)
  expect(res.body).toEqual({ task_code: 'bind_phone', period_key: 'once', seq: 1, points: 50, campaign_points: 0, balance_points: before + 50 })
  const { rows } = await db().admin.query(
    `select e.source, e.ref, e.amount_points, e.description from public.task_claims c join public.point_entries e on e.id = c.entry_id
     where c.member_id = $1`, [m])
  expect(rows).toEqual([{ source: 'task', ref: 'bind_phone:once:1', amount_points: 50, description: '绑定手机号' }])

  for (const when of [at(MON), at('2026-11-24'), at('2027-06-01')]) {
    expect((await claimAt(when, m, 'bind_phone')).body.message).toBe('task_not_completed')
  }
  await event(m, 'phone_bound', 'another-phone', '2027-06-01') // more events never reopen a one-time task
  expect((await claimAt(at('2027-06-01'), m, 'bind_phone')).body.message).toBe('task_not_completed')
  expect(await taskAt(at('2027-06-01'), m, 'bind_phone')).toMatchObject({ progress: 2, completions: 1, claimed: 1, claimable: 0, done: true })
  expect(await balanceOf(db(), m)).toBe(before + 50)
})

test('not completed, unknown or inactive tasks are refused and pay nothing', async () => {
  const m = await aMember(db(), { at: at(MON), provider: 'wechat' })
  const inactive = await aTask({ active: false, event: 'inactive_evt' })
  await event(m, 'inactive_evt', 'x', MON)
  const before = await balanceOf(db(), m)
  const cases: [string, number, string][] = [
    ['bind_phone', 409, 'task_not_completed'], // a WeChat sign-in has no phone yet
    ['complete_profile', 409, 'task_not_completed'],
    ['no_such_task', 404, 'task_not_found'],
    [inactive, 404, 'task_not_found'],
  ]
  for (const [code, status, message] of cases) {
    const res = await claimAt(at(MON), m, code)
    expect([code, res.status, res.body.message]).toEqual([code, status, message])
  }
  expect(await balanceOf(db(), m)).toBe(before)
  expect(await claimCount(m)).toBe(0)
})

test('daily task resets at midnight Shanghai time, not UTC', async () => {
  const m = await aMember(db(), { at: at(MON) })
  const lastSecond = at(MON, '23:59:59')
  const nextDay = at('2026-11-24', '00:00:00') // still 2026-11-23 in UTC

  await event(m, 'purchase_awarded', 'order-1', MON)
  const first = await claimAt(lastSecond, m, 'daily_purchase')
  expect(first.body).toMatchObject({ task_code: 'daily_purchase', period_key: `D${MON}`, seq: 1, points: 20 })
  expect((await claimAt(lastSecond, m, 'daily_purchase')).body.message).toBe('task_not_completed')
  expect(await taskAt(lastSecond, m, 'daily_purchase')).toMatchObject({ progress: 1, claimed: 1, done: true })

  // a new business day: yesterday's purchase counts no more, the task is open again
  expect(await taskAt(nextDay, m, 'daily_purchase')).toMatchObject({ period_key: 'D2026-11-24', progress: 0, claimed: 0, done: false })
  expect((await claimAt(nextDay, m, 'daily_purchase')).body.message).toBe('task_not_completed')
  await event(m, 'purchase_awarded', 'order-2', '2026-11-24')
  const second = await claimAt(nextDay, m, 'daily_purchase')
  expect(second.body).toMatchObject({ period_key: 'D2026-11-24', seq: 1, points: 20 })
})

test('a completion left unclaimed lapses at the end of its day', async () => {
  const m = await aMember(db(), { at: at(MON) })
  await event(m, 'purchase_awarded', 'order-1', MON)
  expect((await claimAt(at('2026-11-24', '00:00:00'), m, 'daily_purchase')).body.message).toBe('task_not_completed')
})

test('weekly task counts required_count events Monday to Sunday and resets Monday 00:00 Shanghai', async () => {
  const m = await aMember(db(), { at: at(MON) })
  const sundayLast = at('2026-11-29', '23:59:59')
  const nextMonday = at('2026-11-30', '00:00:00')
  await event(m, 'checked_in', 'day-2026-11-22', '2026-11-22') // the Sunday before: another week
  for (const day of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26']) await event(m, 'checked_in', `day-${day}`, day)

  expect(await taskAt(sundayLast, m, 'weekly_check_in')).toMatchObject({ period_key: `W${MON}`, progress: 4, completions: 0 })
  expect((await claimAt(sundayLast, m, 'weekly_check_in')).body.message).toBe('task_not_completed')

  await event(m, 'checked_in', 'day-2026-11-29', '2026-11-29')
  const res = await claimAt(sundayLast, m, 'weekly_check_in')
  expect(res.status).toBe(200)
  expect(res.body).toMatchObject({ period_key: `W${MON}`, seq: 1, points: 50 })
  expect((await claimAt(sundayLast, m, 'weekly_check_in')).body.message).toBe('task_not_completed')

  expect(await taskAt(nextMonday, m, 'weekly_check_in')).toMatchObject({ period_key: 'W2026-11-30', progress: 0, claimed: 0, done: false })
  expect((await claimAt(nextMonday, m, 'weekly_check_in')).body.message).toBe('task_not_completed')
})

test('period_limit > 1: one claim per completion, up to the limit, with increasing seq', async () => {
  const m = await aMember(db(), { at: at(MON) })
  const code = await aTask({ reward: 5, limit: 3 })
  const evt = `${code}_done`
  await events(m, evt, 2, MON)
  expect(await taskAt(at(MON), m, code)).toMatchObject({ progress: 2, completions: 2, claimable: 2 })
  expect((await claimAt(at(MON), m, code)).body).toMatchObject({ seq: 1, points: 5, period_key: `D${MON}` })
  expect((await claimAt(at(MON), m, code)).body).toMatchObject({ seq: 2 })
  expect((await claimAt(at(MON), m, code)).body.message).toBe('task_not_completed')

  await event(m, evt, 'third', MON)
  await event(m, evt, 'fourth', MON)
  await event(m, evt, 'fifth', MON)
  expect(await taskAt(at(MON), m, code)).toMatchObject({ progress: 5, completions: 3, claimed: 2, claimable: 1, done: false })
  expect((await claimAt(at(MON), m, code)).body).toMatchObject({ seq: 3 })
  expect((await claimAt(at(MON), m, code)).body.message).toBe('task_not_completed')
  expect(await taskAt(at(MON), m, code)).toMatchObject({ claimed: 3, claimable: 0, done: true })
  const { rows } = await db().admin.query(
    `select ref from public.point_entries where member_id = $1 and source = 'task' order by id`, [m])
  expect(rows.map((r) => r.ref)).toEqual([1, 2, 3].map((s) => `${code}:D${MON}:${s}`))
})

test('daily cap on task points: a claim that would go over 100 is refused whole; the next day it pays', async () => {
  const m = await aMember(db(), { at: at(MON) })
  const evt = 'cap_points_evt'
  const [a, b, c] = [await aTask({ reward: 40, event: evt }), await aTask({ reward: 40, event: evt }), await aTask({ reward: 40, event: evt })]
  await event(m, evt, 'mon', MON)
  expect((await claimAt(at(MON), m, a)).status).toBe(200)
  expect((await claimAt(at(MON), m, b)).status).toBe(200)
  const before = await balanceOf(db(), m)
  const refused = await claimAt(at(MON), m, c)
  expect([refused.status, refused.body.message]).toEqual([409, 'daily_task_limit_reached'])
  expect(await balanceOf(db(), m)).toBe(before)
  expect(await claimCount(m)).toBe(2)
  expect((await db().callAt(at(MON), 'list_tasks', {}, { sub: m })).body.daily).toMatchObject({ rewards_used: 2, points_used: 80 })

  // the cap counts by the business day of the claim: tomorrow c pays (tomorrow's own event)
  await event(m, evt, 'tue', '2026-11-24')
  const tomorrow = at('2026-11-24', '00:00:00')
  expect((await claimAt(tomorrow, m, c)).body).toMatchObject({ task_code: c, points: 40 })
  expect((await db().callAt(tomorrow, 'list_tasks', {}, { sub: m })).body.daily).toMatchObject({ rewards_used: 1, points_used: 40 })
})

test('daily cap on task rewards: the 16th reward of a day is refused; the next day it pays', async () => {
  const m = await aMember(db(), { at: at(MON) })
  const evt = 'cap_rewards_evt'
  const codes: string[] = []
  for (let i = 0; i < 16; i++) codes.push(await aTask({ reward: 1, event: evt }))
  await event(m, evt, 'mon', MON)
  for (const code of codes.slice(0, 15)) expect((await claimAt(at(MON), m, code)).status).toBe(200)
  const refused = await claimAt(at(MON), m, codes[15])
  expect([refused.status, refused.body.message]).toEqual([409, 'daily_task_limit_reached'])
  expect(await claimCount(m)).toBe(15)

  await event(m, evt, 'tue', '2026-11-24')
  expect((await claimAt(at('2026-11-24'), m, codes[15])).status).toBe(200)
})

test('the points cap counts base task rewards; a campaign extra is paid on top and reported', async () => {
  const day = '2027-03-01'
  await db().admin.query(
    `insert into public.campaigns (name, starts_at, ends_at, multiplier, sources) values ('任务双倍', $1, $2, 2, '{task}')`,
    [at(day, '00:00:00'), at('2027-03-02', '00:00:00')])
  const m = await aMember(db(), { at: at(day) })
  const evt = 'campaign_evt'
  const codes = [await aTask({ reward: 50, event: evt }), await aTask({ reward: 50, event: evt }), await aTask({ reward: 1, event: evt })]
  await event(m, evt, 'x', day)
  const before = await balanceOf(db(), m)
  expect((await claimAt(at(day), m, codes[0])).body).toMatchObject({ points: 50, campaign_points: 50, balance_points: before + 100 })
  expect((await claimAt(at(day), m, codes[1])).body).toMatchObject({ points: 50, campaign_points: 50, balance_points: before + 200 })
  expect((await claimAt(at(day), m, codes[2])).body.message).toBe('daily_task_limit_reached')
})

test('a retry with the same request id returns the first result and pays once', async () => {
  const m = await aMember(db(), { at: at(MON) })
  const code = await aTask({ reward: 7, limit: 3 })
  await events(m, `${code}_done`, 3, MON)
  const id = randomUUID()
  const first = await claimAt(at(MON), m, code, id)
  expect(first.body).toMatchObject({ seq: 1, points: 7 })
  const retry = await claimAt(at(MON), m, code, id)
  expect(retry).toEqual(first)
  expect(await claimCount(m)).toBe(1)
  expect((await claimAt(at(MON), m, 'bind_phone', id)).body.message).toBe('request_id_reused')

  // parallel duplicates of a new id (real clock: pinned-clock API pools are small): one claim, every caller sees it
  await events(m, `${code}_done`, 1)
  const id2 = randomUUID()
  const results = await Promise.all(Array.from({ length: 10 }, () => db().call('claim_task', { p_task_code: code, p_request_id: id2 }, { sub: m })))
  expect(results.every((r) => r.status === 200)).toBe(true)
  expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1)
  expect(results[0].body).toMatchObject({ seq: 1, points: 7 })
  expect(await claimCount(m)).toBe(2)
})

// Concurrency runs on the real clock: pinned-clock API pools are small.
test('30 parallel claims of a task with period_limit 3 and 5 events: exactly 3 succeed', async () => {
  const m = await aMember(db())
  const code = await aTask({ reward: 5, limit: 3 })
  await events(m, `${code}_done`, 5)
  const before = await balanceOf(db(), m)
  const results = await Promise.all(Array.from({ length: 30 }, () => db().call('claim_task', { p_task_code: code }, { sub: m })))
  const ok = results.filter((r) => r.status === 200)
  expect(ok.map((r) => r.body.seq).sort()).toEqual([1, 2, 3])
  expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.message === 'task_not_completed')).toBe(true)
  expect(await balanceOf(db(), m)).toBe(before + 15)
})

test('40 parallel claims over many tasks never exceed 15 rewards or 100 points a day', async () => {
  // reward 6: the rewards cap binds (15 × 6 = 90); reward 7: the points cap binds (14 × 7 = 98)
  for (const [reward, wins] of [[6, 15], [7, 14]]) {
    const m = await aMember(db())
    const evt = `race_${reward}_evt`
    const codes: string[] = []
    for (let i = 0; i < 20; i++) codes.push(await aTask({ reward, limit: 2, event: evt }))
    await events(m, evt, 2)
    const results = await Promise.all(codes.flatMap((code) => [code, code]).map((code) => db().call('claim_task', { p_task_code: code }, { sub: m })))
    const ok = results.filter((r) => r.status === 200)
    expect(ok).toHaveLength(wins)
    expect(results.filter((r) => r.status !== 200).every((r) => r.body.message === 'daily_task_limit_reached')).toBe(true)
    const { rows } = await db().admin.query(
      `select count(*)::int as n, sum(amount_points)::int as points from public.point_entries where member_id = $1 and source = 'task'`, [m])
    expect(rows[0]).toEqual({ n: wins, points: wins * reward })
  }
})

test('members read only their own claims; nobody writes them through the API', async () => {
  const [a, b] = [await aMember(db(), { at: at(MON) }), await aMember(db(), { at: at(MON) })]
  expect((await claimAt(at(MON), a, 'bind_phone')).status).toBe(200)
  expect((await claimAt(at(MON), b, 'bind_phone')).status).toBe(200)
  const mine = await db().read('task_claims', 'select=member_id,task_code', { sub: a })
  expect(mine.body).toEqual([{ member_id: a, task_code: 'bind_phone' }])
  expect((await db().read('task_claims', 'select=member_id', 'anon')).status).toBe(401)
  await expect(db().sqlAs({ sub: a }, `delete from public.task_claims`)).rejects.toThrow(/permission denied/)
})
