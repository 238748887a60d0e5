-- Cheaper hot paths for every point write (found with `npm run bench`, see docs/performance.md). Behaviour
-- is unchanged.
--
-- 1. The clock helpers. A SQL function with a SET clause is never inlined, and one called from inside a
--    statement (an INSERT's VALUES, a WHERE) is parsed and planned again every time that statement runs:
--    ~40–60 µs per call, and a check-in called private.clock_now ~50 times. clock_now and business_date
--    are now inlinable SQL (no SET clause; every name schema-qualified, so the caller's search_path cannot
--    change what they mean); program_time_zone, which reads a table, is plpgsql (its plan is cached per session).
-- 3. The other small SQL helpers the RPCs call from inside statements (rules, balances, tiers, streaks, lot
--    and voucher dates, …) become plpgsql with the same body, for the same reason: plpgsql keeps its plans
--    for the session, a non-inlinable SQL function plans its query again at every statement that calls it.
-- 4. An index for the points history (src/services/history.ts: the member's entries, newest id first, 20 at
--    a time, keyset on id): the (member_id, created_at, id) index needs every entry of the member fetched
--    and sorted for each page; (member_id, id desc) reads just the page.
-- 2. private.expire_member_lots: set-based (one INSERT of all the member's expire entries, their usages, the
--    lots and the balance in one pass) instead of four statements per lot. Same rows as before: one 'expire'
--    entry per lot (natural key lot:<id>, ids in expiry order), the same description, meta, dates.

create or replace function private.clock_now() returns timestamptz
language sql stable
as $$
  select coalesce(nullif(pg_catalog.current_setting('jifen.now', true), '')::pg_catalog.timestamptz, pg_catalog.now())
$$;

create or replace function private.program_time_zone() returns text
language plpgsql stable
set search_path = ''
as $$
begin
  return coalesce((select time_zone from public.program), 'Asia/Shanghai');
end
$$;

create or replace function private.business_date(p_at timestamptz default now()) returns date
language sql stable
as $$
  select pg_catalog.timezone(private.program_time_zone(), p_at)::pg_catalog.date
$$;

create or replace function private.expire_member_lots(p_member_id uuid, out points integer, out lots integer)
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_today date := private.business_date(v_now);
begin
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

-- 4. The history's index
create index point_entries_member_id_idx on public.point_entries (member_id, id desc);

-- 3. SQL helpers → plpgsql (bodies unchanged)

create or replace function private.rules() returns public.point_rules
language plpgsql stable
set search_path = ''
as $$
declare
  v_rules public.point_rules;
begin
  select * into v_rules from public.point_rules;
  return v_rules;
end
$$;

create or replace function private.lot_expires_at(p_earned_on date) returns timestamptz
language plpgsql stable
set search_path = ''
as $$
begin
  return (select (((p_earned_on + make_interval(months => r.lot_validity_months))::date + 1)::timestamp
                  at time zone private.program_time_zone())
          from public.point_rules r);
end
$$;

create or replace function private.lot_expires_on(p_expires_at timestamptz) returns date
language sql stable
as $$
  select private.business_date(p_expires_at operator(pg_catalog.-) '1 microsecond'::pg_catalog.interval)
$$;

create or replace function private.available_points(p_member_id uuid) returns integer
language plpgsql stable
set search_path = ''
as $$
begin
  return (select coalesce(sum(remaining_points), 0)::integer from public.point_lots
          where member_id = p_member_id and remaining_points > 0
            and expires_at > private.clock_now() and available_at <= private.clock_now());
end
$$;

create or replace function private.qualifying_points(p_member_id uuid, p_at timestamptz default null) returns integer
language plpgsql stable
set search_path = ''
as $$
begin
  return (select coalesce(sum(e.amount_points), 0)::integer
          from public.point_entries e, public.point_rules r
          where e.member_id = p_member_id
            and e.created_at > coalesce(p_at, private.clock_now()) - make_interval(months => r.tier_window_months)
            and e.created_at <= coalesce(p_at, private.clock_now())
            and e.source <> 'tier_upgrade'
            and (e.kind = 'earn' or (e.kind = 'reverse' and e.amount_points < 0)));
end
$$;

create or replace function private.tier_for_points(p_points integer) returns public.tiers
language plpgsql stable
set search_path = ''
as $$
declare
  v_tier public.tiers;
begin
  select * into v_tier from public.tiers where min_earned_points <= greatest(p_points, 0) order by rank desc limit 1;
  return v_tier;
end
$$;

create or replace function private.purchase_points(p_member_id uuid, p_amount_fen bigint) returns integer
language plpgsql stable
set search_path = ''
as $$
begin
  return (select floor(floor(p_amount_fen::numeric / r.purchase_fen_per_point) * coalesce(t.multiplier, 1))::integer
          from public.point_rules r
          left join public.member_tiers mt on mt.member_id = p_member_id
          left join public.tiers t on t.code = mt.tier_code);
end
$$;

create or replace function private.check_in_streak(p_member_id uuid, p_date date, out first_date date, out last_date date)
language plpgsql stable
set search_path = ''
as $$
begin
  with days as (
    select check_in_date, check_in_date - (row_number() over (order by check_in_date))::integer as island
    from public.check_ins
    where member_id = p_member_id
  )
  select min(check_in_date), max(check_in_date) into first_date, last_date
  from days
  where island = (select island from days where check_in_date = p_date);
end
$$;

create or replace function private.streak_days(p_member_id uuid, p_through date) returns integer
language plpgsql stable
set search_path = ''
as $$
begin
  return coalesce(p_through - (private.check_in_streak(p_member_id, p_through)).first_date + 1, 0);
end
$$;

create or replace function private.current_streak_days(p_member_id uuid, p_today date) returns integer
language plpgsql stable
set search_path = ''
as $$
begin
  return private.streak_days(p_member_id, case when exists (
    select 1 from public.check_ins where member_id = p_member_id and check_in_date = p_today) then p_today else p_today - 1 end);
end
$$;

create or replace function private.finish_request(p_member_id uuid, p_request_id uuid, p_result jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  update private.rpc_requests set result = p_result
  where member_id = p_member_id and request_id = p_request_id;
  return p_result;
end
$$;

create or replace function private.mask_phone(p_phone text) returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  return case when p_phone is null then null else left(p_phone, 3) || '****' || right(p_phone, 4) end;
end
$$;

create or replace function private.is_image_url_list(p_urls text[]) returns boolean
language plpgsql immutable
set search_path = ''
as $$
begin
  return (select coalesce(array_length(p_urls, 1), 0) <= 9
            and coalesce(bool_and(coalesce(char_length(u) <= 500
              and u ~ '^(https?://[^[:space:]]+|/([^/[:space:]][^[:space:]]*)?)$', false)), true)
          from unnest(p_urls) u);
end
$$;

create or replace function private.voucher_expires_at(p_at timestamptz, p_valid_days integer) returns timestamptz
language plpgsql stable
set search_path = ''
as $$
begin
  return ((private.business_date(p_at) + p_valid_days + 1)::timestamp at time zone private.program_time_zone());
end
$$;

create or replace function private.redemption_status(p_redemption public.redemptions) returns text
language plpgsql stable
set search_path = ''
as $$
begin
  return case when p_redemption.status = 'issued' and p_redemption.expires_at <= private.clock_now() then 'expired'
              else p_redemption.status end;
end
$$;

create or replace function private.member_tier_rank(p_member_id uuid) returns integer
language plpgsql stable
set search_path = ''
as $$
begin
  return coalesce((select t.rank from public.member_tiers mt join public.tiers t on t.code = mt.tier_code
                   where mt.member_id = p_member_id), 0);
end
$$;
