-- Exports (issue 15, item 6): ledger entries, redemptions, purchases and the daily liability of a range of
-- business days, for accountants, as CSV. Each export is one RPC that returns a page of rows of a composite
-- type whose column names are the CSV header; PostgREST answers `Accept: text/csv` with them as CSV
-- (docs/operators.md "Exports"). Operators only (private.require_operator: not_operator 403).
--
-- Paging is keyset: the rows come in a stable order, at most p_limit (1–1000 = the API's max_rows) a page, and
-- the next page starts after the last row's key (p_after_id: the first column of the row; the liability's
-- p_after_date: its day). Each page is one short statement whatever the size of the export, so an export of any
-- size works against hosted PostgREST (max_rows caps every answer; statement_timeout bounds every statement)
-- with a fixed memory budget on both ends. Pages are separate transactions: a row is as it stood when its page
-- was read; a range of closed days (before today) is exact, one that includes today can miss a row that a
-- transaction still running wrote behind the export's position (docs/operators.md "Exports").
--
-- Range: p_from … p_to, business days in the program's time zone, both included; both given, finite, within
-- 1900-01-01 … 9999-12-31, p_from <= p_to, at most 3,660 days (ten years), else invalid_date_range (400).
-- A ledger entry belongs to its business_date (the day it was written, program time zone); a redemption or
-- purchase to the business day of its created_at (the instant it was made, read in the program's time zone).
--
-- Audit: the first page of an export (no p_after_id / p_after_date) writes one row to public.operator_audit
-- (action export_<name>, the range in target_id and `after`): personal data (phones) leaves the system, so who
-- exported which range is kept. Later pages write nothing. So the first page must be a POST (PostgREST runs a
-- GET read-only: 405); later pages may be either.

-- ---------------------------------------------------------------------------------------------------------
-- Shared checks

-- The export range rule above (invalid_date_range 400).
create or replace function private.check_export_range(p_from date, p_to date) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_from is null or p_to is null
     or p_from not between date '1900-01-01' and date '9999-12-31'
     or p_to not between date '1900-01-01' and date '9999-12-31'
     or p_from > p_to or p_to - p_from + 1 > 3660 then
    perform private.raise_error('invalid_date_range', 400);
  end if;
end
$$;
revoke all on function private.check_export_range(date, date) from public;

-- An export page size: 1–1000 (the API's max_rows), else invalid_limit (400).
create or replace function private.check_export_limit(p_limit integer) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_limit is null or p_limit not between 1 and 1000 then
    perform private.raise_error('invalid_limit', 400);
  end if;
end
$$;
revoke all on function private.check_export_limit(integer) from public;

-- The audit row of an export's first page: who exported which range of what.
create or replace function private.audit_export(p_actor uuid, p_export text, p_table text, p_from date, p_to date, p_limit integer)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform private.audit_write(p_actor, 'export_' || p_export, p_table, p_from::text || '..' || p_to::text, null,
    jsonb_build_object('from', p_from, 'to', p_to, 'limit', p_limit));
end
$$;
revoke all on function private.audit_export(uuid, text, text, date, date, integer) from public;

-- The first instant of a business day, and of the day after p_to (the range's end, excluded).
create or replace function private.business_day_start(p_day date) returns timestamptz
language sql stable
as $$
  select pg_catalog.timezone(private.program_time_zone(), p_day::pg_catalog.timestamp)
$$;
revoke all on function private.business_day_start(date) from public;

-- ---------------------------------------------------------------------------------------------------------
-- Ledger entries

-- Keyset index of the ledger export: entries by business day, then id.
create index point_entries_export_idx on public.point_entries (business_date, id);

-- One row of the ledger export. points: the signed amount (+ credit, − debit). lot_expires_at /
-- lot_available_at: for a credit, when the points it put into lots expire and become spendable (the earliest,
-- when a cancelled redemption gave points back into lots of different expiries); for an expiry, the expiry of the
-- lot it expired. The purchase, redemption and adjustment columns are filled for entries of those sources,
-- reversals included (a void, a cancellation, a reversed adjustment point at what they reverse).
create type public.op_export_ledger_entry as (
  entry_id bigint,
  created_at timestamptz,
  business_date date,
  member_id uuid,
  member_phone text,
  kind text,
  source text,
  points integer,
  description text,
  ref text,
  reverses_entry_id bigint,
  campaign_id uuid,
  campaign_name text,
  lot_expires_at timestamptz,
  lot_available_at timestamptz,
  purchase_id uuid,
  store_id uuid,
  store_name text,
  order_ref text,
  staff_member_id uuid,
  redemption_id uuid,
  item_title text,
  adjustment_id uuid,
  adjustment_reason text,
  operator_id uuid,
  approver_id uuid
);

-- The ledger export's rows: the entries of business days p_from … p_to after (p_after_date, p_after_id) in
-- (business_date, id) order, at most p_limit (null: all). Inlinable SQL (no SET clause, every name qualified):
-- planned into the caller's statement, so `COPY (select * from private.ledger_export_rows(…, null))` streams
-- the same rows straight from Postgres (the CSV export benchmark's baseline, stack/bench/export.ts).
create or replace function private.ledger_export_rows(p_from date, p_to date, p_after_date date, p_after_id bigint, p_limit bigint)
returns setof public.op_export_ledger_entry
language sql stable
as $$
  select e.id, e.created_at, e.business_date, e.member_id, m.phone, e.kind, e.source, e.amount_points, e.description,
    e.ref, e.reverses_entry_id, e.campaign_id, c.name,
    coalesce(own.expires_at, expired.expires_at), coalesce(own.available_at, expired.available_at),
    p.id, p.store_id, s.name, p.order_ref, p.staff_member_id,
    r.id, r.item_title,
    a.id, a.reason_code, a.requested_by, a.decided_by
  from public.point_entries e
  join public.members m on m.id = e.member_id
  left join public.campaigns c on c.id = e.campaign_id
  left join lateral (
    select pg_catalog.min(l.expires_at) as expires_at, pg_catalog.min(l.available_at) as available_at
    from public.point_lots l where l.entry_id = e.id
  ) own on e.kind in ('earn', 'reverse')
  left join lateral (
    select pg_catalog.min(l.expires_at) as expires_at, pg_catalog.min(l.available_at) as available_at
    from public.point_lot_usages u join public.point_lots l on l.id = u.lot_id where u.entry_id = e.id
  ) expired on e.kind = 'expire'
  left join public.purchases p on e.source = 'purchase' and p.entry_id = coalesce(e.reverses_entry_id, e.id)
  left join public.stores s on s.id = p.store_id
  left join public.redemptions r on e.source = 'redemption' and r.spend_entry_id = coalesce(e.reverses_entry_id, e.id)
  left join public.point_adjustments a on e.source = 'adjustment' and a.entry_id = coalesce(e.reverses_entry_id, e.id)
  where e.business_date between p_from and p_to
    and (e.business_date, e.id) > (p_after_date, p_after_id)
  order by e.business_date, e.id
  limit p_limit
$$;
revoke all on function private.ledger_export_rows(date, date, date, bigint, bigint) from public;

-- RPC op_export_ledger_entries (operator): the ledger entries of business days p_from … p_to, ordered by
-- (business_date, entry_id), p_limit (1–1000) a page, after the entry p_after_id.
-- Errors: not_operator 403; invalid_date_range, invalid_limit, invalid_after_id (an entry that does not exist) 400.
create or replace function public.op_export_ledger_entries(
  p_from date, p_to date, p_after_id bigint default null, p_limit integer default 1000
) returns setof public.op_export_ledger_entry
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_after_date date;
begin
  perform private.check_export_range(p_from, p_to);
  perform private.check_export_limit(p_limit);
  if p_after_id is null then
    perform private.audit_export(v_actor, 'ledger_entries', 'point_entries', p_from, p_to, p_limit);
    v_after_date := p_from - 1;
  else
    select e.business_date into v_after_date from public.point_entries e where e.id = p_after_id;
    if not found then
      perform private.raise_error('invalid_after_id', 400);
    end if;
  end if;
  return query select * from private.ledger_export_rows(p_from, p_to, v_after_date, coalesce(p_after_id, 0), p_limit);
end
$$;
revoke all on function public.op_export_ledger_entries(date, date, bigint, integer) from public, anon, authenticated, service_role;
grant execute on function public.op_export_ledger_entries(date, date, bigint, integer) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- Redemptions

-- Keyset index of the redemptions export.
create index redemptions_export_idx on public.redemptions (created_at, id);

-- One row of the redemptions export. points: what it cost; status: as stored (issued, verified, cancelled);
-- voucher_state: as the member sees it when the page is read (issued, expired, verified, cancelled). The voucher
-- code itself is left out: an unused code is redeemable in any store.
create type public.op_export_redemption as (
  redemption_id uuid,
  created_at timestamptz,
  business_date date,
  member_id uuid,
  member_phone text,
  item_id uuid,
  item_kind text,
  item_title text,
  face_value_fen integer,
  points integer,
  status text,
  voucher_state text,
  expires_at timestamptz,
  verified_at timestamptz,
  verified_store_id uuid,
  verified_store_name text,
  verified_staff_id uuid,
  verified_staff_nickname text,
  cancelled_at timestamptz,
  spend_entry_id bigint,
  cancel_entry_id bigint
);

-- RPC op_export_redemptions (operator): the redemptions made on business days p_from … p_to, ordered by
-- (created_at, redemption_id), p_limit (1–1000) a page, after the redemption p_after_id.
-- Errors: not_operator 403; invalid_date_range, invalid_limit, invalid_after_id 400.
create or replace function public.op_export_redemptions(
  p_from date, p_to date, p_after_id uuid default null, p_limit integer default 1000
) returns setof public.op_export_redemption
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_now timestamptz := private.clock_now();
  v_start timestamptz;
  v_end timestamptz;
  v_after_at timestamptz;
begin
  perform private.check_export_range(p_from, p_to);
  perform private.check_export_limit(p_limit);
  v_start := private.business_day_start(p_from);
  v_end := private.business_day_start(p_to + 1);
  if p_after_id is null then
    perform private.audit_export(v_actor, 'redemptions', 'redemptions', p_from, p_to, p_limit);
    v_after_at := '-infinity';
  else
    select r.created_at into v_after_at from public.redemptions r where r.id = p_after_id;
    if not found then
      perform private.raise_error('invalid_after_id', 400);
    end if;
  end if;
  return query
    select r.id, r.created_at, private.business_date(r.created_at), r.member_id, m.phone, r.item_id, i.kind, r.item_title,
      r.face_value_fen, r.cost_points, r.status,
      case when r.status = 'issued' and r.expires_at <= v_now then 'expired' else r.status end,
      r.expires_at, r.verified_at, r.verified_store_id, s.name, r.verified_by_staff_id, vm.nickname,
      r.cancelled_at, r.spend_entry_id, r.cancel_entry_id
    from public.redemptions r
    join public.members m on m.id = r.member_id
    join public.mall_items i on i.id = r.item_id
    left join public.stores s on s.id = r.verified_store_id
    left join public.members vm on vm.id = r.verified_by_staff_id
    where r.created_at >= v_start and r.created_at < v_end
      and (r.created_at, r.id) > (v_after_at, coalesce(p_after_id, '00000000-0000-0000-0000-000000000000'::uuid))
    order by r.created_at, r.id
    limit p_limit;
end
$$;
revoke all on function public.op_export_redemptions(date, date, uuid, integer) from public, anon, authenticated, service_role;
grant execute on function public.op_export_redemptions(date, date, uuid, integer) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- Purchases

-- Keyset index of the purchases export.
create index purchases_export_idx on public.purchases (created_at, id);

-- One row of the purchases export: the purchase as recorded (amount paid, the tier and multiplier it earned
-- under, base and campaign points, when they became spendable) and its void, if any.
create type public.op_export_purchase as (
  purchase_id uuid,
  created_at timestamptz,
  business_date date,
  store_id uuid,
  store_name text,
  order_ref text,
  member_id uuid,
  member_phone text,
  staff_member_id uuid,
  staff_nickname text,
  amount_fen bigint,
  tier_code text,
  multiplier numeric,
  points integer,
  campaign_points integer,
  entry_id bigint,
  available_at timestamptz,
  status text,
  voided_at timestamptz,
  voided_by_staff_id uuid,
  void_reason text
);

-- RPC op_export_purchases (operator): the purchases awarded on business days p_from … p_to, ordered by
-- (created_at, purchase_id), p_limit (1–1000) a page, after the purchase p_after_id.
-- Errors: not_operator 403; invalid_date_range, invalid_limit, invalid_after_id 400.
create or replace function public.op_export_purchases(
  p_from date, p_to date, p_after_id uuid default null, p_limit integer default 1000
) returns setof public.op_export_purchase
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_start timestamptz;
  v_end timestamptz;
  v_after_at timestamptz;
begin
  perform private.check_export_range(p_from, p_to);
  perform private.check_export_limit(p_limit);
  v_start := private.business_day_start(p_from);
  v_end := private.business_day_start(p_to + 1);
  if p_after_id is null then
    perform private.audit_export(v_actor, 'purchases', 'purchases', p_from, p_to, p_limit);
    v_after_at := '-infinity';
  else
    select p.created_at into v_after_at from public.purchases p where p.id = p_after_id;
    if not found then
      perform private.raise_error('invalid_after_id', 400);
    end if;
  end if;
  return query
    select p.id, p.created_at, private.business_date(p.created_at), p.store_id, s.name, p.order_ref, p.member_id, m.phone,
      p.staff_member_id, sm.nickname, p.amount_fen, p.tier_code, p.multiplier, p.points, p.campaign_points, p.entry_id,
      p.available_at, p.status, p.voided_at, p.voided_by_staff_id, p.void_reason
    from public.purchases p
    join public.members m on m.id = p.member_id
    join public.stores s on s.id = p.store_id
    join public.members sm on sm.id = p.staff_member_id
    where p.created_at >= v_start and p.created_at < v_end
      and (p.created_at, p.id) > (v_after_at, coalesce(p_after_id, '00000000-0000-0000-0000-000000000000'::uuid))
    order by p.created_at, p.id
    limit p_limit;
end
$$;
revoke all on function public.op_export_purchases(date, date, uuid, integer) from public, anon, authenticated, service_role;
grant execute on function public.op_export_purchases(date, date, uuid, integer) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- Liability

-- One day of the liability export, with the operator reports' definitions (operator_reports.sql,
-- report_points_daily: same numbers, tested): earned, earn_reversed, issued = earned − earn_reversed, spent,
-- spend_reversed, net_spent = spent − spend_reversed, expired, net = the day's entries; outstanding = every
-- entry up to the end of that day; outstanding_liability_fen = outstanding × point_value_fen, rounded (as
-- report_summary's outstanding_liability_fen).
create type public.op_export_liability_day as (
  business_date date,
  earned_points bigint,
  earn_reversed_points bigint,
  issued_points bigint,
  spent_points bigint,
  spend_reversed_points bigint,
  net_spent_points bigint,
  expired_points bigint,
  net_points bigint,
  outstanding_points bigint,
  point_value_fen numeric,
  outstanding_liability_fen bigint
);

-- RPC op_export_liability (operator): every business day p_from … p_to (zero-filled), oldest first, p_limit
-- (1–1000) days a page, after the day p_after_date.
-- Errors: not_operator 403; invalid_date_range, invalid_limit 400.
create or replace function public.op_export_liability(
  p_from date, p_to date, p_after_date date default null, p_limit integer default 1000
) returns setof public.op_export_liability_day
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_actor uuid := private.require_operator();
  v_value numeric := private.point_value_fen();
  v_first date;
  v_last date;
begin
  perform private.check_export_range(p_from, p_to);
  perform private.check_export_limit(p_limit);
  if p_after_date is null then
    perform private.audit_export(v_actor, 'liability', 'point_entries', p_from, p_to, p_limit);
  end if;
  v_first := greatest(p_from, p_after_date + 1);
  if v_first > p_to then
    return;
  end if;
  v_last := least(p_to, v_first + (p_limit - 1));
  -- the report rollups (report_rollups.sql), never the ledger
  return query
    select d.day, d.earned_points, d.earn_reversed_points, d.earned_points - d.earn_reversed_points, d.spent_points,
      d.spend_reversed_points, d.spent_points - d.spend_reversed_points, d.expired_points, d.net_points,
      d.outstanding_points, v_value, round(d.outstanding_points * v_value)::bigint
    from private.points_by_day(v_first, v_last) d
    order by d.day;
end
$$;
revoke all on function public.op_export_liability(date, date, date, integer) from public, anon, authenticated, service_role;
grant execute on function public.op_export_liability(date, date, date, integer) to authenticated;
