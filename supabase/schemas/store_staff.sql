-- The store manager's subset (issue 15, docs/staff.md 店长): his own store's staff (the list; adding and deactivating
-- clerks is staff_set_clerk / staff_deactivate_clerk in operators.sql) and his store's members — the members who
-- bought at his store at least once (a purchase row there, voided or not). Every RPC checks the role first
-- (private.require_staff(array['manager']): not_staff, not_manager 403) and answers only what belongs to the
-- manager's store: a member of another store only is answered as an unknown one (no leak).
--
-- The look-ups are read-only and write no audit row, as the operators' look-ups (op_find_members,
-- op_member_detail) do not; the one write here (staff_set_clerk_cap) is audited like staff_set_clerk.
-- Phones are masked as every staff screen shows them (private.mask_phone: 138****0001).

-- Points a staff member awarded on a business day, as the daily cap check counts them (staff_award_purchase,
-- purchases.sql): base + campaign points of his purchases of that day still standing (voided ones excluded), at
-- any store.
create or replace function private.staff_awarded_points(p_staff_member_id uuid, p_business_date date) returns integer
language sql stable
set search_path = ''
as $$
  select coalesce(sum(p.points + p.campaign_points), 0)::integer
  from public.purchases p
  where p.staff_member_id = p_staff_member_id and p.business_date = p_business_date and p.status = 'awarded'
$$;
revoke all on function private.staff_awarded_points(uuid, date) from public;

