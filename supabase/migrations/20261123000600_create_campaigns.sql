-- Campaigns (e.g. 会员日 double points): a time window, a multiplier on chosen sources, an optional cap
-- per member and an optional global budget, both in extra points. The extra points of a campaign are
-- their own ledger entries (source 'campaign'), so caps and budgets are sums over the ledger.

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
create index campaigns_window_idx on public.campaigns (starts_at, ends_at);

alter table public.campaigns enable row level security;
create policy campaigns_read_all on public.campaigns for select to anon, authenticated using (true);
revoke all on public.campaigns from anon, authenticated, service_role;
grant select on public.campaigns to anon, authenticated, service_role;
