-- The rotating member code (the member's QR): a short-lived token signed with a server secret, so staff can
-- scan it and the database knows which member it is and that the member showed it recently.
--
-- Token (ASCII, 79 chars, QR alphanumeric mode: digits, A–Z and '.'):
--   M1.<member id: 32 uppercase hex>.<expiry: 10-digit unix seconds>.<MAC: 32 uppercase hex>
-- MAC = the first 16 bytes (128 bits) of HMAC-SHA256(secret 'member_code', everything before the MAC,
-- i.e. 'M1.<id>.<expiry>.'). Lifetime: point_rules.member_code_ttl_seconds (60). Staff actions accept a code
-- until its expiry (preview) or its expiry + member_code_award_grace_seconds (award: the cashier types the
-- amount after scanning). The secret never leaves the database.

-- Server-side secrets: no API role can read them (RLS on, no grants, schema private).
create table private.app_secrets (
  name text primary key check (name ~ '^[a-z][a-z0-9_]{0,39}$'),
  secret bytea not null check (octet_length(secret) >= 32),
  created_at timestamptz not null default now()
);
alter table private.app_secrets enable row level security;
revoke all on private.app_secrets from public, anon, authenticated, service_role;

-- A member code's lifetime, and how long after its expiry an award still accepts it.
alter table public.point_rules
  add column member_code_ttl_seconds integer not null default 60 check (member_code_ttl_seconds between 10 and 3600),
  add column member_code_award_grace_seconds integer not null default 300
    check (member_code_award_grace_seconds between 0 and 3600);

-- The MAC of a token body: first 16 bytes of HMAC-SHA256 with the 'member_code' secret, uppercase hex.
create or replace function private.member_code_mac(p_body text) returns text
language plpgsql stable
set search_path = ''
as $$
declare
  v_secret bytea;
begin
  select secret into v_secret from private.app_secrets where name = 'member_code';
  if not found then
    perform private.raise_error('server_misconfigured', 500);
  end if;
  return upper(encode(substring(extensions.hmac(convert_to(p_body, 'UTF8'), v_secret, 'sha256') from 1 for 16), 'hex'));
end
$$;
revoke all on function private.member_code_mac(text) from public;

-- A signed token for a member, valid through p_expires_epoch (unix seconds).
create or replace function private.sign_member_code(p_member_id uuid, p_expires_epoch bigint) returns text
language sql stable
set search_path = ''
as $$
  select b.body || private.member_code_mac(b.body)
  from (select 'M1.' || upper(replace(p_member_id::text, '-', '')) || '.' || p_expires_epoch::text || '.' as body) b
$$;
revoke all on function private.sign_member_code(uuid, bigint) from public;

-- The member a token belongs to. invalid_member_code (400): malformed, unknown version, wrong MAC, or the
-- member no longer exists; member_code_expired (409): now is past its expiry + p_grace_seconds.
create or replace function private.verify_member_code(p_token text, p_grace_seconds integer default 0) returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_token text := btrim(p_token, E' \t\r\n');
  v_parts text[];
  v_member_id uuid;
begin
  v_parts := regexp_match(v_token, '^M1\.([0-9A-F]{32})\.([1-9][0-9]{9})\.([0-9A-F]{32})$');
  if v_parts is null then
    perform private.raise_error('invalid_member_code', 400);
  end if;
  -- the whole 128-bit MAC must match (a timing side channel is not a concern inside the database)
  if private.member_code_mac(left(v_token, char_length(v_token) - 32)) <> v_parts[3] then
    perform private.raise_error('invalid_member_code', 400);
  end if;
  v_member_id := lower(v_parts[1])::uuid;
  if not exists (select 1 from public.members where id = v_member_id) then
    perform private.raise_error('invalid_member_code', 400);
  end if;
  if private.clock_now() > to_timestamp(v_parts[2]::bigint) + make_interval(secs => greatest(coalesce(p_grace_seconds, 0), 0)) then
    perform private.raise_error('member_code_expired', 409);
  end if;
  return v_member_id;
end
$$;
revoke all on function private.verify_member_code(text, integer) from public;

-- The answer of issue_member_code.
create type public.issue_member_code_result as (
  token text,
  expires_at timestamptz,
  ttl_seconds integer,
  server_time timestamptz
);

-- RPC issue_member_code (member): a fresh token for the member's QR. The client shows it until expires_at
-- (counting down from server_time, not the phone's clock) and asks for a new one before that.
create or replace function public.issue_member_code() returns public.issue_member_code_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_member_id uuid := private.require_member();
  v_now timestamptz := private.clock_now();
  v_ttl integer := (select member_code_ttl_seconds from public.point_rules);
  v_expires bigint := floor(extract(epoch from v_now))::bigint + v_ttl;
begin
  return json_populate_record(null::public.issue_member_code_result, json_build_object(
    'token', private.sign_member_code(v_member_id, v_expires),
    'expires_at', to_timestamp(v_expires),
    'ttl_seconds', v_ttl,
    'server_time', v_now
  ));
end
$$;
revoke all on function public.issue_member_code() from public, anon, authenticated, service_role;
grant execute on function public.issue_member_code() to authenticated;
