// Rule changes (issue 15): operators change point rules, tasks, tiers and streak bonuses from a stated instant —
// now or later, never earlier — audited, checked by the tables' own constraints when made, applied by the
// scheduler's tick (or at once when due), never retroactively: what was awarded stays as it was.
import { aMember, SEEDED } from '../../test/factories/members'
import { useSeededDb } from '../../test/support/db'

const db = useSeededDb()
const OPERATOR = { sub: SEEDED.operatorZhao.id }
type Res = { status: number; body: any }
const expectError = (res: Res, status: number, code: string) => expect([res.status, res.body?.message]).toEqual([status, code])

/** Instants on Shanghai business days of a January in the future, so that "now" is pinned for every call. */
const at = (day: number, time = '12:00:00') => `2027-01-${String(day).padStart(2, '0')}T${time}+08:00`

const schedule = (when: string, args: Record<string, unknown>, caller: object = OPERATOR) =>
  db().callAt(when, 'op_schedule_rule_change', { p_reason: '春节活动', ...args }, caller as never)
const tick = (when: string) => db().callAt(when, 'apply_rule_changes', {}, 'service_role')
const rules = async () => (await db().admin.query('select * from public.point_rules')).rows[0]
const task = async (code: string) => (await db().admin.query('select * from public.tasks where code = $1', [code])).rows[0]
const tier = async (code: string) => (await db().admin.query('select * from public.tiers where code = $1', [code])).rows[0]
const auditOf = async (id: number) =>
  (await db().admin.query(`select action, before, after, reason, actor_id from public.operator_audit where target_table = 'rule_changes' and target_id = $1 order by id`, [String(id)])).rows

test('only operators schedule, cancel and list rule changes; only the scheduler applies them', async () => {
  const member = await aMember(db())
  for (const caller of [{ sub: member }, { sub: SEEDED.staffWang.id }, { sub: SEEDED.managerLi.id }]) {
    expectError(await schedule(at(1), { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 9 } }, caller), 403, 'not_operator')
    expectError(await db().call('op_cancel_rule_change', { p_change_id: 1, p_reason: 'x' }, caller), 403, 'not_operator')
    expectError(await db().call('op_list_rule_changes', {}, caller), 403, 'not_operator')
  }
  expect((await db().call('op_list_rule_changes', {}, 'anon')).status).toBe(401)
  expect((await db().call('apply_rule_changes', {}, OPERATOR)).status).toBe(403)
  expect((await db().admin.query('select count(*)::int as n from public.rule_changes')).rows[0].n).toBe(0)
  expect((await rules()).check_in_points).toBe(5)
})

test('a change made for now applies at once and is audited; check-ins from then on earn the new points', async () => {
  const member = await aMember(db())
  const before = await db().callAt(at(2, '09:00:00'), 'check_in', {}, { sub: member })
  expect(before.body.points).toBe(5)

  const made = await schedule(at(2, '10:00:00'), { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 8 } })
  expect(made.status).toBe(200)
  expect(made.body).toMatchObject({ subject: 'point_rules', subject_key: null, changes: { check_in_points: 8 }, before: { check_in_points: 5 }, reason: '春节活动' })
  expect(new Date(made.body.applied_at).toISOString()).toBe(new Date(at(2, '10:00:00')).toISOString())
  expect((await rules()).check_in_points).toBe(8)

  const next = await db().callAt(at(3, '09:00:00'), 'check_in', {}, { sub: member })
  expect(next.body.points).toBe(8)
  // never retroactive: yesterday's check-in keeps its 5 points
  const entries = (await db().admin.query(`select amount_points from public.point_entries where member_id = $1 and source = 'check_in' order by id`, [member])).rows
  expect(entries.map((e) => e.amount_points)).toEqual([5, 8])
  expect((await auditOf(made.body.id)).map((a) => [a.action, a.actor_id])).toEqual([
    ['schedule_rule_change', SEEDED.operatorZhao.id],
    ['apply_rule_change', SEEDED.operatorZhao.id],
  ])
  await schedule(at(3, '10:00:00'), { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 5 }, p_reason: '恢复' })
  expect((await rules()).check_in_points).toBe(5)
})

