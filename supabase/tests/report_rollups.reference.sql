-- The operator reports computed from scratch over the ledger (the definitions before the rollups, issue 18),
-- in schema `reference`: the oracle of report_rollups.test.ts. Loaded by that test only, never migrated.
create schema if not exists reference;

create or replace function reference.report_points_daily(p_from date, p_to date) returns public.report_points_daily_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_total bigint;
  v_after bigint;
begin
  perform private.check_report_range(p_from, p_to);
  -- everything ever written (ledger invariant: sum of balances = sum of entries) and what came after the range
  select coalesce(sum(b.balance_points), 0) into v_total from public.point_balances b;
  select coalesce(sum(e.amount_points), 0) into v_after from public.point_entries e where e.business_date > p_to;

  return json_populate_record(null::public.report_points_daily_result, (
    with per_source as (
      select e.business_date as day, e.source,
             coalesce(sum(e.amount_points) filter (where e.kind = 'earn'), 0) as earned,
             coalesce(-sum(e.amount_points) filter (where e.kind = 'reverse' and e.amount_points < 0), 0) as earn_reversed,
             coalesce(-sum(e.amount_points) filter (where e.kind = 'spend'), 0) as spent,
             coalesce(sum(e.amount_points) filter (where e.kind = 'reverse' and e.amount_points > 0), 0) as spend_reversed,
             coalesce(-sum(e.amount_points) filter (where e.kind = 'expire'), 0) as expired,
             sum(e.amount_points) as net
      from public.point_entries e
      where e.business_date between p_from and p_to
      group by e.business_date, e.source
    ), per_day as (
      select s.day, sum(s.earned) as earned, sum(s.earn_reversed) as earn_reversed, sum(s.spent) as spent,
             sum(s.spend_reversed) as spend_reversed, sum(s.expired) as expired, sum(s.net) as net,
             json_agg(json_build_object(
               'source', s.source,
               'earned_points', s.earned,
               'earn_reversed_points', s.earn_reversed,
               'spent_points', s.spent,
               'spend_reversed_points', s.spend_reversed,
               'expired_points', s.expired
             ) order by s.source) as sources
      from per_source s
      group by s.day
    ), days as (
      select g.day::date as day,
             coalesce(d.earned, 0) as earned, coalesce(d.earn_reversed, 0) as earn_reversed,
             coalesce(d.spent, 0) as spent, coalesce(d.spend_reversed, 0) as spend_reversed,
             coalesce(d.expired, 0) as expired, coalesce(d.net, 0) as net,
             coalesce(d.sources, '[]'::json) as sources
      from generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') g(day)
      left join per_day d on d.day = g.day::date
    ), running as (
      -- outstanding(d) = total - after the range - what the range wrote after d
      select x.*, v_total - v_after - (sum(x.net) over ()) + sum(x.net) over (order by x.day) as outstanding
      from days x
    )
    select json_build_object(
      'from', p_from,
      'to', p_to,
      'days', json_agg(json_build_object(
        'date', r.day,
        'earned_points', r.earned,
        'earn_reversed_points', r.earn_reversed,
        'issued_points', r.earned - r.earn_reversed,
        'spent_points', r.spent,
        'spend_reversed_points', r.spend_reversed,
        'net_spent_points', r.spent - r.spend_reversed,
        'expired_points', r.expired,
        'net_points', r.net,
        'outstanding_points', r.outstanding,
        'sources', r.sources
      ) order by r.day))
    from running r
  ));
end
$$;

create or replace function reference.report_summary(p_from date, p_to date) returns public.report_summary_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_value numeric := private.point_value_fen();
  v_period record;
  v_outstanding bigint;
  v_members bigint;
  v_pending bigint;
begin
  perform private.check_report_range(p_from, p_to);

  select coalesce(sum(e.amount_points) filter (where e.kind = 'earn'), 0) as earned,
         coalesce(-sum(e.amount_points) filter (where e.kind = 'reverse' and e.amount_points < 0), 0) as earn_reversed,
         coalesce(-sum(e.amount_points) filter (where e.kind = 'spend'), 0) as spent,
         coalesce(sum(e.amount_points) filter (where e.kind = 'reverse' and e.amount_points > 0), 0) as spend_reversed,
         coalesce(-sum(e.amount_points) filter (where e.source = 'redemption'), 0) as redeemed,
         coalesce(-sum(e.amount_points) filter (where e.kind = 'expire'), 0) as expired
  into v_period
  from public.point_entries e
  where e.business_date between p_from and p_to;

  select coalesce(sum(b.balance_points), 0), count(*) filter (where b.balance_points > 0)
  into v_outstanding, v_members
  from public.point_balances b;

  select coalesce(sum(l.remaining_points), 0) into v_pending
  from public.point_lots l
  where l.remaining_points > 0 and l.expires_at > v_now and l.available_at > v_now;

  return json_populate_record(null::public.report_summary_result, json_build_object(
    'from', p_from,
    'to', p_to,
    'earned_points', v_period.earned,
    'earn_reversed_points', v_period.earn_reversed,
    'issued_points', v_period.earned - v_period.earn_reversed,
    'spent_points', v_period.spent,
    'spend_reversed_points', v_period.spend_reversed,
    'net_spent_points', v_period.spent - v_period.spend_reversed,
    'redeemed_points', v_period.redeemed,
    'expired_points', v_period.expired,
    'redemption_rate', case when v_period.earned - v_period.earn_reversed > 0
      then round(v_period.redeemed::numeric / (v_period.earned - v_period.earn_reversed), 4) end,
    'breakage_rate', case when v_period.earned - v_period.earn_reversed > 0
      then round(v_period.expired::numeric / (v_period.earned - v_period.earn_reversed), 4) end,
    'as_of', v_now,
    'outstanding_points', v_outstanding,
    'pending_points', v_pending,
    'members_with_balance', v_members,
    'point_value_fen', v_value,
    'outstanding_liability_fen', round(v_outstanding * v_value)::bigint
  ));
