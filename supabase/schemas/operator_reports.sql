-- Operator reports (SPEC §3 "operator numbers"): points issued / spent / expired / outstanding per business day
-- and source, redemption and breakage rates, outstanding liability, liability by expiry month, check-in daily
-- actives, the top redeemed items. One read-only RPC per dashboard section, managers only
-- (private.require_staff(array['manager'])). The figures are program-wide: the ledger is not per store.
--
-- Definitions (docs/operator-reports.md has the full reference):
--   earned         = sum of 'earn' entries                                  (kind earn, amount > 0)
--   earn_reversed  = minus the sum of reversals of earns                    (kind reverse, amount < 0)
--   spent          = minus the sum of 'spend' entries                       (kind spend, amount < 0)
--   spend_reversed = sum of reversals of spends (e.g. cancelled redemptions) (kind reverse, amount > 0)
--   expired        = minus the sum of 'expire' entries                      (kind expire, source expiry)
--   issued = earned - earn_reversed; net_spent = spent - spend_reversed;
--   net = sum of all entries = issued - net_spent - expired.
-- A day is the entry's business_date (the business day it was written, program time zone). A reversal
-- keeps the source of what it reverses and counts on the day it was written, not on the original's day.
--
-- Outstanding at the end of day d = sum of all entries with business_date <= d.
--
-- Every report reads the rollups (report_rollups.sql), never the ledger: a day costs a few rows whatever the
-- size of the history, and the figures are exact and live (the rollups are written in the same transaction
-- as the rows they count). Only pending points read point_lots, through an index of the lots on hold.

