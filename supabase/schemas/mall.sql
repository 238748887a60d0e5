-- The points mall (SPEC §1 "Points mall"): categories and items (configuration data, readable by everyone,
-- anon included, so the mall can be browsed before signing in), redemptions with their voucher codes, and
-- staff verification (核销) of a voucher, once.
--
-- Redeeming spends points through private.spend_points (source 'redemption', ref 'redemption:<id>') and takes
-- one unit of stock with a conditional update, so stock never goes below zero (a check constraint refuses it
-- too). Per-member limits are counted under the member's balance lock. Cancelling reverses the spend through
-- private.reverse_entry (the points come back into lots with their original expiry) and returns the stock.
-- A voucher's status moves only issued → verified or issued → cancelled (a trigger refuses anything else);
-- "expired" is derived: issued and expires_at <= now.
--
-- Lock order (rpc_helpers.sql): member balance → (redemption row) → lots → item row. Staff verification
-- (the confirm) locks the voucher's member's balance, then the redemption row. The item row is locked by the
-- last statement of a redemption, so it is held only until the commit.
create table public.mall_categories (
  code text primary key check (code ~ '^[a-z][a-z0-9_]{0,31}$'),
  name text not null check (char_length(name) between 1 and 16),
  sort_order integer not null default 0
);
alter table public.mall_categories enable row level security;
revoke all on public.mall_categories from anon, authenticated, service_role;
grant select on public.mall_categories to anon, authenticated, service_role;

create policy mall_categories_read_all on public.mall_categories for select to anon, authenticated using (true);

-- Image references (at most 9, each at most 500 characters): absolute http(s) URLs, paths relative to the app's
-- origin ('/static/…', never '//host'), or object keys in the item-images Storage bucket ('items/<uuid>.png':
-- no scheme, no leading slash, segments of letters, digits, '.', '_', '-' that start with a letter or digit),
-- which the client turns into the bucket's public URL (src/domain/mall.ts itemImageUrl; docs/storage.md).
create or replace function private.is_image_url_list(p_urls text[]) returns boolean
language plpgsql immutable
set search_path = ''
as $$
begin
  return (select coalesce(array_length(p_urls, 1), 0) <= 9
            and coalesce(bool_and(coalesce(char_length(u) <= 500
              and u ~ '^(https?://[^[:space:]]+|/([^/[:space:]][^[:space:]]*)?|[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*)$', false)), true)
          from unnest(p_urls) u);
end
$$;
revoke all on function private.is_image_url_list(text[]) from public;

create table public.mall_items (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('coupon', 'membership', 'gift')),
  title text not null check (char_length(title) between 1 and 30),
  description text not null default '' check (char_length(description) <= 500),
  category_code text not null references public.mall_categories (code),
  image_urls text[] not null default '{}' check (private.is_image_url_list(image_urls)),
  cost_points integer not null check (cost_points > 0),
  face_value_fen integer check (face_value_fen > 0),            -- e.g. a ¥10 coupon: 1000
  stock_remaining integer not null check (stock_remaining >= 0), -- the database refuses negative stock
  member_limit integer check (member_limit > 0),                -- null: no per-member limit
  member_limit_days integer check (member_limit_days between 1 and 3660), -- null: the limit is for all time
  min_tier_code text references public.tiers (code),            -- null: every tier
  sale_starts_at timestamptz,                                   -- null: on sale since ever
  sale_ends_at timestamptz,                                     -- null: no end
  voucher_valid_days integer not null default 30 check (voucher_valid_days between 0 and 3660),
  active boolean not null default true,
  sort_order integer not null default 0,
  created_at timestamptz not null default now(),
  check (member_limit_days is null or member_limit is not null),
  check (sale_starts_at is null or sale_ends_at is null or sale_starts_at < sale_ends_at)
);
alter table public.mall_items enable row level security;
revoke all on public.mall_items from anon, authenticated, service_role;
grant select on public.mall_items to anon, authenticated, service_role;

create index mall_items_list_idx on public.mall_items (sort_order, created_at, id) where active;

create policy mall_items_read_all on public.mall_items for select to anon, authenticated using (true);

