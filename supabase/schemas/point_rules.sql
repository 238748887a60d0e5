-- The rules of SPEC §1 as configuration data (defaults inserted here, so a fresh deploy works without the
-- seed): one row of point_rules, the tier ladder and the check-in streak bonuses. Readable by everyone
-- (the app shows them); only the database owner changes them.
create table public.point_rules (
  id boolean primary key default true check (id), -- exactly one row
  registration_bonus_points integer not null default 100 check (registration_bonus_points >= 0),
  birthday_bonus_points integer not null default 500 check (birthday_bonus_points >= 0),
  birthday_min_notice_days integer not null default 30 check (birthday_min_notice_days >= 0),
  birthday_edit_interval_days integer not null default 365 check (birthday_edit_interval_days >= 0),
  purchase_fen_per_point integer not null default 100 check (purchase_fen_per_point > 0),
  purchase_hold_days integer not null default 0 check (purchase_hold_days >= 0),
  check_in_points integer not null default 5 check (check_in_points > 0),
  check_in_cycle_days integer not null default 7 check (check_in_cycle_days between 1 and 31),
  make_up_window_days integer not null default 7 check (make_up_window_days between 0 and 31),
  make_up_monthly_limit integer not null default 2 check (make_up_monthly_limit >= 0),
  make_up_cost_points integer not null default 20 check (make_up_cost_points >= 0),
  task_daily_max_rewards integer not null default 15 check (task_daily_max_rewards >= 0),
  task_daily_max_points integer not null default 100 check (task_daily_max_points >= 0),
  referral_bonus_points integer not null default 100 check (referral_bonus_points >= 0),
  referral_daily_max_rewards integer not null default 10 check (referral_daily_max_rewards >= 0),
  referral_qualifying_action text not null default 'first_check_in_after_phone'
    check (referral_qualifying_action in ('first_check_in_after_phone', 'first_purchase')),
  lot_validity_months integer not null default 12 check (lot_validity_months between 1 and 120),
  tier_window_months integer not null default 12 check (tier_window_months between 1 and 60),
  tier_grace_days integer not null default 30 check (tier_grace_days >= 0),
  expiry_reminder_days integer[] not null default '{30,7}'
    check (array_position(expiry_reminder_days, null) is null and 0 < all (expiry_reminder_days)),
  updated_at timestamptz not null default now()
);
alter table public.point_rules enable row level security;
revoke all on public.point_rules from anon, authenticated, service_role;
grant select on public.point_rules to anon, authenticated, service_role;

create policy point_rules_read_all on public.point_rules for select to anon, authenticated using (true);

-- Tiers on points earned in the rolling window (never on balance). rank 0 is the entry tier.
create table public.tiers (
  code text primary key check (code ~ '^[a-z][a-z0-9_]{0,31}$'),
  name text not null check (char_length(name) between 1 and 16),
  rank integer not null unique check (rank >= 0),
  min_earned_points integer not null unique check (min_earned_points >= 0),
  multiplier numeric(4, 2) not null check (multiplier >= 1),
  upgrade_bonus_points integer not null default 0 check (upgrade_bonus_points >= 0),
  check ((rank = 0) = (min_earned_points = 0))
);
alter table public.tiers enable row level security;
revoke all on public.tiers from anon, authenticated, service_role;
grant select on public.tiers to anon, authenticated, service_role;

create policy tiers_read_all on public.tiers for select to anon, authenticated using (true);

-- Streak bonuses by day of the check-in cycle (point_rules.check_in_cycle_days long).
create table public.check_in_streak_bonuses (
  cycle_day integer primary key check (cycle_day between 1 and 31),
  bonus_points integer not null check (bonus_points > 0)
);
alter table public.check_in_streak_bonuses enable row level security;
revoke all on public.check_in_streak_bonuses from anon, authenticated, service_role;
grant select on public.check_in_streak_bonuses to anon, authenticated, service_role;

create policy check_in_streak_bonuses_read_all on public.check_in_streak_bonuses for select to anon, authenticated using (true);

-- The point_rules row (plpgsql, for its cached plan: see rpc_helpers.sql).
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
revoke all on function private.rules() from public;
