-- What the Supabase Postgres image provides before any project migration runs, reproduced for
-- the local stack (embedded Postgres 17). Only what this project relies on is here; anything a
-- migration uses that is missing makes the migration fail locally first, never silently on Supabase.
-- Idempotent: safe to run on a database that already has it.

-- API roles (cluster-wide). PostgREST logs in as `authenticator` and switches to the JWT's role.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    create role authenticator login noinherit password 'postgres';
  end if;
end
$$;

grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres;

-- Schemas the image ships.
create schema if not exists extensions;
grant usage on schema extensions to postgres, anon, authenticated, service_role;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;

grant usage on schema public to postgres, anon, authenticated, service_role;

-- Supabase's default: functions created in public are executable by every API role. Hosted
-- projects keep this, so the local stack does too: a migration must REVOKE what it does not
-- want exposed (the grant tests catch a missing revoke). Tables and sequences get NO default
-- grants (as on newer hosted projects): every migration grants explicitly.
alter default privileges for role postgres in schema public
  grant execute on functions to anon, authenticated, service_role;

-- auth schema: the helpers RLS policies use. Tokens come from this project's `auth` Edge Function
-- (GoTrue's auth.users is not used and not reproduced).
create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

grant execute on function auth.jwt(), auth.uid(), auth.role() to anon, authenticated, service_role;

-- Where the Supabase CLI records applied migrations.
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (
  version text primary key,
  statements text[],
  name text
);