create table public.redemptions (
  id uuid primary key,
  member_id uuid not null references public.members (id),
  item_id uuid not null references public.mall_items (id),
  item_title text not null,                -- the item's title and face value when redeemed (the voucher's terms)
  face_value_fen integer,
  cost_points integer not null check (cost_points > 0),
  spend_entry_id bigint not null unique references public.point_entries (id),
  voucher_code text not null unique check (voucher_code ~ '^[0-9]{12}$'),
  status text not null default 'issued' check (status in ('issued', 'verified', 'cancelled')),
  expires_at timestamptz not null,
  verified_at timestamptz,
  verified_by_staff_id uuid references public.staff (member_id),
  verified_store_id uuid references public.stores (id),
  cancelled_at timestamptz,
  cancel_entry_id bigint unique references public.point_entries (id),
  created_at timestamptz not null default now(),
  check ((status = 'verified') = (verified_at is not null and verified_by_staff_id is not null and verified_store_id is not null)),
  check ((status = 'cancelled') = (cancelled_at is not null and cancel_entry_id is not null))
);
alter table public.redemptions enable row level security;
revoke all on public.redemptions from anon, authenticated, service_role;
grant select on public.redemptions to authenticated, service_role;

create index redemptions_member_time_idx on public.redemptions (member_id, created_at desc, id desc);

create index redemptions_member_item_idx on public.redemptions (member_id, item_id, created_at);

create policy redemptions_read_own on public.redemptions for select to authenticated using (member_id = (select auth.uid()));

-- A voucher is verified or cancelled once, and nothing else about a redemption ever changes; never deleted.
create or replace function private.check_redemption_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if old.status <> 'issued' or new.status = 'issued'
     or (new.id, new.member_id, new.item_id, new.item_title, new.face_value_fen, new.cost_points, new.spend_entry_id,
         new.voucher_code, new.expires_at, new.created_at)
        is distinct from
        (old.id, old.member_id, old.item_id, old.item_title, old.face_value_fen, old.cost_points, old.spend_entry_id,
         old.voucher_code, old.expires_at, old.created_at) then
    raise exception 'redemption % cannot change from % to %', old.id, old.status, new.status using errcode = '42501';
  end if;
  return new;
end
$$;
revoke all on function private.check_redemption_change() from public;

create trigger redemptions_status_once before update on public.redemptions
  for each row execute function private.check_redemption_change();

create trigger redemptions_no_delete before delete on public.redemptions
  for each row execute function private.refuse_change();

create trigger redemptions_no_truncate before truncate on public.redemptions
  for each statement execute function private.refuse_change();

-- A voucher code: 12 decimal digits from the strong random source (pgcrypto). 63 random bits mod 10^12: the
-- bias is below 10^-6. Uniqueness is the caller's (unique constraint, retried).
create or replace function private.new_voucher_code() returns text
language plpgsql volatile
set search_path = ''
as $$
begin
  return lpad(((('x' || encode(extensions.gen_random_bytes(8), 'hex'))::bit(64)::bigint & 9223372036854775807)
               % 1000000000000)::text, 12, '0');
end
$$;
revoke all on function private.new_voucher_code() from public;

-- When a voucher issued at p_at expires: the end of the business day p_valid_days after it.
create or replace function private.voucher_expires_at(p_at timestamptz, p_valid_days integer) returns timestamptz
language plpgsql stable
set search_path = ''
as $$
begin
  return ((private.business_date(p_at) + p_valid_days + 1)::timestamp at time zone private.program_time_zone());
end
$$;
revoke all on function private.voucher_expires_at(timestamptz, integer) from public;

-- A redemption's status as members and staff see it: 'expired' is an issued voucher past its expiry.
create or replace function private.redemption_status(p_redemption public.redemptions) returns text
language plpgsql stable
set search_path = ''
as $$
begin
  return case when p_redemption.status = 'issued' and p_redemption.expires_at <= private.clock_now() then 'expired'
              else p_redemption.status end;
end
$$;
revoke all on function private.redemption_status(public.redemptions) from public;

-- A member's tier rank (the entry tier's 0 when there is no tier row).
create or replace function private.member_tier_rank(p_member_id uuid) returns integer
language plpgsql stable
set search_path = ''
as $$
begin
  return coalesce((select t.rank from public.member_tiers mt join public.tiers t on t.code = mt.tier_code
                   where mt.member_id = p_member_id), 0);
end
$$;
revoke all on function private.member_tier_rank(uuid) from public;

