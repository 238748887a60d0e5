// Migration create_campaigns (applied by private.award_points in create_ledger): a multiplier on chosen
// sources inside [starts_at, ends_at), the extra points as their own 'campaign' entry, the best campaign
// wins, the per-member cap and the global budget (also under concurrency), reversals give budget back.
// Campaigns are global, so every test uses its own time window.
import { Pool } from 'pg'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf } from '../../test/factories/members'

const db = useSeededDb()

const asOf = (at: string | null, sql: string, params: unknown[] = [], pool?: Pool) => db().sqlAt(at, sql, params, pool)

/** award_points → { entry: base entry id, extra: campaign points } */
const award = async (at: string, member: string, source: string, points: number, ref: string, pool?: Pool) => {
  const [row] = await asOf(at, 'select * from private.award_points($1, $2, $3, $4)', [member, source, points, ref], pool)
  return { entry: Number(row.entry_id), extra: row.campaign_points as number }
}

const aCampaign = async (c: { starts_at: string; ends_at: string; multiplier: number; sources: string[]; member_cap_points?: number; budget_points?: number }) =>
  (await db().admin.query(
    `insert into public.campaigns (name, starts_at, ends_at, multiplier, sources, member_cap_points, budget_points)
     values ('会员日', $1, $2, $3, $4, $5, $6) returning id`,
    [c.starts_at, c.ends_at, c.multiplier, c.sources, c.member_cap_points ?? null, c.budget_points ?? null])).rows[0].id as string

const campaignEntries = async (campaignId: string) =>
  (await db().admin.query(
    `select coalesce(sum(amount_points), 0)::int as total, count(*) filter (where kind = 'earn')::int as earns
     from public.point_entries where campaign_id = $1`, [campaignId])).rows[0] as { total: number; earns: number }
const awardedOf = async (campaignId: string) =>
  (await db().admin.query('select awarded_points from public.campaigns where id = $1', [campaignId])).rows[0].awarded_points as number

test('the multiplier applies to the listed sources only, inside [starts_at, ends_at)', async () => {
  const campaign = await aCampaign({ starts_at: '2025-03-08T00:00:00+08:00', ends_at: '2025-03-09T00:00:00+08:00', multiplier: 2, sources: ['purchase'] })
  const member = await aMember(db(), { at: '2025-03-01T10:00:00+08:00' })
  const cases: [string, string, number][] = [
    ['2025-03-07T23:59:59.999999+08:00', 'purchase', 0],
    ['2025-03-08T00:00:00+08:00', 'purchase', 100],
    ['2025-03-08T12:00:00+08:00', 'check_in', 0],
    ['2025-03-08T23:59:59.999999+08:00', 'purchase', 100],
    ['2025-03-09T00:00:00+08:00', 'purchase', 0],
  ]
  for (const [i, [at, source, extra]] of cases.entries()) {
    expect([at, source, (await award(at, member, source, 100, `o${i}`)).extra]).toEqual([at, source, extra])
  }
  expect(await campaignEntries(campaign)).toEqual({ total: 200, earns: 2 })
  expect(await awardedOf(campaign)).toBe(200)
  expect(await balanceOf(db(), member)).toBe(100 + 500 + 200)
})

test('the extra is a campaign entry referencing the base entry, with a lot like the base lot', async () => {
  const campaign = await aCampaign({ starts_at: '2025-04-01T00:00:00+08:00', ends_at: '2025-04-02T00:00:00+08:00', multiplier: 1.5, sources: ['purchase', 'task'] })
  const member = await aMember(db(), { at: '2025-03-01T10:00:00+08:00' })
  const at = '2025-04-01T20:00:00+08:00'
  const { entry, extra } = await award(at, member, 'purchase', 15, 'odd') // 15 × 0.5 = 7.5 → 7
  expect(extra).toBe(7)
  const { rows } = await db().admin.query(
    `select e.kind, e.source, e.ref, e.amount_points, e.campaign_id, l.earned_points, l.available_at, l.expires_at
     from public.point_entries e join public.point_lots l on l.entry_id = e.id
     where e.member_id = $1 and e.created_at = $2 order by e.id`, [member, at])
  expect(rows).toHaveLength(2)
  expect(rows[1]).toMatchObject({ kind: 'earn', source: 'campaign', ref: `entry:${entry}`, amount_points: 7, campaign_id: campaign, earned_points: 7 })
  expect([rows[1].available_at, rows[1].expires_at]).toEqual([rows[0].available_at, rows[0].expires_at])
  // a retry of the base award returns the same entry and the same extra, and pays nothing again
  expect(await award(at, member, 'purchase', 15, 'odd')).toEqual({ entry, extra: 7 })
  expect(await balanceOf(db(), member)).toBe(100 + 15 + 7)
})

test('when two campaigns run, the best multiplier wins', async () => {
  const window = { starts_at: '2025-05-01T00:00:00+08:00', ends_at: '2025-05-02T00:00:00+08:00' }
  await aCampaign({ ...window, multiplier: 1.5, sources: ['purchase'] })
  const best = await aCampaign({ ...window, multiplier: 3, sources: ['purchase'] })
  await aCampaign({ ...window, multiplier: 2, sources: ['purchase'] })
  const member = await aMember(db(), { at: '2025-04-01T10:00:00+08:00' })
  expect((await award('2025-05-01T12:00:00+08:00', member, 'purchase', 100, 'p')).extra).toBe(200)
  expect(await campaignEntries(best)).toEqual({ total: 200, earns: 1 })
})

