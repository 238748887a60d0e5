// SPEC §2's ledger invariants as one query, for the tests (test/support/db.ts expectLedgerInvariants) and the
// soak (stack/soak): for every member, balance = sum(entries) = sum(lot remaining) and balance >= 0, and each
// lot's remaining = earned - what its usages took.

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>
}

const LEDGER_INVARIANTS_SQL = `
  with m as (select id from public.members),
  b as (select member_id, balance_points from public.point_balances),
  e as (select member_id, sum(amount_points)::int as s from public.point_entries group by 1),
  l as (select member_id, sum(remaining_points)::int as s from public.point_lots group by 1)
  select m.id, coalesce(b.balance_points, 0) as balance, coalesce(e.s, 0) as entries, coalesce(l.s, 0) as lots
  from m left join b on b.member_id = m.id left join e on e.member_id = m.id left join l on l.member_id = m.id
  where coalesce(b.balance_points, 0) <> coalesce(e.s, 0) or coalesce(b.balance_points, 0) <> coalesce(l.s, 0)
     or coalesce(b.balance_points, 0) < 0
  union all
  select l.member_id, l.id, l.earned_points, l.remaining_points from public.point_lots l
  where l.remaining_points <> l.earned_points - (select coalesce(sum(u.points), 0) from public.point_lot_usages u where u.lot_id = l.id)`

/** The rows that break an invariant (none when the ledger is sound). */
export async function ledgerInvariantViolations(db: Queryable): Promise<unknown[]> {
  return (await db.query(LEDGER_INVARIANTS_SQL)).rows
}

// The report rollups (supabase/schemas/report_rollups.sql) = the tables they count, computed from scratch:
// points by business day and source, check-ins and make-ups by day, redemptions by day and item (status as
// of now), lots' remaining points by expiry instant, members with a positive balance. One row per key where
// they differ: which rollup, the key, what the rollup holds and what the tables say (null: no row).
const ROLLUP_INVARIANTS_SQL = `
  with rp as (
    select business_date, source, sum(earned_points) as earned, sum(earn_reversed_points) as earn_reversed,
           sum(spent_points) as spent, sum(spend_reversed_points) as spend_reversed, sum(expired_points) as expired,
           sum(net_points) as net
    from private.rollup_points_daily group by 1, 2
  ), ep as (
    select business_date, source,
           coalesce(sum(amount_points) filter (where kind = 'earn'), 0) as earned,
           coalesce(-sum(amount_points) filter (where kind = 'reverse' and amount_points < 0), 0) as earn_reversed,
           coalesce(-sum(amount_points) filter (where kind = 'spend'), 0) as spent,
           coalesce(sum(amount_points) filter (where kind = 'reverse' and amount_points > 0), 0) as spend_reversed,
           coalesce(-sum(amount_points) filter (where kind = 'expire'), 0) as expired,
           sum(amount_points) as net
    from public.point_entries group by 1, 2
  ), rc as (
    select business_date, sum(checked_in_members) as checked_in, sum(make_ups) as make_ups
    from private.rollup_check_ins_daily group by 1 having sum(checked_in_members) <> 0 or sum(make_ups) <> 0
  ), cc as (
    select coalesce(made_up_on, check_in_date) as business_date, count(*) filter (where not made_up) as checked_in,
           count(*) filter (where made_up) as make_ups
    from public.check_ins group by 1
  ), rr as (
    select business_date, item_id, sum(redemptions) as redemptions, sum(points_spent) as points_spent,
           sum(verified) as verified, sum(cancelled) as cancelled
    from private.rollup_redemptions_daily group by 1, 2
    having sum(redemptions) <> 0 or sum(points_spent) <> 0 or sum(verified) <> 0 or sum(cancelled) <> 0
  ), mr as (
    select private.business_date(created_at) as business_date, item_id,
           count(*) filter (where status <> 'cancelled') as redemptions,
           coalesce(sum(cost_points) filter (where status <> 'cancelled'), 0) as points_spent,
           count(*) filter (where status = 'verified') as verified, count(*) filter (where status = 'cancelled') as cancelled
    from public.redemptions group by 1, 2
  ), rl as (
    select expires_at, sum(remaining_points) as remaining from private.rollup_lots group by 1 having sum(remaining_points) <> 0
  ), ll as (
    select expires_at, sum(remaining_points) as remaining from public.point_lots where remaining_points > 0 group by 1
  )
  select 'points' as rollup, concat_ws(' ', coalesce(rp.business_date, ep.business_date), coalesce(rp.source, ep.source)) as key,
         to_jsonb(rp) as rollup_row, to_jsonb(ep) as table_row
  from rp full join ep on ep.business_date = rp.business_date and ep.source = rp.source
  where (rp.earned, rp.earn_reversed, rp.spent, rp.spend_reversed, rp.expired, rp.net)
        is distinct from (ep.earned, ep.earn_reversed, ep.spent, ep.spend_reversed, ep.expired, ep.net)
  union all
  select 'check_ins', coalesce(rc.business_date, cc.business_date)::text, to_jsonb(rc), to_jsonb(cc)
  from rc full join cc on cc.business_date = rc.business_date
  where (rc.checked_in, rc.make_ups) is distinct from (cc.checked_in, cc.make_ups)
  union all
  select 'redemptions', concat_ws(' ', coalesce(rr.business_date, mr.business_date), coalesce(rr.item_id, mr.item_id)), to_jsonb(rr), to_jsonb(mr)
  from rr full join mr on mr.business_date = rr.business_date and mr.item_id = rr.item_id
  where (rr.redemptions, rr.points_spent, rr.verified, rr.cancelled) is distinct from (mr.redemptions, mr.points_spent, mr.verified, mr.cancelled)
  union all
  select 'lots', coalesce(rl.expires_at, ll.expires_at)::text, to_jsonb(rl), to_jsonb(ll)
  from rl full join ll on ll.expires_at = rl.expires_at
  where rl.remaining is distinct from ll.remaining
  union all
  select 'balances', 'members_with_balance', to_jsonb(r), to_jsonb(b)
  from (select coalesce(sum(members_with_balance), 0) as n from private.rollup_balances) r,
       (select count(*) as n from public.point_balances where balance_points > 0) b
  where r.n <> b.n`

/** The keys where a report rollup disagrees with the tables it counts (none when they agree). */
export async function rollupViolations(db: Queryable): Promise<unknown[]> {
  return (await db.query(ROLLUP_INVARIANTS_SQL)).rows
}
