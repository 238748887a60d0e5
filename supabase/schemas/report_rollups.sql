-- Report rollups (issue 18): what the operator reports (operator_reports.sql) sum, kept in the same transaction
-- as the rows they summarise, so that a report costs O(days in its range), never O(ledger).
--
-- Every rollup row is keyed by what the report groups on plus a **shard**: the backend (pg_backend_pid()) of
-- the transaction that wrote it, or 0 once compacted. Two transactions running at the same time are always in
-- two backends, so no writer ever waits for another writer on a rollup row, and no lock order changes
-- (docs/concurrency.md). The scheduler folds the backends' rows into shard 0 (private.compact_report_rollups,
-- the last step of run_scheduled_jobs), so a report reads one row per key and day plus the few written since.
-- Reports read them in the same snapshot as everything else: exact and live, not a copy.
--
--   rollup_points_daily      (business_date, source)  point_entries: earned, reversed, spent, expired, net
--   rollup_check_ins_daily   (business_date)          check_ins: members checked in (by check_in_date), make-ups (by made_up_on)
--   rollup_redemptions_daily (business_date, item_id) redemptions by the business day they were made, status as of now
--   rollup_lots              (expires_at)             point_lots: remaining points by the instant they expire
--   rollup_balances          ()                       point_balances: members with a positive balance
--
-- Each trigger updates its backend's row and inserts it only when there is none yet (an update writes one WAL
-- record; INSERT … ON CONFLICT DO UPDATE would lock the row first, a second record per call). The ledger's
-- triggers (entries, lots) run once per statement over its transition table: the expiry job writes a
-- member's ten entries in one statement, and ten updates of one row in one transaction would each walk the
-- row's growing chain of versions.
--
-- Written by triggers on those tables (point_entries and check_ins are append-only; a redemption changes
-- status once; lots change remaining_points; balances change balance_points: the row triggers' WHEN clauses
-- skip the updates that change nothing a report reads). private.rebuild_report_rollups recomputes all of them from
-- the tables (the migration that introduced them, a bulk load with triggers off, a change of the program's
-- time zone, which moves redemptions between business days).

create table private.rollup_points_daily (
  business_date date not null,
  source text not null,
  shard integer not null,
  earned_points bigint not null,
  earn_reversed_points bigint not null,
  spent_points bigint not null,
  spend_reversed_points bigint not null,
  expired_points bigint not null,
  net_points bigint not null,
  primary key (business_date, source, shard)
);
alter table private.rollup_points_daily enable row level security;

create table private.rollup_check_ins_daily (
  business_date date not null,
  shard integer not null,
  checked_in_members bigint not null,
  make_ups bigint not null,
  primary key (business_date, shard)
);
alter table private.rollup_check_ins_daily enable row level security;

create table private.rollup_redemptions_daily (
  business_date date not null,
  item_id uuid not null,
  shard integer not null,
  redemptions bigint not null,   -- not cancelled
  points_spent bigint not null,  -- their cost
  verified bigint not null,
  cancelled bigint not null,
  primary key (business_date, item_id, shard)
);
alter table private.rollup_redemptions_daily enable row level security;

create table private.rollup_lots (
  expires_at timestamptz not null,
  shard integer not null,
  remaining_points bigint not null,
  primary key (expires_at, shard)
);
alter table private.rollup_lots enable row level security;

create table private.rollup_balances (
  shard integer primary key,
  members_with_balance bigint not null
);
alter table private.rollup_balances enable row level security;

-- Pending points (report_summary): the lots still on hold. Only lots created with a hold are in it
-- (available_at > created_at: a purchase under point_rules.purchase_hold_days), so the index stays small and
-- a lot without a hold writes nothing to it.
create index point_lots_held_idx on public.point_lots (available_at) include (remaining_points, expires_at)
  where available_at > created_at;

