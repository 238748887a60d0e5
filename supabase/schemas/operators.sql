-- Operators (总部运营, issue 15): program-wide staff who run the catalog, campaigns, tasks, rules, stores and member
-- service from the console. An operator is a member with an active row in public.operators (not a JWT claim,
-- like staff). Every operator write is an RPC (`op_*`) that checks the role first (not_operator 403), validates
-- its input (a documented 4xx code, nothing changed), and writes one audit row (who, when, what, before → after)
-- in the same transaction. The first operator is added by the database owner (docs/operators.md:
-- `npm run operator:add -- <phone>` or one SQL statement); the seed adds a demo operator.
--
-- Lock order (rpc_helpers.sql): operator writes on the catalog lock only shared rows (step 3: the mall item),
-- so a redemption (balance, then the item) and a stock adjustment of the same item queue on the item row.

create table public.operators (
  member_id uuid primary key references public.members (id),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  -- the operator who added this one; null for the first, added by the database owner
  created_by uuid references public.members (id)
);
alter table public.operators enable row level security;
revoke all on public.operators from anon, authenticated, service_role;

-- The audit trail of operator writes: append-only (private.refuse_change, ledger.sql), read through
-- public.op_list_audit. before/after are the changed row as JSON (null before a create).
create table public.operator_audit (
  id bigint generated always as identity primary key,
  actor_id uuid not null references public.members (id),
  action text not null check (action ~ '^[a-z][a-z_]{2,39}$'),
  target_table text not null,
  target_id text not null,
  before jsonb,
  after jsonb,
  reason text check (char_length(reason) <= 200),
  created_at timestamptz not null default private.clock_now()
);
alter table public.operator_audit enable row level security;
revoke all on public.operator_audit from anon, authenticated, service_role;
create index operator_audit_target_idx on public.operator_audit (target_table, target_id, id desc);

create trigger operator_audit_append_only before update or delete on public.operator_audit
  for each row execute function private.refuse_change();
create trigger operator_audit_no_truncate before truncate on public.operator_audit
  for each statement execute function private.refuse_change();

-- The calling operator's member id; not_operator (403) for anyone else (members, clerks, managers).
create or replace function private.require_operator() returns uuid
language plpgsql stable
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
begin
  if not exists (select 1 from public.operators where member_id = v_member and active) then
    perform private.raise_error('not_operator', 403);
  end if;
  return v_member;
end
$$;
revoke all on function private.require_operator() from public;

-- One audit row for a write of p_actor.
create or replace function private.audit_write(
  p_actor uuid, p_action text, p_table text, p_id text, p_before jsonb, p_after jsonb, p_reason text default null
) returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into public.operator_audit (actor_id, action, target_table, target_id, before, after, reason)
  values (p_actor, p_action, p_table, p_id, p_before, p_after, p_reason);
end
$$;
revoke all on function private.audit_write(uuid, text, text, text, jsonb, jsonb, text) from public;

-- An operator's reason for a change: trimmed, 1–200 characters (invalid_change_reason 400 otherwise).
create or replace function private.operator_reason(p_reason text) returns text
language plpgsql immutable
set search_path = ''
as $$
declare
  v_reason text := private.trim_space(p_reason);
begin
  if v_reason is null or char_length(v_reason) not between 1 and 200 then
    perform private.raise_error('invalid_change_reason', 400);
  end if;
  return v_reason;
end
$$;
revoke all on function private.operator_reason(text) from public;

-- RPC op_save_mall_item (operator): create an item (p_item_id null) or edit one. Every field is the item's new
-- value; the stock is set only at creation (later: op_adjust_item_stock, with a reason). Existing redemptions
-- keep the terms they were redeemed under (public.redemptions keeps the title and face value, mall.sql). Answers the item row.
-- Errors: not_operator 403; item_not_found 404; invalid_item_kind, invalid_title, invalid_description,
-- invalid_category, invalid_image_urls, invalid_cost_points, invalid_face_value, invalid_stock,
-- invalid_member_limit, invalid_tier, invalid_sale_window, invalid_voucher_valid_days 400.
create or replace function public.op_save_mall_item(
  p_kind text, p_title text, p_category_code text, p_cost_points integer,
  p_item_id uuid default null, p_description text default '', p_image_urls jsonb default '[]',
  p_face_value_fen integer default null, p_stock integer default null, p_member_limit integer default null,
  p_member_limit_days integer default null, p_min_tier_code text default null,
  p_sale_starts_at timestamptz default null, p_sale_ends_at timestamptz default null,
  p_voucher_valid_days integer default 30, p_sort_order integer default 0
) returns public.mall_items
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_title text := private.trim_space(p_title);
  v_images text[];
  v_before public.mall_items;
  v_item public.mall_items;
