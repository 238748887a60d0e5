// The lock order's own checks, and the rules closed with it — a 补签 never
// qualifies a referral, a void takes back the task rewards its purchase paid, the best campaign that can
// still pay applies (cap and budget alike), tier reviews decide under the member's lock.
// The write storm under every configuration is in concurrency.storm.test.ts.
import { randomUUID } from 'node:crypto'
import { Client } from 'pg'
import { addDays } from '../../test/support/dates'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf } from '../../test/factories/members'

const db = useSeededDb()

const DAY = '2027-03-10'
const STORE = '00000000-0000-4000-9000-000000000001'
const at = (day: string, time = '10:00:00') => `${day}T${time}+08:00`
type Res = { status: number; body: any }
const expectError = (res: Res, status: number, code: string) => expect([res.status, res.body?.message]).toEqual([status, code])

const inviteCode = async (member: string): Promise<string> =>
  (await db().admin.query('select invite_code from public.members where id = $1', [member])).rows[0].invite_code
const referralOf = async (invitee: string) =>
  (await db().admin.query('select status, qualifying_ref from public.referrals where invitee_id = $1', [invitee])).rows[0]
const referralPoints = async (member: string) =>
  (await db().admin.query(`select coalesce(sum(amount_points), 0)::int as n from public.point_entries where member_id = $1 and source = 'referral'`, [member])).rows[0].n

async function aStaff(): Promise<string> {
  const id = await aMember(db())
  await db().admin.query(`insert into public.staff (member_id, store_id, role) values ($1, $2, 'clerk')`, [id, STORE])
  return id
}
async function award(when: string, staff: string, member: string, amountFen: number, ref = `LOCK-${randomUUID().slice(0, 8)}`): Promise<Res & { ref: string }> {
  const code = (await db().callAt(when, 'issue_member_code', {}, { sub: member })).body.token
  const res = await db().callAt(when, 'staff_award_purchase',
    { p_member_code: code, p_amount_fen: amountFen, p_order_ref: ref, p_request_id: randomUUID() }, { sub: staff })
  return { ...res, ref }
}
async function aCampaign(sources: string[], multiplier: number, opts: { cap?: number; budget?: number } = {}): Promise<string> {
  return (await db().admin.query(
    `insert into public.campaigns (name, starts_at, ends_at, multiplier, sources, member_cap_points, budget_points)
     values ('锁序测试活动', $1, $2, $3, $4, $5, $6) returning id`,
    [at(addDays(DAY, -1)), at(addDays(DAY, 30)), multiplier, sources, opts.cap ?? null, opts.budget ?? null])).rows[0].id
}
const endCampaigns = () => db().admin.query(`delete from public.campaigns c where name = '锁序测试活动'
    and not exists (select 1 from public.point_entries e where e.campaign_id = c.id)`)
  .then(() => db().admin.query(`update public.campaigns set ends_at = starts_at + interval '1 second' where name = '锁序测试活动'`))

describe('the lock order checks itself', () => {
  const inOneTransaction = (sql: string, params: unknown[]) => db().sqlAt(at(DAY), sql, params)

  test('no new balance once campaigns are locked', async () => {
    const [a, b] = [await aMember(db()), await aMember(db())]
    await expect(inOneTransaction(
      `select private.lock_balance($1), private.lock_campaigns(array['check_in']), private.lock_balance($1), private.lock_balance($2)`, [a, b]))
      .rejects.toMatchObject({ code: 'XX000', message: expect.stringMatching(/^lock order: balance/) })
    // both balances first, then the campaigns: fine
    await inOneTransaction(`select private.lock_balance($1), private.lock_balance($2), private.lock_campaigns(array['check_in'])`, [a, b])
  })

  test('no campaign that was not locked with the others: not for an award, not for a reversal', async () => {
    const a = await aMember(db())
    const campaign = await aCampaign(['task'], 2)
    try {
      await expect(inOneTransaction(
        `select private.lock_balance($1), private.lock_campaigns(array['purchase']), private.award_points($1, 'task', 10, 'undeclared')`, [a]))
        .rejects.toMatchObject({ code: 'XX000', message: expect.stringMatching(/^lock order: campaigns/) })
      // an award on its own locks its campaigns itself
      const [row] = await inOneTransaction(`select (private.award_points($1, 'task', 10, 'alone')).campaign_points as extra`, [a])
      expect(row.extra).toBe(10)
      const extraEntry = (await db().admin.query(`select id from public.point_entries where member_id = $1 and campaign_id = $2`, [a, campaign])).rows[0].id
      await expect(inOneTransaction(
        `select private.lock_balance($1), private.lock_campaigns(array['purchase']), private.reverse_entry($2)`, [a, extraEntry]))
        .rejects.toMatchObject({ code: 'XX000' })
      await inOneTransaction(`select private.lock_balance($3), private.lock_campaigns('{}', array[$2::uuid]), private.reverse_entry($1)`,
        [extraEntry, campaign, a])
    } finally {
      await endCampaigns()
    }
  })
})

