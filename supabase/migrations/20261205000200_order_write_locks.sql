-- One lock order for every write path (docs/concurrency.md), and the rules found loose next to it.
--
-- Before: a check-in of an invitee took the invitee's balance, then the campaign row, then the referrer's
-- balance, while the referrer's own write held the referrer's balance and waited for that campaign row; an
-- award locked the clerk's staff row first and a void of the same clerk waited on it (its foreign keys to
-- staff) while holding the member and the campaign. Under ordinary settings a storm of writes answered
-- 500 40P01 on 17–42 of ~530 calls.
--
-- The order, for every writing transaction:
--   1. balances (public.point_balances, private.lock_balance): the member the write is about, then that
--      member's referrer when the write may pay or take back a referral reward (decided under the member's
--      lock, before anything else is locked). Referrals form a forest, so invitee → referrer is one order.
--      Jobs that touch many members take balances with SKIP LOCKED and never wait for one.
--   2. rows owned by those members (request ids, referral, purchases, redemptions, check-ins, task claims,
--      tier, lots): only ever locked under their member's balance, so nobody waits for them long.
--   3. shared rows, each kind at most once and in this order: the order reference (advisory lock), the
--      campaigns the write may use (all of them at once, by id: private.lock_campaigns), the mall item, the
--      clerk's staff row (FOR NO KEY UPDATE: foreign keys to it never wait).
-- private.lock_balance refuses (XX000, a bug) to take a new balance once a transaction entered step 3, and
-- private.award_points / private.reverse_entry refuse to use a campaign that was not locked in step 3.
--
-- Rules (issue 13 §2): a 补签 never qualifies a referral (qualification is an explicit step of check_in
-- and staff_award_purchase, no longer hidden in the task-event recorder); a void also takes back the task
-- rewards its purchase paid; the best campaign that can still pay this member applies (member cap and
-- budget alike); tier reviews decide under the member's lock; staff_award_purchase says when an order was
-- awarded before (repeat) and by whom.

-- 1. The lock bookkeeping -------------------------------------------------------------------------------

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

-- Step 1: lock (creating if needed) a member's balance row. Refused once the transaction holds shared rows.
create or replace function private.lock_balance(p_member_id uuid) returns public.point_balances
language plpgsql
set search_path = ''
as $$
declare
  v_row public.point_balances;
  v_held text := coalesce(current_setting('jifen.locked_members', true), '');
begin
  if strpos(v_held, p_member_id::text) = 0 and coalesce(current_setting('jifen.lock_phase', true), '') = 'shared' then
    raise exception 'lock order: balance of % locked after shared rows', p_member_id using errcode = 'XX000';
  end if;
  select * into v_row from public.point_balances where member_id = p_member_id for update;
  if not found then
    if not exists (select 1 from public.members where id = p_member_id) then
      perform private.raise_error('member_not_found', 404);
    end if;
    insert into public.point_balances (member_id) values (p_member_id) on conflict do nothing;
    select * into v_row from public.point_balances where member_id = p_member_id for update;
  end if;
  if strpos(v_held, p_member_id::text) = 0 then
    perform set_config('jifen.locked_members', v_held || p_member_id::text || ',', true);
  end if;
  return v_row;
end
$$;

-- Step 3: lock every campaign the write may use, in id order, in one go: those running now for p_sources,
-- and p_ids (campaigns of entries the write reverses, running or not). Later calls may only ask for sources
-- and ids already locked (a campaign an operator creates meanwhile is not used by this write).
create or replace function private.lock_campaigns(p_sources text[], p_ids uuid[] default '{}') returns void
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_ids text;
begin
  if coalesce(current_setting('jifen.lock_phase', true), '') = 'shared' then
    if exists (select 1 from unnest(p_ids) i where strpos(current_setting('jifen.locked_campaigns', true), i::text) = 0)
       or exists (select 1 from unnest(p_sources) s
                  where s <> all (string_to_array(current_setting('jifen.campaign_sources', true), ','))) then
      raise exception 'lock order: campaigns for % locked after shared rows', p_sources using errcode = 'XX000';
    end if;
    return;
  end if;
  perform set_config('jifen.lock_phase', 'shared', true);
  select coalesce(string_agg(x.id::text, ','), '') into v_ids
  from (select c.id from public.campaigns c
        where c.id = any (p_ids) or (c.sources && p_sources and c.starts_at <= v_now and c.ends_at > v_now)
        order by c.id
        for no key update) x;
  perform set_config('jifen.locked_campaigns', v_ids, true),
          set_config('jifen.campaign_sources', array_to_string(p_sources, ','), true);
end
$$;

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

-- Step 1 for a second member: the referrer whose reward this write of p_member_id may pay (p_event is the
-- configured qualifying action and the referral is pending), locked now; null if none. The member's own
-- balance is locked (by the caller), so no bind can change the answer meanwhile.
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

-- 2. The primitives ------------------------------------------------------------------------------------

-- THE award primitive. Credits p_points (> 0) under the natural key (member, source, ref) as one entry and
-- one lot (expiring lot_validity_months after today, spendable from p_available_at); a retry with the same
-- key returns the first entry. Adds the campaign extra: the best campaign for the source (highest
-- multiplier, then the earliest) that can still pay this member — budget left and member cap left — pays
-- floor(points × (multiplier − 1)), within what its cap and budget leave; one campaign per award. Upgrades
-- the tier if the member now qualifies. Campaigns come from step 3: locked here if the transaction has not
-- locked any yet, refused (XX000) if it locked others.
create or replace function private.award_points(
  p_member_id uuid, p_source text, p_points integer, p_ref text,
  p_description text default '', p_meta jsonb default '{}', p_available_at timestamptz default null,
  out entry_id bigint, out campaign_points integer
)
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_entry public.point_entries;
  v_campaign public.campaigns;
  v_extra integer;
  v_pick record; -- the campaign that pays, and what it already paid this member