begin
  perform private.begin_write();
  if p_kind is null or p_kind not in ('coupon', 'membership', 'gift') then
    perform private.raise_error('invalid_item_kind', 400);
  end if;
  if v_title is null or char_length(v_title) not between 1 and 30 then
    perform private.raise_error('invalid_title', 400);
  end if;
  if p_description is null or char_length(p_description) > 500 then
    perform private.raise_error('invalid_description', 400);
  end if;
  if not exists (select 1 from public.mall_categories where code = p_category_code) then
    perform private.raise_error('invalid_category', 400);
  end if;
  v_images := private.jsonb_strings(p_image_urls);
  if v_images is null or cardinality(v_images) > 9 or not private.is_image_url_list(v_images) then
    perform private.raise_error('invalid_image_urls', 400);
  end if;
  if p_cost_points is null or p_cost_points not between 1 and 100000000 then
    perform private.raise_error('invalid_cost_points', 400);
  end if;
  if p_face_value_fen is not null and p_face_value_fen not between 1 and 100000000 then
    perform private.raise_error('invalid_face_value', 400);
  end if;
  if (p_member_limit is not null and p_member_limit not between 1 and 10000)
     or (p_member_limit_days is not null and (p_member_limit is null or p_member_limit_days not between 1 and 3660)) then
    perform private.raise_error('invalid_member_limit', 400);
  end if;
  if p_min_tier_code is not null and not exists (select 1 from public.tiers where code = p_min_tier_code) then
    perform private.raise_error('invalid_tier', 400);
  end if;
  if p_sale_starts_at is not null and p_sale_ends_at is not null and p_sale_starts_at >= p_sale_ends_at
     or not isfinite(coalesce(p_sale_starts_at, '2000-01-01')) or not isfinite(coalesce(p_sale_ends_at, '2000-01-01')) then
    perform private.raise_error('invalid_sale_window', 400);
  end if;
  if p_voucher_valid_days is null or p_voucher_valid_days not between 0 and 3660 then
    perform private.raise_error('invalid_voucher_valid_days', 400);
  end if;

  if p_item_id is null then
    if p_stock is null or p_stock not between 0 and 10000000 then
      perform private.raise_error('invalid_stock', 400);
    end if;
    insert into public.mall_items (kind, title, description, category_code, image_urls, cost_points, face_value_fen,
      stock_remaining, member_limit, member_limit_days, min_tier_code, sale_starts_at, sale_ends_at,
      voucher_valid_days, sort_order, active)
    values (p_kind, v_title, p_description, p_category_code, v_images, p_cost_points, p_face_value_fen,
      p_stock, p_member_limit, p_member_limit_days, p_min_tier_code, p_sale_starts_at, p_sale_ends_at,
      p_voucher_valid_days, coalesce(p_sort_order, 0), false)
    returning * into v_item;
    perform private.audit_write(v_actor, 'create_mall_item', 'mall_items', v_item.id::text, null, to_jsonb(v_item));
    return v_item;
  end if;

  if p_stock is not null then
    perform private.raise_error('invalid_stock', 400); -- stock changes go through op_adjust_item_stock
  end if;
  select * into v_before from public.mall_items where id = p_item_id for update;
  if not found then
    perform private.raise_error('item_not_found', 404);
  end if;
  update public.mall_items set kind = p_kind, title = v_title, description = p_description,
    category_code = p_category_code, image_urls = v_images, cost_points = p_cost_points,
    face_value_fen = p_face_value_fen, member_limit = p_member_limit, member_limit_days = p_member_limit_days,
    min_tier_code = p_min_tier_code, sale_starts_at = p_sale_starts_at, sale_ends_at = p_sale_ends_at,
    voucher_valid_days = p_voucher_valid_days, sort_order = coalesce(p_sort_order, 0)
  where id = p_item_id
  returning * into v_item;
  perform private.audit_write(v_actor, 'update_mall_item', 'mall_items', v_item.id::text, to_jsonb(v_before), to_jsonb(v_item));
  return v_item;
end
$$;
revoke all on function public.op_save_mall_item(text, text, text, integer, uuid, text, jsonb, integer, integer, integer, integer, text, timestamptz, timestamptz, integer, integer)
  from public, anon, authenticated, service_role;
grant execute on function public.op_save_mall_item(text, text, text, integer, uuid, text, jsonb, integer, integer, integer, integer, text, timestamptz, timestamptz, integer, integer)
  to authenticated;

-- RPC op_set_mall_item_active (operator): publish (true) or unpublish (false) an item. A new item starts
-- unpublished. Unpublishing keeps its issued vouchers valid. Setting the state it already has changes nothing
-- and writes no audit row. Errors: not_operator 403; item_not_found 404; invalid_active 400.
create or replace function public.op_set_mall_item_active(p_item_id uuid, p_active boolean) returns public.mall_items
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_before public.mall_items;
  v_item public.mall_items;
begin
  perform private.begin_write();
  if p_active is null then
    perform private.raise_error('invalid_active', 400);
  end if;
  select * into v_before from public.mall_items where id = p_item_id for update;
  if not found then
    perform private.raise_error('item_not_found', 404);
  end if;
  if v_before.active = p_active then
    return v_before;
  end if;
  update public.mall_items set active = p_active where id = p_item_id returning * into v_item;
  perform private.audit_write(v_actor, case when p_active then 'publish_mall_item' else 'unpublish_mall_item' end,
    'mall_items', v_item.id::text, jsonb_build_object('active', v_before.active), jsonb_build_object('active', v_item.active));
  return v_item;
end
$$;
revoke all on function public.op_set_mall_item_active(uuid, boolean) from public, anon, authenticated, service_role;
grant execute on function public.op_set_mall_item_active(uuid, boolean) to authenticated;

-- RPC op_adjust_item_stock (operator): add (p_delta > 0) or take away (< 0) stock, with a reason (audited).
-- Stock is what is left to redeem, so it never goes below zero: what members already redeemed stays theirs
-- (stock_below_zero 409, nothing changed). Under the item's row lock, like redeem_item's decrement.
-- Errors: not_operator 403; item_not_found 404; invalid_stock_delta, invalid_change_reason 400; stock_below_zero 409.
create or replace function public.op_adjust_item_stock(p_item_id uuid, p_delta integer, p_reason text) returns public.mall_items
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_reason text;
  v_before public.mall_items;
  v_item public.mall_items;
begin
  perform private.begin_write();
  if p_delta is null or p_delta = 0 or p_delta not between -10000000 and 10000000 then
    perform private.raise_error('invalid_stock_delta', 400);
  end if;
  v_reason := private.operator_reason(p_reason);
  select * into v_before from public.mall_items where id = p_item_id for update;
  if not found then
    perform private.raise_error('item_not_found', 404);
  end if;
  if v_before.stock_remaining + p_delta < 0 then
    perform private.raise_error('stock_below_zero', 409);
  end if;
  update public.mall_items set stock_remaining = stock_remaining + p_delta where id = p_item_id returning * into v_item;
  perform private.audit_write(v_actor, 'adjust_item_stock', 'mall_items', v_item.id::text,
    jsonb_build_object('stock_remaining', v_before.stock_remaining), jsonb_build_object('stock_remaining', v_item.stock_remaining),
    v_reason);
  return v_item;
