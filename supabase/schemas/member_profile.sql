-- What a member account adds on top of sign-in: the registration bonus, the profile (nickname, avatar,
-- birthday with its rules), the birthday bonus and the `me` summary. RPCs update_profile and me (member),
-- bind_member_phone (service_role), award_birthday_bonuses (scheduler); private.open_account opens a new
-- member's account; private.is_visible_name is the rule for nicknames staff read.

-- The birthday and when it was last set (birthday_edit_interval_days and the bonus notice count from it).
alter table public.members
  add column birthday date check (birthday is null or birthday between date '1900-01-01' and date '2100-01-01'),
  add column birthday_set_at timestamptz;

-- Balance, tier, registration bonus and phone_bound event for a new member (public.register_member calls it;
-- the seed uses it too).
create or replace function private.open_account(p_member_id uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_bonus integer := (select registration_bonus_points from public.point_rules);
  v_phone text := (select phone from public.members where id = p_member_id);
begin
  perform private.begin_write();
  perform private.lock_balance(p_member_id);
  perform private.member_tier(p_member_id);
  if v_bonus > 0 then
    perform private.award_points(p_member_id, 'registration', v_bonus, 'registration', '注册奖励');
  end if;
  if v_phone is not null then
    perform private.record_task_event(p_member_id, 'phone_bound', v_phone);
  end if;
end
$$;
revoke all on function private.open_account(uuid) from public;

-- A member's profile as update_profile and bind_member_phone answer it (private.profile_json).
create type public.member_profile as (
  id uuid,
  nickname text,
  avatar_url text,
  phone text,
  birthday date,
  birthday_editable_from timestamptz,
  created_at timestamptz
);

-- RPC update_profile (member): change nickname / avatar / birthday (null = keep). The birthday may be set
-- once and then changed at most once per birthday_edit_interval_days. A nickname is trimmed of every Unicode
-- white space (private.trim_space, as the client trims) and must then be 1–32 characters, without control
-- characters, and visible (private.is_visible_name), else 400 invalid_nickname and nothing changes. The avatar
-- is either an object key of the avatars bucket under the caller's own folder, '<caller id>/<name>.<jpg|jpeg|png|
-- webp>' (what the app uploads, docs/storage.md; a key of any other folder is 400 avatar_not_own), or an absolute
-- http(s) URL without white space or control characters ('https://a b' is refused: 400 invalid_avatar_url).
-- These refuse what only looks filled in (docs/reliability.md, fuzz test). When a visible nickname and an avatar
-- are both filled in, the profile_completed task event is recorded, once (a nickname stored before the
-- visibility rule may not be visible: it does not count; the birthday is not needed, as it locks for a year).
-- Returns the profile.
create or replace function public.update_profile(p_nickname text default null, p_avatar_url text default null, p_birthday date default null)
returns public.member_profile
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
  v_nickname text := private.trim_space(p_nickname);
begin
  if p_nickname is not null and (char_length(v_nickname) not between 1 and 32 or v_nickname ~ '[\u0001-\u001f\u007f-\u009f]'
                                 or not private.is_visible_name(v_nickname)) then
    perform private.raise_error('invalid_nickname', 400);
  end if;
  if p_avatar_url is not null then
    if p_avatar_url ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.(jpg|jpeg|png|webp)$' then
      -- a key of the avatars bucket: only the caller's own folder (storage.sql lets them write only there)
      if split_part(p_avatar_url, '/', 1) <> v_member_id::text then
        perform private.raise_error('avatar_not_own', 400);
      end if;
    elsif p_avatar_url !~ '^https?://[^\u0001-\u0020\u007f-\u00a0\u3000]+$' or char_length(p_avatar_url) > 500 then
      perform private.raise_error('invalid_avatar_url', 400);
    end if;
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

  if v_member.avatar_url is not null and private.is_visible_name(v_member.nickname) then
    perform private.record_task_event(v_member_id, 'profile_completed', 'profile');
  end if;
  return json_populate_record(null::public.member_profile, private.profile_json(v_member));
end
$$;
revoke all on function public.update_profile(text, text, date) from public, anon, authenticated, service_role;
grant execute on function public.update_profile(text, text, date) to authenticated;

-- RPC bind_member_phone (service_role: for a phone-verification Edge Function, e.g. WeChat getPhoneNumber):
-- sets a verified phone and records the phone_bound task event. phone_taken 409 if another member has it.
create or replace function public.bind_member_phone(p_member_id uuid, p_phone text) returns public.member_profile
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
  -- a phone an operator invited to be staff (operators.sql)
  perform private.accept_staff_invitation(p_member_id, p_phone);
  return json_populate_record(null::public.member_profile, private.profile_json(v_member));
end
$$;
revoke all on function public.bind_member_phone(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.bind_member_phone(uuid, text) to service_role;

-- This year's birthday of a member born on p_birthday (29 Feb → 28 Feb in common years).
create or replace function private.birthday_in(p_birthday date, p_year integer) returns date
language sql immutable
set search_path = ''
as $$
  select make_date(p_year, extract(month from p_birthday)::integer,
    least(extract(day from p_birthday)::integer,
          extract(day from (make_date(p_year, extract(month from p_birthday)::integer, 1) + interval '1 month - 1 day'))::integer))
$$;
revoke all on function private.birthday_in(date, integer) from public;

-- The answer of award_birthday_bonuses: how many members got the bonus.
create type public.award_birthday_bonuses_result as (
  awarded integer
);

-- RPC award_birthday_bonuses (scheduler, daily): birthday_bonus_points once per year (natural key
-- 'birthday:<year>') to members in their birthday month, unless the birthday was set or changed less than
-- birthday_min_notice_days before this year's birthday (or after it). In the lock order: the members'
-- balances first (SKIP LOCKED: a busy member gets the bonus on the next run), then the birthday campaigns,
-- then the awards.
create or replace function public.award_birthday_bonuses()
returns public.award_birthday_bonuses_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_rules public.point_rules := private.rules();
  v_today date := private.business_date(private.clock_now());
  v_year integer := extract(year from v_today)::integer;
  v_members uuid[];
  v_member uuid;
  v_awarded integer := 0;
begin
  perform private.require_scheduler();
  if v_rules.birthday_bonus_points = 0 then
    return json_populate_record(null::public.award_birthday_bonuses_result, json_build_object('awarded', 0));
  end if;
  perform private.begin_write();
  v_members := array(
    select b.member_id from public.members m join public.point_balances b on b.member_id = m.id
    where m.birthday is not null
      and extract(month from m.birthday) = extract(month from v_today)
      and private.business_date(m.birthday_set_at)
          <= private.birthday_in(m.birthday, v_year) - v_rules.birthday_min_notice_days
      and not exists (select 1 from public.point_entries e
                      where e.member_id = m.id and e.source = 'birthday' and e.ref = 'birthday:' || v_year)
    order by b.member_id
    for update of b skip locked);
  foreach v_member in array v_members loop
    perform private.lock_balance(v_member); -- held: recorded for the lock-order check
  end loop;
  perform private.lock_campaigns(array['birthday']);
  foreach v_member in array v_members loop
    continue when exists (select 1 from public.point_entries e
                          where e.member_id = v_member and e.source = 'birthday' and e.ref = 'birthday:' || v_year);
    perform private.award_points(v_member, 'birthday', v_rules.birthday_bonus_points, 'birthday:' || v_year, '生日礼');
    v_awarded := v_awarded + 1;
  end loop;
  return json_populate_record(null::public.award_birthday_bonuses_result, json_build_object('awarded', v_awarded));
end
$$;
revoke all on function public.award_birthday_bonuses() from public, anon, authenticated, service_role;
grant execute on function public.award_birthday_bonuses() to service_role;

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
revoke all on function private.profile_json(public.members) from public;

-- The parts of me's answer: the staff row of a staff member, the tier, the next tier, a pending downgrade,
-- the earliest expiring points.
create type public.me_staff as (
  store_id uuid,
  store_name text,
  role text
);

create type public.me_tier as (
  code text,
  name text,
  rank integer,
  multiplier numeric
);

create type public.me_next_tier as (
  code text,
  name text,
  min_earned_points integer,
  points_needed integer
);

create type public.me_downgrade as (
  due_at timestamptz,
  to_tier_code text,
  to_tier_name text
);

create type public.me_expiring as (
  points integer,
  expires_on date,
  expires_at timestamptz
);

-- The answer of me: the profile (private.profile_json) and the home screen's figures.
create type public.me_result as (
  id uuid,
  nickname text,
  avatar_url text,
  phone text,
  birthday date,
  birthday_editable_from timestamptz,
  created_at timestamptz,
  business_date date,
  staff public.me_staff,
  tier public.me_tier,
  qualifying_points integer,
  next_tier public.me_next_tier,
  downgrade public.me_downgrade,
  balance_points integer,
  pending_points integer,
  expiring public.me_expiring,
  streak_days integer,
  checked_in_today boolean
);

-- RPC me (member): everything the home screen needs in one call.
create or replace function public.me() returns public.me_result
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

  return jsonb_populate_record(null::public.me_result, private.profile_json(v_member)::jsonb || jsonb_build_object(
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
  ));
end
$$;
revoke all on function public.me() from public, anon, authenticated, service_role;
grant execute on function public.me() to authenticated;

-- Nicknames staff read must be visible (issue 13, SPEC "Visible names"): a nickname of U+3164 HANGUL FILLER,
-- U+2800 BRAILLE PATTERN BLANK, U+200D ZERO WIDTH JOINER or with a U+202E bidi override (alone or among
-- letters) shows a clerk a blank or reversed name, and must not complete the 完善个人资料 task.
--
-- private.is_visible_name(text) is the rule (mirrored by the client, src/domain/profile.ts nicknameIsVisible):
--  * no format character (Unicode category Cf: soft hyphen, zero-width space / non-joiner / joiner, LRM / RLM,
--    bidi embeddings, overrides and isolates, word joiner, invisible operators, BOM, interlinear annotation,
--    Arabic / Syriac / Egyptian / musical format marks, tags) — except a ZERO WIDTH JOINER between two emoji
--    (family and profession emoji: 👨‍👩‍👧, 🧑‍💻, 🏳️‍🌈) and the tag characters of an emoji tag sequence
--    (🏴 + tags + CANCEL TAG: the flags of England, Scotland, Wales);
--  * no filler or blank that renders as nothing: Hangul fillers U+115F, U+1160, U+3164, U+FFA0, Braille blank
--    U+2800, Khmer inherent vowels U+17B4, U+17B5, line / paragraph separators U+2028, U+2029;
--  * at least one visible character: not only white space, joiners, variation selectors and combining marks.
-- The Cf table is Unicode 15.1's; Postgres has no \p{Cf} (and hosted Supabase may run Postgres 15), so the code
-- points are listed.
create or replace function private.is_visible_name(p_text text) returns boolean
language sql immutable
set search_path = ''
as $$
  select p_text is not null
    and regexp_replace(
          regexp_replace(p_text,
            -- a ZWJ preceded by an emoji (optionally with VS16) and followed by one
            '([\U0001F000-\U0001FAFF\u2190-\u21FF\u2300-\u23FF\u2600-\u27BF\u2B00-\u2BFF\u00A9\u00AE\u203C\u2049\u2122\u2139\u3030\u303D\u3297\u3299]\uFE0F?)\u200D(?=[\U0001F000-\U0001FAFF\u2190-\u21FF\u2300-\u23FF\u2600-\u27BF\u2B00-\u2BFF\u00A9\u00AE\u203C\u2049\u2122\u2139\u3030\u303D\u3297\u3299])',
            '\1', 'g'),
          -- an emoji tag sequence: WAVING BLACK FLAG, tag characters, CANCEL TAG
          '\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F', '\U0001F3F4', 'g')
        !~ '[\u00AD\u0600-\u0605\u061C\u06DD\u070F\u0890-\u0891\u08E2\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB\U000110BD\U000110CD\U00013430-\U0001343F\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A\U000E0001\U000E0020-\U000E007F]'
    and p_text !~ '[\u115F\u1160\u3164\uFFA0\u2800\u17B4\u17B5\u2028\u2029]'
    and p_text ~ '[^\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u200D\uFE00-\uFE0F\u034F\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F\u180B-\u180F\U000E0100-\U000E01EF]'
$$;
revoke all on function private.is_visible_name(text) from public;