test('the per-member cap pays a partial extra up to the cap, then nothing; other members are not affected', async () => {
  const campaign = await aCampaign({
    starts_at: '2025-06-01T00:00:00+08:00', ends_at: '2025-06-02T00:00:00+08:00', multiplier: 2, sources: ['purchase'], member_cap_points: 150,
  })
  const at = '2025-06-01T12:00:00+08:00'
  const member = await aMember(db(), { at: '2025-05-01T10:00:00+08:00' })
  const extras = []
  for (const ref of ['a', 'b', 'c']) extras.push((await award(at, member, 'purchase', 100, ref)).extra)
  expect(extras).toEqual([100, 50, 0])
  const other = await aMember(db(), { at: '2025-05-01T10:00:00+08:00' })
  expect((await award(at, other, 'purchase', 100, 'a')).extra).toBe(100)
  expect(await campaignEntries(campaign)).toEqual({ total: 250, earns: 3 })
  expect(await balanceOf(db(), member)).toBe(100 + 300 + 150)
})

test('the global budget is never exceeded under 30 parallel awards by different members', async () => {
  const campaign = await aCampaign({
    starts_at: '2025-07-01T00:00:00+08:00', ends_at: '2025-07-02T00:00:00+08:00', multiplier: 2, sources: ['purchase'], budget_points: 1000,
  })
  const members = await Promise.all(Array.from({ length: 30 }, () => aMember(db(), { at: '2025-06-01T10:00:00+08:00' })))
  const pool = new Pool({ connectionString: db().url, max: 30 })
  try {
    const results = await Promise.all(members.map((m) => award('2025-07-01T12:00:00+08:00', m, 'purchase', 70, 'p', pool)))
    const extras = results.map((r) => r.extra).sort((a, b) => b - a)
    expect(extras.slice(0, 15)).toEqual([...Array(14).fill(70), 20]) // 14 × 70 + 20 = 1000
    expect(extras.slice(15)).toEqual(Array(15).fill(0))
  } finally {
    await pool.end()
  }
  expect(await campaignEntries(campaign)).toEqual({ total: 1000, earns: 15 })
  expect(await awardedOf(campaign)).toBe(1000)
})

test('reversing the base entry reverses the extra and gives it back to the budget', async () => {
  const campaign = await aCampaign({
    starts_at: '2025-08-01T00:00:00+08:00', ends_at: '2025-08-02T00:00:00+08:00', multiplier: 2, sources: ['purchase'],
    budget_points: 500, member_cap_points: 100,
  })
  const at = '2025-08-01T12:00:00+08:00'
  const member = await aMember(db(), { at: '2025-07-01T10:00:00+08:00' })
  const { entry, extra } = await award(at, member, 'purchase', 100, 'order-9')
  expect([extra, await awardedOf(campaign)]).toEqual([100, 100])
  await asOf(at, 'select private.reverse_entry($1)', [entry])
  const { rows } = await db().admin.query(
    `select r.source, r.amount_points, r.campaign_id from public.point_entries r join public.point_entries o on o.id = r.reverses_entry_id
     where o.member_id = $1 order by r.id`, [member])
  expect(rows).toEqual([
    { source: 'purchase', amount_points: -100, campaign_id: null },
    { source: 'campaign', amount_points: -100, campaign_id: campaign },
  ])
  expect(await awardedOf(campaign)).toBe(0)
  expect(await campaignEntries(campaign)).toEqual({ total: 0, earns: 1 })
  expect(await balanceOf(db(), member)).toBe(100)
  // the member cap counts what the member keeps: the next purchase gets the full extra again
  expect((await award(at, member, 'purchase', 100, 'order-10')).extra).toBe(100)
  expect(await awardedOf(campaign)).toBe(100)
})

test('a base reversal that cannot also take back the extra is insufficient_points and changes nothing', async () => {
  const campaign = await aCampaign({ starts_at: '2025-09-01T00:00:00+08:00', ends_at: '2025-09-02T00:00:00+08:00', multiplier: 2, sources: ['purchase'] })
  const at = '2025-09-01T12:00:00+08:00'
  const member = await aMember(db(), { at: '2025-08-01T10:00:00+08:00' })
  const { entry } = await award(at, member, 'purchase', 100, 'p') // 100 + 100 + 100 extra
  await asOf(at, `select private.spend_points($1, 'redemption', 150, 'r')`, [member]) // 150 left: covers the base, not base + extra
  await expect(asOf(at, 'select private.reverse_entry($1)', [entry])).rejects.toMatchObject({ code: 'PT409', message: 'insufficient_points' })
  expect(await balanceOf(db(), member)).toBe(150)
  expect(await awardedOf(campaign)).toBe(100)
})

test('bad campaigns are rejected', async () => {
  const window = { starts_at: '2025-10-01T00:00:00+08:00', ends_at: '2025-10-02T00:00:00+08:00' }
  for (const c of [
    { ...window, multiplier: 1, sources: ['purchase'] },
    { ...window, multiplier: 2, sources: [] },
    { ...window, multiplier: 2, sources: ['tier_upgrade'] },
    { ...window, multiplier: 2, sources: ['campaign'] },
    { ...window, multiplier: 2, sources: ['purchase'], budget_points: 0 },
    { ...window, multiplier: 2, sources: ['purchase'], member_cap_points: -1 },
    { starts_at: window.ends_at, ends_at: window.starts_at, multiplier: 2, sources: ['purchase'] },
  ]) {
    await expect(aCampaign(c)).rejects.toMatchObject({ code: '23514' })
  }
  expect((await db().read('campaigns', 'select=id', 'anon')).status).toBe(200)
  await expect(db().sqlAs('service_role', `update public.campaigns set awarded_points = 0`)).rejects.toThrow(/permission denied/)
})