-- Everything member-specific about an item at p_now: redemptions counted against the limit (non-cancelled,
-- in the rolling window of member_limit_days business days ending today, or ever), what is left of the
-- limit, the day a slot frees again, and the first reason the member cannot redeem it now (null: they can).
-- The reasons come in the order redeem_item checks them. p_available_points: the member's spendable points.
create or replace function private.item_standing(
  p_member_id uuid, p_item public.mall_items, p_tier_rank integer, p_available_points integer, p_now timestamptz,
  out redeemed integer, out limit_left integer, out limit_resets_on date, out reason text
)
language plpgsql stable
set search_path = ''
as $$
declare
  v_window_start timestamptz;
begin
  if p_item.member_limit_days is not null then
    v_window_start := (private.business_date(p_now) - p_item.member_limit_days + 1)::timestamp at time zone private.program_time_zone();
  end if;
  select count(*)::integer into redeemed from public.redemptions r
  where r.member_id = p_member_id and r.item_id = p_item.id and r.status <> 'cancelled'
    and (v_window_start is null or r.created_at >= v_window_start);
  if p_item.member_limit is not null then
    limit_left := greatest(p_item.member_limit - redeemed, 0);
    if limit_left = 0 and v_window_start is not null then
      -- a slot frees when the (redeemed - limit + 1)-th oldest redemption in the window leaves it
      select private.business_date(r.created_at) + p_item.member_limit_days into limit_resets_on
      from public.redemptions r
      where r.member_id = p_member_id and r.item_id = p_item.id and r.status <> 'cancelled' and r.created_at >= v_window_start
      order by r.created_at, r.id
      offset redeemed - p_item.member_limit
      limit 1;
    end if;
  end if;
  reason := case
    when (p_item.sale_starts_at is not null and p_item.sale_starts_at > p_now)
      or (p_item.sale_ends_at is not null and p_item.sale_ends_at <= p_now) then 'not_on_sale'
    when p_item.min_tier_code is not null
      and p_tier_rank < (select t.rank from public.tiers t where t.code = p_item.min_tier_code) then 'tier_too_low'
    when limit_left = 0 then 'limit_reached'
    when p_item.stock_remaining <= 0 then 'out_of_stock'
    when p_available_points < p_item.cost_points then 'insufficient_points'
  end;
end
$$;
revoke all on function private.item_standing(uuid, public.mall_items, integer, integer, timestamptz) from public;

-- A redemption as the RPCs answer it (private.redemption_json): the item as redeemed, the store that verified
-- it; public.my_redemption is one element of list_my_redemptions, the other redemption answers add to it.
create type public.redemption_item as (
  id uuid,
  kind text,
  title text,
  face_value_fen integer,
  image_url text
);

create type public.redemption_store as (
  id uuid,
  name text
);

create type public.my_redemption as (
  id uuid,
  item public.redemption_item,
  cost_points integer,
  voucher_code text,
  status text,
  created_at timestamptz,
  expires_at timestamptz,
  verified_at timestamptz,
  verified_store public.redemption_store,
  cancelled_at timestamptz
);

-- A redemption as RPCs return it. p_for_staff adds the member (nickname, masked phone) and who verified it.
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
revoke all on function private.redemption_json(public.redemptions, boolean) from public;

-- The parts of list_mall_items' answer: the member's tier, a category, an item with what the member may do.
create type public.mall_tier as (
  code text,
  name text,
  rank integer
);

create type public.mall_category as (
  code text,
  name text
);

create type public.mall_item as (
  id uuid,
  kind text,
  title text,
  description text,
  category_code text,
  image_urls text[],
  cost_points integer,
  face_value_fen integer,
  stock_remaining integer,
  member_limit integer,
  member_limit_days integer,
  min_tier_code text,
  min_tier_name text,
  sale_starts_at timestamptz,
  sale_ends_at timestamptz,
  voucher_valid_days integer,
  upcoming boolean,
  member_redeemed integer,
  member_limit_left integer,
  limit_resets_on date,
  redeemable boolean,
  reason text
);

-- The answer of list_mall_items.
create type public.list_mall_items_result as (
  server_time timestamptz,
  balance_points integer,
  tier public.mall_tier,
  categories public.mall_category[],
  items public.mall_item[]
);

-- RPC list_mall_items (member, read-only): the mall screen in one call. Active items whose sale has not ended
-- (upcoming ones flagged), in sort order, optionally of one category, each with what this member may do.
create or replace function public.list_mall_items(p_category text default null) returns public.list_mall_items_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
  v_now timestamptz := private.clock_now();
  v_rank integer;
  v_available integer;
