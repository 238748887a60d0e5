-- Staff scan a member's code and award points for a purchase in store; a refund voids the award.
-- A purchase is recorded once per store and order reference (the natural key), whether it earned points or
-- not (under ¥1 earns nothing). Points = private.purchase_points (1 per ¥1, floor, × tier multiplier) paid
-- through private.award_points (source 'purchase', ref 'purchase:<id>'; a running campaign adds its extra),
-- spendable after point_rules.purchase_hold_days. Per staff member and business day, the points awarded
-- (base + campaign, voided purchases excluded) stay within staff.daily_award_cap_points.
--
-- Locking, in the lock order (rpc_helpers.sql): an award locks the member's balance, the referrer's when
-- the purchase may be the invitee's qualifying action, the order reference (a transaction-level advisory lock
-- on store and order reference: the same order awarded concurrently waits for the first), the campaigns, and
-- last the staff row (serialising one staff member's awards, so the daily cap holds); the purchase is
-- inserted once, complete, after the award. A void locks the member's balance (and the referrer's when the
-- purchase paid a referral), then the purchase, then the campaigns whose extras it gives back. The unique key
-- (store_id, order_ref) is the last guard against the same order being awarded twice.
create table public.purchases (
  id uuid primary key default gen_random_uuid(),
  store_id uuid not null references public.stores (id),
  order_ref text not null check (order_ref ~ '^[A-Za-z0-9_-]{1,64}$'),
  member_id uuid not null references public.members (id),
  staff_member_id uuid not null references public.staff (member_id),
  amount_fen bigint not null check (amount_fen between 1 and 100000000),
  tier_code text not null references public.tiers (code),  -- the member's tier when awarded
  multiplier numeric(4, 2) not null check (multiplier >= 1), -- its multiplier, applied to the base points
  points integer not null check (points >= 0),               -- base × tier multiplier: what the purchase earned
  campaign_points integer not null default 0 check (campaign_points >= 0), -- a campaign's extra on top
  entry_id bigint unique references public.point_entries (id), -- null when points = 0
  available_at timestamptz not null,                         -- spendable from (pending hold)
  business_date date not null,                               -- business day of the award (daily cap, clerk voids)
  status text not null default 'awarded' check (status in ('awarded', 'voided')),
  voided_at timestamptz,
  voided_by_staff_id uuid references public.staff (member_id),
  void_reason text check (char_length(void_reason) between 1 and 100),
  void_result jsonb,                                          -- what the void answered (a repeat returns it)
  created_at timestamptz not null default now(),
  unique (store_id, order_ref),
  check (points > 0 or (entry_id is null and campaign_points = 0)), -- under ¥1: no entry, no extra
  check ((status = 'voided') = (voided_at is not null and voided_by_staff_id is not null and void_result is not null)),
  check (status = 'voided' or void_reason is null)
);
alter table public.purchases enable row level security;
revoke all on public.purchases from anon, authenticated, service_role;
grant select on public.purchases to authenticated, service_role;

create index purchases_member_idx on public.purchases (member_id, created_at desc);

create index purchases_staff_day_idx on public.purchases (staff_member_id, business_date) where status = 'awarded';

create policy purchases_read_own on public.purchases for select to authenticated using (member_id = (select auth.uid()));

-- The parts of a purchase as the RPCs answer it (private.purchase_json): its member (masked phone) and the
-- staff member who awarded it.
create type public.purchase_member as (
  id uuid,
  nickname text,
  phone text
);

create type public.purchase_staff as (
  member_id uuid,
  nickname text
);

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
revoke all on function private.purchase_json(public.purchases) from public;

-- An order reference as typed: trimmed; 1–64 of [A-Za-z0-9_-], else invalid_order_ref (400).
create or replace function private.normalize_order_ref(p_order_ref text) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  v_ref text := btrim(p_order_ref);
begin
  if v_ref is null or v_ref !~ '^[A-Za-z0-9_-]{1,64}$' then
    perform private.raise_error('invalid_order_ref', 400);
  end if;
  return v_ref;
end
$$;
revoke all on function private.normalize_order_ref(text) from public;

-- The member's tier in staff_preview_member's answer.
create type public.preview_tier as (
  code text,
  name text,
  multiplier numeric
);

-- The answer of staff_preview_member.
create type public.staff_preview_member_result as (
  member_id uuid,
  nickname text,
  avatar_url text,
  phone text,
  tier public.preview_tier,
  balance_points integer,
  pending_points integer,
  is_self boolean
);

