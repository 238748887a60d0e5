-- The rotating member code (the member's QR): a short-lived token signed with a server secret, so staff can
-- scan it and the database knows which member it is and that the member showed it recently.
--
-- Token (ASCII, 79 chars, QR alphanumeric mode: digits, A–Z and '.'):
--   M1.<member id: 32 uppercase hex>.<expiry: 10-digit unix seconds>.<MAC: 32 uppercase hex>
-- MAC = the first 16 bytes (128 bits) of HMAC-SHA256(secret 'member_code', everything before the MAC,
-- i.e. 'M1.<id>.<expiry>.'). Lifetime: point_rules.member_code_ttl_seconds (60). Staff actions accept a code
-- until its expiry (preview) or its expiry + member_code_award_grace_seconds (award: the cashier types the
-- amount after scanning). The secret never leaves the database.

-- The numeric member code (issue 16): 18 digits a POS barcode scanner or a person can read, shown beside the
-- token as a Code 128 barcode. '9' + 17 random digits, STORED (private.member_numeric_codes), not signed: 18
-- digits leave no room for a strong MAC. A forgery is a guess, so staff RPCs accept digits only after the same
-- staff member checked them with staff_check_member_code, which logs every attempt and limits failed ones per
-- clerk and per store (docs/staff.md, "Guessing"). Expiry and award grace as the token's.

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
  server_time timestamptz,
  digits text
);

-- Numeric codes handed out, live or recently expired (run_scheduled_jobs deletes them after expiry + award
-- grace). Secrets while live, like app_secrets: no API role may read them.
create table private.member_numeric_codes (
  code text primary key check (code ~ '^9[0-9]{17}$'),
  member_id uuid not null references public.members (id) on delete cascade,
  expires_at timestamptz not null,
  issued_at timestamptz not null default private.clock_now(),
  check (expires_at > issued_at)
);
create index member_numeric_codes_member_idx on private.member_numeric_codes (member_id, expires_at);
create index member_numeric_codes_expires_idx on private.member_numeric_codes (expires_at);
alter table private.member_numeric_codes enable row level security;
revoke all on private.member_numeric_codes from public, anon, authenticated, service_role;

-- 17 uniformly random decimal digits behind a '9'. 8 random bytes → a 63-bit number n; n is used only when
-- n < 92·10^17 (the largest multiple of 10^17 below 2^63), so n mod 10^17 is exactly uniform (rejection
-- sampling: a redraw happens with probability 0.25 %, never a bias).
create or replace function private.new_numeric_member_code() returns text
language plpgsql volatile
set search_path = ''
as $$
declare
  v_n bigint;
begin
  loop
    v_n := ('x' || encode(extensions.gen_random_bytes(8), 'hex'))::bit(64)::bigint & 9223372036854775807;
    if v_n < 9200000000000000000 then
      return '9' || lpad((v_n % 100000000000000000)::text, 17, '0');
    end if;
  end loop;
end
$$;
revoke all on function private.new_numeric_member_code() from public;

-- An 18-digit member code as typed or scanned, without spaces and dashes ('9123 4567 8901 2345 67'), or null
-- when the text is not one.
create or replace function private.numeric_member_code(p_code text) returns text
language sql immutable
set search_path = ''
as $$
  select case when c ~ '^9[0-9]{17}$' then c end
  from (select regexp_replace(coalesce(p_code, ''), '[[:space:]-]', '', 'g') as c) t
$$;
revoke all on function private.numeric_member_code(text) from public;