begin
  if p_points is null or p_points <= 0 then
    perform private.raise_error('invalid_points', 400);
  end if;
  perform private.lock_balance(p_member_id);
  perform private.expire_member_lots(p_member_id);

  v_entry := private.find_entry(p_member_id, p_source, p_ref, p_points);
  if v_entry.id is not null then
    entry_id := v_entry.id;
    select coalesce(sum(e.amount_points), 0) into campaign_points from public.point_entries e
    where e.member_id = p_member_id and e.source = 'campaign' and e.ref = 'entry:' || v_entry.id;
    return;
  end if;

  v_entry := private.insert_entry(p_member_id, 'earn', p_source, p_ref, p_points, p_description, p_meta);
  insert into public.point_lots (member_id, entry_id, earned_points, remaining_points, available_at, expires_at)
  values (p_member_id, v_entry.id, p_points, p_points, greatest(coalesce(p_available_at, v_now), v_now),
          private.lot_expires_at(v_entry.business_date));
  entry_id := v_entry.id;
  campaign_points := 0;

  if p_source in ('check_in', 'check_in_streak', 'task', 'purchase', 'referral', 'birthday', 'registration') then
    perform private.lock_campaigns(array[p_source]);
    select c as campaign, paid.points as paid into v_pick
    from public.campaigns c
    -- what the campaign already paid this member (only summed where a member cap needs it)
    cross join lateral (
      select coalesce(sum(e.amount_points), 0)::integer as points from public.point_entries e
      where c.member_cap_points is not null and e.member_id = p_member_id and e.campaign_id = c.id) paid
    where strpos(current_setting('jifen.locked_campaigns', true), c.id::text) > 0
      and p_source = any (c.sources) and c.starts_at <= v_now and c.ends_at > v_now
      and (c.budget_points is null or c.awarded_points < c.budget_points)
      and (c.member_cap_points is null or c.member_cap_points > paid.points)
    order by c.multiplier desc, c.starts_at, c.id
    limit 1;
    if found then
      v_campaign := v_pick.campaign;
      v_extra := floor(p_points * (v_campaign.multiplier - 1))::integer;
      if v_campaign.member_cap_points is not null then
        v_extra := least(v_extra, v_campaign.member_cap_points - v_pick.paid);
      end if;
      if v_campaign.budget_points is not null then
        v_extra := least(v_extra, v_campaign.budget_points - v_campaign.awarded_points);
      end if;
      if v_extra > 0 then
        update public.campaigns set awarded_points = awarded_points + v_extra where id = v_campaign.id;
        v_entry := private.insert_entry(p_member_id, 'earn', 'campaign', 'entry:' || entry_id, v_extra,
          v_campaign.name, jsonb_build_object('multiplier', v_campaign.multiplier), v_campaign.id);
        insert into public.point_lots (member_id, entry_id, earned_points, remaining_points, available_at, expires_at)
        select p_member_id, v_entry.id, v_extra, v_extra, l.available_at, l.expires_at
        from public.point_lots l where l.entry_id = award_points.entry_id;
        campaign_points := v_extra;
      end if;
    end if;
  end if;

  if p_source <> 'tier_upgrade' then
    perform private.evaluate_tier(p_member_id); -- create_tiers
  end if;
end
$$;

-- THE correction primitive: a new entry that reverses an earn or a spend (once; a retry returns it).
-- Reversing an earn takes the points back from the lot it created first (pending or not), then from the
-- member's other lots; it also reverses the campaign extra paid on it and returns that to the budget (the
-- campaign must be one the transaction locked in step 3, or is locked here if it locked none).
-- Points of the earn that already expired are not taken again (null when all of them expired).
-- Reversing a spend gives the points back into lots with the expiry of the lots they came from (already
-- expired ones expire again at once). Expiries and reversals cannot be reversed.
create or replace function private.reverse_entry(p_entry_id bigint, p_description text default '', p_meta jsonb default '{}')
returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_orig public.point_entries;
  v_rev public.point_entries;
  v_extra public.point_entries;
  v_points integer;
begin
  select * into v_orig from public.point_entries where id = p_entry_id;
  if not found then
    perform private.raise_error('entry_not_found', 404);
  end if;
  perform private.lock_balance(v_orig.member_id);
  select * into v_rev from public.point_entries where reverses_entry_id = p_entry_id;
  if found then
    return v_rev.id;
  end if;
  if v_orig.kind not in ('earn', 'spend') then
    perform private.raise_error('not_reversible', 409);
  end if;
  perform private.expire_member_lots(v_orig.member_id);
  -- an earn's points that already expired have left the balance once: only the rest is taken back
  v_points := abs(v_orig.amount_points);
  if v_orig.kind = 'earn' then
    v_points := v_points - (select coalesce(sum(u.points), 0) from public.point_lots l
      join public.point_lot_usages u on u.lot_id = l.id join public.point_entries x on x.id = u.entry_id
      where l.entry_id = v_orig.id and x.kind = 'expire');
    -- after the expiry pass the balance is exactly what consume_lots may take (pending lots included)
    if (select balance_points from public.point_balances where member_id = v_orig.member_id) < v_points then
      perform private.raise_error('insufficient_points', 409);
    end if;
  end if;
  if v_points = 0 then
    return null; -- all of it expired: nothing to take back
  end if;

  v_rev := private.insert_entry(v_orig.member_id, 'reverse', v_orig.source, 'reverse:' || v_orig.id,
    -sign(v_orig.amount_points)::integer * v_points, p_description, p_meta, v_orig.campaign_id, v_orig.id);
  if v_orig.kind = 'earn' then
    perform private.consume_lots(v_orig.member_id, v_rev.id, v_points, true,
      array(select l.id from public.point_lots l where l.entry_id = v_orig.id));
    if v_orig.campaign_id is not null then
      perform private.lock_campaigns('{}', array[v_orig.campaign_id]);
      update public.campaigns set awarded_points = awarded_points - v_points where id = v_orig.campaign_id;
    end if;
    select * into v_extra from public.point_entries
    where member_id = v_orig.member_id and source = 'campaign' and ref = 'entry:' || v_orig.id;
    if found then
      perform private.reverse_entry(v_extra.id, p_description, p_meta);
    end if;
  else
    insert into public.point_lots (member_id, entry_id, earned_points, remaining_points, available_at, expires_at)
    select v_orig.member_id, v_rev.id, u.points, u.points, private.clock_now(), l.expires_at
    from public.point_lot_usages u join public.point_lots l on l.id = u.lot_id
    where u.entry_id = v_orig.id
    order by l.expires_at, l.id;
    perform private.expire_member_lots(v_orig.member_id);
  end if;
  return v_rev.id;
