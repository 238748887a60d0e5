-- Staff scan a member's code and award points for a purchase in store; a refund voids the award.
-- A purchase is recorded once per store and order reference (the natural key), whether it earned points or
-- not (under ¥1 earns nothing). Points = private.purchase_points (1 per ¥1, floor, × tier multiplier) paid
-- through private.award_points (source 'purchase', ref 'purchase:<id>'; a running campaign adds its extra),
-- spendable after point_rules.purchase_hold_days. Per staff member and business day, the points awarded
-- (base + campaign, voided purchases excluded) stay within staff.daily_award_cap_points.
--
-- Locking: an award locks the staff row (serialising one staff member's awards, so the daily cap holds), then
-- the member's balance row; a void locks the member's balance row, then the purchase. The unique key
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
  check (points > 0 or (entry_id is null and campaign_points = 0)), -- (the award sets entry_id right after the insert)
  check ((status = 'voided') = (voided_at is not null and voided_by_staff_id is not null and void_result is not null)),
  check (status = 'voided' or void_reason is null)
);
create index purchases_member_idx on public.purchases (member_id, created_at desc);
create index purchases_staff_day_idx on public.purchases (staff_member_id, business_date) where status = 'awarded';

alter table public.purchases enable row level security;
create policy purchases_read_own on public.purchases for select to authenticated using (member_id = (select auth.uid()));
revoke all on public.purchases from anon, authenticated, service_role;
grant select on public.purchases to authenticated, service_role;

-- A purchase as the staff RPCs answer it (balance_points: the member's spendable points now).
create or replace function private.purchase_json(p_purchase public.purchases) returns jsonb
language sql stable
set search_path = ''
as $$
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
    'balance_points', private.available_points(p_purchase.member_id)
  )
  from public.members m
  where m.id = p_purchase.member_id
$$;

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

revoke all on function private.purchase_json(public.purchases), private.normalize_order_ref(text) from public;

-- RPC staff_preview_member (staff): who a scanned member code belongs to, before the amount is typed.
-- The code must still be valid (no grace). Writes a 'preview_member' audit row.
create or replace function public.staff_preview_member(p_member_code text) returns json
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_staff public.staff := private.require_staff();
  v_member_id uuid := private.verify_member_code(p_member_code, 0);
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
  return json_build_object(
    'member_id', v_member.id,
    'nickname', v_member.nickname,
    'avatar_url', v_member.avatar_url,
    'phone', private.mask_phone(v_member.phone),
    'tier', json_build_object('code', v_tier.code, 'name', v_tier.name, 'multiplier', v_tier.multiplier),
    'balance_points', private.available_points(v_member_id),
    'pending_points', (select coalesce(sum(remaining_points), 0)::integer from public.point_lots
                       where member_id = v_member_id and remaining_points > 0 and available_at > v_now and expires_at > v_now),
    'is_self', v_member_id = v_staff.member_id
  );
end
$$;

