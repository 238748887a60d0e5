-- The points ledger (SPEC §2). Append-only entries; earn lots with remaining amount and expiry; which
-- lots each debit took (FIFO: earliest expiry first); a cached balance that can never go negative.
-- Every feature awards and spends through private.award_points / private.spend_points /
-- private.reverse_entry; nothing else writes these tables. Every writer locks the member's balance row
-- first (step 1 of the lock order, rpc_helpers.sql), so all point writes of one member are serialised and
-- every limit check runs under that lock.
--
-- Invariants (tested after every writing test): balance_points = sum(entries.amount_points)
-- = sum(lots.remaining_points) per member, and balance_points >= 0.
create table public.point_balances (
  member_id uuid primary key references public.members (id),
  balance_points integer not null default 0 check (balance_points >= 0),
  updated_at timestamptz not null default now()
);
-- Members read their own rows; service_role reads all (bypassrls); nobody writes through the API.
alter table public.point_balances enable row level security;
revoke all on public.point_balances from anon, authenticated, service_role;
grant select on public.point_balances to authenticated, service_role;

create policy point_balances_read_own on public.point_balances for select to authenticated using (member_id = (select auth.uid()));

create table public.point_entries (
  id bigint generated always as identity primary key,
  member_id uuid not null references public.members (id),
  amount_points integer not null check (amount_points <> 0),
  kind text not null check (kind in ('earn', 'spend', 'expire', 'reverse')),
  source text not null check (source in (
    'registration', 'birthday', 'tier_upgrade', 'check_in', 'check_in_streak', 'task', 'purchase', 'referral',
    'campaign', 'adjustment', 'make_up', 'redemption', 'expiry')),
  ref text not null check (char_length(ref) between 1 and 200), -- natural key within (member, source)
  reverses_entry_id bigint unique references public.point_entries (id),
  campaign_id uuid references public.campaigns (id),
  business_date date not null,
  description text not null default '' check (char_length(description) <= 80),
  meta jsonb not null default '{}',
  created_at timestamptz not null default now(),
  unique (member_id, source, ref),
  check (case kind when 'earn' then amount_points > 0 when 'reverse' then reverses_entry_id is not null else amount_points < 0 end),
  check ((source = 'campaign') = (campaign_id is not null) or kind = 'reverse')
);
alter table public.point_entries enable row level security;
revoke all on public.point_entries from anon, authenticated, service_role;
grant select on public.point_entries to authenticated, service_role;

create policy point_entries_read_own on public.point_entries for select to authenticated using (member_id = (select auth.uid()));

-- The points history (src/services/history.ts): a member's entries, newest id first, 20 at a time, keyset on
-- id; this index reads just the page.
create index point_entries_member_id_idx on public.point_entries (member_id, id desc);

-- The tier window (private.qualifying_points, after every earn) as an index-only scan: the index carries the
-- columns the sum reads, instead of a heap page per entry.
create index point_entries_member_time_idx on public.point_entries (member_id, created_at desc, id desc)
  include (amount_points, kind, source);

create table public.point_lots (
  id bigint generated always as identity primary key,
  member_id uuid not null references public.members (id),
  entry_id bigint not null references public.point_entries (id), -- the credit that created it
  earned_points integer not null check (earned_points > 0),
  remaining_points integer not null check (remaining_points between 0 and earned_points),
  available_at timestamptz not null,  -- pending (not spendable) before this
  expires_at timestamptz not null,
  created_at timestamptz not null default now() -- written on the program clock (private.clock_now), like available_at
);
alter table public.point_lots enable row level security;
revoke all on public.point_lots from anon, authenticated, service_role;
grant select on public.point_lots to authenticated, service_role;

create index point_lots_entry_idx on public.point_lots (entry_id);

create index point_lots_due_idx on public.point_lots (expires_at) where remaining_points > 0;

create policy point_lots_read_own on public.point_lots for select to authenticated using (member_id = (select auth.uid()));