end
$$;
revoke all on function public.op_adjust_item_stock(uuid, integer, text) from public, anon, authenticated, service_role;
grant execute on function public.op_adjust_item_stock(uuid, integer, text) to authenticated;

-- RPC op_save_mall_category (operator): add a category or rename / reorder one (by code; a code never changes:
-- items refer to it). Errors: not_operator 403; invalid_category_code, invalid_category_name 400.
create or replace function public.op_save_mall_category(p_code text, p_name text, p_sort_order integer default 0)
returns public.mall_categories
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_name text := private.trim_space(p_name);
  v_before public.mall_categories;
  v_category public.mall_categories;
begin
  perform private.begin_write();
  if p_code is null or p_code !~ '^[a-z][a-z0-9_]{0,31}$' then
    perform private.raise_error('invalid_category_code', 400);
  end if;
  if v_name is null or char_length(v_name) not between 1 and 16 then
    perform private.raise_error('invalid_category_name', 400);
  end if;
  select * into v_before from public.mall_categories where code = p_code for update;
  insert into public.mall_categories (code, name, sort_order) values (p_code, v_name, coalesce(p_sort_order, 0))
  on conflict (code) do update set name = excluded.name, sort_order = excluded.sort_order
  returning * into v_category;
  perform private.audit_write(v_actor, case when v_before.code is null then 'create_mall_category' else 'update_mall_category' end,
    'mall_categories', p_code, case when v_before.code is null then null else to_jsonb(v_before) end, to_jsonb(v_category));
  return v_category;
end
$$;
revoke all on function public.op_save_mall_category(text, text, integer) from public, anon, authenticated, service_role;
grant execute on function public.op_save_mall_category(text, text, integer) to authenticated;

-- RPC op_list_audit (operator): the audit trail, newest first, p_limit (1–100) at a time, older than
-- p_before_id when paging; only the rows of one target when p_target_table and p_target_id are given.
-- Errors: not_operator 403; invalid_limit 400.
create or replace function public.op_list_audit(
  p_limit integer default 50, p_before_id bigint default null, p_target_table text default null, p_target_id text default null
) returns setof public.operator_audit
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_operator();
  if p_limit is null or p_limit not between 1 and 100 then
    perform private.raise_error('invalid_limit', 400);
  end if;
  return query
    select a.* from public.operator_audit a
    where (p_before_id is null or a.id < p_before_id)
      and (p_target_table is null or a.target_table = p_target_table)
      and (p_target_id is null or a.target_id = p_target_id)
    order by a.id desc
    limit p_limit;
end
$$;
revoke all on function public.op_list_audit(integer, bigint, text, text) from public, anon, authenticated, service_role;
grant execute on function public.op_list_audit(integer, bigint, text, text) to authenticated;

-- RPC op_save_campaign (operator): create a campaign (p_campaign_id null) or edit one. Never retroactive: a new
-- campaign starts now or later, and what a campaign already paid stays paid — an edit applies to awards from now
-- on. Once a campaign has started its start cannot move, its end cannot move into the past (op_end_campaign
-- ends it now), and its budget cannot go below what it already paid. p_sources is a JSON array of sources
-- (jsonb: private.jsonb_strings). The answer carries the campaigns whose window overlaps this one
-- on a shared source: where they overlap, one award gets one campaign, the highest multiplier (then the
-- earliest start), until its cap or budget runs out (private.award_points, ledger.sql).
-- Errors: not_operator 403; campaign_not_found 404; invalid_campaign_name, invalid_campaign_window,
-- invalid_multiplier, invalid_sources, invalid_member_cap, invalid_budget 400; campaign_ended 409.
create type public.op_campaign_result as (
  campaign public.campaigns,
  overlapping public.campaigns[]
);

create or replace function public.op_save_campaign(
  p_name text, p_starts_at timestamptz, p_ends_at timestamptz, p_multiplier numeric, p_sources jsonb,
  p_member_cap_points integer default null, p_budget_points integer default null, p_campaign_id uuid default null
) returns public.op_campaign_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_now timestamptz := private.clock_now();
  v_name text := private.trim_space(p_name);
  v_sources text[];
  v_before public.campaigns;
  v_campaign public.campaigns;
  v_result public.op_campaign_result;