end
$$;

-- The campaigns that paid extras on these entries (what reversing them gives back to): for step 3.
create or replace function private.extra_campaigns(p_entry_ids bigint[]) returns uuid[]
language plpgsql stable
set search_path = ''
as $$
begin
  return array(
    select distinct x.campaign_id
    from public.point_entries e
    join public.point_entries x on x.member_id = e.member_id and x.source = 'campaign' and x.ref = 'entry:' || e.id
    where e.id = any (p_entry_ids) and x.campaign_id is not null);
end
$$;

-- 3. Tasks: events a void takes back, claims a void reverses --------------------------------------------

alter table public.task_events add column revoked_at timestamptz; -- the purchase behind it was voided
drop index public.task_events_period_idx;
create index task_events_period_idx on public.task_events (member_id, event, business_date) where revoked_at is null;
alter table public.task_claims
  add column reversed_at timestamptz,                                      -- its event was taken back
  add column reverse_entry_id bigint references public.point_entries (id);

-- Task events as in create_tasks (create_referrals had hidden the referral qualification in here; it is
-- now an explicit step of check_in and staff_award_purchase).
create or replace function private.record_task_event(p_member_id uuid, p_event text, p_ref text, p_business_date date default null)
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  insert into public.task_events (member_id, event, ref, business_date, created_at)
  values (p_member_id, p_event, p_ref, coalesce(p_business_date, private.business_date(private.clock_now())), private.clock_now())
  on conflict do nothing;
  return found;
end
$$;

-- Tasks with their progress: events that stand (not revoked), claims that stand (not reversed).
create or replace function private.member_tasks(p_member_id uuid, p_on date)
returns table (code text, title text, description text, kind text, event text, reward_points integer,
  required_count integer, period_limit integer, sort_order integer, period_key text, progress integer,
  completions integer, claimed integer)
language plpgsql stable
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select t.code, t.title, t.description, t.kind, t.event, t.reward_points, t.required_count, t.period_limit,
         t.sort_order, p.period_key, e.n, least(e.n / t.required_count, t.period_limit), c.n
  from public.tasks t
  cross join lateral private.task_period(t.kind, p_on) p
  cross join lateral (
    select count(*)::integer as n from public.task_events e
    where e.member_id = p_member_id and e.event = t.event and e.revoked_at is null
      and (p.starts_on is null or e.business_date between p.starts_on and p.ends_on)) e
  cross join lateral (
    select count(*)::integer as n from public.task_claims c
    where c.member_id = p_member_id and c.task_code = t.code and c.period_key = p.period_key and c.reversed_at is null) c
  where t.active;
end
$$;

-- The daily task caps count the rewards that stand.
create or replace function private.task_day_usage(p_member_id uuid, p_on date, out rewards_used integer, out points_used integer)
language plpgsql stable
set search_path = ''
as $$
begin
  select count(*)::integer, coalesce(sum(c.points), 0)::integer into rewards_used, points_used
  from public.task_claims c where c.member_id = p_member_id and c.claimed_on = p_on and c.reversed_at is null;
end
$$;

-- The claims that stand on the completions a member's event p_ref of p_event counted for: the latest
-- claims of each period beyond what the remaining events complete. What a void of that event reverses.
create or replace function private.claims_paid_by_event(p_member_id uuid, p_event text, p_ref text)
returns setof public.task_claims
language plpgsql stable
set search_path = ''
as $$
begin
  return query
  with ev as (
    select e.business_date from public.task_events e
    where e.member_id = p_member_id and e.event = p_event and e.ref = p_ref and e.revoked_at is null
  ), periods as (
    select t.code, t.required_count, t.period_limit, p.period_key, p.starts_on, p.ends_on
    from ev cross join public.tasks t cross join lateral private.task_period(t.kind, ev.business_date) p
    where t.event = p_event
  ), left_after as (
    select pr.code, pr.period_key, least((
      select count(*) from public.task_events e
      where e.member_id = p_member_id and e.event = p_event and e.revoked_at is null and e.ref <> p_ref
        and (pr.starts_on is null or e.business_date between pr.starts_on and pr.ends_on)) / pr.required_count,
      pr.period_limit) as completions
    from periods pr
  )
  select c.* from left_after l
  join lateral (
    select c.* from public.task_claims c
    where c.member_id = p_member_id and c.task_code = l.code and c.period_key = l.period_key and c.reversed_at is null
    order by c.seq desc
    limit greatest((select count(*) from public.task_claims s
                    where s.member_id = p_member_id and s.task_code = l.code and s.period_key = l.period_key
                      and s.reversed_at is null) - l.completions, 0)
  ) c on true;
end
$$;

-- RPC claim_task, as in create_task_claims; a claim's sequence number follows every claim of the period,
-- also reversed ones (their entries keep their natural keys).
create or replace function public.claim_task(p_task_code text, p_request_id uuid default null)
returns json
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
  v_today date;
  v_task record;
  v_used record;
  v_rules public.point_rules;
  v_seq integer;
  v_award record;
  v_result jsonb;