-- RPC staff_preview_member (staff): who a scanned member code belongs to, before the amount is typed.
-- The code (an M1 token, or 18 digits this staff member checked first: staff_check_member_code) must still be
-- valid (no grace). Writes a 'preview_member' audit row.
create or replace function public.staff_preview_member(p_member_code text) returns public.staff_preview_member_result
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_staff public.staff := private.require_staff();
  v_member_id uuid := private.resolve_member_code(p_member_code, v_staff, 0);
  v_member public.members;
  v_tier public.tiers;
  v_now timestamptz := private.clock_now();
begin
  select * into v_member from public.members where id = v_member_id;
  select t.* into v_tier from public.member_tiers mt join public.tiers t on t.code = mt.tier_code where mt.member_id = v_member_id;
  if not found then
    select * into v_tier from public.tiers where rank = 0;
  end if;
  perform private.log_staff_action(v_staff, 'preview_member', v_member_id, null, null, null,
    jsonb_build_object('is_self', v_member_id = v_staff.member_id));
  return json_populate_record(null::public.staff_preview_member_result, json_build_object(
    'member_id', v_member.id,
    'nickname', v_member.nickname,
    'avatar_url', v_member.avatar_url,
    'phone', private.mask_phone(v_member.phone),
    'tier', json_build_object('code', v_tier.code, 'name', v_tier.name, 'multiplier', v_tier.multiplier),
    'balance_points', private.available_points(v_member_id),
    'pending_points', (select coalesce(sum(remaining_points), 0)::integer from public.point_lots
                       where member_id = v_member_id and remaining_points > 0 and available_at > v_now and expires_at > v_now),
    'is_self', v_member_id = v_staff.member_id
  ));
end
$$;
revoke all on function public.staff_preview_member(text) from public, anon, authenticated, service_role;
grant execute on function public.staff_preview_member(text) to authenticated;

-- The answer of staff_award_purchase: the purchase (private.purchase_json), repeat = awarded before this call.
create type public.staff_award_purchase_result as (
  purchase_id uuid,
  store_id uuid,
  order_ref text,
  member public.purchase_member,
  amount_fen bigint,
  tier_code text,
  multiplier numeric,
  points integer,
  campaign_points integer,
  available_at timestamptz,
  pending boolean,
  status text,
  created_at timestamptz,
  awarded_by public.purchase_staff,
  balance_points integer,
  repeat boolean
);

-- RPC staff_award_purchase (staff): points for an amount paid at the caller's store.
-- Checks in this order: not_staff 403, request_id_required 400, invalid_amount 400, invalid_order_ref 400,
-- (a retry of p_request_id returns the first result here), invalid_member_code 400 / member_code_expired 409
-- (the code is accepted until its expiry + member_code_award_grace_seconds; 18 digits only when this staff
-- member checked them, and every refusal of digits is invalid_member_code), cannot_award_self 403,
-- duplicate_order_ref 409 (the same order again with the same member and amount returns that purchase
-- instead), staff_daily_cap_reached 409. A refusal changes nothing.
-- Locks in the lock order: the member, the referrer a first purchase pays, the order, the campaigns, last the
-- clerk's row (the daily cap). The answer has repeat = true when the order had been awarded before this call
-- (nothing awarded now; the answer describes that award, created_at and awarded_by included).
create or replace function public.staff_award_purchase(p_member_code text, p_amount_fen bigint, p_order_ref text, p_request_id uuid)
returns public.staff_award_purchase_result
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
    return jsonb_populate_record(null::public.staff_award_purchase_result, v_previous);
  end if;

  v_member_id := private.resolve_member_code(p_member_code, v_staff, v_rules.member_code_award_grace_seconds);
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
    return jsonb_populate_record(null::public.staff_award_purchase_result, private.finish_request(v_staff.member_id, p_request_id,
      private.purchase_json(v_purchase) || jsonb_build_object('repeat', true)));
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
  return jsonb_populate_record(null::public.staff_award_purchase_result, private.finish_request(v_staff.member_id, p_request_id, v_result));
end
$$;
revoke all on function public.staff_award_purchase(text, bigint, text, uuid) from public, anon, authenticated, service_role;
grant execute on function public.staff_award_purchase(text, bigint, text, uuid) to authenticated;

