-- Rule changes (issue 15): operators change the program's rules — point_rules, task rewards/periods/active flags,
-- the tier ladder's thresholds and multipliers, the check-in streak bonuses — from the console, never in SQL and
-- never retroactively. A change is a row of public.rule_changes: what (subject, key, the changed columns), from
-- when (effective_at: now, or later; never earlier), why (reason) and who. It is applied by
-- private.apply_rule_change: at once when it is due when made, otherwise by public.apply_rule_changes, which the
-- scheduler runs every minute (pg_cron on Supabase; the local stack's timer runs it first in run_scheduled_jobs)
-- — so a change takes effect at the first tick at or after its instant, within a minute. A pending change can be
-- cancelled. Applying only ever changes the configuration rows: every point already awarded, every lot's expiry,
-- every claim and tier already reached stays as it was (the ledger is append-only); the new values govern what
-- happens from then on (a tier threshold at the member's next tier evaluation).
--
-- Values are checked by the tables' own constraints: scheduling applies the change in a subtransaction that is
-- always rolled back (private.probe_rule_change), so a value the table would refuse is refused when the change is
-- made (invalid_rule_change 400), not when it falls due. A change checked against today's rows can still clash
-- with a change applied before it (e.g. two tier thresholds swapped by two changes): such a change is not applied
-- and is marked failed (failed_reason), the others go on.
--
-- Locks: applying a change updates configuration rows (point_rules, tasks, tiers, check_in_streak_bonuses) with
-- non-key updates. Writers only read those rows, and their foreign keys take KEY SHARE locks, which non-key
-- updates never wait for; so applying never takes part in the write lock order (docs/concurrency.md).

create table public.rule_changes (
  id bigint generated always as identity primary key,
  subject text not null check (subject in ('point_rules', 'task', 'tier', 'check_in_streak_bonus')),
  subject_key text check ((subject = 'point_rules') = (subject_key is null)),
  changes jsonb not null check (jsonb_typeof(changes) = 'object' and changes <> '{}'),
  before jsonb,                                    -- the changed columns' values when the change was made
  effective_at timestamptz not null,
  reason text not null check (char_length(reason) between 1 and 200),
  requested_by uuid not null references public.members (id),
  applied_at timestamptz,
  failed_reason text,                              -- due, but the tables refused it then (see above)
  cancelled_at timestamptz,
  cancelled_by uuid references public.members (id),
  cancel_reason text check (char_length(cancel_reason) <= 200),
  check (num_nonnulls(applied_at, cancelled_at, failed_reason) <= 1),
  check ((cancelled_at is null) = (cancelled_by is null)),
  created_at timestamptz not null default private.clock_now()
);
alter table public.rule_changes enable row level security;
revoke all on public.rule_changes from anon, authenticated, service_role;
create index rule_changes_pending_idx on public.rule_changes (effective_at, id)
  where applied_at is null and cancelled_at is null and failed_reason is null;

-- The columns an operator may change, per subject. point_rules: every rule except the 4-eyes threshold
-- (adjustment_approval_points guards operators against themselves: only the database owner changes it).
create or replace function private.rule_change_columns(p_subject text) returns text[]
language sql immutable
set search_path = ''
as $$
  select case p_subject
    when 'point_rules' then array(
      select a.attname::text from pg_catalog.pg_attribute a
      where a.attrelid = 'public.point_rules'::regclass and a.attnum > 0 and not a.attisdropped
        and a.attname not in ('id', 'updated_at', 'adjustment_approval_points')
      order by a.attnum)
    when 'task' then array['title', 'description', 'reward_points', 'required_count', 'period_limit', 'sort_order', 'active']
    when 'tier' then array['name', 'min_earned_points', 'multiplier', 'upgrade_bonus_points']
    when 'check_in_streak_bonus' then array['bonus_points']
  end
$$;
revoke all on function private.rule_change_columns(text) from public;

-- The changed columns' current values (null for a streak day without a bonus); task_not_found / tier_not_found
-- (404) for an unknown key, invalid_rule_change for a bad cycle day.
create or replace function private.rule_change_before(p_subject text, p_key text, p_changes jsonb) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_row jsonb;
begin
  case p_subject
    when 'point_rules' then
      select to_jsonb(r) into v_row from public.point_rules r;
    when 'task' then
      select to_jsonb(t) into v_row from public.tasks t where t.code = p_key;
      if v_row is null then
        perform private.raise_error('task_not_found', 404);
      end if;
    when 'tier' then
      select to_jsonb(t) into v_row from public.tiers t where t.code = p_key;
      if v_row is null then
        perform private.raise_error('tier_not_found', 404);
      end if;
    else -- check_in_streak_bonus: the key is a cycle day
      if p_key !~ '^[1-9][0-9]?$' or p_key::integer > 31 then
        perform private.raise_error('invalid_rule_change', 400);
      end if;
      select to_jsonb(b) into v_row from public.check_in_streak_bonuses b where b.cycle_day = p_key::integer;
      v_row := coalesce(v_row, jsonb_build_object('bonus_points', 0));
  end case;
  return (select jsonb_object_agg(k, v_row -> k) from jsonb_object_keys(p_changes) k);
end
$$;
revoke all on function private.rule_change_before(text, text, jsonb) from public;

-- Writes one change into its configuration row. The statement names the changed columns and takes their new
-- values through jsonb_populate_record, so each value is converted and checked exactly as the table's own
-- types and constraints say.
create or replace function private.apply_rule_change(p_change public.rule_changes) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_columns text := (select string_agg(format('%I', k), ', ') from jsonb_object_keys(p_change.changes) k);
  v_bonus integer;
begin
  case p_change.subject
    when 'point_rules' then
      execute format('update public.point_rules t set (%1$s, updated_at) = (select %1$s, private.clock_now() from jsonb_populate_record(t, $1) r)', v_columns)
        using p_change.changes;
    when 'task' then
      execute format('update public.tasks t set (%1$s) = (select %1$s from jsonb_populate_record(t, $1) r) where t.code = $2', v_columns)
        using p_change.changes, p_change.subject_key;
    when 'tier' then
      execute format('update public.tiers t set (%1$s) = (select %1$s from jsonb_populate_record(t, $1) r) where t.code = $2', v_columns)
        using p_change.changes, p_change.subject_key;
    else
      v_bonus := (jsonb_populate_record(null::public.check_in_streak_bonuses, p_change.changes)).bonus_points;
      if v_bonus is null or v_bonus < 0 then
        raise exception using errcode = '23514', message = 'bonus_points';
      elsif v_bonus = 0 then
        delete from public.check_in_streak_bonuses where cycle_day = p_change.subject_key::integer;
      else
        insert into public.check_in_streak_bonuses (cycle_day, bonus_points) values (p_change.subject_key::integer, v_bonus)
        on conflict (cycle_day) do update set bonus_points = excluded.bonus_points;
      end if;
  end case;
end
$$;
revoke all on function private.apply_rule_change(public.rule_changes) from public;

-- Would the tables take this change now? Applies it in a subtransaction that is always rolled back; a
-- conversion or constraint error is invalid_rule_change (400). Nothing stays changed either way.
create or replace function private.probe_rule_change(p_change public.rule_changes) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_refused boolean := false;
begin
  begin
    perform private.apply_rule_change(p_change);
    raise exception using errcode = 'PR000', message = 'rule change probe';
  exception
    when sqlstate 'PR000' then null;
    when data_exception or integrity_constraint_violation then v_refused := true;
  end;
  if v_refused then
    perform private.raise_error('invalid_rule_change', 400);
  end if;
end
$$;
revoke all on function private.probe_rule_change(public.rule_changes) from public;

-- Applies the due pending changes in order (effective_at, id): each is applied or, when the tables refuse it
-- now, marked failed; one audit row per change (action apply_rule_change / fail_rule_change, the requester as
-- actor). Changes another transaction is applying are skipped (SKIP LOCKED). Returns how many were applied.
create or replace function private.apply_due_rule_changes() returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_change public.rule_changes;
  v_before jsonb;
  v_applied integer := 0;
begin
  for v_change in
    select * from public.rule_changes
    where applied_at is null and cancelled_at is null and failed_reason is null and effective_at <= v_now
    order by effective_at, id
    for update skip locked
  loop
    v_before := private.rule_change_before(v_change.subject, v_change.subject_key, v_change.changes);
    begin
      perform private.apply_rule_change(v_change);
      update public.rule_changes set applied_at = v_now where id = v_change.id;
      perform private.audit_write(v_change.requested_by, 'apply_rule_change', 'rule_changes', v_change.id::text,
        v_before, v_change.changes, v_change.reason);
      v_applied := v_applied + 1;
    exception when data_exception or integrity_constraint_violation then
      update public.rule_changes set failed_reason = left(sqlerrm, 200) where id = v_change.id;
      perform private.audit_write(v_change.requested_by, 'fail_rule_change', 'rule_changes', v_change.id::text,
        v_before, v_change.changes, left(sqlerrm, 200));
    end;
  end loop;
  return v_applied;
end
$$;
revoke all on function private.apply_due_rule_changes() from public;

-- RPC apply_rule_changes (scheduler, service_role): applies the due rule changes; pg_cron every minute on
-- Supabase (migration 20261206050900_schedule_rule_changes), run_scheduled_jobs runs it first too. Answers how
-- many were applied.
create type public.apply_rule_changes_result as (
  applied integer
);

create or replace function public.apply_rule_changes() returns public.apply_rule_changes_result
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
  perform private.require_scheduler();
  return row(private.apply_due_rule_changes())::public.apply_rule_changes_result;
end
$$;
revoke all on function public.apply_rule_changes() from public, anon, authenticated, service_role;
grant execute on function public.apply_rule_changes() to service_role;

-- RPC op_schedule_rule_change (operator): changes p_subject's row from p_effective_at (null: now; earlier than
-- now: invalid_effective_at) for p_reason. p_subject: 'point_rules' (p_subject_key null), 'task' (a task code),
-- 'tier' (a tier code), 'check_in_streak_bonus' (a cycle day '1'–'31'; bonus_points 0 removes the day's bonus).
-- p_changes: a JSON object of the changed columns (private.rule_change_columns) and their new values. A change
-- due now is applied before the answer. Answers the change row.
-- Errors: not_operator 403; invalid_rule_subject, invalid_rule_change, invalid_effective_at,
-- invalid_change_reason 400; task_not_found, tier_not_found 404.
create or replace function public.op_schedule_rule_change(
  p_subject text, p_subject_key text, p_changes jsonb, p_effective_at timestamptz default null, p_reason text default null
) returns public.rule_changes
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_now timestamptz := private.clock_now();
  v_reason text;
  v_change public.rule_changes;
begin
  perform private.begin_write();
  if p_subject is null or p_subject not in ('point_rules', 'task', 'tier', 'check_in_streak_bonus') then
    perform private.raise_error('invalid_rule_subject', 400);
  end if;
  if (p_subject = 'point_rules') <> (p_subject_key is null)
     or p_changes is null or jsonb_typeof(p_changes) <> 'object' or p_changes = '{}'
     or exists (select 1 from jsonb_each(p_changes) e
                where not (e.key = any (private.rule_change_columns(p_subject))) or jsonb_typeof(e.value) = 'null') then
    perform private.raise_error('invalid_rule_change', 400);
  end if;
  if p_effective_at < v_now then
    perform private.raise_error('invalid_effective_at', 400);
  end if;
  v_reason := private.operator_reason(p_reason);
  v_change.subject := p_subject;
  v_change.subject_key := p_subject_key;
  v_change.changes := p_changes;
  v_change.before := private.rule_change_before(p_subject, p_subject_key, p_changes);
  v_change.effective_at := coalesce(p_effective_at, v_now);
  perform private.probe_rule_change(v_change);
  insert into public.rule_changes (subject, subject_key, changes, before, effective_at, reason, requested_by)
  values (v_change.subject, v_change.subject_key, v_change.changes, v_change.before, v_change.effective_at, v_reason, v_actor)
  returning * into v_change;
  perform private.audit_write(v_actor, 'schedule_rule_change', 'rule_changes', v_change.id::text, v_change.before,
    jsonb_build_object('subject', v_change.subject, 'subject_key', v_change.subject_key, 'changes', v_change.changes,
                       'effective_at', v_change.effective_at), v_reason);
  if v_change.effective_at <= v_now then
    perform private.apply_due_rule_changes();
    select * into v_change from public.rule_changes where id = v_change.id;
  end if;
  return v_change;
end
$$;
revoke all on function public.op_schedule_rule_change(text, text, jsonb, timestamptz, text) from public, anon, authenticated, service_role;
grant execute on function public.op_schedule_rule_change(text, text, jsonb, timestamptz, text) to authenticated;

-- RPC op_cancel_rule_change (operator): cancels a pending change, with a reason. Answers the change row.
-- Errors: not_operator 403; invalid_change_reason 400; rule_change_not_found 404; rule_change_settled 409
-- (applied, failed or cancelled already).
create or replace function public.op_cancel_rule_change(p_change_id bigint, p_reason text) returns public.rule_changes
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_reason text;
  v_change public.rule_changes;
begin
  perform private.begin_write();
  v_reason := private.operator_reason(p_reason);
  select * into v_change from public.rule_changes where id = p_change_id for update;
  if not found then
    perform private.raise_error('rule_change_not_found', 404);
  end if;
  if num_nonnulls(v_change.applied_at, v_change.cancelled_at, v_change.failed_reason) > 0 then
    perform private.raise_error('rule_change_settled', 409);
  end if;
  update public.rule_changes
  set cancelled_at = private.clock_now(), cancelled_by = v_actor, cancel_reason = v_reason
  where id = p_change_id
  returning * into v_change;
  perform private.audit_write(v_actor, 'cancel_rule_change', 'rule_changes', v_change.id::text,
    jsonb_build_object('effective_at', v_change.effective_at), jsonb_build_object('cancelled_at', v_change.cancelled_at), v_reason);
  return v_change;
end
$$;
revoke all on function public.op_cancel_rule_change(bigint, text) from public, anon, authenticated, service_role;
grant execute on function public.op_cancel_rule_change(bigint, text) to authenticated;

-- RPC op_list_rule_changes (operator): pending changes first (soonest first), then the others (newest first).
-- p_limit 1–200. Errors: not_operator 403; invalid_limit 400.
create or replace function public.op_list_rule_changes(p_limit integer default 50) returns setof public.rule_changes
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_operator();
  if p_limit is null or p_limit not between 1 and 200 then
    perform private.raise_error('invalid_limit', 400);
  end if;
  return query
    select * from public.rule_changes c
    order by (c.applied_at is null and c.cancelled_at is null and c.failed_reason is null) desc,
             case when c.applied_at is null and c.cancelled_at is null and c.failed_reason is null then c.effective_at end,
             c.id desc
    limit p_limit;
end
$$;
revoke all on function public.op_list_rule_changes(integer) from public, anon, authenticated, service_role;
grant execute on function public.op_list_rule_changes(integer) to authenticated;