begin
  perform private.begin_write();
  perform private.lock_balance(v_member);
  v_result := private.begin_request(v_member, p_request_id, 'claim_task', jsonb_build_object('task_code', p_task_code));
  if v_result is not null then
    return v_result::json;
  end if;

  v_today := private.business_date(private.clock_now());
  select * into v_task from private.member_tasks(v_member, v_today) t where t.code = p_task_code;
  if not found then
    perform private.raise_error('task_not_found', 404);
  end if;
  if v_task.claimed >= v_task.completions then
    perform private.raise_error('task_not_completed', 409);
  end if;
  v_rules := private.rules();
  select * into v_used from private.task_day_usage(v_member, v_today);
  if v_used.rewards_used + 1 > v_rules.task_daily_max_rewards
     or v_used.points_used + v_task.reward_points > v_rules.task_daily_max_points then
    perform private.raise_error('daily_task_limit_reached', 409);
  end if;

  v_seq := 1 + (select coalesce(max(c.seq), 0) from public.task_claims c
                where c.member_id = v_member and c.task_code = v_task.code and c.period_key = v_task.period_key);
  perform private.lock_campaigns(array['task']);
  select * into v_award from private.award_points(v_member, 'task', v_task.reward_points,
    v_task.code || ':' || v_task.period_key || ':' || v_seq, v_task.title);
  insert into public.task_claims (member_id, task_code, period_key, seq, points, entry_id, claimed_on, created_at)
  values (v_member, v_task.code, v_task.period_key, v_seq, v_task.reward_points, v_award.entry_id, v_today, private.clock_now());

  return private.finish_request(v_member, p_request_id, jsonb_build_object(
    'task_code', v_task.code, 'period_key', v_task.period_key, 'seq', v_seq, 'points', v_task.reward_points,
    'campaign_points', v_award.campaign_points,
    'balance_points', (select balance_points from public.point_balances where member_id = v_member)))::json;
end
$$;

-- 4. Check-in: only a real check-in qualifies a referral --------------------------------------------------

-- Reward a pending referral for the invitee's qualifying action p_event (p_ref: its natural key). Both
-- balances are held (step 1: private.lock_pending_referrer) and the referral campaigns (step 3).
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

-- RPC check_in (member): today's check-in; it may qualify the member's pending referral (a 补签 never does).
create or replace function public.check_in(p_request_id uuid default null)
returns json
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member uuid;
  v_today date := private.business_date(private.clock_now());
  v_previous jsonb;
  v_referrer uuid;
  v_result jsonb;
begin
  v_member := private.require_member();
  perform private.begin_write();
  perform private.lock_balance(v_member);
  v_referrer := private.lock_pending_referrer(v_member, 'checked_in');
  v_previous := private.begin_request(v_member, p_request_id, 'check_in', '{}');
  if v_previous is not null then
    return v_previous::json;
  end if;
  if exists (select 1 from public.check_ins where member_id = v_member and check_in_date = v_today) then
    perform private.raise_error('already_checked_in', 409);
  end if;
  perform private.lock_campaigns(array['check_in', 'check_in_streak'] || case when v_referrer is null then '{}'::text[] else array['referral'] end);
  v_result := private.write_check_in(v_member, v_today);
  if v_referrer is not null then
    perform private.qualify_referral(v_member, 'checked_in', v_today::text);
  end if;
  return private.finish_request(v_member, p_request_id, v_result)::json;
end
$$;

-- RPC make_up_check_in (member): 补签 — a bought check-in of a missed day. Never qualifies a referral.
create or replace function public.make_up_check_in(p_date date, p_request_id uuid default null)
returns json
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member uuid;
  v_today date := private.business_date(private.clock_now());
  v_rules public.point_rules := private.rules();
  v_previous jsonb;
begin
  v_member := private.require_member();
  perform private.begin_write();
  perform private.lock_balance(v_member);
  v_previous := private.begin_request(v_member, p_request_id, 'make_up_check_in', jsonb_build_object('p_date', p_date));
  if v_previous is not null then
    return v_previous::json;
  end if;
  if p_date is null or p_date >= v_today then
    perform private.raise_error('invalid_date', 400);
  end if;
  if p_date < private.earliest_make_up_date(v_member, v_today) then
    perform private.raise_error('make_up_window_passed', 409);
  end if;
  if exists (select 1 from public.check_ins where member_id = v_member and check_in_date = p_date) then
    perform private.raise_error('already_checked_in', 409);
  end if;
  if private.make_ups_used(v_member, v_today) >= v_rules.make_up_monthly_limit then
    perform private.raise_error('make_up_limit_reached', 409);
  end if;
  if v_rules.make_up_cost_points > 0 then
    perform private.spend_points(v_member, 'make_up', v_rules.make_up_cost_points, p_date::text, '补签 ' || p_date);
  end if;
  perform private.lock_campaigns(array['check_in', 'check_in_streak']);
  return private.finish_request(v_member, p_request_id,
    private.write_check_in(v_member, p_date, v_today) || jsonb_build_object('cost_points', v_rules.make_up_cost_points))::json;
end
$$;

-- 5. Purchases ------------------------------------------------------------------------------------------

-- A purchase as staff and members see it; awarded_by is the staff member who awarded it.
create or replace function private.purchase_json(p_purchase public.purchases) returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
      'purchase_id', p_purchase.id,
      'store_id', p_purchase.store_id,
      'order_ref', p_purchase.order_ref,
      'member', jsonb_build_object('id', m.id, 'nickname', m.nickname, 'phone', private.mask_phone(m.phone)),
      'amount_fen', p_purchase.amount_fen,
      'tier_code', p_purchase.tier_code,
      'multiplier', p_purchase.multiplier,
      'points', p_purchase.points,
      'campaign_points', p_purchase.campaign_points,
      'available_at', p_purchase.available_at,
      'pending', p_purchase.status = 'awarded' and p_purchase.points > 0 and p_purchase.available_at > private.clock_now(),
      'status', p_purchase.status,
      'created_at', p_purchase.created_at,
      'awarded_by', (select jsonb_build_object('member_id', s.id, 'nickname', s.nickname)
                     from public.members s where s.id = p_purchase.staff_member_id),
      'balance_points', private.available_points(p_purchase.member_id)
    )
    from public.members m
    where m.id = p_purchase.member_id
  );
end
$$;