begin
  perform private.begin_write();
  if v_name is null or char_length(v_name) not between 1 and 40 then
    perform private.raise_error('invalid_campaign_name', 400);
  end if;
  v_sources := private.jsonb_strings(p_sources);
  if v_sources is null or cardinality(v_sources) not between 1 and 7
     or not v_sources <@ array['check_in', 'check_in_streak', 'task', 'purchase', 'referral', 'birthday', 'registration'] then
    perform private.raise_error('invalid_sources', 400);
  end if;
  v_sources := array(select distinct s from unnest(v_sources) s order by s);
  if p_multiplier is null or p_multiplier <= 1 or p_multiplier > 10 or p_multiplier <> round(p_multiplier, 2) then
    perform private.raise_error('invalid_multiplier', 400);
  end if;
  if p_member_cap_points is not null and p_member_cap_points not between 1 and 100000000 then
    perform private.raise_error('invalid_member_cap', 400);
  end if;
  if p_budget_points is not null and p_budget_points not between 1 and 2000000000 then
    perform private.raise_error('invalid_budget', 400);
  end if;
  if p_starts_at is null or p_ends_at is null or not isfinite(p_starts_at) or not isfinite(p_ends_at)
     or p_ends_at <= p_starts_at or p_ends_at <= v_now or p_ends_at > v_now + interval '5 years' then
    perform private.raise_error('invalid_campaign_window', 400);
  end if;

  if p_campaign_id is null then
    if p_starts_at < v_now - interval '1 minute' then
      perform private.raise_error('invalid_campaign_window', 400); -- never retroactive
    end if;
    insert into public.campaigns (name, starts_at, ends_at, multiplier, sources, member_cap_points, budget_points)
    values (v_name, greatest(p_starts_at, v_now), p_ends_at, p_multiplier, v_sources, p_member_cap_points, p_budget_points)
    returning * into v_campaign;
    perform private.audit_write(v_actor, 'create_campaign', 'campaigns', v_campaign.id::text, null, to_jsonb(v_campaign));
  else
    select * into v_before from public.campaigns where id = p_campaign_id for update;
    if not found then
      perform private.raise_error('campaign_not_found', 404);
    end if;
    if v_before.ends_at <= v_now then
      perform private.raise_error('campaign_ended', 409);
    end if;
    if v_before.starts_at <= v_now and p_starts_at <> v_before.starts_at
       or v_before.starts_at > v_now and p_starts_at < v_now - interval '1 minute' then
      perform private.raise_error('invalid_campaign_window', 400);
    end if;
    if p_budget_points is not null and p_budget_points < v_before.awarded_points then
      perform private.raise_error('invalid_budget', 400);
    end if;
    update public.campaigns set name = v_name, starts_at = greatest(p_starts_at, least(v_before.starts_at, v_now)),
      ends_at = p_ends_at, multiplier = p_multiplier, sources = v_sources,
      member_cap_points = p_member_cap_points, budget_points = p_budget_points
    where id = p_campaign_id
    returning * into v_campaign;
    perform private.audit_write(v_actor, 'update_campaign', 'campaigns', v_campaign.id::text, to_jsonb(v_before), to_jsonb(v_campaign));
  end if;

  v_result.campaign := v_campaign;
  v_result.overlapping := array(
    select c from public.campaigns c
    where c.id <> v_campaign.id and c.starts_at < v_campaign.ends_at and c.ends_at > v_campaign.starts_at
      and c.sources && v_campaign.sources
    order by c.multiplier desc, c.starts_at, c.id);
  return v_result;
end
$$;
revoke all on function public.op_save_campaign(text, timestamptz, timestamptz, numeric, jsonb, integer, integer, uuid)
  from public, anon, authenticated, service_role;
grant execute on function public.op_save_campaign(text, timestamptz, timestamptz, numeric, jsonb, integer, integer, uuid)
  to authenticated;

-- RPC op_end_campaign (operator): end a running or scheduled campaign now, with a reason (audited). What it paid
-- stays paid; a scheduled one never starts. Errors: not_operator 403; campaign_not_found 404;
-- invalid_change_reason 400; campaign_ended 409.
create or replace function public.op_end_campaign(p_campaign_id uuid, p_reason text) returns public.campaigns
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_now timestamptz := private.clock_now();
  v_reason text;
  v_before public.campaigns;
  v_campaign public.campaigns;
begin
  perform private.begin_write();
  v_reason := private.operator_reason(p_reason);
  select * into v_before from public.campaigns where id = p_campaign_id for update;
  if not found then
    perform private.raise_error('campaign_not_found', 404);
  end if;
  if v_before.ends_at <= v_now then
    perform private.raise_error('campaign_ended', 409);
  end if;
  -- it ends now; a scheduled one gets an empty window just before now, so it never runs
  update public.campaigns set ends_at = v_now, starts_at = least(starts_at, v_now - interval '1 millisecond')
  where id = p_campaign_id
  returning * into v_campaign;
  perform private.audit_write(v_actor, 'end_campaign', 'campaigns', v_campaign.id::text,
    jsonb_build_object('starts_at', v_before.starts_at, 'ends_at', v_before.ends_at),
    jsonb_build_object('starts_at', v_campaign.starts_at, 'ends_at', v_campaign.ends_at), v_reason);
  return v_campaign;
