-- Campaigns (e.g. 会员日 double points): a time window, a multiplier on chosen sources, an optional cap
-- per member and an optional global budget, both in extra points. The extra points of a campaign are
-- their own ledger entries (source 'campaign'), so caps and budgets are sums over the ledger. Which campaign
-- pays an award is decided in private.award_points (ledger.sql); writes lock the campaigns they may use in
-- step 3 of the lock order (rpc_helpers.sql).
create table public.campaigns (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 40),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  multiplier numeric(4, 2) not null check (multiplier > 1),
  sources text[] not null check (cardinality(sources) > 0
    and sources <@ array['check_in', 'check_in_streak', 'task', 'purchase', 'referral', 'birthday', 'registration']),
  member_cap_points integer check (member_cap_points > 0),
  budget_points integer check (budget_points > 0),
  awarded_points integer not null default 0 check (awarded_points >= 0),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at),
  check (budget_points is null or awarded_points <= budget_points)
);
alter table public.campaigns enable row level security;
revoke all on public.campaigns from anon, authenticated, service_role;
grant select on public.campaigns to anon, authenticated, service_role;

create index campaigns_window_idx on public.campaigns (starts_at, ends_at);

create policy campaigns_read_all on public.campaigns for select to anon, authenticated using (true);

-- Lock order step 3 (rpc_helpers.sql): lock every campaign the write may use, in id order, in one go: those
-- running now for p_sources, and p_ids (campaigns of entries the write reverses, running or not). Later
-- calls may only ask for sources and ids already locked, else XX000 (a campaign an operator creates
-- meanwhile is not used by this write).
create or replace function private.lock_campaigns(p_sources text[], p_ids uuid[] default '{}') returns void
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := private.clock_now();
  v_ids text;
begin
  if coalesce(current_setting('jifen.lock_phase', true), '') = 'shared' then
    if exists (select 1 from unnest(p_ids) i where strpos(current_setting('jifen.locked_campaigns', true), i::text) = 0)
       or exists (select 1 from unnest(p_sources) s
                  where s <> all (string_to_array(current_setting('jifen.campaign_sources', true), ','))) then
      raise exception 'lock order: campaigns for % locked after shared rows', p_sources using errcode = 'XX000';
    end if;
    return;
  end if;
  perform set_config('jifen.lock_phase', 'shared', true);
  select coalesce(string_agg(x.id::text, ','), '') into v_ids
  from (select c.id from public.campaigns c
        where c.id = any (p_ids) or (c.sources && p_sources and c.starts_at <= v_now and c.ends_at > v_now)
        order by c.id
        for no key update) x;
  perform set_config('jifen.locked_campaigns', v_ids, true),
          set_config('jifen.campaign_sources', array_to_string(p_sources, ','), true);
end
$$;
revoke all on function private.lock_campaigns(text[], uuid[]) from public;

-- The campaigns that paid extras on these entries (what reversing them gives back to), so that a write
-- reversing them can lock them up front (private.lock_campaigns' p_ids).
create or replace function private.extra_campaigns(p_entry_ids bigint[]) returns uuid[]
language plpgsql stable
set search_path = ''
as $$
begin
  return array(
    select distinct x.campaign_id
    from public.point_entries e
    join public.point_entries x on x.member_id = e.member_id and x.source = 'campaign' and x.ref = 'entry:' || e.id
    where e.id = any (p_entry_ids) and x.campaign_id is not null);
end
$$;
revoke all on function private.extra_campaigns(bigint[]) from public;
