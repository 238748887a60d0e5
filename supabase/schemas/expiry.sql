-- Points expiry (SPEC §1 Expiry) and the scheduler. A lot expires at its expires_at (the end of its last
-- valid business day); private.expire_member_lots (ledger.sql) turns a member's due lots into 'expire' entries
-- under the member's balance lock, lazily on every award/spend; public.expire_points does the same for
-- batches of members (both write through private.expire_due_lots).
-- Reminders: what expires soon per member and day (private.expiring_points); the 30/7-day reminders
-- (point_rules.expiry_reminder_days) are messages enqueued by private.enqueue_expiry_reminders (messages.sql),
-- which run_scheduled_jobs calls. run_scheduled_jobs is the one periodic entry point: pg_cron on Supabase, a
-- timer in the local stack (stack/stack.ts).
--
-- Locking: every point writer locks the member's balance row first, then the lots. The batch expiry takes
-- balance rows with `skip locked`, so it never waits for a member someone else is writing (that writer
-- expires the member's lots lazily anyway) and concurrent runners never wait for each other.

-- The business day a lot is last valid on (expires_at is the first instant of the day after).
create or replace function private.lot_expires_on(p_expires_at timestamptz) returns date
language sql stable
as $$
  select private.business_date(p_expires_at operator(pg_catalog.-) '1 microsecond'::pg_catalog.interval)
$$;
revoke all on function private.lot_expires_on(timestamptz) from public;

-- Points in unexpired lots whose last valid day is today .. today + p_within_days, per member and day.
create or replace function private.expiring_points(p_within_days integer)
returns table (member_id uuid, points integer, expires_on date, expires_at timestamptz)
language sql stable
set search_path = ''
as $$
  select l.member_id, sum(l.remaining_points)::integer, private.lot_expires_on(l.expires_at), min(l.expires_at)
  from public.point_lots l
  where l.remaining_points > 0
    and l.expires_at > private.clock_now()
    and l.expires_at <= ((private.business_date(private.clock_now()) + p_within_days + 1)::timestamp
                         at time zone private.program_time_zone())
  group by l.member_id, private.lot_expires_on(l.expires_at)
$$;
revoke all on function private.expiring_points(integer) from public;

-- The answer of expire_points.
create type public.expire_points_result as (
  members integer,
  lots integer,
  points integer,
  more boolean
);

-- RPC expire_points (scheduler): expires the due lots of up to p_batch_size members (members someone else
-- is writing right now are skipped). more = the batch was full and due lots remain: call again.
-- Set-based (issue 18: the member-by-member loop did 4.9k lots/s): lock the batch's balance rows (skip
-- locked), then expire all their due lots at once with private.expire_due_lots (ledger.sql), the writer the
-- lazy path uses too — it takes the lots after the balances, the lock order of every point writer.
create or replace function public.expire_points(p_batch_size integer default 1000) returns public.expire_points_result
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_batch uuid[];
  v_expired record;
begin
  perform private.require_scheduler();
  if p_batch_size is null or p_batch_size not between 1 and 10000 then
    perform private.raise_error('invalid_batch_size', 400);
  end if;
  select coalesce(array_agg(p.member_id), '{}') into v_batch
  from (select b.member_id from public.point_balances b
        where exists (select 1 from public.point_lots l
                      where l.member_id = b.member_id and l.remaining_points > 0 and l.expires_at <= v_now)
        limit p_batch_size
        for update of b skip locked) p;
  v_expired := private.expire_due_lots(v_batch);
  return (v_expired.members, v_expired.lots, v_expired.points,
          cardinality(v_batch) = p_batch_size and exists (
            select 1 from public.point_lots where remaining_points > 0 and expires_at <= v_now))::public.expire_points_result;
end
$$;
revoke all on function public.expire_points(integer) from public, anon, authenticated, service_role;
grant execute on function public.expire_points(integer) to service_role;