-- Business days of a report range: both given, from <= to, at most 366 days (a leap year), and each day finite
-- and within 1900-01-01 … 9999-12-31, else invalid_range (400). (`p_to - p_from` cannot subtract infinite
-- dates, and a day past the timestamp range, e.g. 5874897-12-31, a valid date, cannot become an instant:
-- both would end in Postgres' 22008 instead of invalid_range; docs/reliability.md, fuzz test.)
create or replace function private.check_report_range(p_from date, p_to date) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_from is null or p_to is null
     or p_from not between date '1900-01-01' and date '9999-12-31'
     or p_to not between date '1900-01-01' and date '9999-12-31' then
    perform private.raise_error('invalid_range', 400);
  end if;
  if p_from > p_to or p_to - p_from + 1 > 366 then
    perform private.raise_error('invalid_range', 400);
  end if;
end
$$;
revoke all on function private.check_report_range(date, date) from public;

-- Value of one point in fen (program.point_value_fen; 1 until a program row exists).
create or replace function private.point_value_fen() returns numeric
language sql stable
set search_path = ''
as $$
  select coalesce((select point_value_fen from public.program), 1)
$$;
revoke all on function private.point_value_fen() from public;

-- The parts of report_points_daily's answer: a source's figures on a day, a day's figures.
create type public.report_points_source as (
  source text,
  earned_points bigint,
  earn_reversed_points bigint,
  spent_points bigint,
  spend_reversed_points bigint,
  expired_points bigint
);

create type public.report_points_day as (
  date date,
  earned_points bigint,
  earn_reversed_points bigint,
  issued_points bigint,
  spent_points bigint,
  spend_reversed_points bigint,
  net_spent_points bigint,
  expired_points bigint,
  net_points bigint,
  outstanding_points bigint,
  sources public.report_points_source[]
);

-- The answer of report_points_daily.
create type public.report_points_daily_result as (
  "from" date,
  "to" date,
  days public.report_points_day[]
);

-- RPC report_points_daily (manager): every business day from p_from to p_to (zero-filled), oldest first:
-- { from, to, days: [{ date, earned_points, earn_reversed_points, issued_points, spent_points,
--   spend_reversed_points, net_spent_points, expired_points, net_points, outstanding_points,
--   sources: [{ source, earned_points, earn_reversed_points, spent_points, spend_reversed_points,
--               expired_points }] }] } — sources: only those with entries that day, by name.
create or replace function public.report_points_daily(p_from date, p_to date) returns public.report_points_daily_result
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_staff(array['manager']);
  perform private.check_report_range(p_from, p_to);
  -- the days from private.points_by_day, each with its sources; built as composites directly (a year of days
  -- parsed back from JSON cost as much as the whole query)
  return (
    with per_source as (
      select r.business_date as day, r.source,
             sum(r.earned_points)::bigint as earned, sum(r.earn_reversed_points)::bigint as earn_reversed,
             sum(r.spent_points)::bigint as spent, sum(r.spend_reversed_points)::bigint as spend_reversed,
             sum(r.expired_points)::bigint as expired
      from private.rollup_points_daily r
      where r.business_date between p_from and p_to
      group by r.business_date, r.source
    ), sources as (
      select s.day,
             array_agg(row(s.source, s.earned, s.earn_reversed, s.spent, s.spend_reversed, s.expired)::public.report_points_source
               order by s.source) as sources
      from per_source s
      group by s.day
    )
    select row(p_from, p_to, array_agg(row(
        d.day, d.earned_points, d.earn_reversed_points, d.earned_points - d.earn_reversed_points, d.spent_points,
        d.spend_reversed_points, d.spent_points - d.spend_reversed_points, d.expired_points, d.net_points,
        d.outstanding_points, coalesce(s.sources, '{}'))::public.report_points_day
      order by d.day))::public.report_points_daily_result
    from private.points_by_day(p_from, p_to) d
    left join sources s on s.day = d.day
  );
end
$$;
revoke all on function public.report_points_daily(date, date)
  from public, anon, authenticated, service_role;
grant execute on function public.report_points_daily(date, date)
  to authenticated;

-- The answer of report_summary.
create type public.report_summary_result as (
  "from" date,
  "to" date,
  earned_points bigint,
  earn_reversed_points bigint,
  issued_points bigint,
  spent_points bigint,
  spend_reversed_points bigint,
  net_spent_points bigint,
  redeemed_points bigint,
  expired_points bigint,
  redemption_rate numeric,
  breakage_rate numeric,
  as_of timestamptz,
  outstanding_points bigint,
  pending_points bigint,
  members_with_balance bigint,
  point_value_fen numeric,
  outstanding_liability_fen bigint
);

-- RPC report_summary (manager): the range's totals and rates, and the program's current figures:
-- { from, to, earned_points, earn_reversed_points, issued_points, spent_points, spend_reversed_points,
--   net_spent_points, redeemed_points, expired_points, redemption_rate, breakage_rate,
--   as_of, outstanding_points, pending_points, members_with_balance, point_value_fen, outstanding_liability_fen }.
-- Rates: redeemed / issued and expired / issued, rounded to 4 places, null when issued <= 0.
create or replace function public.report_summary(p_from date, p_to date) returns public.report_summary_result
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
  perform private.require_staff(array['manager']);
  perform private.check_report_range(p_from, p_to);

  select coalesce(sum(r.earned_points), 0) as earned,
         coalesce(sum(r.earn_reversed_points), 0) as earn_reversed,
         coalesce(sum(r.spent_points), 0) as spent,
         coalesce(sum(r.spend_reversed_points), 0) as spend_reversed,
         coalesce(-sum(r.net_points) filter (where r.source = 'redemption'), 0) as redeemed,
         coalesce(sum(r.expired_points), 0) as expired
  into v_period
  from private.rollup_points_daily r
  where r.business_date between p_from and p_to;

  v_outstanding := private.outstanding_points();
  select coalesce(sum(r.members_with_balance), 0) into v_members from private.rollup_balances r;

  -- lots on hold (point_lots_held_idx)
  select coalesce(sum(l.remaining_points), 0) into v_pending
  from public.point_lots l
  where l.available_at > l.created_at and l.available_at > v_now and l.remaining_points > 0 and l.expires_at > v_now;

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
revoke all on function public.report_summary(date, date)
  from public, anon, authenticated, service_role;
grant execute on function public.report_summary(date, date)
  to authenticated;

-- One month of report_liability_by_expiry_month.
create type public.liability_month as (
  month text,
  points bigint,
  liability_fen bigint
);

-- The answer of report_liability_by_expiry_month.
create type public.report_liability_by_expiry_month_result as (
  as_of timestamptz,
  months public.liability_month[],
  total_points bigint,
  total_liability_fen bigint,
  due_points bigint,
  outstanding_points bigint,
  point_value_fen numeric
);

-- RPC report_liability_by_expiry_month (manager): the points of unexpired lots (pending ones included) by the
-- business month of their last valid day, earliest first:
-- { as_of, months: [{ month: 'YYYY-MM', points, liability_fen }], total_points, total_liability_fen,
--   due_points, outstanding_points, point_value_fen }.
-- due_points: lots already past their expiry that the expiry job has not expired yet (still in the balances);
-- total_points + due_points = outstanding_points always (ledger invariant: balances = lots' remaining).
create or replace function public.report_liability_by_expiry_month() returns public.report_liability_by_expiry_month_result
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
  perform private.require_staff(array['manager']);
  select coalesce(sum(l.remaining_points), 0) into v_due
  from private.rollup_lots l where l.expires_at <= v_now;
  v_outstanding := private.outstanding_points();

  return json_populate_record(null::public.report_liability_by_expiry_month_result, (
    with months as (
      -- the last valid business day is the day before expires_at (= private.lot_expires_on)
      select to_char(((l.expires_at - interval '1 microsecond') at time zone v_tz)::date, 'YYYY-MM') as month,
             sum(l.remaining_points) as points
      from private.rollup_lots l
      where l.expires_at > v_now
      group by 1
      having sum(l.remaining_points) > 0
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
revoke all on function public.report_liability_by_expiry_month()
  from public, anon, authenticated, service_role;
grant execute on function public.report_liability_by_expiry_month()
  to authenticated;

-- One day of report_check_in_actives.
create type public.check_in_actives_day as (
  date date,
  checked_in_members bigint,
  make_ups bigint
);

-- The answer of report_check_in_actives.
create type public.report_check_in_actives_result as (
  "from" date,
  "to" date,
  days public.check_in_actives_day[]
);

-- RPC report_check_in_actives (manager): every business day from p_from to p_to (zero-filled), oldest first:
-- { from, to, days: [{ date, checked_in_members, make_ups }] } — checked_in_members: members who checked in
-- on that day themselves (made_up = false, by check_in_date); make_ups: make-ups done that day (by made_up_on,
-- whatever day they filled).
create or replace function public.report_check_in_actives(p_from date, p_to date) returns public.report_check_in_actives_result
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_staff(array['manager']);
  perform private.check_report_range(p_from, p_to);
  return json_populate_record(null::public.report_check_in_actives_result, (
    with per_day as (
      select r.business_date as day, sum(r.checked_in_members) as checked, sum(r.make_ups) as made_up
      from private.rollup_check_ins_daily r
      where r.business_date between p_from and p_to
      group by 1
    )
    select json_build_object(
      'from', p_from,
      'to', p_to,
      'days', json_agg(json_build_object(
        'date', g.day::date,
        'checked_in_members', coalesce(d.checked, 0),
        'make_ups', coalesce(d.made_up, 0)
      ) order by g.day))
    from generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') g(day)
    left join per_day d on d.day = g.day::date
  ));
end
$$;
revoke all on function public.report_check_in_actives(date, date)
  from public, anon, authenticated, service_role;
grant execute on function public.report_check_in_actives(date, date)
  to authenticated;

-- The mall items redeemed most in a range of business days (the dashboard's "top items"). Managers only, like
-- the other reports in this file: same range rule (private.check_report_range → invalid_range) and page size
-- rule (private.check_page_limit → invalid_limit).
--
-- A redemption counts in the range when it was made on one of its business days (created_at, program time zone).
-- Per item: redemptions = those not cancelled (as of now); points_spent = their cost (a cancelled redemption is
-- refunded in full, so this is the points spent net of cancellations); verified = those verified at a store;
-- cancelled = those cancelled. Items with only cancelled redemptions in the range are listed with 0.
-- Order: redemptions desc, points_spent desc, then title and id (ties are stable).

-- One item of report_top_items.
create type public.top_item as (
  item_id uuid,
  title text,
  kind text,
  redemptions bigint,
  points_spent bigint,
  verified bigint,
  cancelled bigint
);

-- The answer of report_top_items.
create type public.report_top_items_result as (
  "from" date,
  "to" date,
  items public.top_item[]
);

-- RPC report_top_items (manager): { from, to, items: [{ item_id, title, kind, redemptions, points_spent,
--   verified, cancelled }] } — at most p_limit (1–100) items with a redemption made in the range.
create or replace function public.report_top_items(p_from date, p_to date, p_limit integer default 10) returns public.report_top_items_result
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_staff(array['manager']);
  perform private.check_report_range(p_from, p_to);
  perform private.check_page_limit(p_limit);
  return json_populate_record(null::public.report_top_items_result, (
    with per_item as (
      select r.item_id, sum(r.redemptions) as redemptions, sum(r.points_spent) as points_spent,
             sum(r.verified) as verified, sum(r.cancelled) as cancelled
      from private.rollup_redemptions_daily r
      where r.business_date between p_from and p_to
      group by r.item_id
      having sum(r.redemptions) + sum(r.cancelled) > 0
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
revoke all on function public.report_top_items(date, date, integer) from public, anon, authenticated, service_role;
grant execute on function public.report_top_items(date, date, integer) to authenticated;
