-- Referral (邀请有礼). Every member has an invite code. A new member binds a referrer once, only while the
-- account is new (point_rules.referral_bind_window_hours after registration): no self-referral, no cycles,
-- one referrer. Both are rewarded when the invitee completes the qualifying action
-- (point_rules.referral_qualifying_action: the first check-in with a bound phone, or the first purchase);
-- the referrer at most referral_daily_max_rewards times per business day (the invitee still gets theirs).
-- Sharing itself is never rewarded (WeChat's rule): only the invitee's real action is.
--
-- The qualifying action (private.is_qualifying_event, read from the task events checked_in and
-- purchase_awarded) is an explicit step of check_in and staff_award_purchase: they lock the pending
-- referrer's balance right after the invitee's (private.lock_pending_referrer, lock order step 1) and then
-- call private.qualify_referral. A 补签 never qualifies. A void of the qualifying purchase takes both rewards
-- back and makes the referral pending again (private.revoke_referral_rewards).

-- How long after registration a member may still bind a referrer.
alter table public.point_rules
  add column referral_bind_window_hours integer not null default 24 check (referral_bind_window_hours >= 0);

-- Invite codes: 8 characters without look-alikes (no 0/O, 1/I), from a strong random source.
create or replace function private.new_invite_code() returns text
language plpgsql volatile
set search_path = ''
as $$
declare
  v_alphabet constant text := '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  v_bytes bytea;
  v_code text;
begin
  loop
    v_bytes := extensions.gen_random_bytes(8);
    v_code := '';
    for i in 0..7 loop
      v_code := v_code || substr(v_alphabet, get_byte(v_bytes, i) % 32 + 1, 1);
    end loop;
    exit when not exists (select 1 from public.members where invite_code = v_code);
  end loop;
  return v_code;
end
$$;
revoke all on function private.new_invite_code() from public;

alter table public.members add column invite_code text unique check (invite_code ~ '^[2-9A-HJ-NP-Z]{8}$');
alter table public.members alter column invite_code set default private.new_invite_code(),
  alter column invite_code set not null;

create table public.referrals (
  invitee_id uuid primary key references public.members (id),   -- one referrer per member
  referrer_id uuid not null references public.members (id),
  channel text not null check (channel in ('code', 'share')),    -- typed code, or opened a shared link/card
  status text not null default 'pending' check (status in ('pending', 'rewarded')),
  qualifying_ref text check (char_length(qualifying_ref) <= 200), -- 'check_in:<date>' / 'purchase:<id>'
  qualified_at timestamptz,
  invitee_entry_id bigint references public.point_entries (id),
  referrer_entry_id bigint references public.point_entries (id),
  referrer_skipped text check (referrer_skipped in ('daily_cap')), -- why the referrer got nothing
  created_at timestamptz not null default now(),
  check (referrer_id <> invitee_id),
  check ((status = 'rewarded') = (qualified_at is not null and qualifying_ref is not null))
);
alter table public.referrals enable row level security;
revoke all on public.referrals from anon, authenticated, service_role;
grant select on public.referrals to authenticated, service_role;

create index referrals_referrer_idx on public.referrals (referrer_id, created_at desc);

create policy referrals_read_own on public.referrals for select to authenticated using (invitee_id = (select auth.uid()));

-- Reward a pending referral for the invitee's qualifying action p_event (p_ref: its natural key). The caller
-- holds both balances (lock order step 1: the invitee's, then the referrer's from
-- private.lock_pending_referrer) and the referral campaigns (step 3).
create or replace function private.qualify_referral(p_member_id uuid, p_event text, p_ref text) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_rules public.point_rules := private.rules();
  v_referral public.referrals;
  v_ref text;
  v_invitee_entry bigint;
  v_referrer_entry bigint;
  v_skipped text;
begin
  if not private.is_qualifying_event(p_member_id, p_event) then
    return;
  end if;
  select * into v_referral from public.referrals where invitee_id = p_member_id and status = 'pending' for update;
  if not found then
    return;
  end if;
  v_ref := case p_event when 'checked_in' then 'check_in:' else 'purchase:' end || p_ref;

  if v_rules.referral_bonus_points > 0 then
    v_invitee_entry := (private.award_points(p_member_id, 'referral', v_rules.referral_bonus_points, 'invitee:' || v_ref,
      '好友邀请注册奖励', jsonb_build_object('referrer_id', v_referral.referrer_id))).entry_id;
    perform private.lock_balance(v_referral.referrer_id); -- held since step 1
    if private.referrer_rewards_on(v_referral.referrer_id, private.business_date(private.clock_now()))
       < v_rules.referral_daily_max_rewards then
      v_referrer_entry := (private.award_points(v_referral.referrer_id, 'referral', v_rules.referral_bonus_points,
        'referrer:' || p_member_id || ':' || v_ref, '邀请好友奖励', jsonb_build_object('invitee_id', p_member_id))).entry_id;
    else
      v_skipped := 'daily_cap';
    end if;
  end if;

  update public.referrals
  set status = 'rewarded', qualifying_ref = v_ref, qualified_at = private.clock_now(),
      invitee_entry_id = v_invitee_entry, referrer_entry_id = v_referrer_entry, referrer_skipped = v_skipped
  where invitee_id = p_member_id;
end
$$;
revoke all on function private.qualify_referral(uuid, text, text) from public;

-- Referrer rewards paid on a business day and not reversed (the daily cap counts these).
create or replace function private.referrer_rewards_on(p_referrer_id uuid, p_day date) returns integer
language sql stable
set search_path = ''
as $$
  select count(*)::integer from public.point_entries e
  where e.member_id = p_referrer_id and e.source = 'referral' and e.kind = 'earn' and e.ref like 'referrer:%'
    and e.business_date = p_day
    and not exists (select 1 from public.point_entries r where r.reverses_entry_id = e.id)
$$;
revoke all on function private.referrer_rewards_on(uuid, date) from public;

-- Reverse an earn if the member can still cover it: true when reversed, false when the points are already
-- spent (insufficient_points; nothing changed). For undoing rewards whose cause was undone, where a member's
-- spending must not block the undo (a void, see also private.undo_tier_upgrades_since).
create or replace function private.try_reverse_entry(p_entry_id bigint, p_description text, p_meta jsonb default '{}')
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  perform private.reverse_entry(p_entry_id, p_description, p_meta);
  return true;
exception when sqlstate 'PT409' then
  if sqlerrm <> 'insufficient_points' then
    raise;
  end if;
  return false;
end
$$;
revoke all on function private.try_reverse_entry(bigint, text, jsonb) from public;

-- Undo the rewards a qualifying action paid, when that action is undone (a voided purchase): both rewards
-- are reversed and the referral is pending again, so the invitee's next real action qualifies. A reward the
-- member can no longer cover (points spent) is left and reported as unrecovered. Null if p_ref paid nothing.
-- Its answer is part of staff_void_purchase's (purchases.sql): a reward, and the rewards taken back or left.
create type public.referral_reward as (
  member_id uuid,
  points integer
);

create type public.referral_rewards_revoked as (
  reversed public.referral_reward[],
  unrecovered public.referral_reward[]
);

create or replace function private.revoke_referral_rewards(p_invitee_id uuid, p_qualifying_ref text) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_referral public.referrals;
  v_entry bigint;
  v_reversed jsonb := '[]';
  v_unrecovered jsonb := '[]';
  v_item jsonb;
begin
  select * into v_referral from public.referrals
  where invitee_id = p_invitee_id and status = 'rewarded' and qualifying_ref = p_qualifying_ref for update;
  if not found then
    return null;
  end if;
  foreach v_entry in array array_remove(array[v_referral.invitee_entry_id, v_referral.referrer_entry_id], null) loop
    v_item := (select jsonb_build_object('member_id', e.member_id, 'points', e.amount_points)
               from public.point_entries e where e.id = v_entry);
    if private.try_reverse_entry(v_entry, '撤销邀请奖励', jsonb_build_object('qualifying_ref', p_qualifying_ref)) then
      v_reversed := v_reversed || v_item;
    else
      v_unrecovered := v_unrecovered || v_item;
    end if;
  end loop;
  update public.referrals
  set status = 'pending', qualifying_ref = null, qualified_at = null, invitee_entry_id = null,
      referrer_entry_id = null, referrer_skipped = null
  where invitee_id = p_invitee_id;
  return jsonb_build_object('reversed', v_reversed, 'unrecovered', v_unrecovered);
end
$$;
revoke all on function private.revoke_referral_rewards(uuid, text) from public;

-- The referrer in bind_referrer's answer.
create type public.bound_referrer as (
  nickname text,
  avatar_url text
);

-- The answer of bind_referrer.
create type public.bind_referrer_result as (
  referrer public.bound_referrer,
  channel text,
  status text,
  bound_at timestamptz,
  qualifying_action text,
  bonus_points integer
);

-- RPC bind_referrer (member): bind the member who invited me, by their invite code, while my account is new.
-- p_channel: 'code' (typed) or 'share' (opened a shared card/link carrying the code). Binding the same
-- referrer again returns the same result.
create or replace function public.bind_referrer(p_invite_code text, p_channel text default 'code')
returns public.bind_referrer_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member_id uuid := private.require_member();
  v_code text := upper(btrim(p_invite_code));
  v_rules public.point_rules := private.rules();
  v_member public.members;
  v_referrer public.members;
  v_existing public.referrals;
begin
  if v_code is null or v_code !~ '^[2-9A-HJ-NP-Z]{8}$' then
    perform private.raise_error('invalid_invite_code', 400);
  end if;
  if p_channel is null or p_channel not in ('code', 'share') then
    perform private.raise_error('invalid_channel', 400);
  end if;
  perform private.begin_write();
  perform private.lock_balance(v_member_id);
  -- every bind waits here: the cycle check below sees every earlier bind (binds are rare)
  perform pg_advisory_xact_lock(hashtextextended('jifen:bind_referrer', 0));

  select * into v_referrer from public.members where invite_code = v_code;
  if not found then
    perform private.raise_error('invite_code_not_found', 404);
  end if;
  if v_referrer.id = v_member_id then
    perform private.raise_error('self_referral', 409);
  end if;
  select * into v_existing from public.referrals where invitee_id = v_member_id;
  if found and v_existing.referrer_id <> v_referrer.id then
    perform private.raise_error('referrer_already_bound', 409);
  end if;
  if not found then
    select * into v_member from public.members where id = v_member_id;
    if v_member.created_at <= private.clock_now() - make_interval(hours => v_rules.referral_bind_window_hours) then
      perform private.raise_error('referral_window_closed', 409);
    end if;
    if exists (
      with recursive chain(member_id) as (
        select v_referrer.id
        union
        select r.referrer_id from public.referrals r join chain c on r.invitee_id = c.member_id
      )
      select 1 from chain where member_id = v_member_id
    ) then
      perform private.raise_error('referral_cycle', 409);
    end if;
    insert into public.referrals (invitee_id, referrer_id, channel, created_at)
    values (v_member_id, v_referrer.id, p_channel, private.clock_now())
    returning * into v_existing;
  end if;

  return json_populate_record(null::public.bind_referrer_result, json_build_object(
    'referrer', json_build_object('nickname', v_referrer.nickname, 'avatar_url', v_referrer.avatar_url),
    'channel', v_existing.channel,
    'status', v_existing.status,
    'bound_at', v_existing.created_at,
    'qualifying_action', v_rules.referral_qualifying_action,
    'bonus_points', v_rules.referral_bonus_points
  ));
end
$$;
revoke all on function public.bind_referrer(text, text)
  from public, anon, authenticated, service_role;
grant execute on function public.bind_referrer(text, text) to authenticated;

-- The parts of list_invitees' answer: who invited me, one of my invitees.
create type public.my_referrer as (
  nickname text,
  avatar_url text,
  status text,
  bound_at timestamptz
);

create type public.invitee as (
  nickname text,
  avatar_url text,
  bound_at timestamptz,
  status text,
  qualified_at timestamptz,
  reward_points integer,
  referrer_skipped text
);

-- The answer of list_invitees.
create type public.list_invitees_result as (
  invite_code text,
  referrer public.my_referrer,
  bonus_points integer,
  qualifying_action text,
  daily_max_rewards integer,
  rewards_today integer,
  invited_count bigint,
  rewarded_count bigint,
  earned_points bigint,
  invitees public.invitee[],
  -- until when I may still bind a referrer (typed code or share): null once bound or after the window
  bind_until timestamptz
);

-- RPC list_invitees (member): my invite code, who invited me, my invitees (newest first, p_limit at a time,
-- bound before p_before when paging) with what each earned me, and today's count against the daily cap.
create or replace function public.list_invitees(p_limit integer default 20, p_before timestamptz default null)
returns public.list_invitees_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_member_id uuid := private.require_member();
  v_rules public.point_rules := private.rules();
  v_bind_until timestamptz;
begin
  perform private.check_page_limit(p_limit);
  -- bind_referrer's window rule: open while created_at + the window is still ahead and nobody is bound
  select m.created_at + make_interval(hours => v_rules.referral_bind_window_hours) into v_bind_until
  from public.members m where m.id = v_member_id;
  if v_bind_until <= private.clock_now() or exists (select 1 from public.referrals where invitee_id = v_member_id) then
    v_bind_until := null;
  end if;
  return json_populate_record(null::public.list_invitees_result, json_build_object(
    'invite_code', (select invite_code from public.members where id = v_member_id),
    'bind_until', v_bind_until,
    'referrer', (select json_build_object('nickname', m.nickname, 'avatar_url', m.avatar_url, 'status', r.status,
                                          'bound_at', r.created_at)
                 from public.referrals r join public.members m on m.id = r.referrer_id where r.invitee_id = v_member_id),
    'bonus_points', v_rules.referral_bonus_points,
    'qualifying_action', v_rules.referral_qualifying_action,
    'daily_max_rewards', v_rules.referral_daily_max_rewards,
    'rewards_today', private.referrer_rewards_on(v_member_id, private.business_date(private.clock_now())),
    'invited_count', (select count(*) from public.referrals where referrer_id = v_member_id),
    'rewarded_count', (select count(*) from public.referrals where referrer_id = v_member_id and status = 'rewarded'),
    -- net of reversals: what the referral program has paid me so far
    'earned_points', (select coalesce(sum(e.amount_points), 0) from public.point_entries e
                      left join public.point_entries o on o.id = e.reverses_entry_id
                      where e.member_id = v_member_id and e.source = 'referral' and coalesce(o.ref, e.ref) like 'referrer:%'),
    'invitees', coalesce((
      select json_agg(json_build_object(
        'nickname', m.nickname,
        'avatar_url', m.avatar_url,
        'bound_at', r.created_at,
        'status', r.status,
        'qualified_at', r.qualified_at,
        'reward_points', coalesce(e.amount_points, 0),
        'referrer_skipped', r.referrer_skipped
      ) order by r.created_at desc, r.invitee_id)
      from (select * from public.referrals x
            where x.referrer_id = v_member_id and (p_before is null or x.created_at < p_before)
            order by x.created_at desc, x.invitee_id limit p_limit) r
      join public.members m on m.id = r.invitee_id
      left join public.point_entries e on e.id = r.referrer_entry_id
    ), '[]'::json)
  ));
end
$$;
revoke all on function public.list_invitees(integer, timestamptz)
  from public, anon, authenticated, service_role;
grant execute on function public.list_invitees(integer, timestamptz) to authenticated;

-- Whether p_event of the member is the configured referral qualifying action (the first check-in with a
-- bound phone, or the first purchase).
create or replace function private.is_qualifying_event(p_member_id uuid, p_event text) returns boolean
language plpgsql stable
set search_path = ''
as $$
declare
  v_action text := (select referral_qualifying_action from public.point_rules);
begin
  return (v_action = 'first_check_in_after_phone' and p_event = 'checked_in'
          and exists (select 1 from public.members where id = p_member_id and phone is not null))
      or (v_action = 'first_purchase' and p_event = 'purchase_awarded');
end
$$;
revoke all on function private.is_qualifying_event(uuid, text) from public;

-- Lock order step 1 for a second member (rpc_helpers.sql): the referrer whose reward this write of
-- p_member_id may pay (p_event is the configured qualifying action and the referral is pending), locked now;
-- null if none. The member's own balance is locked (by the caller), so no bind can change the answer
-- meanwhile.
create or replace function private.lock_pending_referrer(p_member_id uuid, p_event text) returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_referrer uuid;
begin
  if not private.is_qualifying_event(p_member_id, p_event) then
    return null;
  end if;
  select referrer_id into v_referrer from public.referrals where invitee_id = p_member_id and status = 'pending';
  if v_referrer is not null then
    perform private.lock_balance(v_referrer);
  end if;
  return v_referrer;
end
$$;
revoke all on function private.lock_pending_referrer(uuid, text) from public;