end
$$;

create or replace function reference.report_liability_by_expiry_month() returns public.report_liability_by_expiry_month_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_value numeric := private.point_value_fen();
  v_tz text := private.program_time_zone();
  v_due bigint;
  v_outstanding bigint;
begin
  select coalesce(sum(l.remaining_points), 0) into v_due
  from public.point_lots l where l.remaining_points > 0 and l.expires_at <= v_now;
  select coalesce(sum(b.balance_points), 0) into v_outstanding from public.point_balances b;

  return json_populate_record(null::public.report_liability_by_expiry_month_result, (
    with months as (
      -- the last valid business day is the day before expires_at (= private.lot_expires_on)
      select to_char(((l.expires_at - interval '1 microsecond') at time zone v_tz)::date, 'YYYY-MM') as month,
             sum(l.remaining_points) as points
      from public.point_lots l
      where l.remaining_points > 0 and l.expires_at > v_now
      group by 1
    )
    select json_build_object(
      'as_of', v_now,
      'months', coalesce(json_agg(json_build_object(
        'month', m.month, 'points', m.points, 'liability_fen', round(m.points * v_value)::bigint) order by m.month), '[]'::json),
      'total_points', coalesce(sum(m.points), 0),
      'total_liability_fen', round(coalesce(sum(m.points), 0) * v_value)::bigint,
      'due_points', v_due,
      'outstanding_points', v_outstanding,
      'point_value_fen', v_value)
    from months m
  ));
end
$$;

create or replace function reference.report_check_in_actives(p_from date, p_to date) returns public.report_check_in_actives_result
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.check_report_range(p_from, p_to);
  return json_populate_record(null::public.report_check_in_actives_result, (
    with checked as (
      select c.check_in_date as day, count(*) as n from public.check_ins c
      where not c.made_up and c.check_in_date between p_from and p_to
      group by 1
    ), made_up as (
      select c.made_up_on as day, count(*) as n from public.check_ins c
      where c.made_up and c.made_up_on between p_from and p_to
      group by 1
    )
    select json_build_object(
      'from', p_from,
      'to', p_to,
      'days', json_agg(json_build_object(
        'date', g.day::date,
        'checked_in_members', coalesce(r.n, 0),
        'make_ups', coalesce(m.n, 0)
      ) order by g.day))
    from generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') g(day)
    left join checked r on r.day = g.day::date
    left join made_up m on m.day = g.day::date
  ));
end
$$;

create or replace function reference.report_top_items(p_from date, p_to date, p_limit integer default 10) returns public.report_top_items_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_tz text := private.program_time_zone();
begin
  perform private.check_report_range(p_from, p_to);
  perform private.check_page_limit(p_limit);
  return json_populate_record(null::public.report_top_items_result, (
    with per_item as (
      select r.item_id,
             count(*) filter (where r.status <> 'cancelled') as redemptions,
             coalesce(sum(r.cost_points) filter (where r.status <> 'cancelled'), 0) as points_spent,
             count(*) filter (where r.status = 'verified') as verified,
             count(*) filter (where r.status = 'cancelled') as cancelled
      from public.redemptions r
      where r.created_at >= p_from::timestamp at time zone v_tz
        and r.created_at < (p_to + 1)::timestamp at time zone v_tz
      group by r.item_id
    ), ranked as (
      select p.*, i.title, i.kind
      from per_item p join public.mall_items i on i.id = p.item_id
      order by p.redemptions desc, p.points_spent desc, i.title, i.id
      limit p_limit
    )
    select json_build_object(
      'from', p_from,
      'to', p_to,
      'items', coalesce(json_agg(json_build_object(
        'item_id', k.item_id,
        'title', k.title,
        'kind', k.kind,
        'redemptions', k.redemptions,
        'points_spent', k.points_spent,
        'verified', k.verified,
        'cancelled', k.cancelled
      ) order by k.redemptions desc, k.points_spent desc, k.title, k.item_id), '[]'::json))
    from ranked k
  ));
end
$$;