begin
  if p_category is not null and not exists (select 1 from public.mall_categories where code = p_category) then
    perform private.raise_error('invalid_category', 400);
  end if;
  v_rank := private.member_tier_rank(v_member);
  v_available := private.available_points(v_member);
  return json_populate_record(null::public.list_mall_items_result, json_build_object(
    'server_time', v_now,
    'balance_points', v_available,
    'tier', (select json_build_object('code', t.code, 'name', t.name, 'rank', t.rank)
             from public.tiers t where t.rank = v_rank),
    'categories', coalesce((select json_agg(json_build_object('code', c.code, 'name', c.name) order by c.sort_order, c.code)
                            from public.mall_categories c), '[]'::json),
    'items', coalesce((
      select json_agg(json_build_object(
        'id', i.id,
        'kind', i.kind,
        'title', i.title,
        'description', i.description,
        'category_code', i.category_code,
        'image_urls', to_json(i.image_urls),
        'cost_points', i.cost_points,
        'face_value_fen', i.face_value_fen,
        'stock_remaining', i.stock_remaining,
        'member_limit', i.member_limit,
        'member_limit_days', i.member_limit_days,
        'min_tier_code', i.min_tier_code,
        'min_tier_name', t.name,
        'sale_starts_at', i.sale_starts_at,
        'sale_ends_at', i.sale_ends_at,
        'voucher_valid_days', i.voucher_valid_days,
        'upcoming', i.sale_starts_at is not null and i.sale_starts_at > v_now,
        'member_redeemed', st.redeemed,
        'member_limit_left', st.limit_left,
        'limit_resets_on', st.limit_resets_on,
        'redeemable', st.reason is null,
        'reason', st.reason
      ) order by i.sort_order, i.created_at, i.id)
      from public.mall_items i
      left join public.tiers t on t.code = i.min_tier_code
      cross join lateral private.item_standing(v_member, i, v_rank, v_available, v_now) st
      where i.active
        and (i.sale_ends_at is null or i.sale_ends_at > v_now)
        and (p_category is null or i.category_code = p_category)
    ), '[]'::json)
  ));
end
$$;
revoke all on function public.list_mall_items(text)
  from public, anon, authenticated, service_role;
grant execute on function public.list_mall_items(text)
  to authenticated;

-- The answer of redeem_item: the redemption and the balance after it.
create type public.redeem_item_result as (
  id uuid,
  item public.redemption_item,
  cost_points integer,
  voucher_code text,
  status text,
  created_at timestamptz,
  expires_at timestamptz,
  verified_at timestamptz,
  verified_store public.redemption_store,
  cancelled_at timestamptz,
  balance_points integer
);

-- RPC redeem_item (member): spend the item's points for a voucher, all or nothing. p_request_id is required
-- (null or missing: request_id_required 400):
-- a retry with the same id returns the first result. Checks (in this order, member-only ones first):
-- item_not_found 404, not_on_sale, tier_too_low, limit_reached, out_of_stock, insufficient_points (409);
-- then the spend, the redemption, and last the conditional stock update (out_of_stock if
-- another redemption took the last unit meanwhile), so the item row stays locked only until the commit.
create or replace function public.redeem_item(p_item_id uuid, p_request_id uuid default null)
returns public.redeem_item_result
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
    return jsonb_populate_record(null::public.redeem_item_result, v_previous);
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

  return jsonb_populate_record(null::public.redeem_item_result, private.finish_request(v_member, p_request_id,
    private.redemption_json(v_redemption) || jsonb_build_object('balance_points', private.available_points(v_member))));
end
$$;
revoke all on function public.redeem_item(uuid, uuid)
  from public, anon, authenticated, service_role;
grant execute on function public.redeem_item(uuid, uuid)
  to authenticated;

-- The answer of cancel_redemption: the redemption, the points given back and the balance after it.
create type public.cancel_redemption_result as (
  id uuid,
  item public.redemption_item,
  cost_points integer,
  voucher_code text,
  status text,
  created_at timestamptz,
  expires_at timestamptz,
  verified_at timestamptz,
  verified_store public.redemption_store,
  cancelled_at timestamptz,
  refunded_points integer,
  balance_points integer
);

-- RPC cancel_redemption (member): give back an issued, unexpired voucher of one's own: the spend is reversed
-- (points back into lots with their original expiry) and the stock returns. Cancelling a cancelled one
-- returns the same result again (no second refund).
create or replace function public.cancel_redemption(p_redemption_id uuid, p_request_id uuid default null)
returns public.cancel_redemption_result
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
    return jsonb_populate_record(null::public.cancel_redemption_result, v_previous);
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

  return jsonb_populate_record(null::public.cancel_redemption_result, private.finish_request(v_member, p_request_id,
    private.redemption_json(v_redemption) || jsonb_build_object(
      'refunded_points', (select e.amount_points from public.point_entries e where e.id = v_redemption.cancel_entry_id),
      'balance_points', private.available_points(v_member))));
