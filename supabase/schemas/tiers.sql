-- Member tiers on points earned in the rolling window (point_rules.tier_window_months), never on balance.
-- Upgrades happen at once (private.evaluate_tier after every award) and pay the tier's upgrade bonus once
-- per member and tier while that bonus stands (re-reaching a tier held before pays nothing, unless a void
-- took its bonus back). Downgrades happen only at a review (public.review_tiers; the scheduler calls it
-- often, it reviews each member once per business day): the first review that finds a member below their
-- tier gives notice (downgrade_due_at = now + tier_grace_days); a review after that date downgrades if
-- the member is still below; earning enough in the meantime cancels the notice. A voided purchase undoes
-- the upgrade it brought about at once (private.undo_tier_upgrades_since, purchases.sql).
create table public.member_tiers (
  member_id uuid primary key references public.members (id),
  tier_code text not null references public.tiers (code),
  achieved_at timestamptz not null default now(),
  downgrade_due_at timestamptz,
  reviewed_at timestamptz
);
alter table public.member_tiers enable row level security;
revoke all on public.member_tiers from anon, authenticated, service_role;
grant select on public.member_tiers to authenticated, service_role;

create policy member_tiers_read_own on public.member_tiers for select to authenticated using (member_id = (select auth.uid()));

-- Points that count for tiers: earned in the window, minus reversals of earnings; upgrade bonuses excluded.
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
revoke all on function private.qualifying_points(uuid, timestamptz) from public;

-- The highest tier these points qualify for; at least the entry tier (reversals can make the window negative).
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
revoke all on function private.tier_for_points(integer) from public;

-- A member's tier row (created at the entry tier if missing). Every earn calls it. The caller holds the
-- member's balance lock, which every writer of member_tiers holds (docs/concurrency.md, step 2), so the row
-- needs no lock of its own: a row lock would write WAL and dirty a page on every award (issue 18's cost table).
create or replace function private.member_tier(p_member_id uuid) returns public.member_tiers
language plpgsql
set search_path = ''
as $$
declare
  v_row public.member_tiers;
begin
  select * into v_row from public.member_tiers where member_id = p_member_id;
  if not found then
    insert into public.member_tiers (member_id, tier_code, achieved_at)
    values (p_member_id, (select code from public.tiers where rank = 0), private.clock_now())
    on conflict do nothing;
    select * into v_row from public.member_tiers where member_id = p_member_id;
  end if;
  return v_row;
end
$$;
revoke all on function private.member_tier(uuid) from public;

-- Upgrade at once when the member qualifies for a higher tier; cancel a pending downgrade when they
-- qualify for their tier again. Called by private.award_points under the member's balance lock.
-- An upgrade bonus that stands is paid once per member and tier, ever (a downgrade and a re-qualify pay
-- nothing); one a void took back (reversed) does not count as paid, so reaching that tier again for real
-- pays it (ref 'tier:<code>:<n>' for the n-th payment).
create or replace function private.evaluate_tier(p_member_id uuid) returns void
language plpgsql
set search_path = ''
as $$
declare
  v_current public.member_tiers := private.member_tier(p_member_id);
  v_current_rank integer := (select rank from public.tiers where code = v_current.tier_code);
  v_target public.tiers := private.tier_for_points(private.qualifying_points(p_member_id));
  v_paid integer;
  v_standing integer;
begin
  if v_target.rank > v_current_rank then
    update public.member_tiers
    set tier_code = v_target.code, achieved_at = private.clock_now(), downgrade_due_at = null
    where member_id = p_member_id;
    perform private.enqueue_tier_message(p_member_id, 'tier_up', v_target.code); -- messages.sql: the 会员升级 notice
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

-- Purchase points for an amount paid (SPEC: 1 point per ¥1, amounts in fen, floor) × the member's tier
-- multiplier, floored again. The campaign multiplier comes on top in private.award_points.
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
revoke all on function private.purchase_points(uuid, bigint) from public;

-- The answer of review_tiers: how many members got a downgrade notice, were downgraded, had a notice cleared.
create type public.review_tiers_result as (
  noticed integer,
  downgraded integer,
  cleared integer
);

-- RPC review_tiers (scheduler): notices and downgrades as described at the top of this file. Returns counts.
-- It decides under each member's lock, never waiting for one: a member whose write is in flight is left
-- for the next run (SKIP LOCKED on the balance, the lock every earn holds), and the target tier is computed
-- after the lock, from the points as they are then.
create or replace function public.review_tiers()
returns public.review_tiers_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_grace integer := (select tier_grace_days from public.point_rules);
  v_member_id uuid;
  v_row public.member_tiers;
  v_current_rank integer;
  v_target public.tiers;
  v_noticed integer := 0;
  v_downgraded integer := 0;
  v_cleared integer := 0;
begin
  perform private.require_scheduler();
  for v_member_id in
    select b.member_id
    from public.member_tiers mt join public.tiers t on t.code = mt.tier_code
    join public.point_balances b on b.member_id = mt.member_id
    where t.rank > 0
      -- once per business day per member (the scheduler calls often), except a notice falling due
      and (mt.reviewed_at is null or private.business_date(mt.reviewed_at) < private.business_date(v_now)
           or mt.downgrade_due_at <= v_now)
    for update of b skip locked
  loop
    select * into v_row from public.member_tiers where member_id = v_member_id for update;
    v_current_rank := (select rank from public.tiers where code = v_row.tier_code);
    v_target := private.tier_for_points(private.qualifying_points(v_member_id));
    if v_target.rank >= v_current_rank then
      if v_row.downgrade_due_at is not null then
        update public.member_tiers set downgrade_due_at = null, reviewed_at = v_now where member_id = v_member_id;
        v_cleared := v_cleared + 1;
      else
        update public.member_tiers set reviewed_at = v_now where member_id = v_member_id;
      end if;
    elsif v_row.downgrade_due_at is null then
      update public.member_tiers set downgrade_due_at = v_now + make_interval(days => v_grace), reviewed_at = v_now
      where member_id = v_member_id;
      v_noticed := v_noticed + 1;
    elsif v_row.downgrade_due_at <= v_now then
      update public.member_tiers
      set tier_code = v_target.code, achieved_at = v_now, downgrade_due_at = null, reviewed_at = v_now
      where member_id = v_member_id;
      perform private.enqueue_tier_message(v_member_id, 'tier_down', v_target.code); -- messages.sql
      v_downgraded := v_downgraded + 1;
    else
      update public.member_tiers set reviewed_at = v_now where member_id = v_member_id;
    end if;
  end loop;
  return json_populate_record(null::public.review_tiers_result,
    json_build_object('noticed', v_noticed, 'downgraded', v_downgraded, 'cleared', v_cleared));
end
$$;
revoke all on function public.review_tiers() from public, anon, authenticated, service_role;
grant execute on function public.review_tiers() to service_role;