test('a campaign that starts after a write locked its campaigns is not used by that write (and is no error)', async () => {
  const a = await aMember(db())
  const client = new Client({ connectionString: db().url })
  await client.connect()
  try {
    await client.query('begin')
    await client.query(`select set_config('jifen.now', $1, true)`, [new Date(at(DAY)).toISOString()])
    await client.query(`select private.lock_balance($1), private.lock_campaigns(array['task'])`, [a])
    await aCampaign(['task'], 2) // committed by another session meanwhile
    const { rows: [late] } = await client.query(`select (private.award_points($1, 'task', 10, 'late')).campaign_points as extra`, [a])
    expect(late.extra).toBe(0)
    await client.query('commit')
  } finally {
    await client.end()
  }
  const [next] = await db().sqlAt(at(DAY), `select (private.award_points($1, 'task', 10, 'next')).campaign_points as extra`, [a])
  expect(next.extra).toBe(10)
  await endCampaigns()
})

describe('referral qualification', () => {
  test('a bought 补签 never qualifies: only a real check-in after the bind does', async () => {
    const day0 = addDays(DAY, -1)
    const referrer = await aMember(db(), { at: at(day0, '08:00:00') })
    const invitee = await aMember(db(), { at: at(day0, '20:00:00') })
    expect((await db().callAt(at(DAY, '09:00:00'), 'check_in', {}, { sub: invitee })).status).toBe(200)
    expect((await db().callAt(at(DAY, '10:00:00'), 'bind_referrer', { p_invite_code: await inviteCode(referrer) }, { sub: invitee })).status).toBe(200)
    // a check-in before the bind did not qualify; buying yesterday's check-in afterwards does not either
    const makeUp = await db().callAt(at(DAY, '11:00:00'), 'make_up_check_in', { p_date: day0 }, { sub: invitee })
    expect(makeUp.status).toBe(200)
    expect(await referralOf(invitee)).toEqual({ status: 'pending', qualifying_ref: null })
    expect([await referralPoints(invitee), await referralPoints(referrer)]).toEqual([0, 0])
    // the next real check-in does
    expect((await db().callAt(at(addDays(DAY, 1)), 'check_in', {}, { sub: invitee })).status).toBe(200)
    expect(await referralOf(invitee)).toEqual({ status: 'rewarded', qualifying_ref: `check_in:${addDays(DAY, 1)}` })
    expect([await referralPoints(invitee), await referralPoints(referrer)]).toEqual([100, 100])
  })
})

describe('a void takes back everything its purchase paid', () => {
  const claim = (when: string, member: string) => db().callAt(when, 'claim_task', { p_task_code: 'daily_purchase' }, { sub: member })
  const claimsOf = async (member: string) => (await db().admin.query(
    `select seq, points, reversed_at is not null as reversed from public.task_claims where member_id = $1 and task_code = 'daily_purchase' order by seq`, [member])).rows
  const voidIt = (when: string, staff: string, ref: string) =>
    db().callAt(when, 'staff_void_purchase', { p_order_ref: ref, p_reason: '顾客退货退款' }, { sub: staff })

  test('the 今日到店消费 reward its purchase completed; the task can be completed again', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(DAY, '08:00:00') })
    const bought = await award(at(DAY), staff, m, 5000)
    expect((await claim(at(DAY, '10:05:00'), m)).body).toMatchObject({ points: 20, seq: 1 })
    expect(await balanceOf(db(), m)).toBe(100 + 50 + 20)
    const voided = await voidIt(at(DAY, '11:00:00'), staff, bought.ref)
    expect(voided.status).toBe(200)
    expect(voided.body.task_rewards_reversed).toEqual([{ task_code: 'daily_purchase', period_key: `D${DAY}`, points: 20 }])
    expect(await balanceOf(db(), m)).toBe(100)
    expect(await claimsOf(m)).toEqual([{ seq: 1, points: 20, reversed: true }])
    expectError(await claim(at(DAY, '11:05:00'), m), 409, 'task_not_completed')
    // a real purchase later that day completes it again
    await award(at(DAY, '15:00:00'), staff, m, 3000)
    expect((await claim(at(DAY, '15:05:00'), m)).body).toMatchObject({ points: 20, seq: 2 })
    expect(await claimsOf(m)).toEqual([{ seq: 1, points: 20, reversed: true }, { seq: 2, points: 20, reversed: false }])
  })

  test('a reward another purchase still completes stays; a reward already spent makes the void insufficient_points', async () => {
    const staff = await aStaff()
    const m = await aMember(db(), { at: at(DAY, '08:00:00') })
    const first = await award(at(DAY), staff, m, 5000)
    await award(at(DAY, '10:01:00'), staff, m, 5000)
    expect((await claim(at(DAY, '10:05:00'), m)).status).toBe(200)
    expect((await voidIt(at(DAY, '11:00:00'), staff, first.ref)).body.task_rewards_reversed).toEqual([])
    expect(await claimsOf(m)).toEqual([{ seq: 1, points: 20, reversed: false }])

    const other = await aMember(db(), { at: at(DAY, '08:00:00') })
    const bought = await award(at(DAY), staff, other, 5000)
    expect((await claim(at(DAY, '10:05:00'), other)).status).toBe(200)
    await db().sqlAt(at(DAY, '10:30:00'), `select private.spend_points($1, 'redemption', 170, 'spent-all')`, [other])
    expectError(await voidIt(at(DAY, '11:00:00'), staff, bought.ref), 409, 'insufficient_points')
    expect(await claimsOf(other)).toEqual([{ seq: 1, points: 20, reversed: false }])
    expect((await db().admin.query('select status from public.purchases where order_ref = $1', [bought.ref])).rows[0].status).toBe('awarded')
  })
})