-- RPC staff_award_purchase (staff): as in create_purchases / trim_write_rpcs, in the lock order: the
-- member, the referrer a first purchase pays, the order, the campaigns, last the clerk's row (the daily cap).
-- The answer has repeat = true when the order had been awarded before this call (nothing awarded now; the
-- answer describes that award, created_at and awarded_by included).
create or replace function public.staff_award_purchase(p_member_code text, p_amount_fen bigint, p_order_ref text, p_request_id uuid)
returns json
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_staff public.staff := private.require_staff();
  v_rules public.point_rules := private.rules();
  v_now timestamptz := private.clock_now();
  v_today date := private.business_date(private.clock_now());
  v_order_ref text;
  v_previous jsonb;
  v_member_id uuid;
  v_referrer uuid;
  v_purchase public.purchases;
  v_purchase_id uuid := gen_random_uuid();
  v_points integer;
  v_available_at timestamptz;
  v_tier public.tiers;
  v_store_name text;
  v_entry_id bigint;
  v_campaign_points integer := 0;
  v_day_points bigint;
  v_result jsonb;
begin
  if p_request_id is null then
    perform private.raise_error('request_id_required', 400);
  end if;
  if p_amount_fen is null or p_amount_fen not between 1 and 100000000 then
    perform private.raise_error('invalid_amount', 400);
  end if;
  v_order_ref := private.normalize_order_ref(p_order_ref);
  perform private.begin_write();

  -- a retry of this very call (its only competitor for this row) holds nothing else
  v_previous := private.begin_request(v_staff.member_id, p_request_id, 'staff_award_purchase',
    jsonb_build_object('member_code', p_member_code, 'amount_fen', p_amount_fen, 'order_ref', v_order_ref));
  if v_previous is not null then
    return v_previous::json;
  end if;

  v_member_id := private.verify_member_code(p_member_code, v_rules.member_code_award_grace_seconds);
  if v_member_id = v_staff.member_id then
    perform private.raise_error('cannot_award_self', 403);
  end if;
  perform private.lock_balance(v_member_id);
  v_referrer := private.lock_pending_referrer(v_member_id, 'purchase_awarded');

  select t.* into v_tier from public.member_tiers mt join public.tiers t on t.code = mt.tier_code where mt.member_id = v_member_id;
  if not found then
    select * into v_tier from public.tiers where rank = 0;
  end if;

  -- the order reference is the natural key: a concurrent award of the same order waits here for the first
  -- (the unique key (store_id, order_ref) is the last guard)
  perform pg_advisory_xact_lock(hashtextextended('jifen:purchase:' || v_staff.store_id || ':' || v_order_ref, 0));
  select * into v_purchase from public.purchases where store_id = v_staff.store_id and order_ref = v_order_ref;
  if found then
    if v_purchase.member_id <> v_member_id or v_purchase.amount_fen <> p_amount_fen then
      perform private.raise_error('duplicate_order_ref', 409);
    end if;
    -- the same order again (another device, a lost answer): the purchase as recorded, nothing awarded
    return private.finish_request(v_staff.member_id, p_request_id,
      private.purchase_json(v_purchase) || jsonb_build_object('repeat', true))::json;
  end if;

  perform private.lock_campaigns(array['purchase'] || case when v_referrer is null then '{}'::text[] else array['referral'] end);
  v_points := private.purchase_points(v_member_id, p_amount_fen);
  v_available_at := v_now + make_interval(days => v_rules.purchase_hold_days);
  if v_points > 0 then
    select store.name into v_store_name from public.stores store where store.id = v_staff.store_id;
    select a.entry_id, a.campaign_points into v_entry_id, v_campaign_points
    from private.award_points(v_member_id, 'purchase', v_points, 'purchase:' || v_purchase_id,
      '门店消费 ' || v_store_name,
      jsonb_build_object('purchase_id', v_purchase_id, 'amount_fen', p_amount_fen, 'store_id', v_staff.store_id,
        'store_name', v_store_name, 'order_ref', v_order_ref, 'multiplier', v_tier.multiplier),
      v_available_at) a;
  end if;
  insert into public.purchases (id, store_id, order_ref, member_id, staff_member_id, amount_fen, tier_code, multiplier,
    points, campaign_points, entry_id, available_at, business_date, created_at)
  values (v_purchase_id, v_staff.store_id, v_order_ref, v_member_id, v_staff.member_id, p_amount_fen, v_tier.code, v_tier.multiplier,
    v_points, v_campaign_points, v_entry_id, v_available_at, v_today, v_now)
  returning * into v_purchase;

  -- one staff member's awards one at a time from here: the daily cap, this award included; everything above
  -- rolls back when it goes over the cap (a purchase that earned nothing is always recorded)
  perform 1 from public.staff where member_id = v_staff.member_id and active for no key update;
  if not found then
    perform private.raise_error('not_staff', 403);
  end if;
  select coalesce(sum(p.points + p.campaign_points), 0) into v_day_points
  from public.purchases p
  where p.staff_member_id = v_staff.member_id and p.business_date = v_today and p.status = 'awarded';
  if v_purchase.points > 0 and v_day_points > v_staff.daily_award_cap_points then
    perform private.raise_error('staff_daily_cap_reached', 409);
  end if;

  perform private.record_task_event(v_member_id, 'purchase_awarded', v_purchase.id::text);
  if v_referrer is not null then
    perform private.qualify_referral(v_member_id, 'purchase_awarded', v_purchase.id::text);
  end if;
  perform private.log_staff_action(v_staff, 'award_purchase', v_member_id, v_purchase.id::text,
    v_purchase.points + v_purchase.campaign_points, p_amount_fen,
    jsonb_build_object('order_ref', v_order_ref, 'points', v_purchase.points, 'campaign_points', v_purchase.campaign_points,
      'multiplier', v_purchase.multiplier, 'tier_code', v_purchase.tier_code, 'available_at', v_purchase.available_at));

  v_result := private.purchase_json(v_purchase) || jsonb_build_object('repeat', false);
  return private.finish_request(v_staff.member_id, p_request_id, v_result)::json;
end
$$;