-- RPC staff_award_purchase (staff): points for an amount paid at the caller's store.
-- Checks in this order: not_staff 403, request_id_required 400, invalid_amount 400, invalid_order_ref 400,
-- (a retry of p_request_id returns the first result here), invalid_member_code 400 / member_code_expired 409
-- (the code is accepted until its expiry + member_code_award_grace_seconds), cannot_award_self 403,
-- duplicate_order_ref 409 (the same order again with the same member and amount returns that purchase
-- instead), staff_daily_cap_reached 409. A refusal changes nothing.
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
  v_purchase public.purchases;
  v_tier public.tiers;
  v_store_name text;
  v_award record;
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

  -- one staff member's awards one at a time: the daily cap is checked under this lock
  select * into v_staff from public.staff where member_id = v_staff.member_id and active for update;
  if not found then
    perform private.raise_error('not_staff', 403);
  end if;
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

  select t.* into v_tier from public.member_tiers mt join public.tiers t on t.code = mt.tier_code where mt.member_id = v_member_id;
  if not found then
    select * into v_tier from public.tiers where rank = 0;
  end if;

  -- the order reference is the natural key: a concurrent award of the same order waits here for the first
  insert into public.purchases (store_id, order_ref, member_id, staff_member_id, amount_fen, tier_code, multiplier,
    points, available_at, business_date, created_at)
  values (v_staff.store_id, v_order_ref, v_member_id, v_staff.member_id, p_amount_fen, v_tier.code, v_tier.multiplier,
    private.purchase_points(v_member_id, p_amount_fen), v_now + make_interval(days => v_rules.purchase_hold_days),
    v_today, v_now)
  on conflict (store_id, order_ref) do nothing
  returning * into v_purchase;

  if not found then
    select * into v_purchase from public.purchases where store_id = v_staff.store_id and order_ref = v_order_ref;
    if v_purchase.member_id <> v_member_id or v_purchase.amount_fen <> p_amount_fen then
      perform private.raise_error('duplicate_order_ref', 409);
    end if;
    -- the same order again (another device, a lost answer): the purchase as recorded, nothing awarded
    return private.finish_request(v_staff.member_id, p_request_id, private.purchase_json(v_purchase))::json;
  end if;

  if v_purchase.points > 0 then
    select store.name into v_store_name from public.stores store where store.id = v_staff.store_id;
    select a.entry_id, a.campaign_points into v_award
    from private.award_points(v_member_id, 'purchase', v_purchase.points, 'purchase:' || v_purchase.id,
      '门店消费 ' || v_store_name,
      jsonb_build_object('purchase_id', v_purchase.id, 'amount_fen', p_amount_fen, 'store_id', v_staff.store_id,
        'store_name', v_store_name, 'order_ref', v_order_ref, 'multiplier', v_tier.multiplier),
      v_purchase.available_at) a;
    update public.purchases set entry_id = v_award.entry_id, campaign_points = v_award.campaign_points
    where id = v_purchase.id
    returning * into v_purchase;
  end if;

  -- this award included; everything above rolls back when it goes over the cap (a purchase that earned
  -- nothing is always recorded)
  select coalesce(sum(p.points + p.campaign_points), 0) into v_day_points
  from public.purchases p
  where p.staff_member_id = v_staff.member_id and p.business_date = v_today and p.status = 'awarded';
  if v_purchase.points > 0 and v_day_points > v_staff.daily_award_cap_points then
    perform private.raise_error('staff_daily_cap_reached', 409);
  end if;

  perform private.record_task_event(v_member_id, 'purchase_awarded', v_purchase.id::text);
  perform private.log_staff_action(v_staff, 'award_purchase', v_member_id, v_purchase.id::text,
    v_purchase.points + v_purchase.campaign_points, p_amount_fen,
    jsonb_build_object('order_ref', v_order_ref, 'points', v_purchase.points, 'campaign_points', v_purchase.campaign_points,
      'multiplier', v_purchase.multiplier, 'tier_code', v_purchase.tier_code, 'available_at', v_purchase.available_at));

  v_result := private.purchase_json(v_purchase);
  return private.finish_request(v_staff.member_id, p_request_id, v_result)::json;
end
$$;

-- Undo the tier upgrades a voided purchase brought about: if the member's tier was reached at or after
-- p_since and the member no longer qualifies for it, move them to the tier they qualify for at once (no
-- grace: it was never earned), and reverse the upgrade bonuses of the tiers above that one paid at or after
-- p_since. A bonus the member can no longer cover (already spent) is kept and reported. Caller holds the
-- member's balance lock and has already reversed the purchase. Returns { tier_before, tier_after,
-- bonuses_reversed: [{ tier_code, points }], bonuses_kept: [{ tier_code, points, reason }] }.
create or replace function private.undo_tier_upgrades_since(p_member_id uuid, p_since timestamptz) returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_row public.member_tiers := private.lock_member_tier(p_member_id);
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

-- RPC staff_void_purchase (staff): reverse a purchase award (refund) by its order reference at the caller's
-- store. A clerk may void purchases awarded on the current business day, a manager any purchase of the store.
-- Reverses the purchase points (and their campaign extra), the referral rewards the purchase qualified, and the
-- tier upgrade it brought about (private.undo_tier_upgrades_since).
-- Errors: not_staff 403, invalid_order_ref 400, invalid_reason 400, purchase_not_found 404, void_not_allowed
-- 403, insufficient_points 409 (the member already spent the points: nothing changes), request_id_reused 409.
-- A purchase voided before returns the result of that void.
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
  v_previous jsonb;
  v_store_name text;
  v_campaign_entry_id bigint;
  v_reversed_points integer := 0;
  v_reversed_campaign integer := 0;
  v_tiers jsonb;
  v_referral jsonb;
  v_result jsonb;
