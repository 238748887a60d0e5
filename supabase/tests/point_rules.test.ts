// The SPEC §1 defaults as data (point_rules, tiers, check-in streak bonuses),
// the constraints that keep the configuration sane, and who may read it.
import { useSeededDb } from '../../test/support/db'

const db = useSeededDb()

test('point_rules defaults are the rules of SPEC §1', async () => {
  const { rows } = await db().admin.query('select * from public.point_rules')
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({
    registration_bonus_points: 100,
    birthday_bonus_points: 500,
    birthday_min_notice_days: 30,
    birthday_edit_interval_days: 365,
    purchase_fen_per_point: 100, // 1 point per ¥1
    purchase_hold_days: 0,
    check_in_points: 5,
    check_in_cycle_days: 7,
    make_up_window_days: 7,
    make_up_monthly_limit: 2,
    make_up_cost_points: 20,
    task_daily_max_rewards: 15,
    task_daily_max_points: 100,
    referral_bonus_points: 100,
    referral_daily_max_rewards: 10,
    referral_qualifying_action: 'first_check_in_after_phone',
    lot_validity_months: 12,
    tier_window_months: 12,
    tier_grace_days: 30,
    expiry_reminder_days: [30, 7],
  })
  const bonuses = await db().admin.query('select cycle_day, bonus_points from public.check_in_streak_bonuses order by cycle_day')
  expect(bonuses.rows).toEqual([{ cycle_day: 3, bonus_points: 10 }, { cycle_day: 7, bonus_points: 30 }])
})

test('the tier ladder defaults are the tiers of SPEC §1', async () => {
  const { rows } = await db().admin.query('select code, rank, min_earned_points, multiplier::float8 as multiplier, upgrade_bonus_points from public.tiers order by rank')
  expect(rows).toEqual([
    { code: 'basic', rank: 0, min_earned_points: 0, multiplier: 1.0, upgrade_bonus_points: 0 },
    { code: 'silver', rank: 1, min_earned_points: 1000, multiplier: 1.2, upgrade_bonus_points: 1000 },
    { code: 'gold', rank: 2, min_earned_points: 5000, multiplier: 1.5, upgrade_bonus_points: 1000 },
    { code: 'platinum', rank: 3, min_earned_points: 20000, multiplier: 2.0, upgrade_bonus_points: 1000 },
  ])
})

test('constraints reject bad configuration', async () => {
  const bad = [
    'insert into public.point_rules default values', // a second rules row
    'insert into public.point_rules (id) values (false)',
    'update public.point_rules set registration_bonus_points = -1',
    'update public.point_rules set check_in_points = 0',
    'update public.point_rules set make_up_cost_points = -20',
    'update public.point_rules set task_daily_max_points = -1',
    'update public.point_rules set purchase_fen_per_point = 0',
    'update public.point_rules set purchase_hold_days = -1',
    'update public.point_rules set check_in_cycle_days = 0',
    'update public.point_rules set lot_validity_months = 0',
    'update public.point_rules set tier_grace_days = -1',
    `update public.point_rules set referral_qualifying_action = 'share_tap'`,
    `update public.tiers set min_earned_points = 10 where code = 'basic'`, // the rank 0 tier starts at 0
    `update public.tiers set min_earned_points = 0 where code = 'silver'`, // only rank 0 starts at 0
    `update public.tiers set min_earned_points = 1000 where code = 'gold'`, // thresholds are unique
    `update public.tiers set multiplier = 0.9 where code = 'silver'`,
    `update public.tiers set upgrade_bonus_points = -1 where code = 'gold'`,
    `update public.tiers set rank = -1 where code = 'platinum'`,
    `insert into public.tiers (code, name, rank, min_earned_points, multiplier) values ('Diamond', '钻石', 4, 50000, 3)`,
    'insert into public.check_in_streak_bonuses (cycle_day, bonus_points) values (5, 0)',
    'insert into public.check_in_streak_bonuses (cycle_day, bonus_points) values (32, 5)',
  ]
  for (const sql of bad) {
    await expect(db().admin.query(sql).then(() => sql)).rejects.toMatchObject({ code: expect.stringMatching(/^23/) })
  }
  const { rows } = await db().admin.query('select (select count(*) from public.point_rules)::int as rules, (select count(*) from public.tiers)::int as tiers')
  expect(rows[0]).toEqual({ rules: 1, tiers: 4 })
})

test('everyone reads the rules, the tiers and the streak bonuses; nobody writes them through the API', async () => {
  for (const caller of ['anon', 'service_role'] as const) {
    const rules = await db().read('point_rules', 'select=registration_bonus_points,check_in_points', caller)
    expect([rules.status, rules.body]).toEqual([200, [{ registration_bonus_points: 100, check_in_points: 5 }]])
    const tiers = await db().read('tiers', 'select=code,min_earned_points&order=rank', caller)
    expect(tiers.body.map((t: { code: string }) => t.code)).toEqual(['basic', 'silver', 'gold', 'platinum'])
    const bonuses = await db().read('check_in_streak_bonuses', 'select=cycle_day', caller)
    expect(bonuses.body).toHaveLength(2)
  }
  for (const caller of ['anon', 'service_role'] as const) {
    for (const sql of [
      'update public.point_rules set check_in_points = 500',
      `update public.tiers set multiplier = 9`,
      'delete from public.check_in_streak_bonuses',
    ]) {
      await expect(db().sqlAs(caller, sql)).rejects.toThrow(/permission denied/)
    }
  }
})