-- Undo the tier upgrades a voided purchase brought about: if the member's tier was reached at or after
-- p_since and the member no longer qualifies for it, move them to the tier they qualify for at once (no
-- grace: it was never earned), and reverse the upgrade bonuses of the tiers above that one paid at or after
-- p_since. A bonus the member can no longer cover (already spent) is kept and reported. Caller holds the
-- member's balance lock and has already reversed the purchase. Returns { tier_before, tier_after,
-- bonuses_reversed: [{ tier_code, points }], bonuses_kept: [{ tier_code, points, reason }] }.
create type public.void_tier as (
  code text,
  name text
);

create type public.upgrade_bonus_reversed as (
  tier_code text,
  points integer
);

create type public.upgrade_bonus_kept as (
  tier_code text,
  points integer,
  reason text
);

create or replace function private.undo_tier_upgrades_since(p_member_id uuid, p_since timestamptz) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.member_tiers := private.member_tier(p_member_id);
  v_before public.tiers;
  v_target public.tiers := private.tier_for_points(private.qualifying_points(p_member_id));
  v_achieved_at timestamptz;
  v_bonus record;
  v_reversed jsonb := '[]';
  v_kept jsonb := '[]';
begin
  select * into v_before from public.tiers where code = v_row.tier_code;
  if v_row.achieved_at < p_since or v_target.rank >= v_before.rank then
    return jsonb_build_object(
      'tier_before', jsonb_build_object('code', v_before.code, 'name', v_before.name),
      'tier_after', jsonb_build_object('code', v_before.code, 'name', v_before.name),
      'bonuses_reversed', v_reversed, 'bonuses_kept', v_kept);
  end if;

  -- when the member reached the tier they fall back to: its standing upgrade bonus if one was paid, else
  -- p_since (the earliest the void can tell; it only decides whether a later void may undo it at once too)
  select e.created_at into v_achieved_at from public.point_entries e
  where e.member_id = p_member_id and e.source = 'tier_upgrade' and split_part(e.ref, ':', 2) = v_target.code and e.kind = 'earn'
    and not exists (select 1 from public.point_entries r where r.reverses_entry_id = e.id);
  update public.member_tiers
  set tier_code = v_target.code, achieved_at = coalesce(v_achieved_at, p_since), downgrade_due_at = null
  where member_id = p_member_id;
  perform private.enqueue_tier_message(p_member_id, 'tier_down', v_target.code); -- messages.sql

  for v_bonus in
    select e.id, e.amount_points, t.code, t.name from public.point_entries e
    join public.tiers t on split_part(e.ref, ':', 2) = t.code
    where e.member_id = p_member_id and e.source = 'tier_upgrade' and e.kind = 'earn'
      and e.created_at >= p_since and t.rank > v_target.rank
      and not exists (select 1 from public.point_entries r where r.reverses_entry_id = e.id)
    order by t.rank desc
  loop
    if private.try_reverse_entry(v_bonus.id, '撤销' || v_bonus.name || '升级奖励', jsonb_build_object('reason', 'purchase_voided')) then
      v_reversed := v_reversed || jsonb_build_object('tier_code', v_bonus.code, 'points', v_bonus.amount_points);
    else
      v_kept := v_kept || jsonb_build_object('tier_code', v_bonus.code, 'points', v_bonus.amount_points, 'reason', 'insufficient_points');
    end if;
  end loop;

  return jsonb_build_object(
    'tier_before', jsonb_build_object('code', v_before.code, 'name', v_before.name),
    'tier_after', jsonb_build_object('code', v_target.code, 'name', v_target.name),
    'bonuses_reversed', v_reversed, 'bonuses_kept', v_kept);
end
$$;
revoke all on function private.undo_tier_upgrades_since(uuid, timestamptz) from public;

-- The parts of staff_void_purchase's answer: the purchase as voided (private.purchase_json without the balance),
-- a task reward taken back.
create type public.voided_purchase as (
  purchase_id uuid,
  store_id uuid,
  order_ref text,
  member public.purchase_member,
  amount_fen bigint,
  tier_code text,
  multiplier numeric,
  points integer,
  campaign_points integer,
  available_at timestamptz,
  pending boolean,
  status text,
  created_at timestamptz,
  awarded_by public.purchase_staff,
  voided_at timestamptz,
  void_reason text
);

create type public.task_reward_reversed as (
  task_code text,
  period_key text,
  points integer
);

