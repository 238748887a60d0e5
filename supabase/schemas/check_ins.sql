-- Daily check-in, streaks with cycle bonuses, 补签 (make-up check-in) and the month calendar.
-- Rules are data: point_rules (check_in_points, check_in_cycle_days, make_up_*) and check_in_streak_bonuses.
--
-- Streaks are computed from the check-ins themselves (gaps and islands), never trusted from stored columns:
-- a make-up fills a gap and changes the positions of the days after it. The stored streak_days / cycle_day
-- are what applied when the row was written, i.e. what its bonus (if any) was paid for. A streak bonus for
-- cycle day d is paid to a day only if no day in the same cycle window of its (possibly merged) streak was
-- already paid a bonus for cycle day d: a make-up never pays a bonus twice.
create table public.check_ins (
  member_id uuid not null references public.members (id),
  check_in_date date not null,                       -- the business day checked in (natural key)
  made_up boolean not null default false,
  made_up_on date,                                   -- business day the make-up was done (null: normal check-in)
  streak_days integer not null check (streak_days >= 1), -- position in the streak when written
  cycle_day integer not null check (cycle_day >= 1),     -- position in the bonus cycle when written
  points integer not null check (points >= 0),           -- base check-in points
  bonus_points integer not null default 0 check (bonus_points >= 0), -- streak bonus paid for this day
  created_at timestamptz not null default private.clock_now(),
  primary key (member_id, check_in_date),
  check (made_up = (made_up_on is not null)),
  check (made_up_on is null or made_up_on > check_in_date)
);
alter table public.check_ins enable row level security;
revoke all on public.check_ins from anon, authenticated, service_role;
grant select on public.check_ins to authenticated, service_role;

create index check_ins_made_up_idx on public.check_ins (member_id, made_up_on) where made_up;

create policy check_ins_read_own on public.check_ins for select to authenticated using (member_id = (select auth.uid()));

-- Member check-ins per day and make-ups per day: the primary key (member_id, check_in_date) cannot serve a
-- range of days over all members.
create index check_ins_date_idx on public.check_ins (check_in_date) where not made_up;

create index check_ins_made_up_on_idx on public.check_ins (made_up_on) where made_up;

-- The run of consecutive checked-in days containing p_date (nulls if p_date is not checked in).
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
revoke all on function private.check_in_streak(uuid, date) from public;

-- Consecutive checked-in days ending at p_through; 0 if p_through itself is not checked in.
create or replace function private.streak_days(p_member_id uuid, p_through date) returns integer
language plpgsql stable
set search_path = ''
as $$
begin
  return coalesce(p_through - (private.check_in_streak(p_member_id, p_through)).first_date + 1, 0);
end
$$;
revoke all on function private.streak_days(uuid, date) from public;

-- The streak a member has going on p_today: through today, or through yesterday while today is still open.
create or replace function private.current_streak_days(p_member_id uuid, p_today date) returns integer
language plpgsql stable
set search_path = ''
as $$
begin
  return private.streak_days(p_member_id, case when exists (
    select 1 from public.check_ins where member_id = p_member_id and check_in_date = p_today) then p_today else p_today - 1 end);
end
$$;
revoke all on function private.current_streak_days(uuid, date) from public;

-- Make-ups done in the business month of p_on (the monthly limit counts by the month of the make-up).
create or replace function private.make_ups_used(p_member_id uuid, p_on date) returns integer
language sql stable
set search_path = ''
as $$
  select count(*)::integer from public.check_ins
  where member_id = p_member_id and made_up
    and made_up_on >= date_trunc('month', p_on::timestamp)::date
    and made_up_on < (date_trunc('month', p_on::timestamp) + interval '1 month')::date
$$;
revoke all on function private.make_ups_used(uuid, date) from public;

-- The earliest day a member may make up on p_today: the window, and never before the registration day.
create or replace function private.earliest_make_up_date(p_member_id uuid, p_today date) returns date
language sql stable
set search_path = ''
as $$
  select greatest(p_today - r.make_up_window_days, private.business_date(m.created_at))
  from public.members m, public.point_rules r
  where m.id = p_member_id
$$;
revoke all on function private.earliest_make_up_date(uuid, date) from public;