end
$$;
revoke all on function public.cancel_redemption(uuid, uuid)
  from public, anon, authenticated, service_role;
grant execute on function public.cancel_redemption(uuid, uuid)
  to authenticated;

-- RPC list_my_redemptions (member, read-only): own redemptions, newest first, p_limit (1–100) at a time, created
-- before p_before when paging; p_status one of issued (usable now), verified, cancelled, expired.
create or replace function public.list_my_redemptions(p_status text default null, p_limit integer default 20,
  p_before timestamptz default null) returns public.my_redemption[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
  v_now timestamptz := private.clock_now();
begin
  if p_status is not null and p_status not in ('issued', 'verified', 'cancelled', 'expired') then
    perform private.raise_error('invalid_status', 400);
  end if;
  perform private.check_page_limit(p_limit);
  return private.jsonb_populate_array(null::public.my_redemption, coalesce((
    select jsonb_agg(private.redemption_json(p.r) order by (p.r).created_at desc, (p.r).id desc)
    from (
      select x as r from public.redemptions x
      where x.member_id = v_member
        and (p_before is null or x.created_at < p_before)
        and (p_status is null
             or (p_status = 'issued' and x.status = 'issued' and x.expires_at > v_now)
             or (p_status = 'expired' and x.status = 'issued' and x.expires_at <= v_now)
             or (p_status in ('verified', 'cancelled') and x.status = p_status))
      order by x.created_at desc, x.id desc
      limit p_limit
    ) p
  ), '[]'));
end
$$;
revoke all on function public.list_my_redemptions(text, integer, timestamptz)
  from public, anon, authenticated, service_role;
grant execute on function public.list_my_redemptions(text, integer, timestamptz)
  to authenticated;

-- The parts staff see on top of a redemption: its member (masked phone) and who verified it.
create type public.voucher_member as (
  nickname text,
  phone text
);

create type public.voucher_verifier as (
  staff_member_id uuid,
  nickname text
);

-- The answer of staff_verify_redemption (preview and confirm): private.redemption_json(…, true).
create type public.staff_verify_redemption_result as (
  id uuid,
  item public.redemption_item,
  cost_points integer,
  voucher_code text,
  status text,
  created_at timestamptz,
  expires_at timestamptz,
  verified_at timestamptz,
  verified_store public.redemption_store,
  cancelled_at timestamptz,
  member public.voucher_member,
  verified_by public.voucher_verifier
);

-- RPC staff_verify_redemption (staff): two-phase verification of a voucher code (spaces and dashes ignored).
-- p_confirm false: the preview (voucher, item, member, status), audited as preview_redemption, nothing else
-- changes. p_confirm true: verifies an issued, unexpired voucher once, at the staff member's store, audited as
-- verify_redemption, records the member's item_redeemed task event and enqueues the voucher_used message
-- (messages.sql). Never one's own voucher
-- (cannot_verify_self 403). A confirm retried with the same p_request_id returns the first success.
-- The confirm locks the voucher's member's balance first (the member may be cancelling it at the same moment).
create or replace function public.staff_verify_redemption(p_voucher_code text, p_confirm boolean default false, p_request_id uuid default null)
returns public.staff_verify_redemption_result
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
    return jsonb_populate_record(null::public.staff_verify_redemption_result, v_result);
  end if;

  perform private.begin_write();
  v_previous := private.begin_request(v_staff.member_id, p_request_id, 'staff_verify_redemption',
    jsonb_build_object('p_voucher_code', v_code));
  if v_previous is not null then
    return jsonb_populate_record(null::public.staff_verify_redemption_result, v_previous);
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
  -- the member's 券已使用 message (messages.sql: 消息中心 + subscribe message)
  perform private.enqueue_voucher_used(v_redemption);
  return jsonb_populate_record(null::public.staff_verify_redemption_result,
    private.finish_request(v_staff.member_id, p_request_id, private.redemption_json(v_redemption, true)));
end
$$;
revoke all on function public.staff_verify_redemption(text, boolean, uuid)
  from public, anon, authenticated, service_role;
grant execute on function public.staff_verify_redemption(text, boolean, uuid)
  to authenticated;