test('a change for later waits for its instant: the tick before it changes nothing, the first tick after applies it', async () => {
  const made = await schedule(at(4), {
    p_subject: 'point_rules',
    p_subject_key: null,
    p_changes: { make_up_cost_points: 30, expiry_reminder_days: [14, 3] },
    p_effective_at: at(5, '00:00:00'),
  })
  expect(made.status).toBe(200)
  expect(made.body.applied_at).toBeNull()
  expect(made.body.before).toEqual({ make_up_cost_points: 20, expiry_reminder_days: [30, 7] })

  expect((await tick(at(4, '23:59:59'))).body).toEqual({ applied: 0 })
  expect((await rules()).make_up_cost_points).toBe(20)
  // pending changes come first in the list
  const listed = await db().callAt(at(4), 'op_list_rule_changes', {}, OPERATOR)
  expect(listed.body[0].id).toBe(made.body.id)

  expect((await tick(at(5, '00:00:30'))).body).toEqual({ applied: 1 })
  expect(await rules()).toMatchObject({ make_up_cost_points: 30, expiry_reminder_days: [14, 3] })
  expect((await tick(at(5, '00:01:30'))).body).toEqual({ applied: 0 }) // applied once
  // the scheduler's run applies due changes too
  const later = await schedule(at(5), { p_subject: 'point_rules', p_subject_key: null, p_changes: { make_up_cost_points: 20, expiry_reminder_days: [30, 7] }, p_effective_at: at(6, '00:00:00') })
  const jobs = await db().callAt(at(6, '00:00:10'), 'run_scheduled_jobs', {}, 'service_role')
  expect(jobs.body.apply_rule_changes).toEqual({ applied: 1 })
  expect((await db().admin.query('select applied_at from public.rule_changes where id = $1', [later.body.id])).rows[0].applied_at).not.toBeNull()
  expect((await rules()).make_up_cost_points).toBe(20)
})

test('never retroactive: an instant in the past is refused, and a lot keeps the expiry it was given', async () => {
  expectError(
    await schedule(at(7), { p_subject: 'point_rules', p_subject_key: null, p_changes: { lot_validity_months: 6 }, p_effective_at: at(7, '11:59:59') }),
    400,
    'invalid_effective_at',
  )
  const member = await aMember(db())
  await db().callAt(at(7), 'check_in', {}, { sub: member })
  const lotsBefore = (await db().admin.query('select id, expires_at from public.point_lots where member_id = $1 order by id', [member])).rows
  expect((await schedule(at(7, '13:00:00'), { p_subject: 'point_rules', p_subject_key: null, p_changes: { lot_validity_months: 6 } })).status).toBe(200)
  const lotsAfter = (await db().admin.query('select id, expires_at from public.point_lots where member_id = $1 order by id', [member])).rows
  expect(lotsAfter).toEqual(lotsBefore)
  // a lot made from now on gets the new validity
  await db().callAt(at(8), 'check_in', {}, { sub: member })
  const newest = (await db().admin.query(`select expires_at from public.point_lots where member_id = $1 order by id desc limit 1`, [member])).rows[0]
  expect(new Date(newest.expires_at).getTime()).toBeLessThan(new Date('2027-07-31T00:00:00+08:00').getTime())
  await schedule(at(8, '13:00:00'), { p_subject: 'point_rules', p_subject_key: null, p_changes: { lot_validity_months: 12 } })
})