-- A member's open lots, earliest expiry first; the spendable balance (private.available_points, in answers
-- and before spends) as an index-only scan: the index carries the columns the sum reads.
create index point_lots_open_idx on public.point_lots (member_id, expires_at, id)
  include (remaining_points, available_at) where remaining_points > 0;

create table public.point_lot_usages (
  entry_id bigint not null references public.point_entries (id), -- the debit (spend, expire, reverse)
  lot_id bigint not null references public.point_lots (id),
  points integer not null check (points > 0),
  primary key (entry_id, lot_id)
);
alter table public.point_lot_usages enable row level security;
revoke all on public.point_lot_usages from anon, authenticated, service_role;
grant select on public.point_lot_usages to authenticated, service_role;

create index point_lot_usages_lot_idx on public.point_lot_usages (lot_id);

create policy point_lot_usages_read_own on public.point_lot_usages for select to authenticated
  using (exists (select 1 from public.point_lots l where l.id = lot_id and l.member_id = (select auth.uid())));

-- Append-only, for every role including the owner.
create or replace function private.refuse_change() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception '% is append-only', tg_table_name using errcode = '42501';
end
$$;
revoke all on function private.refuse_change() from public;

create trigger point_entries_append_only before update or delete on public.point_entries
  for each row execute function private.refuse_change();

create trigger point_entries_no_truncate before truncate on public.point_entries
  for each statement execute function private.refuse_change();

create trigger point_lot_usages_append_only before update or delete on public.point_lot_usages
  for each row execute function private.refuse_change();

create trigger point_lot_usages_no_truncate before truncate on public.point_lot_usages
  for each statement execute function private.refuse_change();

-- When a lot earned on a business day expires: the end of that day, lot_validity_months later.
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
revoke all on function private.lot_expires_at(date) from public;

-- Lock order step 1 (rpc_helpers.sql): lock (creating if needed) a member's balance row; every point write
-- starts here. A member not locked yet is refused (XX000) once the transaction holds shared rows (step 3).
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
revoke all on function private.lock_balance(uuid) from public;

-- The entry already written under a natural key, if any; the same key with another amount is an error.
create or replace function private.find_entry(p_member_id uuid, p_source text, p_ref text, p_amount_points integer)
returns public.point_entries
language plpgsql stable
set search_path = ''
as $$
declare
  v_entry public.point_entries;
begin
  select * into v_entry from public.point_entries where member_id = p_member_id and source = p_source and ref = p_ref;
  if found and v_entry.amount_points <> p_amount_points then
    perform private.raise_error('duplicate_reference', 409);
  end if;
  return v_entry;
end
$$;
revoke all on function private.find_entry(uuid, text, text, integer) from public;

-- Append an entry (on the business clock) and add its amount to the cached balance. Lots are the caller's.
create or replace function private.insert_entry(
  p_member_id uuid, p_kind text, p_source text, p_ref text, p_amount_points integer,
  p_description text default '', p_meta jsonb default '{}', p_campaign_id uuid default null, p_reverses_entry_id bigint default null
) returns public.point_entries
language plpgsql
set search_path = ''
as $$
declare
  v_entry public.point_entries;
begin
  insert into public.point_entries (member_id, amount_points, kind, source, ref, reverses_entry_id, campaign_id, business_date, description, meta, created_at)
  values (p_member_id, p_amount_points, p_kind, p_source, p_ref, p_reverses_entry_id, p_campaign_id,
          private.business_date(private.clock_now()), coalesce(p_description, ''), coalesce(p_meta, '{}'), private.clock_now())
  returning * into v_entry;
  update public.point_balances
  set balance_points = balance_points + p_amount_points, updated_at = private.clock_now()
  where member_id = p_member_id;
  return v_entry;
end
$$;
revoke all on function private.insert_entry(uuid, text, text, text, integer, text, jsonb, uuid, bigint) from public;

-- Take p_points from a member's lots: p_first_lot_ids first, then earliest expiry first. Only lots that
-- are unexpired and (unless p_include_pending) available. Records the usages; the caller wrote the entry.
create or replace function private.consume_lots(p_member_id uuid, p_entry_id bigint, p_points integer,
  p_include_pending boolean default false, p_first_lot_ids bigint[] default '{}')
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_need integer := p_points;
  v_take integer;
  v_lot record;
