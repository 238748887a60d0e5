-- What a member account adds on top of sign-in: the registration bonus, the profile (nickname, avatar,
-- birthday with its rules), the birthday bonus and the `me` summary.

alter table public.members
  add column birthday date check (birthday is null or birthday between date '1900-01-01' and date '2100-01-01'),
  add column birthday_set_at timestamptz;

-- register_member (service_role, from the `auth` function) now also opens the member's account: balance,
-- entry tier, the registration bonus (once per member: natural key 'registration'), and the phone_bound
-- task event when the sign-in brings a verified phone (dev provider).
create or replace function public.register_member(p_provider text, p_subject text, p_wechat_unionid text default null)
returns json
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
  end if;

  return json_build_object(
    'id', v_member.id,
    'nickname', v_member.nickname,
    'avatar_url', v_member.avatar_url,
    'phone', v_member.phone,
    'created_at', v_member.created_at,
    'created', v_created
  );
end
$$;

-- Balance, tier, registration bonus and phone_bound event for a new member (the seed uses it too).
create or replace function private.open_account(p_member_id uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_bonus integer := (select registration_bonus_points from public.point_rules);
  v_phone text := (select phone from public.members where id = p_member_id);
begin
  perform private.lock_balance(p_member_id);
  perform private.lock_member_tier(p_member_id);
  if v_bonus > 0 then
    perform private.award_points(p_member_id, 'registration', v_bonus, 'registration', '注册奖励');
  end if;
  if v_phone is not null then
    perform private.record_task_event(p_member_id, 'phone_bound', v_phone);
  end if;
end
$$;
revoke all on function private.open_account(uuid) from public;

-- RPC update_profile (member): change nickname / avatar / birthday (null = keep). The birthday may be set
-- once and then changed at most once per birthday_edit_interval_days. When nickname, avatar and birthday
-- are all filled in, the profile_completed task event is recorded. Returns the profile.
create or replace function public.update_profile(p_nickname text default null, p_avatar_url text default null, p_birthday date default null)
returns json
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_member_id uuid := private.require_member();
  v_rules public.point_rules := private.rules();
  v_now timestamptz := private.clock_now();
  v_member public.members;
  v_nickname text := btrim(p_nickname);
begin
  if p_nickname is not null and char_length(v_nickname) not between 1 and 32 then
    perform private.raise_error('invalid_nickname', 400);
  end if;
  if p_avatar_url is not null and (p_avatar_url !~ '^https?://' or char_length(p_avatar_url) > 500) then
    perform private.raise_error('invalid_avatar_url', 400);
  end if;
  if p_birthday is not null and (p_birthday > private.business_date(v_now) or p_birthday < date '1900-01-01') then
    perform private.raise_error('invalid_birthday', 400);
  end if;

  select * into v_member from public.members where id = v_member_id for update;
  if p_birthday is not null and p_birthday is distinct from v_member.birthday then
    if v_member.birthday_set_at is not null
       and v_member.birthday_set_at > v_now - make_interval(days => v_rules.birthday_edit_interval_days) then
      perform private.raise_error('birthday_change_limited', 409);
    end if;
    v_member.birthday := p_birthday;
    v_member.birthday_set_at := v_now;
  end if;

  update public.members
  set nickname = coalesce(v_nickname, nickname),
      avatar_url = coalesce(p_avatar_url, avatar_url),
      birthday = v_member.birthday,
      birthday_set_at = v_member.birthday_set_at
  where id = v_member_id
  returning * into v_member;

  if v_member.avatar_url is not null and v_member.birthday is not null and v_member.nickname <> '' then
    perform private.record_task_event(v_member_id, 'profile_completed', 'profile');
  end if;
  return private.profile_json(v_member);
end
$$;

-- RPC bind_member_phone (service_role: for a phone-verification Edge Function, e.g. WeChat getPhoneNumber):
-- sets a verified phone and records the phone_bound task event. phone_taken 409 if another member has it.
create or replace function public.bind_member_phone(p_member_id uuid, p_phone text) returns json
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_member public.members;
begin
  if auth.role() is distinct from 'service_role' then
    raise exception 'forbidden' using errcode = '42501';
  end if;
  if p_phone is null or p_phone !~ '^1[3-9][0-9]{9}$' then
    perform private.raise_error('invalid_phone', 400);
  end if;
  if exists (select 1 from public.members where phone = p_phone and id <> p_member_id) then
    perform private.raise_error('phone_taken', 409);
  end if;
  update public.members set phone = p_phone where id = p_member_id returning * into v_member;
  if not found then
    perform private.raise_error('member_not_found', 404);
  end if;
  perform private.record_task_event(p_member_id, 'phone_bound', p_phone);
  return private.profile_json(v_member);
end
$$;

-- This year's birthday of a member born on p_birthday (29 Feb → 28 Feb in common years).
create or replace function private.birthday_in(p_birthday date, p_year integer) returns date
language sql immutable
set search_path = ''
as $$
  select make_date(p_year, extract(month from p_birthday)::integer,
    least(extract(day from p_birthday)::integer,
          extract(day from (make_date(p_year, extract(month from p_birthday)::integer, 1) + interval '1 month - 1 day'))::integer))
$$;

-- RPC award_birthday_bonuses (scheduler, daily): birthday_bonus_points once per year (natural key
-- 'birthday:<year>') to members in their birthday month, unless the birthday was set or changed less than
-- birthday_min_notice_days before this year's birthday (or after it).
create or replace function public.award_birthday_bonuses() returns json
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_rules public.point_rules := private.rules();
  v_today date := private.business_date(private.clock_now());
  v_year integer := extract(year from v_today)::integer;
  v_member record;
  v_awarded integer := 0;
begin
  perform private.require_scheduler();
  if v_rules.birthday_bonus_points = 0 then
    return json_build_object('awarded', 0);
  end if;
  for v_member in
    select m.id from public.members m
    where m.birthday is not null
      and extract(month from m.birthday) = extract(month from v_today)
      and private.business_date(m.birthday_set_at)
          <= private.birthday_in(m.birthday, v_year) - v_rules.birthday_min_notice_days
      and not exists (select 1 from public.point_entries e
                      where e.member_id = m.id and e.source = 'birthday' and e.ref = 'birthday:' || v_year)
    order by m.id -- a fixed lock order: concurrent runs cannot deadlock
  loop
    perform private.lock_balance(v_member.id);
    continue when exists (select 1 from public.point_entries e
                          where e.member_id = v_member.id and e.source = 'birthday' and e.ref = 'birthday:' || v_year);
    perform private.award_points(v_member.id, 'birthday', v_rules.birthday_bonus_points, 'birthday:' || v_year, '生日礼');
    v_awarded := v_awarded + 1;
  end loop;
  return json_build_object('awarded', v_awarded);
end
$$;

create or replace function private.profile_json(p_member public.members) returns json
language sql stable
set search_path = ''
as $$
  select json_build_object(
    'id', p_member.id,
    'nickname', p_member.nickname,
    'avatar_url', p_member.avatar_url,
    'phone', p_member.phone,
    'birthday', p_member.birthday,
    'birthday_editable_from', case when p_member.birthday_set_at is null then null
      else p_member.birthday_set_at + make_interval(days => r.birthday_edit_interval_days) end,
    'created_at', p_member.created_at
  )
  from public.point_rules r
$$;

-- RPC me (member): everything the home screen needs in one call.
create or replace function public.me() returns json
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_member_id uuid := private.require_member();
  v_now timestamptz := private.clock_now();
  v_today date := private.business_date(v_now);
  v_member public.members;
  v_points integer := private.qualifying_points(v_member_id);
  v_standing public.member_tiers;
  v_tier public.tiers;
  v_next public.tiers;
  v_to public.tiers := private.tier_for_points(v_points);
  v_expiring record;
  v_checked_today boolean;
begin
  select * into v_member from public.members where id = v_member_id;
  select * into v_standing from public.member_tiers where member_id = v_member_id;
  select * into v_tier from public.tiers where code = v_standing.tier_code;
  if not found then
    select * into v_tier from public.tiers where rank = 0;
  end if;
  select * into v_next from public.tiers where rank > v_tier.rank order by rank limit 1;
  select private.lot_expires_on(l.expires_at) as expires_on, min(l.expires_at) as expires_at,
         sum(l.remaining_points)::integer as points
  into v_expiring
  from public.point_lots l
  where l.member_id = v_member_id and l.remaining_points > 0 and l.expires_at > v_now
  group by 1 order by 1 limit 1;
  v_checked_today := exists (select 1 from public.check_ins where member_id = v_member_id and check_in_date = v_today);

  return (private.profile_json(v_member)::jsonb || jsonb_build_object(
    'business_date', v_today,
    'staff', (select json_build_object('store_id', s.store_id, 'store_name', st.name, 'role', s.role)
              from public.staff s join public.stores st on st.id = s.store_id
              where s.member_id = v_member_id and s.active),
    'tier', json_build_object('code', v_tier.code, 'name', v_tier.name, 'rank', v_tier.rank, 'multiplier', v_tier.multiplier),
    'qualifying_points', v_points,
    'next_tier', case when v_next.code is null then null else json_build_object(
      'code', v_next.code, 'name', v_next.name, 'min_earned_points', v_next.min_earned_points,
      'points_needed', greatest(v_next.min_earned_points - v_points, 0)) end,
    'downgrade', case when v_standing.downgrade_due_at is null then null else json_build_object(
      'due_at', v_standing.downgrade_due_at, 'to_tier_code', v_to.code, 'to_tier_name', v_to.name) end,
    'balance_points', private.available_points(v_member_id),
    'pending_points', (select coalesce(sum(remaining_points), 0)::integer from public.point_lots
                       where member_id = v_member_id and remaining_points > 0 and available_at > v_now and expires_at > v_now),
    'expiring', case when v_expiring.points is null then null else json_build_object(
      'points', v_expiring.points, 'expires_on', v_expiring.expires_on, 'expires_at', v_expiring.expires_at) end,
    'streak_days', private.current_streak_days(v_member_id, v_today),
    'checked_in_today', v_checked_today
  ))::json;
end
$$;

revoke all on function private.birthday_in(date, integer), private.profile_json(public.members) from public;
revoke all on function public.update_profile(text, text, date), public.me() from public, anon, authenticated, service_role;
grant execute on function public.update_profile(text, text, date), public.me() to authenticated;
revoke all on function public.bind_member_phone(uuid, text), public.award_birthday_bonuses() from public, anon, authenticated, service_role;
grant execute on function public.bind_member_phone(uuid, text), public.award_birthday_bonuses() to service_role;