-- One element of list_expiring_points.
create type public.expiring_points_item as (
  member_id uuid,
  points integer,
  expires_on date,
  expires_at timestamptz
);

-- RPC list_expiring_points (scheduler): [{ member_id, points, expires_on, expires_at }] for points whose
-- last valid day is within the next p_within_days business days (0 = today), earliest first.
create or replace function public.list_expiring_points(p_within_days integer) returns public.expiring_points_item[]
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_scheduler();
  if p_within_days is null or p_within_days not between 0 and 3660 then
    perform private.raise_error('invalid_within_days', 400);
  end if;
  return private.jsonb_populate_array(null::public.expiring_points_item, (
    select coalesce(json_agg(json_build_object('member_id', e.member_id, 'points', e.points,
             'expires_on', e.expires_on, 'expires_at', e.expires_at) order by e.expires_on, e.member_id), '[]')
    from private.expiring_points(p_within_days) e)::jsonb);
end
$$;
revoke all on function public.list_expiring_points(integer) from public, anon, authenticated, service_role;
grant execute on function public.list_expiring_points(integer) to service_role;

-- RPC run_scheduled_jobs (scheduler; pg_cron every 10 minutes, the local stack's timer): the due rule changes
-- (rule_changes.sql; pg_cron also runs them every minute), birthday bonuses, expiry in batches until done
-- (bounded), the tier review, the reminders of expiring points and vouchers and the day's check-in reminders
-- (messages.sql: member messages, sent as subscribe messages by the send-messages function), last the expired
-- numeric member codes and old code attempts (member_codes.sql, bounded batches).
-- One run at a time (a concurrent call returns { skipped: true }). Birthday bonuses go first: they wait
-- for balance locks, the skip-locked expiry and review never do, so no run holds the expired members'
-- balances while it waits for another.
-- It returns json, not a composite type like the other RPCs: its answer has two shapes ({ skipped: true }, or
-- the four jobs' results), and a composite would give each the other's keys as nulls.
create or replace function public.run_scheduled_jobs() returns json
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_rule_changes integer;
  v_birthdays json;
  v_batch json;
  v_members integer := 0;
  v_lots integer := 0;
  v_points integer := 0;
begin
  perform private.require_scheduler();
  if not pg_try_advisory_xact_lock(hashtextextended('jifen.run_scheduled_jobs', 0)) then
    return json_build_object('skipped', true);
  end if;
  v_rule_changes := private.apply_due_rule_changes(); -- rule_changes.sql: first, so the jobs below use them
  v_birthdays := to_json(public.award_birthday_bonuses()); -- member_profile.sql
  for i in 1 .. 10 loop
    v_batch := to_json(public.expire_points(1000));
    v_members := v_members + (v_batch ->> 'members')::integer;
    v_lots := v_lots + (v_batch ->> 'lots')::integer;
    v_points := v_points + (v_batch ->> 'points')::integer;
    exit when not (v_batch ->> 'more')::boolean;
  end loop;
  return json_build_object(
    'apply_rule_changes', json_build_object('applied', v_rule_changes),
    'award_birthday_bonuses', v_birthdays,
    'expire_points', json_build_object('members', v_members, 'lots', v_lots, 'points', v_points,
                                       'more', (v_batch ->> 'more')::boolean),
    'review_tiers', to_json(public.review_tiers()),
    'enqueue_reminders', private.enqueue_expiry_reminders(), -- messages.sql
    'enqueue_check_in_reminders', json_build_object('messages', private.enqueue_check_in_reminders()), -- messages.sql
    'delete_member_codes', private.delete_expired_member_codes(10000),
    -- last: the rows it folds stay locked until this transaction ends (report_rollups.sql)
    'compact_report_rollups', json_build_object('rows', private.compact_report_rollups()));
end
$$;
revoke all on function public.run_scheduled_jobs() from public, anon, authenticated, service_role;
grant execute on function public.run_scheduled_jobs() to service_role;