-- The member a member code given to a staff RPC belongs to: an M1 token (private.verify_member_code), or 18
-- digits that THIS staff member checked (staff_check_member_code) since the code was issued, resolving to its
-- member, and still within its expiry + p_grace_seconds. Anything else about digits is invalid_member_code 400,
-- the same answer for every way they can be wrong (unknown, expired, another member's, not checked).
create or replace function private.resolve_member_code(p_code text, p_staff public.staff, p_grace_seconds integer default 0)
returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_digits text := private.numeric_member_code(p_code);
  v_member_id uuid;
begin
  if v_digits is null then
    if regexp_replace(coalesce(p_code, ''), '[[:space:]-]', '', 'g') ~ '^[0-9]+$' then
      perform private.raise_error('invalid_member_code', 400); -- digits, but not a member code's
    end if;
    return private.verify_member_code(p_code, p_grace_seconds);
  end if;
  select c.member_id into v_member_id
  from private.member_numeric_codes c
  where c.code = v_digits
    and private.clock_now() <= c.expires_at + make_interval(secs => greatest(coalesce(p_grace_seconds, 0), 0))
    and exists (select 1 from private.member_code_attempts a
                where a.staff_member_id = p_staff.member_id
                  and a.code_digest = extensions.digest(v_digits, 'sha256')
                  and a.member_id = c.member_id
                  and a.attempted_at >= c.issued_at);
  if v_member_id is null then
    perform private.raise_error('invalid_member_code', 400);
  end if;
  return v_member_id;
end
$$;
revoke all on function private.resolve_member_code(text, public.staff, integer) from public;

-- Deletes up to p_batch_size numeric codes past their expiry + award grace (nothing accepts them any more) and
-- up to p_batch_size attempts older than 30 days. more = a batch was full: call again. run_scheduled_jobs.
create or replace function private.delete_expired_member_codes(p_batch_size integer default 10000) returns json
language plpgsql volatile
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_grace integer := (select member_code_award_grace_seconds from public.point_rules);
  v_codes integer;
  v_attempts integer;
begin
  delete from private.member_numeric_codes
  where code in (select code from private.member_numeric_codes
                 where expires_at < v_now - make_interval(secs => v_grace) limit p_batch_size);
  get diagnostics v_codes = row_count;
  delete from private.member_code_attempts
  where id in (select id from private.member_code_attempts where attempted_at < v_now - interval '30 days' limit p_batch_size);
  get diagnostics v_attempts = row_count;
  return json_build_object('codes', v_codes, 'attempts', v_attempts, 'more', v_codes = p_batch_size or v_attempts = p_batch_size);
end
$$;
revoke all on function private.delete_expired_member_codes(integer) from public;

-- RPC issue_member_code (member): the member's code for the code screen: the token (QR) and the 18 digits
-- (barcode), both valid until expires_at. The client shows it until expires_at (counting down from server_time,
-- not the phone's clock) and asks for a new one before that. A write (volatile, called with POST): the digits
-- are stored. The member's current digits are reused while more than half their lifetime is left, so a page
-- left open or refreshed over and over adds at most one row per half TTL; the token then carries the same
-- expiry. Parallel calls of one member take turns (an advisory lock on the member), so they reuse one code too.
create or replace function public.issue_member_code() returns public.issue_member_code_result
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_member_id uuid := private.require_member();
  v_now timestamptz := private.clock_now();
  v_ttl integer := (select member_code_ttl_seconds from public.point_rules);
  v_code private.member_numeric_codes;
begin
  perform pg_advisory_xact_lock(hashtextextended('jifen:member_code:' || v_member_id, 0));
  select * into v_code from private.member_numeric_codes
  where member_id = v_member_id and expires_at > v_now + make_interval(secs => v_ttl / 2.0)
  order by expires_at desc
  limit 1;
  while v_code.code is null loop -- a clash with a stored code (p ≈ rows / 10^17) draws again
    insert into private.member_numeric_codes (code, member_id, expires_at, issued_at)
    values (private.new_numeric_member_code(), v_member_id, to_timestamp(floor(extract(epoch from v_now)) + v_ttl), v_now)
    on conflict (code) do nothing
    returning * into v_code;
  end loop;
  return json_populate_record(null::public.issue_member_code_result, json_build_object(
    'token', private.sign_member_code(v_member_id, extract(epoch from v_code.expires_at)::bigint),
    'digits', v_code.code,
    'expires_at', v_code.expires_at,
    'ttl_seconds', v_ttl,
    'server_time', v_now
  ));
end
$$;
revoke all on function public.issue_member_code() from public, anon, authenticated, service_role;
grant execute on function public.issue_member_code() to authenticated;