test.each([
  ['invalid_rule_subject', { p_subject: 'campaign', p_subject_key: null, p_changes: { x: 1 } }],
  ['invalid_rule_subject', { p_subject: null, p_subject_key: null, p_changes: { x: 1 } }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: 'x', p_changes: { check_in_points: 6 } }],
  ['invalid_rule_change', { p_subject: 'task', p_subject_key: null, p_changes: { reward_points: 6 } }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: {} }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: [1] }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: { nope: 1 } }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: { id: false } }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: { adjustment_approval_points: 1000000 } }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 0 } }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: null } }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 'many' } }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 1e12 } }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: { referral_qualifying_action: 'share_tap' } }],
  ['invalid_rule_change', { p_subject: 'point_rules', p_subject_key: null, p_changes: { expiry_reminder_days: [0] } }],
  ['invalid_rule_change', { p_subject: 'task', p_subject_key: 'daily_check_in', p_changes: { kind: 'weekly' } }],
  ['invalid_rule_change', { p_subject: 'tier', p_subject_key: 'basic', p_changes: { min_earned_points: 10 } }],
  ['invalid_rule_change', { p_subject: 'tier', p_subject_key: 'gold', p_changes: { min_earned_points: 1000 } }], // silver's
  ['invalid_rule_change', { p_subject: 'tier', p_subject_key: 'gold', p_changes: { multiplier: 0.5 } }],
  ['invalid_rule_change', { p_subject: 'check_in_streak_bonus', p_subject_key: '32', p_changes: { bonus_points: 5 } }],
  ['invalid_rule_change', { p_subject: 'check_in_streak_bonus', p_subject_key: 'x', p_changes: { bonus_points: 5 } }],
  ['invalid_rule_change', { p_subject: 'check_in_streak_bonus', p_subject_key: '3', p_changes: { bonus_points: -1 } }],
  ['task_not_found', { p_subject: 'task', p_subject_key: 'nope', p_changes: { reward_points: 6 } }],
  ['tier_not_found', { p_subject: 'tier', p_subject_key: 'diamond', p_changes: { multiplier: 3 } }],
  ['invalid_change_reason', { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 6 }, p_reason: '  ' }],
])('bad input is %s and changes nothing', async (code, args) => {
  const before = [await rules(), (await db().admin.query('select * from public.tiers order by rank')).rows]
  const count = async () => (await db().admin.query('select count(*)::int as n from public.rule_changes')).rows[0].n
  const n = await count()
  const res = await schedule(at(9), args)
  expectError(res, code.endsWith('not_found') ? 404 : 400, code)
  expect(await count()).toBe(n)
  expect([await rules(), (await db().admin.query('select * from public.tiers order by rank')).rows]).toEqual(before)
})

test('tasks: reward, title and active flag change from the instant, applied by the tick', async () => {
  const code = (await db().admin.query(`select code from public.tasks where kind = 'daily' and active order by sort_order limit 1`)).rows[0].code
  const old = await task(code)
  const made = await schedule(at(10), {
    p_subject: 'task',
    p_subject_key: code,
    p_changes: { reward_points: old.reward_points + 7, title: '新的任务名' },
    p_effective_at: at(11, '00:00:00'),
  })
  expect(made.status).toBe(200)
  expect(made.body.before).toEqual({ reward_points: old.reward_points, title: old.title })
  expect((await task(code)).reward_points).toBe(old.reward_points)
  await tick(at(11, '00:00:20'))
  expect(await task(code)).toMatchObject({ reward_points: old.reward_points + 7, title: '新的任务名' })
  await schedule(at(11), { p_subject: 'task', p_subject_key: code, p_changes: { active: false } })
  expect((await task(code)).active).toBe(false)
  await schedule(at(11, '12:01:00'), { p_subject: 'task', p_subject_key: code, p_changes: { reward_points: old.reward_points, title: old.title, active: true } })
  expect(await task(code)).toEqual(old)
})

test('tiers and streak bonuses: thresholds, multipliers and a new streak day; 0 removes a day', async () => {
  expect((await schedule(at(12), { p_subject: 'tier', p_subject_key: 'silver', p_changes: { min_earned_points: 800, multiplier: 1.25 } })).status).toBe(200)
  expect(await tier('silver')).toMatchObject({ min_earned_points: 800, multiplier: '1.25' })
  expect((await schedule(at(12), { p_subject: 'check_in_streak_bonus', p_subject_key: '5', p_changes: { bonus_points: 15 } })).status).toBe(200)
  expect((await schedule(at(12), { p_subject: 'check_in_streak_bonus', p_subject_key: '3', p_changes: { bonus_points: 0 } })).status).toBe(200)
  const bonuses = (await db().admin.query('select cycle_day, bonus_points from public.check_in_streak_bonuses order by cycle_day')).rows
  expect(bonuses).toEqual([{ cycle_day: 5, bonus_points: 15 }, { cycle_day: 7, bonus_points: 30 }])
  // put them back
  await schedule(at(12, '12:01:00'), { p_subject: 'tier', p_subject_key: 'silver', p_changes: { min_earned_points: 1000, multiplier: 1.2 } })
  await schedule(at(12, '12:01:00'), { p_subject: 'check_in_streak_bonus', p_subject_key: '5', p_changes: { bonus_points: 0 } })
  await schedule(at(12, '12:01:00'), { p_subject: 'check_in_streak_bonus', p_subject_key: '3', p_changes: { bonus_points: 10 } })
})

