-- Helpers every RPC uses: the clock, business errors, the calling member or scheduler, client request ids,
-- text trimming, and the bookkeeping of the write lock order (private.begin_write; docs/concurrency.md).
--
-- The helpers the write RPCs call on their hot paths from inside statements (an INSERT's VALUES, a WHERE),
-- here and in the other files, are inlinable SQL or plpgsql rather than SQL with a SET clause: such a
-- function is never inlined, so its query is parsed and planned again every time the calling statement runs
-- (~40–60 µs, up to 0.5 ms a call), while plpgsql keeps its plans for the session. Inlinable SQL has no SET clause and schema-qualifies every
-- name, so the caller's search_path cannot change what it means (docs/performance.md).

-- The current instant. `jifen.now` pins it for tests and for the seed's history; nothing reachable
-- through the API can set it (PostgREST only sets request.* settings), so in production it is now().
-- Inlinable SQL (see above): a check-in alone calls it ~50 times.
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

-- A text trimmed of every Unicode white space, as the client's String.prototype.trim does (public.update_profile
-- trims nicknames with it). btrim's default takes only ASCII spaces, so '\t\n', U+3000 IDEOGRAPHIC SPACE or
-- U+200B would pass as a filled-in nickname (docs/reliability.md, fuzz test).
create or replace function private.trim_space(p_text text) returns text
language sql immutable
set search_path = ''
as $$
  -- JavaScript's trim set (WhiteSpace + LineTerminator), plus U+200B ZERO WIDTH SPACE
  select btrim(p_text, U&' \0009\000A\000B\000C\000D\00A0\1680\2000\2001\2002\2003\2004\2005\2006\2007\2008\2009\200A\200B\2028\2029\202F\205F\3000\FEFF')
$$;
revoke all on function private.trim_space(text) from public;

-- The strings of a JSON array of strings, in order; null for anything else (null, not an array, an element that
-- is not a string). Array arguments of RPCs are jsonb checked with it, not text[]: the API turns a JSON argument
-- into text[] before the function runs, and a nested array there is a 500 (54000, too many dimensions) that no
-- function could catch.
create or replace function private.jsonb_strings(p_value jsonb) returns text[]
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_value is null or jsonb_typeof(p_value) <> 'array'
     or exists (select 1 from jsonb_array_elements(p_value) e where jsonb_typeof(e) <> 'string') then
    return null;
  end if;
  return array(select jsonb_array_elements_text(p_value));
end
$$;
revoke all on function private.jsonb_strings(jsonb) from public;

-- The write lock order (docs/concurrency.md). Every writing transaction takes its locks in this order, so
-- concurrent writes queue instead of deadlocking (40P01):
--   1. balances (public.point_balances, private.lock_balance): the member the write is about, then that
--      member's referrer when the write may pay or take back a referral reward (decided under the member's
--      lock, before anything else is locked). Referrals form a forest, so invitee → referrer is one order.
--      Jobs that touch many members take balances with SKIP LOCKED and never wait for one.
--   2. rows owned by those members (request ids, referral, purchases, redemptions, check-ins, task claims,
--      tier, lots): only ever locked under their member's balance, so nobody waits for them long.
--   3. shared rows, each kind at most once and in this order: the order reference (advisory lock), the
--      campaigns the write may use (all of them at once, by id: private.lock_campaigns), the mall item, the
--      clerk's staff row (FOR NO KEY UPDATE: foreign keys to it never wait).
-- The database checks the order: private.lock_balance (ledger.sql) refuses (XX000, a bug) to take a new
-- balance once a transaction entered step 3, and private.award_points / private.reverse_entry refuse to use a
-- campaign that was not locked in step 3 (private.lock_campaigns, campaigns.sql). The bookkeeping is kept in
-- transaction-local settings: jifen.lock_phase, jifen.locked_members, jifen.locked_campaigns,
-- jifen.campaign_sources.
--
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

-- The RPCs answer composite types (docs/backend.md "RPC results"): a body builds its answer as JSON and
-- converts it where it returns, an object with json[b]_populate_record, a list with this: the elements of the
-- JSON array p_json as an array of p_base's composite type, in order ('{}' for an empty or null array).
create or replace function private.jsonb_populate_array(p_base anyelement, p_json jsonb) returns anyarray
language sql stable
set search_path = ''
as $$
  select coalesce(array_agg(jsonb_populate_record(p_base, e.value) order by e.i), '{}')
  from jsonb_array_elements(p_json) with ordinality as e(value, i)
$$;
revoke all on function private.jsonb_populate_array(anyelement, jsonb) from public;
