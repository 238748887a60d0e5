-- Second round of cheaper write RPCs (found with `npm run bench` and pg_stat_user_functions, see
-- docs/performance.md "Second round"). Behaviour is unchanged.
--
-- 1. The SQL helpers with a SET clause that the write RPCs still call: a SQL function with SET is never
--    inlined, so its query is parsed and planned again at every call (0.1–0.5 ms each here: purchase_json
--    and log_staff_action per purchase award, member_tasks (with task_period once per task) and
--    task_day_usage per task claim, redemption_json and new_voucher_code per redemption). They become
--    plpgsql with the same bodies: plpgsql keeps its plans for the session.
-- 2. private.expire_member_lots, which every award and spend runs first, answers (0, 0) after one index
--    probe when the member has no due lot (the common case once expire_points has run) instead of running
--    its four-part write statement for nothing. Its callers hold the member's balance lock, under which
--    lots change, so the probe sees what the write statement would have.
-- 3. The two sums every write runs read a heap page per row: the tier window (private.qualifying_points,
--    after every earn: ~30–50 entries on as many pages) and the spendable balance
--    (private.available_points, in answers and before spends: ~20 lots). Their indexes now carry the
--    columns those sums read (INCLUDE), so both are index-only scans: 4–5 pages instead of 25–40.
-- 4. private.lock_member_tier (every earn) reads and locks the member's tier row first and inserts the
--    entry tier only when there is none, instead of attempting the insert every time.
-- 5. staff_award_purchase wrote each purchase twice: inserted without its entry, then updated with the
--    entry and campaign points (a second row version and five index entries again). Now the award comes
--    first and the purchase is inserted once, complete. The same order awarded concurrently still waits
--    for the first at the same point (a transaction-level advisory lock on the store and order reference,
--    then the lookup that the insert's ON CONFLICT did); the unique key (store_id, order_ref) stays the
--    last guard. Checks, their order, the rows written and the answer are unchanged.

create or replace function private.expire_member_lots(p_member_id uuid, out points integer, out lots integer)
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_today date := private.business_date(v_now);
begin
  if not exists (select 1 from public.point_lots l
                 where l.member_id = p_member_id and l.remaining_points > 0 and l.expires_at <= v_now) then
    points := 0;
    lots := 0;
    return;
  end if;
  with due as (
    select l.id, l.remaining_points, l.expires_at from public.point_lots l
    where l.member_id = p_member_id and l.remaining_points > 0 and l.expires_at <= v_now
    order by l.expires_at, l.id
    for update
  ), entries as (
    insert into public.point_entries (member_id, amount_points, kind, source, ref, business_date, description, meta, created_at)
    select p_member_id, -d.remaining_points, 'expire', 'expiry', 'lot:' || d.id, v_today, '积分过期',
           jsonb_build_object('lot_id', d.id, 'expires_at', d.expires_at), v_now
    from due d
    order by d.expires_at, d.id
    returning id, amount_points, (meta ->> 'lot_id')::bigint as lot_id
  ), usages as (
    insert into public.point_lot_usages (entry_id, lot_id, points)
    select e.id, e.lot_id, -e.amount_points from entries e
  ), emptied as (
    update public.point_lots l set remaining_points = 0 from due d where l.id = d.id
  )
  select coalesce(-sum(e.amount_points), 0)::integer, count(*)::integer into points, lots from entries e;
  if lots > 0 then
    update public.point_balances
    set balance_points = balance_points - points, updated_at = v_now
    where member_id = p_member_id;
  end if;
end
$$;

-- 3. Index-only sums (same keys, same names)
drop index public.point_entries_member_time_idx;
create index point_entries_member_time_idx on public.point_entries (member_id, created_at desc, id desc)
  include (amount_points, kind, source);
drop index public.point_lots_open_idx;
create index point_lots_open_idx on public.point_lots (member_id, expires_at, id)
  include (remaining_points, available_at) where remaining_points > 0;

-- 4.
create or replace function private.lock_member_tier(p_member_id uuid) returns public.member_tiers
language plpgsql
set search_path = ''
as $$
declare
  v_row public.member_tiers;
begin
  select * into v_row from public.member_tiers where member_id = p_member_id for update;
  if not found then
    insert into public.member_tiers (member_id, tier_code, achieved_at)
    values (p_member_id, (select code from public.tiers where rank = 0), private.clock_now())
    on conflict do nothing;
    select * into v_row from public.member_tiers where member_id = p_member_id for update;
  end if;
  return v_row;
end
$$;

-- 1. SQL helpers → plpgsql (bodies unchanged)

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
      'balance_points', private.available_points(p_purchase.member_id)
    )
    from public.members m
    where m.id = p_purchase.member_id
  );
