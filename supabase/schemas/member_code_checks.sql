-- Checking a numeric member code (issue 16, member_codes.sql): staff_check_member_code logs every attempt and
-- limits the failed ones per clerk and per store; the staff RPCs accept 18 digits only from the staff member who
-- checked them (private.resolve_member_code). A forgery of 18 digits is a guess; the limits make guessing
-- hopeless (docs/staff.md, "Guessing"). This file loads after operators.sql so that the new point_rules
-- columns come after the ones defined there (a migration appends columns).

-- The limits on failed code checks (staff_check_member_code): per clerk per minute, per store per minute, per
-- store per rolling 24 hours. Only failed checks count: a busy counter's good scans never lock it out.
alter table public.point_rules
  add column member_code_clerk_failures_per_minute integer not null default 10
    check (member_code_clerk_failures_per_minute between 1 and 1000),
  add column member_code_store_failures_per_minute integer not null default 30
    check (member_code_store_failures_per_minute between 1 and 10000),
  add column member_code_store_failures_per_day integer not null default 300
    check (member_code_store_failures_per_day between 1 and 100000);

-- Every numeric code a staff member checked (staff_check_member_code): who, where, a SHA-256 digest of the code
-- (never the code), the member it resolved to (null: a failed attempt, the ones the limits count), when. A log:
-- no foreign keys, kept 30 days (run_scheduled_jobs).
create table private.member_code_attempts (
  id bigint generated always as identity primary key,
  staff_member_id uuid not null,
  store_id uuid not null,
  code_digest bytea not null check (octet_length(code_digest) = 32),
  member_id uuid,
  attempted_at timestamptz not null default private.clock_now()
);
create index member_code_attempts_staff_code_idx on private.member_code_attempts (staff_member_id, code_digest);
create index member_code_attempts_staff_failed_idx on private.member_code_attempts (staff_member_id, attempted_at) where member_id is null;
create index member_code_attempts_store_failed_idx on private.member_code_attempts (store_id, attempted_at) where member_id is null;
create index member_code_attempts_at_idx on private.member_code_attempts (attempted_at);
alter table private.member_code_attempts enable row level security;
revoke all on private.member_code_attempts from public, anon, authenticated, service_role;

-- The answer of staff_check_member_code: the same for every code, valid or not.
create type public.staff_check_member_code_result as (
  checked_at timestamptz
);

-- RPC staff_check_member_code (staff): the first step for an 18-digit member code (the second is
-- staff_preview_member). Records the attempt (private.member_code_attempts) and answers { checked_at } whether
-- the code is a live code of some member or not: nothing here tells which. The staff RPCs then accept these
-- digits from this staff member (private.resolve_member_code). Errors: not_staff 403; invalid_member_code 400
-- when the text is not 18 digits starting with 9 (no member code looks like that: nothing to guess, nothing
-- recorded); too_many_code_attempts 429 when the clerk or the store is at a limit of FAILED checks
-- (point_rules.member_code_clerk_failures_per_minute, member_code_store_failures_per_minute,
-- member_code_store_failures_per_day: rolling windows), then nothing is recorded and no code is looked at.
-- The store's checks take turns (an advisory lock per store) so that parallel checks cannot all pass the
-- same count: at most the limit is ever recorded.
create or replace function public.staff_check_member_code(p_code text) returns public.staff_check_member_code_result
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_staff public.staff := private.require_staff();
  v_rules public.point_rules := private.rules();
  v_digits text := private.numeric_member_code(p_code);
  v_now timestamptz;
  v_member_id uuid;
begin
  if v_digits is null then
    perform private.raise_error('invalid_member_code', 400);
  end if;
  perform pg_advisory_xact_lock(hashtextextended('jifen:member_code_attempts:' || v_staff.store_id, 0));
  v_now := private.clock_now();
  if (select count(*) from private.member_code_attempts
      where staff_member_id = v_staff.member_id and member_id is null and attempted_at > v_now - interval '1 minute')
       >= v_rules.member_code_clerk_failures_per_minute
     or (select count(*) from private.member_code_attempts
         where store_id = v_staff.store_id and member_id is null and attempted_at > v_now - interval '1 minute')
       >= v_rules.member_code_store_failures_per_minute
     or (select count(*) from private.member_code_attempts
         where store_id = v_staff.store_id and member_id is null and attempted_at > v_now - interval '1 day')
       >= v_rules.member_code_store_failures_per_day then
    perform private.raise_error('too_many_code_attempts', 429);
  end if;
  select member_id into v_member_id from private.member_numeric_codes where code = v_digits and expires_at >= v_now;
  insert into private.member_code_attempts (staff_member_id, store_id, code_digest, member_id, attempted_at)
  values (v_staff.member_id, v_staff.store_id, extensions.digest(v_digits, 'sha256'), v_member_id, v_now);
  return row(v_now)::public.staff_check_member_code_result;
end
$$;
revoke all on function public.staff_check_member_code(text) from public, anon, authenticated, service_role;
grant execute on function public.staff_check_member_code(text) to authenticated;