begin
  if char_length(v_reason) > 100 then
    perform private.raise_error('invalid_reason', 400);
  end if;
  select * into v_purchase from public.purchases where store_id = v_staff.store_id and order_ref = v_order_ref;
  if not found then
    perform private.raise_error('purchase_not_found', 404);
  end if;
  perform private.lock_balance(v_purchase.member_id);
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

  -- the referral rewards this purchase paid as the invitee's qualifying action (first_purchase), if any
  v_referral := private.revoke_referral_rewards(v_purchase.member_id, 'purchase:' || v_purchase.id);

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
    'referral_rewards', v_referral,
    'balance_points', private.available_points(v_purchase.member_id)
  ) || v_tiers;
  update public.purchases set void_result = v_result where id = v_purchase.id;

  perform private.log_staff_action(v_staff, 'void_purchase', v_purchase.member_id, v_purchase.id::text,
    -(v_reversed_points + v_reversed_campaign), v_purchase.amount_fen,
    jsonb_build_object('order_ref', v_purchase.order_ref, 'reason', v_reason, 'awarded_by', v_purchase.staff_member_id,
      'tier_before', v_tiers -> 'tier_before' -> 'code', 'tier_after', v_tiers -> 'tier_after' -> 'code',
      'bonuses_reversed', v_tiers -> 'bonuses_reversed', 'bonuses_kept', v_tiers -> 'bonuses_kept',
      'referral_rewards', v_referral));

  return private.finish_request(v_staff.member_id, p_request_id, v_result)::json;
end
$$;

revoke all on function public.staff_preview_member(text), public.staff_award_purchase(text, bigint, text, uuid),
  public.staff_void_purchase(text, text, uuid) from public, anon, authenticated, service_role;
grant execute on function public.staff_preview_member(text), public.staff_award_purchase(text, bigint, text, uuid),
  public.staff_void_purchase(text, text, uuid) to authenticated;

-- Tier upgrades, as in create_tiers, except that an upgrade bonus a void took back (reversed) no longer counts
-- as paid: reaching that tier again for real pays it (ref 'tier:<code>:<n>' for the n-th payment). A bonus that
-- stands is still paid once per member and tier, ever (a downgrade and a re-qualify pay nothing).
create or replace function private.evaluate_tier(p_member_id uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_current public.member_tiers := private.lock_member_tier(p_member_id);
  v_current_rank integer := (select rank from public.tiers where code = v_current.tier_code);
  v_target public.tiers := private.tier_for_points(private.qualifying_points(p_member_id));
  v_paid integer;
  v_standing integer;
begin
  if v_target.rank > v_current_rank then
    update public.member_tiers
    set tier_code = v_target.code, achieved_at = private.clock_now(), downgrade_due_at = null
    where member_id = p_member_id;
    select count(*), count(*) filter (where not exists (select 1 from public.point_entries r where r.reverses_entry_id = e.id))
    into v_paid, v_standing
    from public.point_entries e
    where e.member_id = p_member_id and e.source = 'tier_upgrade' and e.kind = 'earn' and split_part(e.ref, ':', 2) = v_target.code;
    if v_target.upgrade_bonus_points > 0 and v_standing = 0 then
      perform private.award_points(p_member_id, 'tier_upgrade', v_target.upgrade_bonus_points,
        'tier:' || v_target.code || case when v_paid > 0 then ':' || (v_paid + 1) else '' end,
        '升级' || v_target.name || '奖励');
    end if;
  elsif v_target.rank = v_current_rank and v_current.downgrade_due_at is not null then
    update public.member_tiers set downgrade_due_at = null where member_id = p_member_id;
  end if;
end
$$;
revoke all on function private.evaluate_tier(uuid) from public;