end
$$;
revoke all on function public.op_end_campaign(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.op_end_campaign(uuid, text) to authenticated;

-- One campaign as the console lists it: the row, and whether it is running, scheduled or ended now.
create type public.op_campaign_row as (
  campaign public.campaigns,
  state text
);

-- RPC op_list_campaigns (operator): running and scheduled campaigns first (by start), then ended ones (newest
-- end first), with what each paid against its budget (campaign.awarded_points, live: awards update it in their
-- transaction). p_limit (1–100). Errors: not_operator 403; invalid_limit 400.
create or replace function public.op_list_campaigns(p_limit integer default 50) returns setof public.op_campaign_row
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
begin
  perform private.require_operator();
  if p_limit is null or p_limit not between 1 and 100 then
    perform private.raise_error('invalid_limit', 400);
  end if;
  return query
    select c, case when c.ends_at <= v_now then 'ended' when c.starts_at > v_now then 'scheduled' else 'running' end
    from public.campaigns c
    order by (c.ends_at <= v_now), case when c.ends_at > v_now then c.starts_at end, c.ends_at desc, c.id
    limit p_limit;
end
$$;
revoke all on function public.op_list_campaigns(integer) from public, anon, authenticated, service_role;
grant execute on function public.op_list_campaigns(integer) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- Member service: manual point adjustments (客服调整). An operator adds (+) or takes away (−) points for a
-- member with a reason code and a note. Up to point_rules.adjustment_approval_points either way it applies at
-- once; above it, it waits for a second operator (4-eyes), who applies or rejects it; the requester cannot
-- decide his own. An applied adjustment is one ledger entry of source 'adjustment' through the primitives
-- (lots, FIFO, never a negative balance: taking away more than the member has is insufficient_points and
-- changes nothing), which the member sees in 积分明细 as 积分调整 with the reason. Lock order: the member's
-- balance first (step 1), then the adjustment row (a row owned by that member, step 2).

-- More points than this, either way, wait for a second operator.
alter table public.point_rules
  add column adjustment_approval_points integer not null default 1000 check (adjustment_approval_points >= 0);

create table public.point_adjustments (
  id uuid primary key default gen_random_uuid(),
  member_id uuid not null references public.members (id),
  points integer not null check (points <> 0 and points between -1000000 and 1000000),
  reason_code text not null check (reason_code in ('missing_points', 'service_compensation', 'goodwill', 'correction', 'abuse')),
  note text not null default '' check (char_length(note) <= 200),
  status text not null default 'pending' check (status in ('pending', 'applied', 'rejected')),
  requested_by uuid not null references public.members (id),
  decided_by uuid references public.members (id), -- the second operator; null when applied at once
  entry_id bigint unique references public.point_entries (id),
  decided_at timestamptz,
  -- last: pg-delta adds a column whose default calls a project function after the table (docs/decisions.md)
  created_at timestamptz not null default private.clock_now(),
  check (decided_by is null or decided_by <> requested_by),
  check ((status = 'applied') = (entry_id is not null)),
  check ((status = 'pending') = (decided_at is null))
);
alter table public.point_adjustments enable row level security;
revoke all on public.point_adjustments from anon, authenticated, service_role;
create index point_adjustments_pending_idx on public.point_adjustments (created_at) where status = 'pending';
create index point_adjustments_member_idx on public.point_adjustments (member_id, created_at desc);

-- The words a member reads for a reason code (the entry's description: 积分调整 · <words>).
create or replace function private.adjustment_label(p_reason_code text) returns text
language sql immutable
set search_path = ''
as $$
  select case p_reason_code
    when 'missing_points' then '补发未到账积分'
    when 'service_compensation' then '服务补偿'
    when 'goodwill' then '会员关怀'
    when 'correction' then '积分更正'
    when 'abuse' then '违规扣回'
  end
$$;
revoke all on function private.adjustment_label(text) from public;

-- Applies a pending or new adjustment (the caller holds the member's balance lock): one ledger entry under
-- the natural key 'adjustment:<id>'. Returns the entry id.
create or replace function private.apply_adjustment(p_adjustment public.point_adjustments) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_description text := '积分调整 · ' || private.adjustment_label(p_adjustment.reason_code);
  v_ref text := 'adjustment:' || p_adjustment.id;
begin
  if p_adjustment.points > 0 then
    return (private.award_points(p_adjustment.member_id, 'adjustment', p_adjustment.points, v_ref, v_description)).entry_id;
  end if;
  return private.spend_points(p_adjustment.member_id, 'adjustment', -p_adjustment.points, v_ref, v_description);
end
$$;
revoke all on function private.apply_adjustment(public.point_adjustments) from public;

-- RPC op_adjust_points (operator): adjust a member's points with a reason code (missing_points,
-- service_compensation, goodwill, correction, abuse) and a note; retry-safe with p_request_id. Answers the
-- adjustment: 'applied' (at most adjustment_approval_points either way) or 'pending' (more: op_decide_adjustment).
-- Errors: not_operator 403; member_not_found 404; invalid_adjustment_points, invalid_adjustment_reason,
-- invalid_note, request_id_required 400; insufficient_points 409 (taking away more than the member has: nothing
-- changes); request_id_reused 409.
create or replace function public.op_adjust_points(
  p_member_id uuid, p_points integer, p_reason_code text, p_request_id uuid, p_note text default ''
) returns public.point_adjustments
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_note text := coalesce(private.trim_space(p_note), '');
  v_previous jsonb;
  v_adjustment public.point_adjustments;
begin
  perform private.begin_write();
  if p_request_id is null then
    perform private.raise_error('request_id_required', 400);
  end if;
  if p_points is null or p_points = 0 or p_points not between -1000000 and 1000000 then
    perform private.raise_error('invalid_adjustment_points', 400);
  end if;
  if private.adjustment_label(p_reason_code) is null then
    perform private.raise_error('invalid_adjustment_reason', 400);
  end if;
  if char_length(v_note) > 200 then
    perform private.raise_error('invalid_note', 400);
  end if;
  if not exists (select 1 from public.members where id = p_member_id) then
    perform private.raise_error('member_not_found', 404);
  end if;
  v_previous := private.begin_request(v_actor, p_request_id, 'op_adjust_points',
    jsonb_build_object('member_id', p_member_id, 'points', p_points, 'reason_code', p_reason_code, 'note', v_note));
  if v_previous is not null then
    return jsonb_populate_record(null::public.point_adjustments, v_previous);
  end if;
  perform private.lock_balance(p_member_id);

  insert into public.point_adjustments (member_id, points, reason_code, note, requested_by)
  values (p_member_id, p_points, p_reason_code, v_note, v_actor)
  returning * into v_adjustment;
  if abs(p_points) <= (private.rules()).adjustment_approval_points then
    update public.point_adjustments
    set status = 'applied', entry_id = private.apply_adjustment(v_adjustment), decided_at = private.clock_now()
    where id = v_adjustment.id
    returning * into v_adjustment;
  end if;
  perform private.audit_write(v_actor, case when v_adjustment.status = 'applied' then 'apply_adjustment' else 'request_adjustment' end,
    'point_adjustments', v_adjustment.id::text, null, to_jsonb(v_adjustment), v_note);
  return jsonb_populate_record(null::public.point_adjustments,
    private.finish_request(v_actor, p_request_id, to_jsonb(v_adjustment)));
end
$$;
revoke all on function public.op_adjust_points(uuid, integer, text, uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.op_adjust_points(uuid, integer, text, uuid, text) to authenticated;

-- RPC op_decide_adjustment (operator): a second operator applies (p_approve) or rejects a pending adjustment.
-- Errors: not_operator 403; own_adjustment 403 (the requester cannot decide his own); adjustment_not_found 404;
-- invalid_decision 400; adjustment_decided 409; insufficient_points 409 (approving a take-away the member can no
-- longer cover: it stays pending).
create or replace function public.op_decide_adjustment(p_adjustment_id uuid, p_approve boolean) returns public.point_adjustments
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_member uuid;
  v_before public.point_adjustments;
  v_adjustment public.point_adjustments;
begin
  perform private.begin_write();
  if p_approve is null then
    perform private.raise_error('invalid_decision', 400);
  end if;
  select member_id into v_member from public.point_adjustments where id = p_adjustment_id;
  if not found then
    perform private.raise_error('adjustment_not_found', 404);
  end if;
  perform private.lock_balance(v_member);
  select * into v_before from public.point_adjustments where id = p_adjustment_id for update;
  if v_before.status <> 'pending' then
    perform private.raise_error('adjustment_decided', 409);
  end if;
  if v_before.requested_by = v_actor then
    perform private.raise_error('own_adjustment', 403);
  end if;
  update public.point_adjustments
  set status = case when p_approve then 'applied' else 'rejected' end,
      entry_id = case when p_approve then private.apply_adjustment(v_before) end,
      decided_by = v_actor, decided_at = private.clock_now()
  where id = p_adjustment_id
  returning * into v_adjustment;
  perform private.audit_write(v_actor, case when p_approve then 'approve_adjustment' else 'reject_adjustment' end,
    'point_adjustments', v_adjustment.id::text, jsonb_build_object('status', v_before.status),
    jsonb_build_object('status', v_adjustment.status, 'entry_id', v_adjustment.entry_id));
  return v_adjustment;
end
$$;
revoke all on function public.op_decide_adjustment(uuid, boolean) from public, anon, authenticated, service_role;
grant execute on function public.op_decide_adjustment(uuid, boolean) to authenticated;

-- RPC op_list_adjustments (operator): adjustments newest first, p_limit (1–100) at a time, older than
-- p_before (created_at) when paging; only one status ('pending': the approval queue) or one member when given.
-- Errors: not_operator 403; invalid_limit, invalid_status 400.
create or replace function public.op_list_adjustments(
  p_status text default null, p_member_id uuid default null, p_limit integer default 50, p_before timestamptz default null
) returns setof public.point_adjustments
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_operator();
  if p_limit is null or p_limit not between 1 and 100 then
    perform private.raise_error('invalid_limit', 400);
  end if;
  if p_status is not null and p_status not in ('pending', 'applied', 'rejected') then
    perform private.raise_error('invalid_status', 400);
  end if;
  return query
    select a.* from public.point_adjustments a
    where (p_status is null or a.status = p_status) and (p_member_id is null or a.member_id = p_member_id)
      and (p_before is null or a.created_at < p_before)
    order by a.created_at desc, a.id
    limit p_limit;
end
$$;
revoke all on function public.op_list_adjustments(text, uuid, integer, timestamptz) from public, anon, authenticated, service_role;
grant execute on function public.op_list_adjustments(text, uuid, integer, timestamptz) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- Member service: finding a member and seeing everything about their points (read-only)

-- One member found by op_find_members.
create type public.op_member_match as (
  id uuid,
  nickname text,
  phone text,
  tier_code text,
  balance_points integer,
  created_at timestamptz
);

-- RPC op_find_members (operator): members by phone (all 11 digits, or the last 4), member code (the token the
-- member's QR carries, as a clerk scans it), or member id; at most 20, newest first.
-- Errors: not_operator 403; invalid_query 400 (none of those); invalid_member_code 400, member_code_expired 409
-- (the member shows a fresh one).
create or replace function public.op_find_members(p_query text) returns setof public.op_member_match
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_query text := private.trim_space(p_query);
  v_id uuid;
begin
  perform private.require_operator();
  if v_query ~ '^M1\.' then
    v_id := private.verify_member_code(v_query);
  elsif v_query ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    v_id := v_query::uuid;
  elsif v_query is null or v_query !~ '^([0-9]{4}|1[3-9][0-9]{9})$' then
    perform private.raise_error('invalid_query', 400);
  end if;
  return query
    select m.id, m.nickname, m.phone, coalesce(t.tier_code, (select code from public.tiers where rank = 0)),
      coalesce(b.balance_points, 0), m.created_at
    from public.members m
    left join public.member_tiers t on t.member_id = m.id
    left join public.point_balances b on b.member_id = m.id
    where case
      when v_id is not null then m.id = v_id
      when char_length(v_query) = 11 then m.phone = v_query
      else m.phone like '%' || v_query
    end
    order by m.created_at desc, m.id
    limit 20;
end
$$;
revoke all on function public.op_find_members(text) from public, anon, authenticated, service_role;
grant execute on function public.op_find_members(text) to authenticated;

-- Everything customer service looks at for one member.
create type public.op_member_detail_result as (
  member public.members,
  tier_code text,
  -- the ledger balance, and what of it is spendable now (the rest is held: purchase hold days)
  balance_points integer,
  available_points integer,
  -- lots with points left, earliest expiry first
  open_lots public.point_lots[],
  -- the newest 50 entries
  entries public.point_entries[],
  redemptions public.redemptions[],
  purchases public.purchases[],
  -- who invited the member (null: nobody), and how many they invited
  referral public.referrals,
  invitee_count integer,
  adjustments public.point_adjustments[]
);

-- RPC op_member_detail (operator): the member's profile, tier, balance and available points, open lots, newest
-- entries, redemptions, purchases (20 each), referral and adjustments. Errors: not_operator 403;
-- member_not_found 404.
create or replace function public.op_member_detail(p_member_id uuid) returns public.op_member_detail_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_result public.op_member_detail_result;
begin
  perform private.require_operator();
  select m into v_result.member from public.members m where m.id = p_member_id;
  if not found then
    perform private.raise_error('member_not_found', 404);
  end if;
  v_result.tier_code := coalesce((select tier_code from public.member_tiers where member_id = p_member_id),
    (select code from public.tiers where rank = 0)); -- the entry tier
  v_result.balance_points := coalesce((select balance_points from public.point_balances where member_id = p_member_id), 0);
  v_result.available_points := private.available_points(p_member_id);
  v_result.open_lots := array(select l from public.point_lots l
    where l.member_id = p_member_id and l.remaining_points > 0 order by l.expires_at, l.id);
  v_result.entries := array(select e from public.point_entries e
    where e.member_id = p_member_id order by e.created_at desc, e.id desc limit 50);
  v_result.redemptions := array(select r from public.redemptions r
    where r.member_id = p_member_id order by r.created_at desc limit 20);
  v_result.purchases := array(select p from public.purchases p
    where p.member_id = p_member_id order by p.created_at desc limit 20);
  select r into v_result.referral from public.referrals r where r.invitee_id = p_member_id;
  v_result.invitee_count := (select count(*)::integer from public.referrals where referrer_id = p_member_id);
  v_result.adjustments := array(select a from public.point_adjustments a
    where a.member_id = p_member_id order by a.created_at desc limit 20);
  return v_result;
end
$$;
revoke all on function public.op_member_detail(uuid) from public, anon, authenticated, service_role;
grant execute on function public.op_member_detail(uuid) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- Stores and staff. Staff are members with a row in public.staff (staff.sql); an operator adds one by phone:
-- a member who already signed in becomes staff at once, anyone else gets an invitation that their first sign-in
-- with that phone (register_member, members.sql) or a later verified phone (bind_member_phone,
-- member_profile.sql) accepts. Lock order: a staff row is a shared row (step 3); an operator's write takes only it.

-- An invitation to be staff, waiting for the phone's first sign-in; one open invitation per phone.
create table public.staff_invitations (
  id uuid primary key default gen_random_uuid(),
  phone text not null check (phone ~ '^1[3-9][0-9]{9}$'),
  store_id uuid not null references public.stores (id),
  role text not null check (role in ('clerk', 'manager')),
  daily_award_cap_points integer not null check (daily_award_cap_points >= 0),
  invited_by uuid not null references public.members (id),
  accepted_by uuid references public.members (id),
  accepted_at timestamptz,
  -- last: pg-delta adds a column whose default calls a project function after the table (docs/decisions.md)
  created_at timestamptz not null default private.clock_now(),
  check ((accepted_by is null) = (accepted_at is null))
);
alter table public.staff_invitations enable row level security;
revoke all on public.staff_invitations from anon, authenticated, service_role;
create unique index staff_invitations_open_idx on public.staff_invitations (phone) where accepted_at is null;

-- Makes the member staff as the open invitation for p_phone says, if there is one (called when a member signs in
-- with, or verifies, that phone). Returns whether it did.
create or replace function private.accept_staff_invitation(p_member_id uuid, p_phone text) returns boolean
language plpgsql
set search_path = ''
as $$
declare
  v_invitation public.staff_invitations;
begin
  select * into v_invitation from public.staff_invitations
  where phone = p_phone and accepted_at is null
  for update;
  if not found or p_phone is null then
    return false;
  end if;
  insert into public.staff (member_id, store_id, role, daily_award_cap_points)
  values (p_member_id, v_invitation.store_id, v_invitation.role, v_invitation.daily_award_cap_points)
  on conflict (member_id) do update set store_id = excluded.store_id, role = excluded.role,
    daily_award_cap_points = excluded.daily_award_cap_points, active = true;
  update public.staff_invitations set accepted_by = p_member_id, accepted_at = private.clock_now() where id = v_invitation.id;
  return true;
end
$$;
revoke all on function private.accept_staff_invitation(uuid, text) from public;

-- RPC op_save_store (operator): create a store (p_store_id null) or rename / re-address one.
-- Errors: not_operator 403; store_not_found 404; invalid_store_name, invalid_address 400.
create or replace function public.op_save_store(p_name text, p_address text default '', p_store_id uuid default null)
returns public.stores
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_name text := private.trim_space(p_name);
  v_address text := coalesce(private.trim_space(p_address), '');
  v_before public.stores;
  v_store public.stores;
begin
  perform private.begin_write();
  if v_name is null or char_length(v_name) not between 1 and 40 then
    perform private.raise_error('invalid_store_name', 400);
  end if;
  if char_length(v_address) > 120 then
    perform private.raise_error('invalid_address', 400);
  end if;
  if p_store_id is null then
    insert into public.stores (name, address) values (v_name, v_address) returning * into v_store;
    perform private.audit_write(v_actor, 'create_store', 'stores', v_store.id::text, null, to_jsonb(v_store));
    return v_store;
  end if;
  select * into v_before from public.stores where id = p_store_id for update;
  if not found then
    perform private.raise_error('store_not_found', 404);
  end if;
  update public.stores set name = v_name, address = v_address where id = p_store_id returning * into v_store;
  perform private.audit_write(v_actor, 'update_store', 'stores', v_store.id::text, to_jsonb(v_before), to_jsonb(v_store));
  return v_store;
end
$$;
revoke all on function public.op_save_store(text, text, uuid) from public, anon, authenticated, service_role;
grant execute on function public.op_save_store(text, text, uuid) to authenticated;

-- What op_set_staff did: made a member staff (staff), or invited a phone nobody signed in with yet (invitation).
create type public.op_set_staff_result as (
  staff public.staff,
  invitation public.staff_invitations
);

-- Makes the member with p_phone a p_role of p_store_id with a daily award cap (again, if deactivated; moved, if
-- elsewhere), or invites the phone when nobody signed in with it yet (an earlier open invitation for the phone is
-- replaced); audited as p_actor's. Shared by op_set_staff (operators) and staff_set_clerk (managers).
create or replace function private.set_staff(
  p_actor uuid, p_phone text, p_store_id uuid, p_role text, p_daily_award_cap_points integer
) returns public.op_set_staff_result
language plpgsql
set search_path = ''
as $$
declare
  v_member uuid;
  v_before public.staff;
  v_staff public.staff;
  v_invitation public.staff_invitations;
  v_result public.op_set_staff_result;
begin
  perform private.begin_write();
  if p_phone is null or p_phone !~ '^1[3-9][0-9]{9}$' then
    perform private.raise_error('invalid_phone', 400);
  end if;
  if p_role is null or p_role not in ('clerk', 'manager') then
    perform private.raise_error('invalid_role', 400);
  end if;
  if p_daily_award_cap_points is null or p_daily_award_cap_points not between 0 and 100000000 then
    perform private.raise_error('invalid_award_cap', 400);
  end if;
  if not exists (select 1 from public.stores where id = p_store_id) then
    perform private.raise_error('store_not_found', 404);
  end if;
  select id into v_member from public.members where phone = p_phone;
  if v_member is null then
    delete from public.staff_invitations where phone = p_phone and accepted_at is null;
    insert into public.staff_invitations (phone, store_id, role, daily_award_cap_points, invited_by)
    values (p_phone, p_store_id, p_role, p_daily_award_cap_points, p_actor)
    returning * into v_invitation;
    perform private.audit_write(p_actor, 'invite_staff', 'staff_invitations', v_invitation.id::text, null, to_jsonb(v_invitation));
    v_result.invitation := v_invitation;
    return v_result;
  end if;
  select * into v_before from public.staff where member_id = v_member for update;
  insert into public.staff (member_id, store_id, role, daily_award_cap_points)
  values (v_member, p_store_id, p_role, p_daily_award_cap_points)
  on conflict (member_id) do update set store_id = excluded.store_id, role = excluded.role,
    daily_award_cap_points = excluded.daily_award_cap_points, active = true
  returning * into v_staff;
  perform private.audit_write(p_actor, 'set_staff', 'staff', v_member::text,
    case when v_before.member_id is null then null else to_jsonb(v_before) end, to_jsonb(v_staff));
  v_result.staff := v_staff;
  return v_result;
end
$$;
revoke all on function private.set_staff(uuid, text, uuid, text, integer) from public;

-- Deactivates an active staff member, with a reason; audited as p_actor's. p_store_id: only a member of that
-- store (a manager deactivates his own store's staff). staff_not_found (404) otherwise.
create or replace function private.deactivate_staff(p_actor uuid, p_member_id uuid, p_reason text, p_store_id uuid default null)
returns public.staff
language plpgsql
set search_path = ''
as $$
declare
  v_reason text;
  v_staff public.staff;
begin
  perform private.begin_write();
  v_reason := private.operator_reason(p_reason);
  update public.staff set active = false
  where member_id = p_member_id and active and (p_store_id is null or store_id = p_store_id)
  returning * into v_staff;
  if not found then
    perform private.raise_error('staff_not_found', 404);
  end if;
  perform private.audit_write(p_actor, 'deactivate_staff', 'staff', p_member_id::text,
    jsonb_build_object('active', true), jsonb_build_object('active', false), v_reason);
  return v_staff;
end
$$;
revoke all on function private.deactivate_staff(uuid, uuid, text, uuid) from public;

-- RPC op_set_staff (operator): private.set_staff for any store and role.
-- Errors: not_operator 403; store_not_found 404; invalid_phone, invalid_role, invalid_award_cap 400.
create or replace function public.op_set_staff(
  p_phone text, p_store_id uuid, p_role text, p_daily_award_cap_points integer default 20000
) returns public.op_set_staff_result
language plpgsql
security definer
set search_path = ''
as $$
begin
  return private.set_staff(private.require_operator(), p_phone, p_store_id, p_role, p_daily_award_cap_points);
end
$$;
revoke all on function public.op_set_staff(text, uuid, text, integer) from public, anon, authenticated, service_role;
grant execute on function public.op_set_staff(text, uuid, text, integer) to authenticated;

-- RPC op_deactivate_staff (operator): a staff member stops being staff (not_staff from then on), with a reason.
-- Their actions and awards stay as they were. Errors: not_operator 403; staff_not_found 404;
-- invalid_change_reason 400.
create or replace function public.op_deactivate_staff(p_member_id uuid, p_reason text) returns public.staff
language plpgsql
security definer
set search_path = ''
as $$
begin
  return private.deactivate_staff(private.require_operator(), p_member_id, p_reason);
end
$$;
revoke all on function public.op_deactivate_staff(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.op_deactivate_staff(uuid, text) to authenticated;

-- RPC staff_set_clerk (manager): a store manager makes the member with p_phone a clerk of his own store (or
-- invites the phone), or changes one's daily award cap; managers are made by operators. A member who is staff
-- of another store, or a manager, is not his to change (staff_elsewhere 409).
-- Errors: not_staff, not_manager 403; invalid_phone, invalid_award_cap 400; staff_elsewhere 409.
create or replace function public.staff_set_clerk(p_phone text, p_daily_award_cap_points integer default 20000)
returns public.op_set_staff_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_manager public.staff := private.require_staff(array['manager']);
begin
  if exists (select 1 from public.staff s join public.members m on m.id = s.member_id
             where m.phone = p_phone and s.active and (s.store_id <> v_manager.store_id or s.role <> 'clerk')) then
    perform private.raise_error('staff_elsewhere', 409);
  end if;
  return private.set_staff(v_manager.member_id, p_phone, v_manager.store_id, 'clerk', p_daily_award_cap_points);
end
$$;
revoke all on function public.staff_set_clerk(text, integer) from public, anon, authenticated, service_role;
grant execute on function public.staff_set_clerk(text, integer) to authenticated;

-- RPC staff_deactivate_clerk (manager): a store manager deactivates a clerk of his own store, with a reason.
-- Errors: not_staff, not_manager 403; staff_not_found 404 (not an active clerk of his store);
-- invalid_change_reason 400.
create or replace function public.staff_deactivate_clerk(p_member_id uuid, p_reason text) returns public.staff
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_manager public.staff := private.require_staff(array['manager']);
begin
  if not exists (select 1 from public.staff where member_id = p_member_id and role = 'clerk') then
    perform private.raise_error('staff_not_found', 404);
  end if;
  return private.deactivate_staff(v_manager.member_id, p_member_id, p_reason, v_manager.store_id);
end
$$;
revoke all on function public.staff_deactivate_clerk(uuid, text) from public, anon, authenticated, service_role;
grant execute on function public.staff_deactivate_clerk(uuid, text) to authenticated;