-- One staff member of the store as staff_list_store_staff lists them.
create type public.store_staff_member as (
  member_id uuid,
  nickname text,
  -- masked: 139****0001
  phone text,
  role text,
  active boolean,
  daily_award_cap_points integer,
  -- points awarded on the current business day (private.staff_awarded_points: what the cap check counts)
  awarded_today_points integer,
  -- staff since (the staff row's creation)
  since timestamptz,
  -- the calling manager himself (the screen offers him no 停用)
  is_self boolean
);

-- An invitation to the store waiting for the phone's first sign-in.
create type public.store_staff_invitation as (
  id uuid,
  -- masked
  phone text,
  role text,
  daily_award_cap_points integer,
  invited_at timestamptz
);

-- The answer of staff_list_store_staff.
create type public.staff_list_store_staff_result as (
  store_id uuid,
  store_name text,
  -- the business day awarded_today_points counts
  business_date date,
  -- active first; managers first; then by since
  staff public.store_staff_member[],
  -- newest first
  invitations public.store_staff_invitation[]
);

-- RPC staff_list_store_staff (manager): his store's staff (active and deactivated) with their daily caps and what
-- each awarded today, and the store's open invitations. Errors: not_staff, not_manager 403.
create or replace function public.staff_list_store_staff() returns public.staff_list_store_staff_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_manager public.staff := private.require_staff(array['manager']);
  v_today date := private.business_date(private.clock_now());
  v_result public.staff_list_store_staff_result;
begin
  v_result.store_id := v_manager.store_id;
  v_result.store_name := (select name from public.stores where id = v_manager.store_id);
  v_result.business_date := v_today;
  v_result.staff := array(
    select row(s.member_id, m.nickname, private.mask_phone(m.phone), s.role, s.active, s.daily_award_cap_points,
      private.staff_awarded_points(s.member_id, v_today), s.created_at, s.member_id = v_manager.member_id)::public.store_staff_member
    from public.staff s
    join public.members m on m.id = s.member_id
    where s.store_id = v_manager.store_id
    order by s.active desc, s.role = 'manager' desc, s.created_at, s.member_id);
  v_result.invitations := array(
    select row(i.id, private.mask_phone(i.phone), i.role, i.daily_award_cap_points, i.created_at)::public.store_staff_invitation
    from public.staff_invitations i
    where i.store_id = v_manager.store_id and i.accepted_at is null
    order by i.created_at desc, i.id);
  return v_result;
end
$$;
revoke all on function public.staff_list_store_staff() from public, anon, authenticated, service_role;
grant execute on function public.staff_list_store_staff() to authenticated;

-- RPC staff_set_clerk_cap (manager): changes the daily award cap of an active clerk of his store, by member id
-- (the list shows masked phones, and a member who signed in with WeChat may have none; staff_set_clerk changes it
-- by phone). Audited like staff_set_clerk (action set_staff_cap, before → after). The same cap again changes
-- nothing and writes no audit row. Errors: not_staff, not_manager 403; invalid_award_cap 400; staff_not_found 404
-- (not an active clerk of his store).
create or replace function public.staff_set_clerk_cap(p_member_id uuid, p_daily_award_cap_points integer) returns public.staff
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_manager public.staff := private.require_staff(array['manager']);
  v_before public.staff;
  v_staff public.staff;
begin
  perform private.begin_write();
  if p_daily_award_cap_points is null or p_daily_award_cap_points not between 0 and 100000000 then
    perform private.raise_error('invalid_award_cap', 400);
  end if;
  -- the staff row: a shared row (lock order step 3), the only one this write takes; FOR NO KEY UPDATE, as an
  -- award locks it, so the foreign-key locks of the clerk's purchases and audit rows never wait for it
  select * into v_before from public.staff
  where member_id = p_member_id and store_id = v_manager.store_id and role = 'clerk' and active
  for no key update;
  if not found then
    perform private.raise_error('staff_not_found', 404);
  end if;
  if v_before.daily_award_cap_points = p_daily_award_cap_points then
    return v_before;
  end if;
  update public.staff set daily_award_cap_points = p_daily_award_cap_points where member_id = p_member_id
  returning * into v_staff;
  perform private.audit_write(v_manager.member_id, 'set_staff_cap', 'staff', p_member_id::text,
    jsonb_build_object('daily_award_cap_points', v_before.daily_award_cap_points),
    jsonb_build_object('daily_award_cap_points', v_staff.daily_award_cap_points));
  return v_staff;
end
$$;
revoke all on function public.staff_set_clerk_cap(uuid, integer) from public, anon, authenticated, service_role;
grant execute on function public.staff_set_clerk_cap(uuid, integer) to authenticated;

-- One member of the store as staff_find_members answers them: who, and their purchases at this store.
create type public.store_member_match as (
  member_id uuid,
  nickname text,
  -- masked
  phone text,
  tier_code text,
  tier_name text,
  -- spendable now (private.available_points, as staff_preview_member shows it)
  balance_points integer,
  -- the member's first and latest purchase at the store (voided ones included)
  first_purchase_at timestamptz,
  last_purchase_at timestamptz,
  -- purchases at the store still standing (voided ones excluded), and what they paid
  purchase_count integer,
  purchase_amount_fen bigint
);

-- The member as a member of p_store_id, or null when the member never bought there (or does not exist).
create or replace function private.store_member_match(p_store_id uuid, p_member_id uuid) returns public.store_member_match
language sql stable
set search_path = ''
as $$
  select row(m.id, m.nickname, private.mask_phone(m.phone), t.code, t.name, private.available_points(m.id),
    p.first_at, p.last_at, p.standing, p.amount_fen)::public.store_member_match
  from public.members m
  cross join lateral (
    select min(x.created_at) as first_at, max(x.created_at) as last_at,
      (count(*) filter (where x.status = 'awarded'))::integer as standing,
      coalesce(sum(x.amount_fen) filter (where x.status = 'awarded'), 0)::bigint as amount_fen
    from public.purchases x
    where x.member_id = m.id and x.store_id = p_store_id
  ) p
  -- the member's tier; members without a tier row are in the entry tier (rank 0)
  join public.tiers t on t.code = coalesce((select mt.tier_code from public.member_tiers mt where mt.member_id = m.id),
    (select e.code from public.tiers e where e.rank = 0))
  where m.id = p_member_id and p.first_at is not null
$$;
revoke all on function private.store_member_match(uuid, uuid) from public;

-- RPC staff_find_members (manager): his store's members (at least one purchase at his store) by phone (all 11
-- digits), member code (the token the member's QR carries, as the award screen scans it; valid until its expiry)
-- or member id. Each form names one member, so the answer is that member or nothing; a member who never bought
-- at his store is nothing, exactly as an unknown one. Errors: not_staff, not_manager 403; invalid_member_query
-- 400 (none of those forms); invalid_member_code 400, member_code_expired 409 (the member shows a fresh one).
create or replace function public.staff_find_members(p_query text) returns setof public.store_member_match
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_manager public.staff := private.require_staff(array['manager']);
  v_query text := private.trim_space(p_query);
  v_id uuid;
begin
  if v_query ~* '^M1\.' then
    v_id := private.verify_member_code(upper(v_query), 0);
  elsif v_query ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    v_id := v_query::uuid;
  elsif v_query ~ '^1[3-9][0-9]{9}$' then
    v_id := (select id from public.members where phone = v_query);
  else
    perform private.raise_error('invalid_member_query', 400);
  end if;
  return query
    select (x.r).* from (select private.store_member_match(v_manager.store_id, v_id) as r) x where (x.r).member_id is not null;
end
$$;
revoke all on function public.staff_find_members(text) from public, anon, authenticated, service_role;
grant execute on function public.staff_find_members(text) to authenticated;

-- One purchase of the member at the store, as staff_store_member_detail lists it.
create type public.store_member_purchase as (
  purchase_id uuid,
  order_ref text,
  amount_fen bigint,
  points integer,
  campaign_points integer,
  -- 'awarded' or 'voided'
  status text,
  business_date date,
  created_at timestamptz,
  awarded_by public.purchase_staff,
  voided_at timestamptz,
  void_reason text
);

-- The answer of staff_store_member_detail.
create type public.staff_store_member_detail_result as (
  member public.store_member_match,
  avatar_url text,
  member_since timestamptz,
  tier_multiplier numeric,
  -- points still on hold (purchase hold days), not yet spendable
  pending_points integer,
  -- the member's earliest expiring points (as the member's home shows them), null when none
  expiring public.me_expiring,
  -- points the standing purchases at this store earned (base + campaign)
  purchase_points integer,
  voided_count integer,
  -- the newest 50 purchases at this store, newest first, voided ones included
  purchases public.store_member_purchase[]
);