-- RPC staff_void_purchase (staff): reverse a purchase award (refund) by its order reference at the caller's
-- store. A clerk may void purchases awarded on the current business day, a manager any purchase of the store.
-- Takes back everything the purchase paid: its points (and their campaign extra), the task rewards its
-- purchase_awarded event completed (the event no longer counts; a reward the member already spent makes the
-- void answer insufficient_points, as the purchase points do), the referral rewards it qualified (a reward
-- already spent is left and reported), and the tier upgrade it brought about.
-- Errors: not_staff 403, invalid_order_ref 400, invalid_reason 400, purchase_not_found 404, void_not_allowed
-- 403, insufficient_points 409 (nothing changes), request_id_reused 409. A purchase voided before returns the
-- result of that void.
create or replace function public.staff_void_purchase(p_order_ref text, p_reason text default null, p_request_id uuid default null)
returns json
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_staff public.staff := private.require_staff();
  v_now timestamptz := private.clock_now();
  v_order_ref text := private.normalize_order_ref(p_order_ref);
  v_reason text := nullif(btrim(p_reason), '');
  v_purchase public.purchases;
  v_referral public.referrals;
  v_previous jsonb;
  v_store_name text;
  v_campaign_entry_id bigint;
  v_reversed_points integer := 0;
  v_reversed_campaign integer := 0;
  v_claim public.task_claims;
  v_claims public.task_claims[];
  v_tasks jsonb := '[]';
  v_tiers jsonb;
  v_referrals jsonb;
  v_result jsonb;
begin
  if char_length(v_reason) > 100 then
    perform private.raise_error('invalid_reason', 400);
  end if;
  select * into v_purchase from public.purchases where store_id = v_staff.store_id and order_ref = v_order_ref;
  if not found then
    perform private.raise_error('purchase_not_found', 404);
  end if;
  perform private.begin_write();
  perform private.lock_balance(v_purchase.member_id);
  -- the referrer this purchase paid, when it was the invitee's qualifying action
  select * into v_referral from public.referrals
  where invitee_id = v_purchase.member_id and status = 'rewarded' and qualifying_ref = 'purchase:' || v_purchase.id;
  if found then
    perform private.lock_balance(v_referral.referrer_id);
  end if;
  v_previous := private.begin_request(v_staff.member_id, p_request_id, 'staff_void_purchase',
    jsonb_build_object('order_ref', v_order_ref, 'reason', v_reason));
  if v_previous is not null then
    return v_previous::json;
  end if;
  select * into v_purchase from public.purchases where id = v_purchase.id for update;

  if v_staff.role <> 'manager' and v_purchase.business_date <> private.business_date(v_now) then
    perform private.raise_error('void_not_allowed', 403);
  end if;
  if v_purchase.status = 'voided' then
    return private.finish_request(v_staff.member_id, p_request_id, v_purchase.void_result)::json;
  end if;

  -- step 3: every campaign whose extra this void gives back
  v_claims := array(select c from private.claims_paid_by_event(v_purchase.member_id, 'purchase_awarded', v_purchase.id::text) c);
  perform private.lock_campaigns('{}', private.extra_campaigns(
    array_remove(array[v_purchase.entry_id, v_referral.invitee_entry_id, v_referral.referrer_entry_id], null)
    || array(select c.entry_id from unnest(v_claims) c)));

  if v_purchase.entry_id is not null then
    select name into v_store_name from public.stores where id = v_purchase.store_id;
    select id into v_campaign_entry_id from public.point_entries
    where member_id = v_purchase.member_id and source = 'campaign' and ref = 'entry:' || v_purchase.entry_id;
    -- also reverses the campaign extra; insufficient_points (409) if the member has spent the points
    perform private.reverse_entry(v_purchase.entry_id, '门店消费撤销 ' || v_store_name,
      jsonb_build_object('purchase_id', v_purchase.id, 'order_ref', v_purchase.order_ref, 'reason', v_reason));
    select coalesce(-sum(amount_points) filter (where reverses_entry_id = v_purchase.entry_id), 0),
           coalesce(-sum(amount_points) filter (where reverses_entry_id = v_campaign_entry_id), 0)
    into v_reversed_points, v_reversed_campaign
    from public.point_entries
    where member_id = v_purchase.member_id and reverses_entry_id in (v_purchase.entry_id, v_campaign_entry_id);
  end if;

  -- the task rewards this purchase completed: reversed like the purchase points (insufficient_points: nothing changes)
  foreach v_claim in array v_claims loop
    update public.task_claims
    set reversed_at = v_now,
        reverse_entry_id = private.reverse_entry(v_claim.entry_id, '撤销任务奖励',
          jsonb_build_object('purchase_id', v_purchase.id, 'task_code', v_claim.task_code))
    where member_id = v_claim.member_id and task_code = v_claim.task_code and period_key = v_claim.period_key and seq = v_claim.seq;
    v_tasks := v_tasks || jsonb_build_object('task_code', v_claim.task_code, 'period_key', v_claim.period_key, 'points', v_claim.points);
  end loop;
  update public.task_events set revoked_at = v_now
  where member_id = v_purchase.member_id and event = 'purchase_awarded' and ref = v_purchase.id::text;

  -- the referral rewards this purchase paid as the invitee's qualifying action (first_purchase), if any
  v_referrals := private.revoke_referral_rewards(v_purchase.member_id, 'purchase:' || v_purchase.id);

  v_tiers := private.undo_tier_upgrades_since(v_purchase.member_id, v_purchase.created_at);

  update public.purchases
  set status = 'voided', voided_at = v_now, voided_by_staff_id = v_staff.member_id, void_reason = v_reason,
      void_result = '{}'
  where id = v_purchase.id
  returning * into v_purchase;

  v_result := jsonb_build_object(
    'purchase', private.purchase_json(v_purchase) - 'balance_points'
      || jsonb_build_object('voided_at', v_purchase.voided_at, 'void_reason', v_purchase.void_reason),
    'reversed_points', v_reversed_points,
    'reversed_campaign_points', v_reversed_campaign,
    'task_rewards_reversed', v_tasks,
    'referral_rewards', v_referrals,
    'balance_points', private.available_points(v_purchase.member_id)
  ) || v_tiers;
  update public.purchases set void_result = v_result where id = v_purchase.id;

  perform private.log_staff_action(v_staff, 'void_purchase', v_purchase.member_id, v_purchase.id::text,
    -(v_reversed_points + v_reversed_campaign), v_purchase.amount_fen,
    jsonb_build_object('order_ref', v_purchase.order_ref, 'reason', v_reason, 'awarded_by', v_purchase.staff_member_id,
      'tier_before', v_tiers -> 'tier_before' -> 'code', 'tier_after', v_tiers -> 'tier_after' -> 'code',
      'bonuses_reversed', v_tiers -> 'bonuses_reversed', 'bonuses_kept', v_tiers -> 'bonuses_kept',
      'task_rewards_reversed', v_tasks, 'referral_rewards', v_referrals));

  return private.finish_request(v_staff.member_id, p_request_id, v_result)::json;