describe('campaign fallback: the best campaign that can still pay this member applies', () => {
  afterEach(endCampaigns)
  const extras = async (member: string) => (await db().admin.query(
    `select c.multiplier::float as multiplier, e.amount_points as points from public.point_entries e join public.campaigns c on c.id = e.campaign_id
     where e.member_id = $1 and e.kind = 'earn' order by e.id`, [member])).rows
  const earn = (member: string, ref: string) => db().sqlAt(at(DAY), `select private.award_points($1, 'purchase', 100, $2)`, [member, ref])

  test('when its member cap is used up, the next campaign pays', async () => {
    await aCampaign(['purchase'], 3, { cap: 30 })
    await aCampaign(['purchase'], 2)
    const m = await aMember(db(), { at: at(DAY, '08:00:00') })
    await earn(m, 'p1')
    await earn(m, 'p2')
    expect(await extras(m)).toEqual([{ multiplier: 3, points: 30 }, { multiplier: 2, points: 100 }])
  })

  test('when its budget is used up, the next campaign pays (as before)', async () => {
    await aCampaign(['purchase'], 3, { budget: 50 })
    await aCampaign(['purchase'], 2)
    const m = await aMember(db(), { at: at(DAY, '08:00:00') })
    await earn(m, 'p1')
    await earn(m, 'p2')
    expect(await extras(m)).toEqual([{ multiplier: 3, points: 50 }, { multiplier: 2, points: 100 }])
  })
})

describe('review_tiers decides under the member lock', () => {
  test('a member whose write is in flight is left for the next run, then reviewed on the points as they are', async () => {
    const m = await aMember(db(), { at: '2026-01-05T10:00:00+08:00' })
    await db().sqlAt('2026-01-05T10:00:00+08:00', `select private.award_points($1, 'purchase', 1500, 'old')`, [m]) // silver
    const now = at(DAY) // the 1500 left the 12-month window: silver is no longer earned
    const writer = new Client({ connectionString: db().url })
    await writer.connect()
    try {
      await writer.query('begin')
      await writer.query('select private.lock_balance($1)', [m])
      const review = await db().callAt(now, 'review_tiers', {}, 'service_role')
      expect(review.status).toBe(200)
      const before = (await db().admin.query('select tier_code, downgrade_due_at from public.member_tiers where member_id = $1', [m])).rows[0]
      expect(before).toEqual({ tier_code: 'silver', downgrade_due_at: null }) // untouched: its write is in flight
      // the write earns enough to keep silver; the review then sees it
      await writer.query(`select set_config('jifen.now', $1, true), private.award_points($2, 'purchase', 1200, 'new')`, [new Date(now).toISOString(), m])
      await writer.query('commit')
    } finally {
      await writer.end()
    }
    expect((await db().callAt(now, 'review_tiers', {}, 'service_role')).status).toBe(200)
    expect((await db().admin.query('select tier_code, downgrade_due_at from public.member_tiers where member_id = $1', [m])).rows[0])
      .toEqual({ tier_code: 'silver', downgrade_due_at: null })
  })
})
