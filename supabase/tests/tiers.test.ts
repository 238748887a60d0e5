// The entry tier at registration, immediate upgrades with a once-per-tier bonus,
// qualifying points over the rolling window (never the balance), review_tiers' notice and downgrade.
// review_tiers scans every member, so each test looks only at its own member's row.
import { Pool } from 'pg'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf } from '../../test/factories/members'

const db = useSeededDb()

const asOf = (at: string | null, sql: string, params: unknown[] = [], pool?: Pool) => db().sqlAt(at, sql, params, pool)

const award = (at: string, member: string, points: number, ref: string, pool?: Pool) =>
  asOf(at, `select private.award_points($1, 'purchase', $2, $3)`, [member, points, ref], pool)
const tierOf = async (member: string) =>
  (await db().admin.query('select tier_code, downgrade_due_at from public.member_tiers where member_id = $1', [member])).rows[0] as
    { tier_code: string; downgrade_due_at: Date | null }
const bonusesOf = async (member: string) =>
  (await db().admin.query(
    `select ref, amount_points from public.point_entries where member_id = $1 and source = 'tier_upgrade' order by id`, [member])).rows
const qualifying = async (at: string, member: string) =>
  (await asOf(at, 'select private.qualifying_points($1) as n', [member]))[0].n as number
const review = async (at: string) => {
  const res = await db().callAt(at, 'review_tiers', {}, 'service_role')
  expect(res.status).toBe(200)
  return res.body
}
const iso = (at: string) => new Date(at).toISOString()

test('a new member starts at the entry tier and reads it', async () => {
  const member = await aMember(db())
  expect(await tierOf(member)).toEqual({ tier_code: 'basic', downgrade_due_at: null })
  expect((await db().read('member_tiers', 'select=tier_code', { sub: member })).body).toEqual([{ tier_code: 'basic' }])
  expect((await db().read('member_tiers', 'select=tier_code', 'anon')).status).toBe(401)
})

test('crossing 1000 upgrades to silver at once with the 1000 bonus, which does not count toward tiers', async () => {
  const at = '2025-03-01T10:00:00+08:00'
  const member = await aMember(db(), { at })
  await award(at, member, 899, 'a')
  expect((await tierOf(member)).tier_code).toBe('basic')
  await award(at, member, 1, 'b')
  expect((await tierOf(member)).tier_code).toBe('silver')
  expect(await bonusesOf(member)).toEqual([{ ref: 'tier:silver', amount_points: 1000 }])
  expect(await balanceOf(db(), member)).toBe(2000)
  expect(await qualifying(at, member)).toBe(1000)
  await award(at, member, 3999, 'c') // 4999 qualifying, 5999 earned in all
  expect((await tierOf(member)).tier_code).toBe('silver')
  await award(at, member, 1, 'd')
  expect((await tierOf(member)).tier_code).toBe('gold')
  expect(await bonusesOf(member)).toEqual([{ ref: 'tier:silver', amount_points: 1000 }, { ref: 'tier:gold', amount_points: 1000 }])
})

test('a jump from basic to gold pays one bonus, for gold', async () => {
  const at = '2025-03-01T10:00:00+08:00'
  const member = await aMember(db(), { at })
  await award(at, member, 4900, 'big')
  expect((await tierOf(member)).tier_code).toBe('gold')
  expect(await bonusesOf(member)).toEqual([{ ref: 'tier:gold', amount_points: 1000 }])
  expect(await balanceOf(db(), member)).toBe(6000)
})

test('qualifying points are those earned in the rolling 12 months', async () => {
  const member = await aMember(db(), { at: '2024-06-01T10:00:00+08:00' })
  await award('2024-06-01T10:00:00+08:00', member, 850, 'old') // 950 with the registration bonus
  await award('2025-07-02T10:00:00+08:00', member, 100, 'new') // 13 months later: only these 100 count
  expect((await tierOf(member)).tier_code).toBe('basic')
  expect(await qualifying('2025-07-02T10:00:00+08:00', member)).toBe(100)

  const recent = await aMember(db(), { at: '2024-06-01T10:00:00+08:00' })
  await award('2024-06-01T10:00:00+08:00', recent, 850, 'old')
  await award('2025-05-01T10:00:00+08:00', recent, 100, 'new') // 11 months later: 1050
  expect((await tierOf(recent)).tier_code).toBe('silver')
})