end
$$;

-- 6. Member-owned rows under the member's balance --------------------------------------------------------

-- RPC staff_verify_redemption (staff), as in create_mall; the confirm locks the voucher's member first (the
-- member may be cancelling it at the same moment).
create or replace function public.staff_verify_redemption(p_voucher_code text, p_confirm boolean default false, p_request_id uuid default null)
returns json
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_staff public.staff := private.require_staff();
  v_code text := regexp_replace(coalesce(p_voucher_code, ''), '[[:space:]-]', '', 'g');
  v_previous jsonb;
  v_redemption public.redemptions;
  v_result jsonb;
begin
  if v_code !~ '^[0-9]{12}$' then
    perform private.raise_error('invalid_voucher_code', 400);
  end if;

  if not coalesce(p_confirm, false) then
    select * into v_redemption from public.redemptions where voucher_code = v_code;
    if not found then
      perform private.raise_error('voucher_not_found', 404);
    end if;
    v_result := private.redemption_json(v_redemption, true);
    perform private.log_staff_action(v_staff, 'preview_redemption', v_redemption.member_id, v_redemption.id::text,
      v_redemption.cost_points, v_redemption.face_value_fen,
      jsonb_build_object('voucher_code', v_code, 'status', v_result ->> 'status', 'item_title', v_redemption.item_title));
    return v_result::json;
  end if;

  perform private.begin_write();
  v_previous := private.begin_request(v_staff.member_id, p_request_id, 'staff_verify_redemption',
    jsonb_build_object('p_voucher_code', v_code));
  if v_previous is not null then
    return v_previous::json;
  end if;
  select * into v_redemption from public.redemptions where voucher_code = v_code;
  if not found then
    perform private.raise_error('voucher_not_found', 404);
  end if;
  perform private.lock_balance(v_redemption.member_id);
  select * into v_redemption from public.redemptions where id = v_redemption.id for update;
  case private.redemption_status(v_redemption)
    when 'verified' then perform private.raise_error('already_verified', 409);
    when 'cancelled' then perform private.raise_error('redemption_cancelled', 409);
    when 'expired' then perform private.raise_error('voucher_expired', 409);
    else null;
  end case;
  if v_redemption.member_id = v_staff.member_id then
    perform private.raise_error('cannot_verify_self', 403);
  end if;
  update public.redemptions
  set status = 'verified', verified_at = private.clock_now(), verified_by_staff_id = v_staff.member_id,
      verified_store_id = v_staff.store_id
  where id = v_redemption.id
  returning * into v_redemption;
  perform private.log_staff_action(v_staff, 'verify_redemption', v_redemption.member_id, v_redemption.id::text,
    v_redemption.cost_points, v_redemption.face_value_fen,
    jsonb_build_object('voucher_code', v_code, 'item_id', v_redemption.item_id, 'item_title', v_redemption.item_title));
  -- a redemption counts for tasks (首次积分兑换) once it is used: a cancelled one never does
  perform private.record_task_event(v_redemption.member_id, 'item_redeemed', v_redemption.id::text);
  return private.finish_request(v_staff.member_id, p_request_id, private.redemption_json(v_redemption, true))::json;
end
$$;

-- 7. Jobs: many members, never waiting for one ----------------------------------------------------------

-- Tier review (create_tiers), deciding under the member's lock: a member whose write is in flight is left
-- for the next run (SKIP LOCKED on the balance, the lock every earn holds), and the target tier is computed
-- after the lock, from the points as they are then.
create or replace function public.review_tiers()
returns json
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_grace integer := (select tier_grace_days from public.point_rules);
  v_member_id uuid;
  v_row public.member_tiers;
  v_current_rank integer;
  v_target public.tiers;
  v_noticed integer := 0;
  v_downgraded integer := 0;
  v_cleared integer := 0;
begin
  perform private.require_scheduler();
  for v_member_id in
    select b.member_id
    from public.member_tiers mt join public.tiers t on t.code = mt.tier_code
    join public.point_balances b on b.member_id = mt.member_id
    where t.rank > 0
      -- once per business day per member (the scheduler calls often), except a notice falling due
      and (mt.reviewed_at is null or private.business_date(mt.reviewed_at) < private.business_date(v_now)
           or mt.downgrade_due_at <= v_now)
    for update of b skip locked
  loop
    select * into v_row from public.member_tiers where member_id = v_member_id for update;
    v_current_rank := (select rank from public.tiers where code = v_row.tier_code);
    v_target := private.tier_for_points(private.qualifying_points(v_member_id));
    if v_target.rank >= v_current_rank then
      if v_row.downgrade_due_at is not null then
        update public.member_tiers set downgrade_due_at = null, reviewed_at = v_now where member_id = v_member_id;
        v_cleared := v_cleared + 1;
      else
        update public.member_tiers set reviewed_at = v_now where member_id = v_member_id;
      end if;
    elsif v_row.downgrade_due_at is null then
      update public.member_tiers set downgrade_due_at = v_now + make_interval(days => v_grace), reviewed_at = v_now
      where member_id = v_member_id;
      v_noticed := v_noticed + 1;
    elsif v_row.downgrade_due_at <= v_now then
      update public.member_tiers
      set tier_code = v_target.code, achieved_at = v_now, downgrade_due_at = null, reviewed_at = v_now
      where member_id = v_member_id;
      v_downgraded := v_downgraded + 1;
    else
      update public.member_tiers set reviewed_at = v_now where member_id = v_member_id;
    end if;
  end loop;
  return json_build_object('noticed', v_noticed, 'downgraded', v_downgraded, 'cleared', v_cleared);
