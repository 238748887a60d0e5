-- Cheaper hot paths for every point write (found with `npm run bench`, see docs/performance.md). Behaviour
-- is unchanged.
--
-- 1. The clock helpers. A SQL function with a SET clause is never inlined, and one called from inside a
--    statement (an INSERT's VALUES, a WHERE) is parsed and planned again every time that statement runs:
--    ~40–60 µs per call, and a check-in called private.clock_now ~50 times. clock_now and business_date
--    are now inlinable SQL (no SET clause; every name schema-qualified, so the caller's search_path cannot
--    change what they mean); program_time_zone, which reads a table, is plpgsql (its plan is cached per session).
-- 3. The other small SQL helpers the RPCs call from inside statements (rules, balances, tiers, streaks, lot
--    and voucher dates, …) become plpgsql with the same body, for the same reason: plpgsql keeps its plans
--    for the session, a non-inlinable SQL function plans its query again at every statement that calls it.
-- 4. An index for the points history (src/services/history.ts: the member's entries, newest id first, 20 at
--    a time, keyset on id): the (member_id, created_at, id) index needs every entry of the member fetched
--    and sorted for each page; (member_id, id desc) reads just the page.
-- 2. private.expire_member_lots: set-based (one INSERT of all the member's expire entries, their usages, the
--    lots and the balance in one pass) instead of four statements per lot. Same rows as before: one 'expire'
--    entry per lot (natural key lot:<id>, ids in expiry order), the same description, meta, dates.
create or replace function private.clock_now() returns timestamptz
language sql stable
as $$
  select coalesce(nullif(pg_catalog.current_setting('jifen.now', true), '')::pg_catalog.timestamptz, pg_catalog.now())
$$;
revoke all on function private.clock_now() from public;

-- A business error: HTTP status via PostgREST's PTxyz SQLSTATE, the stable code in `message`.
create or replace function private.raise_error(p_code text, p_status integer default 400) returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using message = p_code, errcode = 'PT' || p_status::text;
end
$$;
revoke all on function private.raise_error(text, integer) from public;

-- The signed-in member (JWT sub), or an error. Every member RPC calls this first.
create or replace function private.require_member() returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_id uuid := auth.uid();
begin
  if auth.role() is distinct from 'authenticated' or v_id is null then
    perform private.raise_error('not_authenticated', 401);
  end if;
  if not exists (select 1 from public.members where id = v_id) then
    perform private.raise_error('member_not_found', 401);
  end if;
  return v_id;
end
$$;
revoke all on function private.require_member() from public;

-- Scheduler functions run as service_role (Edge Function, local timer) or as the database owner (pg_cron).
create or replace function private.require_scheduler() returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if coalesce(auth.role(), '') in ('anon', 'authenticated') then
    raise exception 'forbidden' using errcode = '42501';
  end if;
end
$$;
revoke all on function private.require_scheduler() from public;

-- Client request ids: the first call with an id stores its result; a retry with the same id and the same
-- arguments gets that result back; the same id with other arguments is an error.
create table private.rpc_requests (
  member_id uuid not null references public.members (id),
  request_id uuid not null,
  rpc text not null,
  payload jsonb not null,
  result jsonb,
  created_at timestamptz not null default now(),
  primary key (member_id, request_id)
);
alter table private.rpc_requests enable row level security;
revoke all on private.rpc_requests from public, anon, authenticated, service_role;

-- null: go ahead (and call finish_request at the end); otherwise the stored result of the first call.
-- A concurrent duplicate waits here on the primary key until the first call commits or rolls back.
create or replace function private.begin_request(p_member_id uuid, p_request_id uuid, p_rpc text, p_payload jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row private.rpc_requests;
begin
  if p_request_id is null then
    return null;
  end if;
  insert into private.rpc_requests (member_id, request_id, rpc, payload)
  values (p_member_id, p_request_id, p_rpc, p_payload)
  on conflict do nothing
  returning * into v_row;
  if found then
    return null;
  end if;
  select * into v_row from private.rpc_requests where member_id = p_member_id and request_id = p_request_id;
  if v_row.rpc <> p_rpc or v_row.payload <> p_payload then
    perform private.raise_error('request_id_reused', 409);
  end if;
  return v_row.result;
end
$$;
revoke all on function private.begin_request(uuid, uuid, text, jsonb) from public;

create or replace function private.finish_request(p_member_id uuid, p_request_id uuid, p_result jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  update private.rpc_requests set result = p_result
  where member_id = p_member_id and request_id = p_request_id;
  return p_result;
end
$$;
revoke all on function private.finish_request(uuid, uuid, jsonb) from public;

-- update_profile refuses what only looks filled in (found by the fuzz test, docs/reliability.md):
--  * a nickname is trimmed of every Unicode white space, as the client's String.prototype.trim does (btrim
--    only took ASCII spaces: '\t\n', U+3000 IDEOGRAPHIC SPACE or U+200B passed as a nickname and completed the
--    profile task), and may not contain control characters;
--  * an avatar URL may not contain white space or control characters ('https://a b' was accepted).
create or replace function private.trim_space(p_text text) returns text
language sql immutable
set search_path = ''
as $$
  -- JavaScript's trim set (WhiteSpace + LineTerminator), plus U+200B ZERO WIDTH SPACE
  select btrim(p_text, U&' \0009\000A\000B\000C\000D\00A0\1680\2000\2001\2002\2003\2004\2005\2006\2007\2008\2009\200A\200B\2028\2029\202F\205F\3000\FEFF')
$$;
revoke all on function private.trim_space(text) from public;

-- One lock order for every write path (docs/concurrency.md), and the rules found loose next to it.
--
-- Before: a check-in of an invitee took the invitee's balance, then the campaign row, then the referrer's
-- balance, while the referrer's own write held the referrer's balance and waited for that campaign row; an
-- award locked the clerk's staff row first and a void of the same clerk waited on it (its foreign keys to
-- staff) while holding the member and the campaign. Under ordinary settings a storm of writes answered
-- 500 40P01 on 17–42 of ~530 calls.
--
-- The order, for every writing transaction:
--   1. balances (public.point_balances, private.lock_balance): the member the write is about, then that
--      member's referrer when the write may pay or take back a referral reward (decided under the member's
--      lock, before anything else is locked). Referrals form a forest, so invitee → referrer is one order.
--      Jobs that touch many members take balances with SKIP LOCKED and never wait for one.
--   2. rows owned by those members (request ids, referral, purchases, redemptions, check-ins, task claims,
--      tier, lots): only ever locked under their member's balance, so nobody waits for them long.
--   3. shared rows, each kind at most once and in this order: the order reference (advisory lock), the
--      campaigns the write may use (all of them at once, by id: private.lock_campaigns), the mall item, the
--      clerk's staff row (FOR NO KEY UPDATE: foreign keys to it never wait).
-- private.lock_balance refuses (XX000, a bug) to take a new balance once a transaction entered step 3, and
-- private.award_points / private.reverse_entry refuse to use a campaign that was not locked in step 3.
--
-- Rules (issue 13 §2): a 补签 never qualifies a referral (qualification is an explicit step of check_in
-- and staff_award_purchase, no longer hidden in the task-event recorder); a void also takes back the task
-- rewards its purchase paid; the best campaign that can still pay this member applies (member cap and
-- budget alike); tier reviews decide under the member's lock; staff_award_purchase says when an order was
-- awarded before (repeat) and by whom.

-- 1. The lock bookkeeping -------------------------------------------------------------------------------

-- A write RPC starts here: forget the lock bookkeeping of an earlier call in the same transaction (the
-- seed calls several RPCs in one transaction; through the API every call is its own transaction).
create or replace function private.begin_write() returns void
language plpgsql
set search_path = ''
as $$
begin
  perform set_config('jifen.lock_phase', '', true),
          set_config('jifen.locked_members', '', true),
          set_config('jifen.locked_campaigns', '', true),
          set_config('jifen.campaign_sources', '', true);
end
$$;
revoke all on function private.begin_write() from public;