-- The answer of staff_void_purchase; the tier part is private.undo_tier_upgrades_since's, referral_rewards
-- private.revoke_referral_rewards' (null when the purchase paid no referral).
create type public.staff_void_purchase_result as (
  purchase public.voided_purchase,
  reversed_points integer,
  reversed_campaign_points integer,
  task_rewards_reversed public.task_reward_reversed[],
  referral_rewards public.referral_rewards_revoked,
  balance_points integer,
  tier_before public.void_tier,
  tier_after public.void_tier,
  bonuses_reversed public.upgrade_bonus_reversed[],
  bonuses_kept public.upgrade_bonus_kept[]
);

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
returns public.staff_void_purchase_result
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
    return jsonb_populate_record(null::public.staff_void_purchase_result, v_previous);
  end if;
  select * into v_purchase from public.purchases where id = v_purchase.id for update;

  if v_staff.role <> 'manager' and v_purchase.business_date <> private.business_date(v_now) then
    perform private.raise_error('void_not_allowed', 403);
  end if;
  if v_purchase.status = 'voided' then
    return jsonb_populate_record(null::public.staff_void_purchase_result,
      private.finish_request(v_staff.member_id, p_request_id, v_purchase.void_result));
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

  return jsonb_populate_record(null::public.staff_void_purchase_result, private.finish_request(v_staff.member_id, p_request_id, v_result));
end
$$;
revoke all on function public.staff_void_purchase(text, text, uuid) from public, anon, authenticated, service_role;
grant execute on function public.staff_void_purchase(text, text, uuid) to authenticated;

-- 我的消费 (issue 17): a member's own purchases, newest first. One element of list_my_purchases' answer: the store,
-- the amount, the points it earned (base × tier multiplier) and a campaign's extra, its status (awarded / voided)
-- and whether its points are still held (pending: awarded, points > 0, available_at in the future).
create type public.my_purchase_store as (
  id uuid,
  name text
);

create type public.my_purchase as (
  id uuid,
  store public.my_purchase_store,
  order_ref text,
  amount_fen bigint,
  tier_code text,
  multiplier numeric,
  points integer,
  campaign_points integer,
  status text,
  pending boolean,
  available_at timestamptz,
  created_at timestamptz,
  voided_at timestamptz
);

-- RPC list_my_purchases (member, read-only): own purchases, newest first (created_at, id), p_limit (1–100) at a
-- time; p_before_id (the last purchase of the previous page, one of the member's own) pages on: the purchases
-- strictly before it in that order (keyset, stable while new purchases arrive). Errors: not_authenticated /
-- member_not_found (require_member), invalid_limit (400), purchase_not_found (404: p_before_id is not one of the
-- member's purchases).
create or replace function public.list_my_purchases(p_before_id uuid default null, p_limit integer default 20)
returns public.my_purchase[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
  v_now timestamptz := private.clock_now();
  v_before public.purchases;
begin
  perform private.check_page_limit(p_limit);
  if p_before_id is not null then
    select * into v_before from public.purchases p where p.id = p_before_id and p.member_id = v_member;
    if not found then
      perform private.raise_error('purchase_not_found', 404);
    end if;
  end if;
  return private.jsonb_populate_array(null::public.my_purchase, coalesce((
    select jsonb_agg(jsonb_build_object(
        'id', x.id,
        'store', jsonb_build_object('id', s.id, 'name', s.name),
        'order_ref', x.order_ref,
        'amount_fen', x.amount_fen,
        'tier_code', x.tier_code,
        'multiplier', x.multiplier,
        'points', x.points,
        'campaign_points', x.campaign_points,
        'status', x.status,
        'pending', x.status = 'awarded' and x.points > 0 and x.available_at > v_now,
        'available_at', x.available_at,
        'created_at', x.created_at,
        'voided_at', x.voided_at)
      order by x.created_at desc, x.id desc)
    from (
      select p.* from public.purchases p
      where p.member_id = v_member
        and (p_before_id is null or (p.created_at, p.id) < (v_before.created_at, v_before.id))
      order by p.created_at desc, p.id desc
      limit p_limit
    ) x
    join public.stores s on s.id = x.store_id
  ), '[]'::jsonb));
end
$$;
revoke all on function public.list_my_purchases(uuid, integer) from public, anon, authenticated, service_role;
grant execute on function public.list_my_purchases(uuid, integer) to authenticated;