-- Write the check-in of p_date (not checked in yet; caller holds the balance lock and did every check):
-- the row, the base points, the streak bonus if due, the checked_in task event. Returns the result JSON.
create or replace function private.write_check_in(p_member_id uuid, p_date date, p_made_up_on date default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_rules public.point_rules := private.rules();
  -- the streak p_date joins: the run ending the day before, p_date, and the run starting the day after
  v_first date := p_date - private.streak_days(p_member_id, p_date - 1);
  v_last date := coalesce((private.check_in_streak(p_member_id, p_date + 1)).last_date, p_date);
  v_streak_days integer := p_date - v_first + 1;
  v_cycle_day integer := (v_streak_days - 1) % v_rules.check_in_cycle_days + 1;
  v_cycle_start date := p_date - v_cycle_day + 1;
  v_bonus integer;
  v_campaign_points integer;
begin
  select b.bonus_points into v_bonus
  from public.check_in_streak_bonuses b
  where b.cycle_day = v_cycle_day
    and not exists (
      select 1 from public.check_ins c
      where c.member_id = p_member_id and c.cycle_day = v_cycle_day and c.bonus_points > 0
        and c.check_in_date between v_cycle_start and least(v_cycle_start + v_rules.check_in_cycle_days - 1, v_last));
  v_bonus := coalesce(v_bonus, 0);

  insert into public.check_ins (member_id, check_in_date, made_up, made_up_on, streak_days, cycle_day, points, bonus_points)
  values (p_member_id, p_date, p_made_up_on is not null, p_made_up_on, v_streak_days, v_cycle_day, v_rules.check_in_points, v_bonus);

  select a.campaign_points into v_campaign_points
  from private.award_points(p_member_id, 'check_in', v_rules.check_in_points, p_date::text,
    case when p_made_up_on is null then '每日签到' else '补签签到 ' || p_date end,
    jsonb_build_object('streak_days', v_streak_days)) a;
  if v_bonus > 0 then
    v_campaign_points := v_campaign_points + (
      select a.campaign_points
      from private.award_points(p_member_id, 'check_in_streak', v_bonus, p_date::text,
        '连续签到' || v_streak_days || '天奖励', jsonb_build_object('streak_days', v_streak_days, 'cycle_day', v_cycle_day)) a);
  end if;
  perform private.record_task_event(p_member_id, 'checked_in', p_date::text, p_date);

  return jsonb_build_object(
    'check_in_date', p_date,
    'made_up', p_made_up_on is not null,
    'points', v_rules.check_in_points,
    'bonus_points', v_bonus,
    'campaign_points', v_campaign_points,
    'streak_days', v_streak_days,
    'cycle_day', v_cycle_day,
    'balance_points', (select balance_points from public.point_balances where member_id = p_member_id)
  );
end
$$;
revoke all on function private.write_check_in(uuid, date, date) from public;

-- The answer of check_in (private.write_check_in's result).
create type public.check_in_result as (
  check_in_date date,
  made_up boolean,
  points integer,
  bonus_points integer,
  campaign_points integer,
  streak_days integer,
  cycle_day integer,
  balance_points integer
);

-- RPC check_in (member): today's check-in. A retry with the same request id returns the first result. It
-- may qualify the member's pending referral (a 补签 never does): the referrer's balance is locked with the
-- member's, before anything else (private.lock_pending_referrer).
create or replace function public.check_in(p_request_id uuid default null)
returns public.check_in_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member uuid;
  v_today date := private.business_date(private.clock_now());
  v_previous jsonb;
  v_referrer uuid;
  v_result jsonb;
begin
  v_member := private.require_member();
  perform private.begin_write();
  perform private.lock_balance(v_member);
  v_referrer := private.lock_pending_referrer(v_member, 'checked_in');
  v_previous := private.begin_request(v_member, p_request_id, 'check_in', '{}');
  if v_previous is not null then
    return jsonb_populate_record(null::public.check_in_result, v_previous);
  end if;
  if exists (select 1 from public.check_ins where member_id = v_member and check_in_date = v_today) then
    perform private.raise_error('already_checked_in', 409);
  end if;
  perform private.lock_campaigns(array['check_in', 'check_in_streak'] || case when v_referrer is null then '{}'::text[] else array['referral'] end);
  v_result := private.write_check_in(v_member, v_today);
  if v_referrer is not null then
    perform private.qualify_referral(v_member, 'checked_in', v_today::text);
  end if;
  return jsonb_populate_record(null::public.check_in_result, private.finish_request(v_member, p_request_id, v_result));
end
$$;
revoke all on function public.check_in(uuid)
  from public, anon, authenticated, service_role;
grant execute on function public.check_in(uuid)
  to authenticated;

-- The answer of make_up_check_in: a check-in's result and what the make-up cost.
create type public.make_up_check_in_result as (
  check_in_date date,
  made_up boolean,
  points integer,
  bonus_points integer,
  campaign_points integer,
  streak_days integer,
  cycle_day integer,
  balance_points integer,
  cost_points integer
);

-- RPC make_up_check_in (member): 补签 — a bought check-in of a missed day, within the window and the
-- monthly limit, for a cost. Never qualifies a referral.
create or replace function public.make_up_check_in(p_date date, p_request_id uuid default null)
returns public.make_up_check_in_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member uuid;
  v_today date := private.business_date(private.clock_now());
  v_rules public.point_rules := private.rules();
  v_previous jsonb;
begin
  v_member := private.require_member();
  perform private.begin_write();
  perform private.lock_balance(v_member);
  v_previous := private.begin_request(v_member, p_request_id, 'make_up_check_in', jsonb_build_object('p_date', p_date));
  if v_previous is not null then
    return jsonb_populate_record(null::public.make_up_check_in_result, v_previous);
  end if;
  if p_date is null or p_date >= v_today then
    perform private.raise_error('invalid_date', 400);
  end if;
  if p_date < private.earliest_make_up_date(v_member, v_today) then
    perform private.raise_error('make_up_window_passed', 409);
  end if;
  if exists (select 1 from public.check_ins where member_id = v_member and check_in_date = p_date) then
    perform private.raise_error('already_checked_in', 409);
  end if;
  if private.make_ups_used(v_member, v_today) >= v_rules.make_up_monthly_limit then
    perform private.raise_error('make_up_limit_reached', 409);
  end if;
  if v_rules.make_up_cost_points > 0 then
    perform private.spend_points(v_member, 'make_up', v_rules.make_up_cost_points, p_date::text, '补签 ' || p_date);
  end if;
  perform private.lock_campaigns(array['check_in', 'check_in_streak']);
  return jsonb_populate_record(null::public.make_up_check_in_result, private.finish_request(v_member, p_request_id,
    private.write_check_in(v_member, p_date, v_today) || jsonb_build_object('cost_points', v_rules.make_up_cost_points)));
end
$$;
revoke all on function public.make_up_check_in(date, uuid)
  from public, anon, authenticated, service_role;
grant execute on function public.make_up_check_in(date, uuid)
  to authenticated;

-- One day of check_in_calendar.
create type public.calendar_day as (
  date date,
  checked_in boolean,
  made_up boolean,
  points integer,
  bonus_points integer,
  can_make_up boolean
);

-- The answer of check_in_calendar.
create type public.check_in_calendar_result as (
  month text,
  today date,
  days public.calendar_day[],
  streak_days integer,
  make_ups_used integer,
  make_ups_left integer,
  make_up_cost_points integer,
  checked_in_today boolean
);

-- RPC check_in_calendar (member): one month ('YYYY-MM', default the current business month), day by day.
create or replace function public.check_in_calendar(p_month text default null) returns public.check_in_calendar_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_member uuid;
  v_today date := private.business_date(private.clock_now());
  v_rules public.point_rules := private.rules();
  v_used integer;
  v_earliest date;
  v_first date;
begin
  v_member := private.require_member();
  v_used := private.make_ups_used(v_member, v_today);
  v_earliest := private.earliest_make_up_date(v_member, v_today);
  if p_month is null then
    v_first := date_trunc('month', v_today::timestamp)::date;
  elsif p_month ~ '^[1-9][0-9]{3}-(0[1-9]|1[0-2])$' then
    v_first := (p_month || '-01')::date;
  else
    perform private.raise_error('invalid_month', 400);
  end if;

  return json_populate_record(null::public.check_in_calendar_result, json_build_object(
    'month', to_char(v_first, 'YYYY-MM'),
    'today', v_today,
    'days', (
      select json_agg(json_build_object(
        'date', d.day,
        'checked_in', c.member_id is not null,
        'made_up', coalesce(c.made_up, false),
        'points', coalesce(c.points, 0),
        'bonus_points', coalesce(c.bonus_points, 0),
        'can_make_up', c.member_id is null and v_used < v_rules.make_up_monthly_limit
          and d.day between v_earliest and v_today - 1
      ) order by d.day)
      from (select v_first + i as day
            from generate_series(0, (v_first + interval '1 month')::date - v_first - 1) i) d
      left join public.check_ins c on c.member_id = v_member and c.check_in_date = d.day
    ),
    'streak_days', private.current_streak_days(v_member, v_today),
    'make_ups_used', v_used,
    'make_ups_left', greatest(v_rules.make_up_monthly_limit - v_used, 0),
    'make_up_cost_points', v_rules.make_up_cost_points,
    'checked_in_today', exists (select 1 from public.check_ins where member_id = v_member and check_in_date = v_today)
  ));
end
$$;
revoke all on function public.check_in_calendar(text)
  from public, anon, authenticated, service_role;
grant execute on function public.check_in_calendar(text)
  to authenticated;
