-- Helpers every RPC uses: the clock, business errors, the calling member, client request ids.

-- The current instant. `jifen.now` pins it for tests and for the seed's history; nothing reachable
-- through the API can set it (PostgREST only sets request.* settings), so in production it is now().
create or replace function private.clock_now() returns timestamptz
language sql stable
set search_path = ''
as $$
  select coalesce(nullif(current_setting('jifen.now', true), '')::timestamptz, now())
$$;

-- get_program answers on the same clock as every other RPC (definer: the clock lives in private).
create or replace function public.get_program() returns json
language sql stable
security definer
set search_path = ''
as $$
  select json_build_object(
    'name', p.name,
    'time_zone', p.time_zone,
    'point_value_fen', p.point_value_fen,
    'business_date', private.business_date(private.clock_now()),
    'server_time', private.clock_now()
  )
  from public.program p
$$;

-- A business error: HTTP status via PostgREST's PTxyz SQLSTATE, the stable code in `message`.
create or replace function private.raise_error(p_code text, p_status integer default 400) returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception using message = p_code, errcode = 'PT' || p_status::text;
end
$$;

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

create or replace function private.finish_request(p_member_id uuid, p_request_id uuid, p_result jsonb)
returns jsonb
language sql
set search_path = ''
as $$
  update private.rpc_requests set result = p_result
  where member_id = p_member_id and request_id = p_request_id;
  select p_result;
$$;

revoke all on function private.clock_now(), private.raise_error(text, integer), private.require_member(),
  private.require_scheduler(), private.begin_request(uuid, uuid, text, jsonb), private.finish_request(uuid, uuid, jsonb) from public;