-- RPC staff_store_member_detail (manager): one member of his store — profile summary, tier, balance, pending and
-- expiring points — and the member's purchases AT HIS STORE (not the member's whole ledger: that is the
-- operators' 客服 screen, op_member_detail). Errors: not_staff, not_manager 403; store_member_not_found 404 (no
-- purchase at his store, or no such member: the same answer).
create or replace function public.staff_store_member_detail(p_member_id uuid) returns public.staff_store_member_detail_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_manager public.staff := private.require_staff(array['manager']);
  v_now timestamptz := private.clock_now();
  v_result public.staff_store_member_detail_result;
begin
  v_result.member := private.store_member_match(v_manager.store_id, p_member_id);
  if (v_result.member).member_id is null then
    perform private.raise_error('store_member_not_found', 404);
  end if;
  select m.avatar_url, m.created_at into v_result.avatar_url, v_result.member_since from public.members m where m.id = p_member_id;
  v_result.tier_multiplier := (select multiplier from public.tiers where code = (v_result.member).tier_code);
  v_result.pending_points := (select coalesce(sum(remaining_points), 0)::integer from public.point_lots
    where member_id = p_member_id and remaining_points > 0 and available_at > v_now and expires_at > v_now);
  v_result.expiring := (select row(sum(l.remaining_points)::integer, private.lot_expires_on(l.expires_at), min(l.expires_at))::public.me_expiring
    from public.point_lots l
    where l.member_id = p_member_id and l.remaining_points > 0 and l.expires_at > v_now
    group by private.lot_expires_on(l.expires_at) order by private.lot_expires_on(l.expires_at) limit 1);
  select coalesce(sum(p.points + p.campaign_points) filter (where p.status = 'awarded'), 0)::integer,
    (count(*) filter (where p.status = 'voided'))::integer
  into v_result.purchase_points, v_result.voided_count
  from public.purchases p where p.member_id = p_member_id and p.store_id = v_manager.store_id;
  v_result.purchases := array(
    select row(p.id, p.order_ref, p.amount_fen, p.points, p.campaign_points, p.status, p.business_date, p.created_at,
      row(s.id, s.nickname)::public.purchase_staff, p.voided_at, p.void_reason)::public.store_member_purchase
    from public.purchases p
    join public.members s on s.id = p.staff_member_id
    where p.member_id = p_member_id and p.store_id = v_manager.store_id
    order by p.created_at desc, p.id
    limit 50);
  return v_result;
end
$$;
revoke all on function public.staff_store_member_detail(uuid) from public, anon, authenticated, service_role;
grant execute on function public.staff_store_member_detail(uuid) to authenticated;