end
$$;

-- Birthday bonuses (create_member_profile), in the lock order: the members' balances first (SKIP LOCKED: a
-- busy member gets the bonus on the next run), then the birthday campaigns, then the awards.
create or replace function public.award_birthday_bonuses()
returns json
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
    return json_build_object('awarded', 0);
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
  return json_build_object('awarded', v_awarded);
end
$$;

-- 8. Entry points that start a write ---------------------------------------------------------------------

-- Balance, tier, registration bonus and phone_bound event for a new member (create_member_profile).
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
  perform private.lock_member_tier(p_member_id);
  if v_bonus > 0 then
    perform private.award_points(p_member_id, 'registration', v_bonus, 'registration', '注册奖励');
  end if;
  if v_phone is not null then
    perform private.record_task_event(p_member_id, 'phone_bound', v_phone);
  end if;
end
$$;

-- RPCs redeem_item, cancel_redemption (create_mall) and bind_referrer (create_referrals), unchanged but for
-- private.begin_write() first.
create or replace function public.redeem_item(p_item_id uuid, p_request_id uuid default null)
returns json
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member uuid;
  v_now timestamptz := private.clock_now();
  v_previous jsonb;
  v_item public.mall_items;
  v_reason text;
  v_id uuid := gen_random_uuid();
  v_entry_id bigint;
  v_redemption public.redemptions;
  v_attempt integer := 0;
begin
  v_member := private.require_member();
  if p_request_id is null then
    perform private.raise_error('request_id_required', 400);
  end if;
  perform private.begin_write();
  perform private.lock_balance(v_member);
  v_previous := private.begin_request(v_member, p_request_id, 'redeem_item', jsonb_build_object('p_item_id', p_item_id));
  if v_previous is not null then
    return v_previous::json;
  end if;

  select * into v_item from public.mall_items where id = p_item_id and active;
  if not found then
    perform private.raise_error('item_not_found', 404);
  end if;
  v_reason := (private.item_standing(v_member, v_item, private.member_tier_rank(v_member),
    private.available_points(v_member), v_now)).reason;
  if v_reason is not null then
    perform private.raise_error(v_reason, 409);
  end if;

  v_entry_id := private.spend_points(v_member, 'redemption', v_item.cost_points, 'redemption:' || v_id,
    '兑换 ' || v_item.title, jsonb_build_object('redemption_id', v_id, 'item_id', v_item.id));
  loop
    v_attempt := v_attempt + 1;
    insert into public.redemptions (id, member_id, item_id, item_title, face_value_fen, cost_points, spend_entry_id,
      voucher_code, expires_at, created_at)
    values (v_id, v_member, v_item.id, v_item.title, v_item.face_value_fen, v_item.cost_points, v_entry_id,
      private.new_voucher_code(), private.voucher_expires_at(v_now, v_item.voucher_valid_days), v_now)
    on conflict (voucher_code) do nothing
    returning * into v_redemption;
    exit when found;
    if v_attempt >= 10 then
      raise exception 'no free voucher code after % attempts', v_attempt;
    end if;
  end loop;

  update public.mall_items set stock_remaining = stock_remaining - 1
  where id = v_item.id and stock_remaining > 0;
  if not found then
    perform private.raise_error('out_of_stock', 409);
  end if;

  return private.finish_request(v_member, p_request_id,
    private.redemption_json(v_redemption) || jsonb_build_object('balance_points', private.available_points(v_member)))::json;
end
$$;

create or replace function public.cancel_redemption(p_redemption_id uuid, p_request_id uuid default null)
returns json
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member uuid;
  v_previous jsonb;
  v_redemption public.redemptions;
  v_cancel_entry_id bigint;
begin
  v_member := private.require_member();
  perform private.begin_write();
  perform private.lock_balance(v_member);
  v_previous := private.begin_request(v_member, p_request_id, 'cancel_redemption',
    jsonb_build_object('p_redemption_id', p_redemption_id));
  if v_previous is not null then
    return v_previous::json;
  end if;

  select * into v_redemption from public.redemptions
  where id = p_redemption_id and member_id = v_member
  for update;
  if not found then
    perform private.raise_error('redemption_not_found', 404);
  end if;
  if v_redemption.status = 'verified' then
    perform private.raise_error('already_verified', 409);
  end if;
  if v_redemption.status = 'issued' then
    if v_redemption.expires_at <= private.clock_now() then
      perform private.raise_error('voucher_expired', 409);
    end if;
    v_cancel_entry_id := private.reverse_entry(v_redemption.spend_entry_id, '取消兑换 ' || v_redemption.item_title,
      jsonb_build_object('redemption_id', v_redemption.id));
    update public.mall_items set stock_remaining = stock_remaining + 1 where id = v_redemption.item_id;
    update public.redemptions
    set status = 'cancelled', cancelled_at = private.clock_now(), cancel_entry_id = v_cancel_entry_id
    where id = v_redemption.id
    returning * into v_redemption;
  end if;

  return private.finish_request(v_member, p_request_id,
    private.redemption_json(v_redemption) || jsonb_build_object(
      'refunded_points', (select e.amount_points from public.point_entries e where e.id = v_redemption.cancel_entry_id),
      'balance_points', private.available_points(v_member)))::json;
end
$$;

create or replace function public.bind_referrer(p_invite_code text, p_channel text default 'code')
returns json
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

  return json_build_object(
    'referrer', json_build_object('nickname', v_referrer.nickname, 'avatar_url', v_referrer.avatar_url),
    'channel', v_existing.channel,
    'status', v_existing.status,
    'bound_at', v_existing.created_at,
    'qualifying_action', v_rules.referral_qualifying_action,
    'bonus_points', v_rules.referral_bonus_points
  );
end
$$;

revoke all on function private.begin_write(), private.lock_campaigns(text[], uuid[]), private.is_qualifying_event(uuid, text),
  private.lock_pending_referrer(uuid, text),
  private.extra_campaigns(bigint[]), private.claims_paid_by_event(uuid, text, text) from public;