test('spending never lowers the tier: it is earned points, not the balance', async () => {
  const at = '2025-03-01T10:00:00+08:00'
  const member = await aMember(db(), { at })
  await award(at, member, 900, 'a')
  await asOf(at, `select private.spend_points($1, 'redemption', 1900, 'r')`, [member])
  expect(await balanceOf(db(), member)).toBe(100)
  await review('2025-03-02T10:00:00+08:00')
  expect(await tierOf(member)).toEqual({ tier_code: 'silver', downgrade_due_at: null })
})

test('review: notice with 30 days grace, no change before the date, downgrade at a review after it', async () => {
  const member = await aMember(db(), { at: '2024-01-10T10:00:00+08:00' })
  await award('2024-01-10T10:00:00+08:00', member, 900, 'a')
  expect((await tierOf(member)).tier_code).toBe('silver')
  await review('2025-01-09T10:00:00+08:00') // still inside the window
  expect(await tierOf(member)).toEqual({ tier_code: 'silver', downgrade_due_at: null })

  const counts = await review('2025-01-11T10:00:00+08:00')
  expect(counts).toEqual({ noticed: expect.any(Number), downgraded: expect.any(Number), cleared: expect.any(Number) })
  expect(counts.noticed).toBeGreaterThanOrEqual(1)
  const due = iso('2025-02-10T10:00:00+08:00')
  expect(await tierOf(member)).toEqual({ tier_code: 'silver', downgrade_due_at: new Date(due) })
  await review('2025-01-20T10:00:00+08:00') // a later review keeps the first notice
  await review('2025-02-10T09:59:59+08:00')
  expect(await tierOf(member)).toEqual({ tier_code: 'silver', downgrade_due_at: new Date(due) })

  await review('2025-02-11T10:00:00+08:00')
  expect(await tierOf(member)).toEqual({ tier_code: 'basic', downgrade_due_at: null })
  expect(await bonusesOf(member)).toHaveLength(1)
})

test('each member is reviewed once per business day, except a notice falling due later that day', async () => {
  const member = await aMember(db(), { at: '2023-01-10T10:00:00+08:00' })
  await award('2023-01-10T10:00:00+08:00', member, 900, 'a')
  const reviewedAt = async () =>
    (await db().admin.query('select reviewed_at from public.member_tiers where member_id = $1', [member])).rows[0].reviewed_at
  await review('2024-01-11T10:00:00+08:00') // notice, due 2024-02-10 10:00
  await review('2024-02-10T08:00:00+08:00')
  expect(await reviewedAt()).toEqual(new Date('2024-02-10T08:00:00+08:00'))
  await review('2024-02-10T09:00:00+08:00') // same business day, not due: skipped
  expect(await reviewedAt()).toEqual(new Date('2024-02-10T08:00:00+08:00'))
  await review('2024-02-10T10:30:00+08:00') // due now: reviewed again the same day
  expect(await tierOf(member)).toEqual({ tier_code: 'basic', downgrade_due_at: null })
})

test('earning back before the date cancels the notice', async () => {
  const member = await aMember(db(), { at: '2024-01-10T10:00:00+08:00' })
  await award('2024-01-10T10:00:00+08:00', member, 900, 'a')
  await review('2025-01-11T10:00:00+08:00')
  expect((await tierOf(member)).downgrade_due_at).not.toBeNull()
  await award('2025-01-20T10:00:00+08:00', member, 999, 'b')
  expect(await tierOf(member)).toEqual({ tier_code: 'silver', downgrade_due_at: expect.any(Date) }) // 999 < 1000
  await award('2025-01-21T10:00:00+08:00', member, 1, 'c')
  expect(await tierOf(member)).toEqual({ tier_code: 'silver', downgrade_due_at: null })
  await review('2025-02-15T10:00:00+08:00')
  expect(await tierOf(member)).toEqual({ tier_code: 'silver', downgrade_due_at: null })
  expect(await bonusesOf(member)).toHaveLength(1)
})

test('re-reaching a tier held before pays no bonus again', async () => {
  const member = await aMember(db(), { at: '2023-01-10T10:00:00+08:00' })
  await award('2023-01-10T10:00:00+08:00', member, 900, 'a')
  await review('2024-01-11T10:00:00+08:00')
  await review('2024-02-11T10:00:00+08:00')
  expect((await tierOf(member)).tier_code).toBe('basic')
  await award('2024-02-12T10:00:00+08:00', member, 1000, 'b')
  expect((await tierOf(member)).tier_code).toBe('silver')
  expect(await bonusesOf(member)).toEqual([{ ref: 'tier:silver', amount_points: 1000 }])
})

