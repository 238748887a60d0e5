// Task definitions (SPEC's defaults as data) and the task events features record.
import { useSeededDb } from '../../test/support/db'
import { aMember } from '../../test/factories/members'

const db = useSeededDb()

test('default tasks: one-time, daily and weekly, readable by anyone', async () => {
  const res = await db().read('tasks', 'select=code,kind,event,required_count,reward_points,period_limit&order=sort_order', 'anon')
  expect(res.body).toEqual([
    { code: 'complete_profile', kind: 'one_time', event: 'profile_completed', required_count: 1, reward_points: 50, period_limit: 1 },
    { code: 'bind_phone', kind: 'one_time', event: 'phone_bound', required_count: 1, reward_points: 50, period_limit: 1 },
    { code: 'first_redemption', kind: 'one_time', event: 'item_redeemed', required_count: 1, reward_points: 100, period_limit: 1 },
    { code: 'daily_purchase', kind: 'daily', event: 'purchase_awarded', required_count: 1, reward_points: 20, period_limit: 1 },
    { code: 'weekly_check_in', kind: 'weekly', event: 'checked_in', required_count: 5, reward_points: 50, period_limit: 1 },
  ])
})

test('bad task definitions are refused', async () => {
  const bad = [
    `('x1', 't', 'monthly', 'checked_in', 1, 10, 1)`, // unknown kind
    `('x2', 't', 'one_time', 'checked_in', 1, 10, 2)`, // one-time with a period limit above 1
    `('x3', 't', 'daily', 'Checked In', 1, 10, 1)`, // event not snake_case
    `('x4', 't', 'daily', 'checked_in', 0, 10, 1)`, // no events needed
    `('x5', 't', 'daily', 'checked_in', 1, 0, 1)`, // no reward
  ]
  for (const values of bad) {
    await expect(db().admin.query(`insert into public.tasks (code, title, kind, event, required_count, reward_points, period_limit) values ${values}`))
      .rejects.toMatchObject({ code: '23514' })
  }
})

test('record_task_event counts an event once per ref, on the Shanghai business day of the clock', async () => {
  const m = await aMember(db())
  const record = (ref: string, day: string | null = null) =>
    db().sqlAt('2026-11-23T23:30:00+08:00', `select private.record_task_event($1, 'item_redeemed', $2, $3::date) as added`, [m, ref, day])
  expect((await record('r1'))[0].added).toBe(true)
  expect((await record('r1'))[0].added).toBe(false)
  expect((await record('r2', '2026-11-20'))[0].added).toBe(true)
  const { rows } = await db().admin.query(
    `select ref, business_date::text as day from public.task_events where member_id = $1 and event = 'item_redeemed' order by ref`, [m])
  expect(rows).toEqual([{ ref: 'r1', day: '2026-11-23' }, { ref: 'r2', day: '2026-11-20' }])
  expect((await db().read('task_events', 'select=ref&event=eq.item_redeemed', { sub: m })).body).toHaveLength(2)
})
