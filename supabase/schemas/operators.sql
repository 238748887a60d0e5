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
  -- a JSON array of strings, checked here (jsonb, not text[]: see staff_recent_actions' p_actions)
  if p_image_urls is null or jsonb_typeof(p_image_urls) <> 'array' or jsonb_array_length(p_image_urls) > 9
     or exists (select 1 from jsonb_array_elements(p_image_urls) e where jsonb_typeof(e) <> 'string') then
    perform private.raise_error('invalid_image_urls', 400);
  end if;
  v_images := array(select jsonb_array_elements_text(p_image_urls));
  if not private.is_image_url_list(v_images) then
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
