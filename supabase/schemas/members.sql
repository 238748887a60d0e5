-- Members and how they sign in. A member row is the profile; sign-in identities (WeChat openid,
-- dev phone) live in private.member_identities, which no API role can read.
create table public.members (
  id uuid primary key default gen_random_uuid(),
  nickname text not null default '' check (char_length(nickname) <= 32),
  -- an absolute URL, or a key of the avatars bucket in the member's own folder ('<id>/<name>.jpg', update_profile)
  avatar_url text,
  phone text unique check (phone is null or phone ~ '^1[3-9][0-9]{9}$'),
  created_at timestamptz not null default now(),
  constraint members_avatar_url_check check (
    avatar_url is null or avatar_url ~ '^https?://'
    or (avatar_url ~ '^[0-9a-f-]{36}/[A-Za-z0-9][A-Za-z0-9_-]{0,99}[.](jpg|jpeg|png|webp)$' and split_part(avatar_url, '/', 1) = id::text))
);
alter table public.members enable row level security;
revoke all on public.members from anon, authenticated, service_role;
grant select on public.members to authenticated, service_role;

create policy members_read_own on public.members for select to authenticated using (id = (select auth.uid()));

create table private.member_identities (
  provider text not null check (provider in ('wechat', 'dev')),
  subject text not null check (char_length(subject) between 1 and 128),
  member_id uuid not null references public.members (id) on delete cascade,
  wechat_unionid text,
  created_at timestamptz not null default now(),
  primary key (provider, subject)
);
alter table private.member_identities enable row level security;
revoke all on private.member_identities from public, anon, authenticated, service_role;

create index member_identities_member_idx on private.member_identities (member_id);

-- The answer of register_member: the member, and whether this sign-in created it.
create type public.register_member_result as (
  id uuid,
  nickname text,
  avatar_url text,
  phone text,
  created_at timestamptz,
  created boolean
);

-- RPC register_member (service_role only, called by the `auth` Edge Function): the member behind a sign-in
-- identity, created on first sign-in; concurrent first sign-ins of one identity create one member. A new
-- member's account is opened at once (private.open_account, member_profile.sql): balance, entry tier, the
-- registration bonus (once per member: natural key 'registration'), and the phone_bound task event when the
-- sign-in brings a verified phone (dev provider). Errors: forbidden (42501) for any other role,
-- invalid_provider / invalid_subject / invalid_phone (P0001).
create or replace function public.register_member(p_provider text, p_subject text, p_wechat_unionid text default null)
returns public.register_member_result
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_member public.members;
  v_created boolean := false;
begin
  if auth.role() is distinct from 'service_role' then
    raise exception 'forbidden' using errcode = '42501';
  end if;
  if p_provider is null or p_provider not in ('wechat', 'dev') then
    raise exception 'invalid_provider' using errcode = 'P0001';
  end if;
  if p_subject is null or char_length(p_subject) not between 1 and 128 then
    raise exception 'invalid_subject' using errcode = 'P0001';
  end if;
  if p_provider = 'dev' and p_subject !~ '^1[3-9][0-9]{9}$' then
    raise exception 'invalid_phone' using errcode = 'P0001';
  end if;

  -- serialise first sign-ins of the same identity; the primary key stays the guarantee
  perform pg_advisory_xact_lock(hashtextextended(p_provider || ':' || p_subject, 0));

  select m.* into v_member
  from private.member_identities i
  join public.members m on m.id = i.member_id
  where i.provider = p_provider and i.subject = p_subject;

  if not found then
    insert into public.members (nickname, phone, created_at)
    values (
      case when p_provider = 'dev' then '会员' || right(p_subject, 4) else '微信用户' end,
      case when p_provider = 'dev' then p_subject end,
      private.clock_now()
    )
    returning * into v_member;
    insert into private.member_identities (provider, subject, member_id, wechat_unionid, created_at)
    values (p_provider, p_subject, v_member.id, p_wechat_unionid, private.clock_now());
    v_created := true;
    perform private.open_account(v_member.id);
    -- a phone an operator invited to be staff (operators.sql)
    perform private.accept_staff_invitation(v_member.id, v_member.phone);
  end if;

  return json_populate_record(null::public.register_member_result, json_build_object(
    'id', v_member.id,
    'nickname', v_member.nickname,
    'avatar_url', v_member.avatar_url,
    'phone', v_member.phone,
    'created_at', v_member.created_at,
    'created', v_created
  ));
end
$$;
revoke all on function public.register_member(text, text, text) from public, anon, authenticated;
grant execute on function public.register_member(text, text, text) to service_role;