-- point_entries: one row per (business day, source, backend); once per statement (a job that expires a
-- member's ten lots writes ten entries in one statement: one update, not ten).
create or replace function private.rollup_point_entries() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- the backend's own rows: updated (no other transaction can hold them), the day's first ones inserted
  with d as (
    select e.business_date, e.source,
           coalesce(sum(e.amount_points) filter (where e.kind = 'earn'), 0) as earned,
           coalesce(-sum(e.amount_points) filter (where e.kind = 'reverse' and e.amount_points < 0), 0) as earn_reversed,
           coalesce(-sum(e.amount_points) filter (where e.kind = 'spend'), 0) as spent,
           coalesce(sum(e.amount_points) filter (where e.kind = 'reverse' and e.amount_points > 0), 0) as spend_reversed,
           coalesce(-sum(e.amount_points) filter (where e.kind = 'expire'), 0) as expired,
           sum(e.amount_points) as net
    from new_entries e
    group by e.business_date, e.source
  ), updated as (
    update private.rollup_points_daily r
    set earned_points = r.earned_points + d.earned, earn_reversed_points = r.earn_reversed_points + d.earn_reversed,
        spent_points = r.spent_points + d.spent, spend_reversed_points = r.spend_reversed_points + d.spend_reversed,
        expired_points = r.expired_points + d.expired, net_points = r.net_points + d.net
    from d
    where r.business_date = d.business_date and r.source = d.source and r.shard = pg_catalog.pg_backend_pid()
    returning r.business_date, r.source
  )
  insert into private.rollup_points_daily (business_date, source, shard, earned_points, earn_reversed_points,
    spent_points, spend_reversed_points, expired_points, net_points)
  select d.business_date, d.source, pg_catalog.pg_backend_pid(), d.earned, d.earn_reversed, d.spent, d.spend_reversed,
         d.expired, d.net
  from d
  where not exists (select 1 from updated u where u.business_date = d.business_date and u.source = d.source);
  return null;
end
$$;
revoke all on function private.rollup_point_entries() from public;

create trigger point_entries_rollup after insert on public.point_entries
  referencing new table as new_entries
  for each statement execute function private.rollup_point_entries();

-- check_ins: a check-in counts on its day, a make-up on the day it was done.
create or replace function private.rollup_check_in() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_day date := coalesce(new.made_up_on, new.check_in_date);
  v_checked integer := case when new.made_up then 0 else 1 end;
begin
  update private.rollup_check_ins_daily
  set checked_in_members = checked_in_members + v_checked, make_ups = make_ups + 1 - v_checked
  where business_date = v_day and shard = pg_catalog.pg_backend_pid();
  if not found then
    insert into private.rollup_check_ins_daily (business_date, shard, checked_in_members, make_ups)
    values (v_day, pg_catalog.pg_backend_pid(), v_checked, 1 - v_checked);
  end if;
  return null;
end
$$;
revoke all on function private.rollup_check_in() from public;

create trigger check_ins_rollup after insert on public.check_ins
  for each row execute function private.rollup_check_in();

-- redemptions: the new status counted, the old one taken back, on the business day the redemption was made.
create or replace function private.rollup_redemption() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_day date := private.business_date(new.created_at);
  -- what the row counts for now, minus what it counted for before the update
  v_redemptions integer := (new.status <> 'cancelled')::integer
    - case when tg_op = 'UPDATE' then (old.status <> 'cancelled')::integer else 0 end;
  v_verified integer := (new.status = 'verified')::integer
    - case when tg_op = 'UPDATE' then (old.status = 'verified')::integer else 0 end;
  v_cancelled integer := (new.status = 'cancelled')::integer
    - case when tg_op = 'UPDATE' then (old.status = 'cancelled')::integer else 0 end;
begin
  update private.rollup_redemptions_daily
  set redemptions = redemptions + v_redemptions, points_spent = points_spent + v_redemptions * new.cost_points,
      verified = verified + v_verified, cancelled = cancelled + v_cancelled
  where business_date = v_day and item_id = new.item_id and shard = pg_catalog.pg_backend_pid();
  if not found then
    insert into private.rollup_redemptions_daily (business_date, item_id, shard, redemptions, points_spent, verified, cancelled)
    values (v_day, new.item_id, pg_catalog.pg_backend_pid(), v_redemptions, v_redemptions * new.cost_points, v_verified, v_cancelled);
  end if;
  return null;
end
$$;
revoke all on function private.rollup_redemption() from public;

create trigger redemptions_rollup_insert after insert on public.redemptions
  for each row execute function private.rollup_redemption();

create trigger redemptions_rollup_update after update of status on public.redemptions
  for each row when (old.status is distinct from new.status) execute function private.rollup_redemption();

-- point_lots: the change of remaining points at each expiry instant, once per statement (the expiry job
-- empties a member's due lots in one statement). add_rollup_lots adds (instant, points) pairs to this
-- backend's rows.
create or replace function private.add_rollup_lots(p_expires_at timestamptz[], p_points bigint[]) returns void
language sql
set search_path = ''
as $$
  with d as (
    select x.expires_at, x.points from unnest(p_expires_at, p_points) as x(expires_at, points)
  ), updated as (
    update private.rollup_lots r set remaining_points = r.remaining_points + d.points
    from d
    where r.expires_at = d.expires_at and r.shard = pg_catalog.pg_backend_pid()
    returning r.expires_at
  )
  insert into private.rollup_lots (expires_at, shard, remaining_points)
  select d.expires_at, pg_catalog.pg_backend_pid(), d.points
  from d
  where not exists (select 1 from updated u where u.expires_at = d.expires_at)
$$;
revoke all on function private.add_rollup_lots(timestamptz[], bigint[]) from public;

create or replace function private.rollup_lots() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.add_rollup_lots(array_agg(d.expires_at), array_agg(d.points))
    from (select n.expires_at, sum(n.remaining_points)::bigint as points from new_lots n
          group by n.expires_at having sum(n.remaining_points) <> 0) d;
  else
    perform private.add_rollup_lots(array_agg(d.expires_at), array_agg(d.points))
    from (select x.expires_at, sum(x.points)::bigint as points
          from (select n.expires_at, n.remaining_points as points from new_lots n
                union all
                select o.expires_at, -o.remaining_points from old_lots o) x
          group by x.expires_at having sum(x.points) <> 0) d;
  end if;
  return null;
end
$$;
revoke all on function private.rollup_lots() from public;

create trigger point_lots_rollup_insert after insert on public.point_lots
  referencing new table as new_lots
  for each statement execute function private.rollup_lots();

create trigger point_lots_rollup_update after update on public.point_lots
  referencing old table as old_lots new table as new_lots
  for each statement execute function private.rollup_lots();

-- point_balances: a member whose balance crosses zero.
create or replace function private.rollup_balance() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_delta integer := (new.balance_points > 0)::integer - case when tg_op = 'UPDATE' then (old.balance_points > 0)::integer else 0 end;
begin
  update private.rollup_balances set members_with_balance = members_with_balance + v_delta
  where shard = pg_catalog.pg_backend_pid();
  if not found then
    insert into private.rollup_balances (shard, members_with_balance) values (pg_catalog.pg_backend_pid(), v_delta);
  end if;
  return null;
end
$$;
revoke all on function private.rollup_balance() from public;

create trigger point_balances_rollup_insert after insert on public.point_balances
  for each row when (new.balance_points > 0) execute function private.rollup_balance();

create trigger point_balances_rollup_update after update of balance_points on public.point_balances
  for each row when ((old.balance_points > 0) <> (new.balance_points > 0)) execute function private.rollup_balance();

-- Points outstanding now: the sum of every entry (= the sum of the balances, ledger invariant), one row per
-- business day and source.
create or replace function private.outstanding_points() returns bigint
language sql stable
set search_path = ''
as $$
  select coalesce(sum(r.net_points), 0)::bigint from private.rollup_points_daily r
$$;
revoke all on function private.outstanding_points() from public;

-- Every business day p_from … p_to (zero-filled, oldest first): its figures and the outstanding at its end
-- (everything written up to that day), from the rollup. The daily report and the liability export read it.
create or replace function private.points_by_day(p_from date, p_to date)
returns table (day date, earned_points bigint, earn_reversed_points bigint, spent_points bigint,
  spend_reversed_points bigint, expired_points bigint, net_points bigint, outstanding_points bigint)
language sql stable
set search_path = ''
as $$
  with per_day as (
    select r.business_date, sum(r.earned_points) as earned, sum(r.earn_reversed_points) as earn_reversed,
           sum(r.spent_points) as spent, sum(r.spend_reversed_points) as spend_reversed,
           sum(r.expired_points) as expired, sum(r.net_points) as net
    from private.rollup_points_daily r
    where r.business_date between p_from and p_to
    group by r.business_date
  ), days as (
    select g.day::date as day, coalesce(d.earned, 0) as earned, coalesce(d.earn_reversed, 0) as earn_reversed,
           coalesce(d.spent, 0) as spent, coalesce(d.spend_reversed, 0) as spend_reversed,
           coalesce(d.expired, 0) as expired, coalesce(d.net, 0) as net
    from generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') g(day)
    left join per_day d on d.business_date = g.day::date
  )
  -- outstanding(d) = everything before the range + what the range wrote up to d
  select x.day, x.earned::bigint, x.earn_reversed::bigint, x.spent::bigint, x.spend_reversed::bigint,
         x.expired::bigint, x.net::bigint,
         ((select coalesce(sum(r.net_points), 0) from private.rollup_points_daily r where r.business_date < p_from)
           + sum(x.net) over (order by x.day))::bigint
  from days x
  order by x.day
$$;
revoke all on function private.points_by_day(date, date) from public;

-- Fold the backends' rows into shard 0. Rows a running transaction holds are skipped (SKIP LOCKED: the
-- scheduler never waits for a writer, so it cannot take part in a deadlock) and folded on a later run.
-- Returns the number of rows folded.
create or replace function private.compact_report_rollups() returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_n integer;
  v_total integer := 0;
begin
  with moved as (
    delete from private.rollup_points_daily r
    where (r.business_date, r.source, r.shard) in (
      select x.business_date, x.source, x.shard from private.rollup_points_daily x where x.shard <> 0 for update skip locked)
    returning r.*
  ), folded as (
    insert into private.rollup_points_daily as r (business_date, source, shard, earned_points, earn_reversed_points,
      spent_points, spend_reversed_points, expired_points, net_points)
    select m.business_date, m.source, 0, sum(m.earned_points), sum(m.earn_reversed_points), sum(m.spent_points),
           sum(m.spend_reversed_points), sum(m.expired_points), sum(m.net_points)
    from moved m group by m.business_date, m.source
    on conflict (business_date, source, shard) do update
    set earned_points = r.earned_points + excluded.earned_points,
        earn_reversed_points = r.earn_reversed_points + excluded.earn_reversed_points,
        spent_points = r.spent_points + excluded.spent_points,
        spend_reversed_points = r.spend_reversed_points + excluded.spend_reversed_points,
        expired_points = r.expired_points + excluded.expired_points,
        net_points = r.net_points + excluded.net_points
  )
  select count(*) into v_n from moved;
  v_total := v_total + v_n;

  with moved as (
    delete from private.rollup_check_ins_daily r
    where (r.business_date, r.shard) in (
      select x.business_date, x.shard from private.rollup_check_ins_daily x where x.shard <> 0 for update skip locked)
    returning r.*
  ), folded as (
    insert into private.rollup_check_ins_daily as r (business_date, shard, checked_in_members, make_ups)
    select m.business_date, 0, sum(m.checked_in_members), sum(m.make_ups) from moved m group by m.business_date
    on conflict (business_date, shard) do update
    set checked_in_members = r.checked_in_members + excluded.checked_in_members, make_ups = r.make_ups + excluded.make_ups
  )
  select count(*) into v_n from moved;
  v_total := v_total + v_n;

  with moved as (
    delete from private.rollup_redemptions_daily r
    where (r.business_date, r.item_id, r.shard) in (
      select x.business_date, x.item_id, x.shard from private.rollup_redemptions_daily x where x.shard <> 0 for update skip locked)
    returning r.*
  ), folded as (
    insert into private.rollup_redemptions_daily as r (business_date, item_id, shard, redemptions, points_spent, verified, cancelled)
    select m.business_date, m.item_id, 0, sum(m.redemptions), sum(m.points_spent), sum(m.verified), sum(m.cancelled)
    from moved m group by m.business_date, m.item_id
    on conflict (business_date, item_id, shard) do update
    set redemptions = r.redemptions + excluded.redemptions, points_spent = r.points_spent + excluded.points_spent,
        verified = r.verified + excluded.verified, cancelled = r.cancelled + excluded.cancelled
  )
  select count(*) into v_n from moved;
  v_total := v_total + v_n;

  with moved as (
    delete from private.rollup_lots r
    where (r.expires_at, r.shard) in (
      select x.expires_at, x.shard from private.rollup_lots x where x.shard <> 0 for update skip locked)
    returning r.*
  ), folded as (
    insert into private.rollup_lots as r (expires_at, shard, remaining_points)
    select m.expires_at, 0, sum(m.remaining_points) from moved m group by m.expires_at
    on conflict (expires_at, shard) do update set remaining_points = r.remaining_points + excluded.remaining_points
  )
  select count(*) into v_n from moved;
  v_total := v_total + v_n;
  -- instants whose lots are all used up or expired
  delete from private.rollup_lots r where r.shard = 0 and r.remaining_points = 0;

  with moved as (
    delete from private.rollup_balances r
    where r.shard in (select x.shard from private.rollup_balances x where x.shard <> 0 for update skip locked)
    returning r.*
  ), folded as (
    insert into private.rollup_balances as r (shard, members_with_balance)
    select 0, sum(m.members_with_balance) from moved m having count(*) > 0
    on conflict (shard) do update set members_with_balance = r.members_with_balance + excluded.members_with_balance
  )
  select count(*) into v_n from moved;
  return v_total + v_n;
end
$$;
revoke all on function private.compact_report_rollups() from public;

-- Recompute every rollup from the tables, as shard 0 (the rollups' migration; after a bulk load that bypassed
-- the triggers; after a change of program.time_zone). Writers wait for it (it locks the rollup tables) and
-- none is counted twice or missed. O(ledger): minutes at tens of millions of entries.
create or replace function private.rebuild_report_rollups() returns void
language plpgsql
set search_path = ''
as $$
begin
  lock table private.rollup_points_daily, private.rollup_check_ins_daily, private.rollup_redemptions_daily,
    private.rollup_lots, private.rollup_balances in exclusive mode;
  delete from private.rollup_points_daily;
  delete from private.rollup_check_ins_daily;
  delete from private.rollup_redemptions_daily;
  delete from private.rollup_lots;
  delete from private.rollup_balances;

  insert into private.rollup_points_daily (business_date, source, shard, earned_points, earn_reversed_points,
    spent_points, spend_reversed_points, expired_points, net_points)
  select e.business_date, e.source, 0,
         coalesce(sum(e.amount_points) filter (where e.kind = 'earn'), 0),
         coalesce(-sum(e.amount_points) filter (where e.kind = 'reverse' and e.amount_points < 0), 0),
         coalesce(-sum(e.amount_points) filter (where e.kind = 'spend'), 0),
         coalesce(sum(e.amount_points) filter (where e.kind = 'reverse' and e.amount_points > 0), 0),
         coalesce(-sum(e.amount_points) filter (where e.kind = 'expire'), 0),
         sum(e.amount_points)
  from public.point_entries e
  group by e.business_date, e.source;

  insert into private.rollup_check_ins_daily (business_date, shard, checked_in_members, make_ups)
  select coalesce(c.made_up_on, c.check_in_date), 0, count(*) filter (where not c.made_up), count(*) filter (where c.made_up)
  from public.check_ins c
  group by 1;

  insert into private.rollup_redemptions_daily (business_date, item_id, shard, redemptions, points_spent, verified, cancelled)
  select private.business_date(r.created_at), r.item_id, 0,
         count(*) filter (where r.status <> 'cancelled'),
         coalesce(sum(r.cost_points) filter (where r.status <> 'cancelled'), 0),
         count(*) filter (where r.status = 'verified'),
         count(*) filter (where r.status = 'cancelled')
  from public.redemptions r
  group by 1, 2;

  insert into private.rollup_lots (expires_at, shard, remaining_points)
  select l.expires_at, 0, sum(l.remaining_points)
  from public.point_lots l
  where l.remaining_points > 0
  group by l.expires_at;

  insert into private.rollup_balances (shard, members_with_balance)
  select 0, count(*) from public.point_balances b where b.balance_points > 0;
end
$$;
revoke all on function private.rebuild_report_rollups() from public;