test('a pending change can be cancelled once, with a reason; an applied one cannot', async () => {
  const made = await schedule(at(13), { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 50 }, p_effective_at: at(14, '00:00:00') })
  expectError(await db().callAt(at(13), 'op_cancel_rule_change', { p_change_id: made.body.id, p_reason: ' ' }, OPERATOR), 400, 'invalid_change_reason')
  expectError(await db().callAt(at(13), 'op_cancel_rule_change', { p_change_id: 999999, p_reason: '错了' }, OPERATOR), 404, 'rule_change_not_found')
  const cancelled = await db().callAt(at(13), 'op_cancel_rule_change', { p_change_id: made.body.id, p_reason: '错了' }, OPERATOR)
  expect(cancelled.body).toMatchObject({ cancelled_by: SEEDED.operatorZhao.id, cancel_reason: '错了' })
  expectError(await db().callAt(at(13), 'op_cancel_rule_change', { p_change_id: made.body.id, p_reason: '错了' }, OPERATOR), 409, 'rule_change_settled')
  expect((await tick(at(14, '00:00:30'))).body).toEqual({ applied: 0 })
  expect((await rules()).check_in_points).toBe(5)
  const applied = await schedule(at(14), { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 5 } })
  expectError(await db().callAt(at(14), 'op_cancel_rule_change', { p_change_id: applied.body.id, p_reason: '错了' }, OPERATOR), 409, 'rule_change_settled')
  expect((await auditOf(made.body.id)).map((a) => a.action)).toEqual(['schedule_rule_change', 'cancel_rule_change'])
})

test('a change that clashes with one applied before it is marked failed when due; the others still apply', async () => {
  // two changes checked against today's ladder, which together would give silver and gold one threshold
  const first = await schedule(at(15), { p_subject: 'tier', p_subject_key: 'silver', p_changes: { min_earned_points: 3000 }, p_effective_at: at(16, '00:00:00') })
  const clash = await schedule(at(15), { p_subject: 'tier', p_subject_key: 'gold', p_changes: { min_earned_points: 3000 }, p_effective_at: at(16, '00:00:00') })
  const other = await schedule(at(15), { p_subject: 'point_rules', p_subject_key: null, p_changes: { make_up_monthly_limit: 3 }, p_effective_at: at(16, '00:00:00') })
  expect([first.status, clash.status, other.status]).toEqual([200, 200, 200])
  expect((await tick(at(16, '00:00:10'))).body).toEqual({ applied: 2 })
  const rows = (await db().admin.query('select id, applied_at is not null as applied, failed_reason from public.rule_changes where id = any($1) order by id', [[first.body.id, clash.body.id, other.body.id]])).rows
  expect(rows.map((r) => r.applied)).toEqual([true, false, true])
  expect(rows[1].failed_reason).toMatch(/tiers_min_earned_points_key|duplicate/)
  expect((await tier('gold')).min_earned_points).toBe(5000)
  expect((await auditOf(clash.body.id)).map((a) => a.action)).toEqual(['schedule_rule_change', 'fail_rule_change'])
  expectError(await db().callAt(at(16), 'op_cancel_rule_change', { p_change_id: clash.body.id, p_reason: '已失败' }, OPERATOR), 409, 'rule_change_settled')
  await schedule(at(16), { p_subject: 'tier', p_subject_key: 'silver', p_changes: { min_earned_points: 1000 } })
  await schedule(at(16), { p_subject: 'point_rules', p_subject_key: null, p_changes: { make_up_monthly_limit: 2 } })
})

test('changes applied while members check in and claim: no 5xx, no lock waits turned into deadlocks, each write sees old or new', async () => {
  const members = await Promise.all(Array.from({ length: 12 }, () => aMember(db())))
  const code = (await db().admin.query(`select code from public.tasks where kind = 'daily' and active order by sort_order limit 1`)).rows[0].code
  const writes = members.map((m) => db().callAt(at(20), 'check_in', {}, { sub: m }))
  const changes = [
    schedule(at(20), { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 6 } }),
    schedule(at(20), { p_subject: 'task', p_subject_key: code, p_changes: { reward_points: 9 } }),
    schedule(at(20), { p_subject: 'tier', p_subject_key: 'basic', p_changes: { multiplier: 1.1 } }),
  ]
  const results = await Promise.all([...writes, ...changes])
  expect(results.map((r) => r.status)).toEqual(results.map(() => 200))
  for (const r of results.slice(0, members.length)) expect([5, 6]).toContain(r.body.points)
  await schedule(at(20, '12:01:00'), { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 5 } })
  await schedule(at(20, '12:01:00'), { p_subject: 'tier', p_subject_key: 'basic', p_changes: { multiplier: 1 } })
})