test('re-reaching a tier after its bonus was changed still pays nothing (and does not fail the award)', async () => {
  const member = await aMember(db(), { at: '2023-01-10T10:00:00+08:00' })
  await award('2023-01-10T10:00:00+08:00', member, 900, 'a')
  await review('2024-01-11T10:00:00+08:00')
  await review('2024-02-11T10:00:00+08:00')
  await db().admin.query(`update public.tiers set upgrade_bonus_points = 500 where code = 'silver'`)
  try {
    await award('2024-02-12T10:00:00+08:00', member, 1000, 'b')
  } finally {
    await db().admin.query(`update public.tiers set upgrade_bonus_points = 1000 where code = 'silver'`)
  }
  expect((await tierOf(member)).tier_code).toBe('silver')
  expect(await bonusesOf(member)).toEqual([{ ref: 'tier:silver', amount_points: 1000 }])
})

test('a review is not disturbed by reversals that leave the window negative', async () => {
  // earned at T0, reversed just after it left the window (12 months later, before its lot expires at the end
  // of that day): the window then holds the reversal but not the earn, so qualifying points go below 0
  const member = await aMember(db(), { at: '2023-01-10T10:00:00+08:00' })
  const [{ id: old }] = await asOf('2023-01-10T10:00:00+08:00', `select entry_id as id from private.award_points($1, 'purchase', 500, 'old')`, [member])
  await award('2023-12-10T10:00:00+08:00', member, 500, 'new') // 1100 in the window: silver
  expect((await tierOf(member)).tier_code).toBe('silver')
  await asOf('2024-01-10T12:00:00+08:00', 'select private.reverse_entry($1)', [old])
  expect(await qualifying('2024-01-10T12:00:00+08:00', member)).toBe(0)
  await asOf('2024-01-10T13:00:00+08:00', `select private.reverse_entry(id) from public.point_entries where member_id = $1 and source = 'registration'`, [member])
  expect(await qualifying('2024-01-10T13:00:00+08:00', member)).toBeLessThan(0)
  await review('2024-01-27T10:00:00+08:00')
  await review('2024-02-27T10:00:00+08:00')
  expect((await tierOf(member)).tier_code).toBe('basic')
})

test('review_tiers is for the scheduler only', async () => {
  const member = await aMember(db())
  const asMember = await db().call('review_tiers', {}, { sub: member })
  expect(asMember.status).toBe(403)
  expect((await db().call('review_tiers', {}, 'anon')).status).toBe(401)
  expect((await db().call('review_tiers', {}, 'service_role')).status).toBe(200)
})

test('20 parallel awards across the threshold pay exactly one upgrade bonus', async () => {
  const at = '2025-03-01T10:00:00+08:00'
  const member = await aMember(db(), { at })
  const pool = new Pool({ connectionString: db().url, max: 20 })
  try {
    await Promise.all(Array.from({ length: 20 }, (_, i) => award(at, member, 50, `p${i}`, pool)))
  } finally {
    await pool.end()
  }
  expect((await tierOf(member)).tier_code).toBe('silver')
  expect(await bonusesOf(member)).toEqual([{ ref: 'tier:silver', amount_points: 1000 }])
  expect(await balanceOf(db(), member)).toBe(100 + 1000 + 1000)
})

test('purchase points: ¥1 = 1 point (fen floored), times the tier multiplier, floored', async () => {
  const member = await aMember(db(), { at: '2025-05-01T10:00:00+08:00' })
  const points = async (fen: number) =>
    (await db().admin.query('select private.purchase_points($1, $2) as n', [member, fen])).rows[0].n as number
  expect([await points(0), await points(99), await points(100), await points(12_345)]).toEqual([0, 0, 1, 123])
  for (const [tier, expected] of [['silver', 147], ['gold', 184], ['platinum', 246]] as const) {
    await db().admin.query('update public.member_tiers set tier_code = $2 where member_id = $1', [member, tier])
    expect(await points(12_345)).toBe(expected) // 123 × 1.2 = 147.6, × 1.5 = 184.5, × 2 = 246
  }
})