begin
  for v_lot in
    select id, remaining_points from public.point_lots
    where member_id = p_member_id and remaining_points > 0 and expires_at > v_now
      and (p_include_pending or available_at <= v_now or id = any (p_first_lot_ids))
    order by id = any (p_first_lot_ids) desc, expires_at, id
    for update
  loop
    exit when v_need = 0;
    v_take := least(v_need, v_lot.remaining_points);
    update public.point_lots set remaining_points = remaining_points - v_take where id = v_lot.id;
    insert into public.point_lot_usages (entry_id, lot_id, points) values (p_entry_id, v_lot.id, v_take);
    v_need := v_need - v_take;
  end loop;
  if v_need > 0 then
    perform private.raise_error('insufficient_points', 409);
  end if;
end
$$;
revoke all on function private.consume_lots(uuid, bigint, integer, boolean, bigint[]) from public;

-- Expire the due lots of these members, whose balance rows the caller holds (every lot change happens under
-- its member's balance lock): one 'expire' entry per lot (natural key lot:<id>; ids in the order member,
-- expiry, lot), with its usage, the emptied lot, and each balance down by its member's sum, set-based in one
-- statement. Returns how many members had due lots, the lots and the points. The one definition of what an
-- expiry writes: the lazy path (expire_member_lots) and the batch job (expire_points, expiry.sql) both call it.
create or replace function private.expire_due_lots(p_member_ids uuid[], out members integer, out lots integer, out points integer)
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_today date := private.business_date(v_now);
begin
  with due as materialized (
    select l.id, l.member_id, l.remaining_points, l.expires_at from public.point_lots l
    where l.member_id = any (p_member_ids) and l.remaining_points > 0 and l.expires_at <= v_now
    order by l.member_id, l.expires_at, l.id
    for update of l
  ), entries as (
    insert into public.point_entries (member_id, amount_points, kind, source, ref, business_date, description, meta, created_at)
    select d.member_id, -d.remaining_points, 'expire', 'expiry', 'lot:' || d.id, v_today, '积分过期',
           jsonb_build_object('lot_id', d.id, 'expires_at', d.expires_at), v_now
    from due d
    order by d.member_id, d.expires_at, d.id
    returning id, member_id, amount_points, (meta ->> 'lot_id')::bigint as lot_id
  ), usages as (
    insert into public.point_lot_usages (entry_id, lot_id, points)
    select e.id, e.lot_id, -e.amount_points from entries e
  ), emptied as (
    update public.point_lots l set remaining_points = 0 from due d where l.id = d.id
  ), per_member as (
    select e.member_id, -sum(e.amount_points)::integer as points, count(*)::integer as lots
    from entries e group by e.member_id
  ), balances as (
    update public.point_balances b
    set balance_points = b.balance_points - m.points, updated_at = v_now
    from per_member m where b.member_id = m.member_id
  )
  select count(*)::integer, coalesce(sum(m.lots), 0)::integer, coalesce(sum(m.points), 0)::integer
  into members, lots, points
  from per_member m;
end
$$;
revoke all on function private.expire_due_lots(uuid[]) from public;

-- Expire a member's due lots (private.expire_due_lots). Returns the points and the number of lots expired.
-- Every award and spend runs it first; when the member has no due lot (the common case once expire_points
-- has run) one index probe answers (0, 0). Caller holds the balance lock, under which lots change, so the
-- probe sees what the write would.
create or replace function private.expire_member_lots(p_member_id uuid, out points integer, out lots integer)
language plpgsql
set search_path = ''
as $$
begin
  if not exists (select 1 from public.point_lots l
                 where l.member_id = p_member_id and l.remaining_points > 0 and l.expires_at <= private.clock_now()) then
    points := 0;
    lots := 0;
    return;
  end if;
  select e.points, e.lots into points, lots from private.expire_due_lots(array[p_member_id]) e;