end
$$;

create or replace function private.log_staff_action(
  p_staff public.staff, p_action text, p_member_id uuid default null, p_ref text default null,
  p_points integer default null, p_amount_fen bigint default null, p_detail jsonb default '{}'
) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_id bigint;
begin
  insert into public.staff_actions (staff_member_id, store_id, action, member_id, ref, points, amount_fen, detail, created_at)
  values (p_staff.member_id, p_staff.store_id, p_action, p_member_id, p_ref, p_points, p_amount_fen,
          coalesce(p_detail, '{}'), private.clock_now())
  returning id into v_id;
  return v_id;
end
$$;

create or replace function private.task_period(p_kind text, p_on date, out period_key text, out starts_on date, out ends_on date)
language plpgsql stable
set search_path = ''
as $$
begin
  select case p_kind when 'one_time' then 'once' when 'daily' then 'D' || to_char(p.d, 'YYYY-MM-DD')
                     else 'W' || to_char(p.d, 'YYYY-MM-DD') end,
         case when p_kind <> 'one_time' then p.d end,
         case p_kind when 'daily' then p.d when 'weekly' then p.d + 6 end
  into period_key, starts_on, ends_on
  from (select case p_kind when 'weekly' then date_trunc('week', p_on::timestamp)::date else p_on end as d) p;
end
$$;

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
    where e.member_id = p_member_id and e.event = t.event
      and (p.starts_on is null or e.business_date between p.starts_on and p.ends_on)) e
  cross join lateral (
    select count(*)::integer as n from public.task_claims c
    where c.member_id = p_member_id and c.task_code = t.code and c.period_key = p.period_key) c
  where t.active;
end
$$;

create or replace function private.task_day_usage(p_member_id uuid, p_on date, out rewards_used integer, out points_used integer)
language plpgsql stable
set search_path = ''
as $$
begin
  select count(*)::integer, coalesce(sum(c.points), 0)::integer into rewards_used, points_used
  from public.task_claims c where c.member_id = p_member_id and c.claimed_on = p_on;
end
$$;

create or replace function private.new_voucher_code() returns text
language plpgsql volatile
set search_path = ''
as $$
begin
  return lpad(((('x' || encode(extensions.gen_random_bytes(8), 'hex'))::bit(64)::bigint & 9223372036854775807)
               % 1000000000000)::text, 12, '0');
end
$$;

create or replace function private.redemption_json(p_redemption public.redemptions, p_for_staff boolean default false)
returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
      'id', p_redemption.id,
      'item', jsonb_build_object(
        'id', i.id,
        'kind', i.kind,
        'title', p_redemption.item_title,
        'face_value_fen', p_redemption.face_value_fen,
        'image_url', i.image_urls[1]),
      'cost_points', p_redemption.cost_points,
      'voucher_code', p_redemption.voucher_code,
      'status', private.redemption_status(p_redemption),
      'created_at', p_redemption.created_at,
      'expires_at', p_redemption.expires_at,
      'verified_at', p_redemption.verified_at,
      'verified_store', case when s.id is not null then jsonb_build_object('id', s.id, 'name', s.name) end,
      'cancelled_at', p_redemption.cancelled_at
    ) || case when p_for_staff then jsonb_build_object(
      'member', (select jsonb_build_object('nickname', m.nickname, 'phone', private.mask_phone(m.phone))
                 from public.members m where m.id = p_redemption.member_id),
      'verified_by', (select jsonb_build_object('staff_member_id', v.id, 'nickname', v.nickname)
                      from public.members v where v.id = p_redemption.verified_by_staff_id))
    else '{}'::jsonb end
    from public.mall_items i
    left join public.stores s on s.id = p_redemption.verified_store_id
    where i.id = p_redemption.item_id
  );
end
$$;

-- 5. (create_purchases' comments on the RPC hold)
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
  -- (the unique key (store_id, order_ref) is the last guard)
  perform pg_advisory_xact_lock(hashtextextended('jifen:purchase:' || v_staff.store_id || ':' || v_order_ref, 0));
  select * into v_purchase from public.purchases where store_id = v_staff.store_id and order_ref = v_order_ref;
  if found then
    if v_purchase.member_id <> v_member_id or v_purchase.amount_fen <> p_amount_fen then
      perform private.raise_error('duplicate_order_ref', 409);
    end if;
    -- the same order again (another device, a lost answer): the purchase as recorded, nothing awarded
    return private.finish_request(v_staff.member_id, p_request_id, private.purchase_json(v_purchase))::json;
  end if;

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
