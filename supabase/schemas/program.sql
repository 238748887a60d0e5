-- The loyalty program itself: its name, time zone (business days) and point value, one row; the business
-- clock (private.program_time_zone, private.business_date) and RPC get_program.
-- `private` holds internals that no API role may touch; `public` holds what the API exposes.
create schema if not exists private;
revoke all on schema private from public, anon, authenticated;
grant usage on schema private to service_role;

create or replace function private.is_time_zone(p_name text) returns boolean
language sql stable
set search_path = ''
as $$
  select exists (select 1 from pg_catalog.pg_timezone_names where name = p_name)
$$;
revoke all on function private.is_time_zone(text) from public;
grant execute on function private.is_time_zone(text) to service_role;

create table public.program (
  id boolean primary key default true check (id), -- exactly one row
  name text not null check (char_length(name) between 1 and 40),
  time_zone text not null default 'Asia/Shanghai' check (private.is_time_zone(time_zone)),
  point_value_fen numeric(10, 4) not null default 1 check (point_value_fen > 0), -- 1 point = ¥0.01
  updated_at timestamptz not null default now()
);
alter table public.program enable row level security;
revoke all on public.program from anon, authenticated, service_role;
grant select on public.program to anon, authenticated, service_role;

create policy program_read_all on public.program for select to anon, authenticated using (true);

-- The program's time zone; Asia/Shanghai until a program row exists. plpgsql: it reads a table and is called
-- from inside statements, and plpgsql keeps its plan for the session (docs/performance.md).
create or replace function private.program_time_zone() returns text
language plpgsql stable
set search_path = ''
as $$
begin
  return coalesce((select time_zone from public.program), 'Asia/Shanghai');
end
$$;
revoke all on function private.program_time_zone() from public;
grant execute on function private.program_time_zone() to service_role;

-- The business day an instant falls on, in the program's time zone (never the server's). Inlinable SQL: no
-- SET clause (a SQL function with one is never inlined and is planned again at every call from a statement),
-- every name schema-qualified so the caller's search_path cannot change what it means.
create or replace function private.business_date(p_at timestamptz default now()) returns date
language sql stable
as $$
  select pg_catalog.timezone(private.program_time_zone(), p_at)::pg_catalog.date
$$;
revoke all on function private.business_date(timestamptz) from public;
grant execute on function private.business_date(timestamptz) to service_role;

-- The answer of get_program.
create type public.get_program_result as (
  name text,
  time_zone text,
  point_value_fen numeric,
  business_date date,
  server_time timestamptz
);

-- RPC get_program (anyone, anon included): public facts about the program, readable without signing in:
-- name, time zone, point value, and the business date and server time on the same clock as every other RPC
-- (security definer: the clock lives in private).
create or replace function public.get_program() returns public.get_program_result
language sql stable
security definer
set search_path = ''
as $$
  select json_populate_record(null::public.get_program_result, json_build_object(
    'name', p.name,
    'time_zone', p.time_zone,
    'point_value_fen', p.point_value_fen,
    'business_date', private.business_date(private.clock_now()),
    'server_time', private.clock_now()
  ))
  from public.program p
$$;
revoke all on function public.get_program() from public;
grant execute on function public.get_program() to anon, authenticated, service_role;