end
$$;
revoke all on function private.expire_member_lots(uuid) from public;

-- Points spendable now: unexpired, available lots. Caller should hold the balance lock for a decision.
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
revoke all on function private.available_points(uuid) from public;

-- THE award primitive. Credits p_points (> 0) under the natural key (member, source, ref) as one entry and
-- one lot (expiring lot_validity_months after today, spendable from p_available_at); a retry with the same
-- key returns the first entry. Adds the campaign extra: the best campaign for the source (highest
-- multiplier, then the earliest) that can still pay this member — budget left and member cap left — pays
-- floor(points × (multiplier − 1)), within what its cap and budget leave; one campaign per award. Upgrades
-- the tier if the member now qualifies (private.evaluate_tier, tiers.sql). Campaigns are locked in step 3 of
-- the lock order (rpc_helpers.sql): here if the transaction has not locked any yet; if it has, a source it
-- did not lock campaigns for is refused (XX000).
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
  insert into public.point_lots (member_id, entry_id, earned_points, remaining_points, available_at, expires_at, created_at)
  values (p_member_id, v_entry.id, p_points, p_points, greatest(coalesce(p_available_at, v_now), v_now),
          private.lot_expires_at(v_entry.business_date), v_now);
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
        insert into public.point_lots (member_id, entry_id, earned_points, remaining_points, available_at, expires_at, created_at)
        select p_member_id, v_entry.id, v_extra, v_extra, l.available_at, l.expires_at, v_now
        from public.point_lots l where l.entry_id = award_points.entry_id;
        campaign_points := v_extra;
      end if;
    end if;
  end if;

  if p_source <> 'tier_upgrade' then
    perform private.evaluate_tier(p_member_id); -- tiers.sql
  end if;
end
$$;
revoke all on function private.award_points(uuid, text, integer, text, text, jsonb, timestamptz) from public;

-- THE spend primitive: debits p_points (> 0) from available lots, earliest expiry first, under the natural
-- key (member, source, ref). insufficient_points (409) if the member cannot cover it; nothing changes then.
create or replace function private.spend_points(
  p_member_id uuid, p_source text, p_points integer, p_ref text,
  p_description text default '', p_meta jsonb default '{}'
) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_entry public.point_entries;
begin
  if p_points is null or p_points <= 0 then
    perform private.raise_error('invalid_points', 400);
  end if;
  perform private.lock_balance(p_member_id);
  perform private.expire_member_lots(p_member_id);
  v_entry := private.find_entry(p_member_id, p_source, p_ref, -p_points);
  if v_entry.id is not null then
    return v_entry.id;
  end if;
  if private.available_points(p_member_id) < p_points then
    perform private.raise_error('insufficient_points', 409);
  end if;
  v_entry := private.insert_entry(p_member_id, 'spend', p_source, p_ref, -p_points, p_description, p_meta);
  perform private.consume_lots(p_member_id, v_entry.id, p_points);
  return v_entry.id;
end
$$;
revoke all on function private.spend_points(uuid, text, integer, text, text, jsonb) from public;

-- THE correction primitive: a new entry that reverses an earn or a spend (once; a retry returns it).
-- Reversing an earn takes the points back from the lot it created first (pending or not), then from the
-- member's other lots; it also reverses the campaign extra paid on it and returns that to the budget (the
-- campaign must be one the transaction locked in step 3 of the lock order, or is locked here if it locked none).
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
    insert into public.point_lots (member_id, entry_id, earned_points, remaining_points, available_at, expires_at, created_at)
    select v_orig.member_id, v_rev.id, u.points, u.points, private.clock_now(), l.expires_at, private.clock_now()
    from public.point_lot_usages u join public.point_lots l on l.id = u.lot_id
    where u.entry_id = v_orig.id
    order by l.expires_at, l.id;
    perform private.expire_member_lots(v_orig.member_id);
  end if;
  return v_rev.id;
end
$$;
revoke all on function private.reverse_entry(bigint, text, jsonb) from public;
