-- Task progress and claims. A task's progress in its current period is the number of the member's task
-- events it counts whose business day falls in the period (one_time: all time; daily: today; weekly: the
-- ISO week, Monday to Sunday). completions = least(progress / required_count, period_limit). Each claim pays
-- one completion under the natural key (member, task, period, seq). Per member and business day of the
-- claim, at most point_rules.task_daily_max_rewards claims and task_daily_max_points task points (the
-- tasks' base rewards; campaign extras are the campaign's): a claim that would go over either cap is
-- refused whole (nothing is paid in part). Events a void took back (task_events.revoked_at) and claims it
-- reversed (reversed_at) do not count.
create table public.task_claims (
  member_id uuid not null references public.members (id),
  task_code text not null references public.tasks (code),
  period_key text not null check (period_key ~ '^(once|[DW][0-9]{4}-[0-9]{2}-[0-9]{2})$'),
  seq integer not null check (seq between 1 and 100),
  points integer not null check (points > 0),
  entry_id bigint not null unique references public.point_entries (id),
  claimed_on date not null, -- business day of the claim: the daily caps count by it
  created_at timestamptz not null default now(),
  reversed_at timestamptz, -- reversed by a void that took its event back: the claim does not count
  reverse_entry_id bigint references public.point_entries (id), -- the entry that reversed it
  primary key (member_id, task_code, period_key, seq)
);
alter table public.task_claims enable row level security;
revoke all on public.task_claims from anon, authenticated, service_role;
grant select on public.task_claims to authenticated, service_role;

create index task_claims_day_idx on public.task_claims (member_id, claimed_on);

create policy task_claims_read_own on public.task_claims for select to authenticated using (member_id = (select auth.uid()));

-- The period of a task kind containing business day p_on: its key and first/last day (null: all time).
create or replace function private.task_period(p_kind text, p_on date, out period_key text, out starts_on date, out ends_on date)
language plpgsql stable
set search_path = ''
as $$
begin
  select case p_kind when 'one_time' then 'once' when 'daily' then 'D' || to_char(p.d, 'YYYY-MM-DD')
                     else 'W' || to_char(p.d, 'YYYY-MM-DD') end,
         case when p_kind <> 'one_time' then p.d end,
         case p_kind when 'daily' then p.d when 'weekly' then p.d + 6 end
  into period_key, starts_on, ends_on
  from (select case p_kind when 'weekly' then date_trunc('week', p_on::timestamp)::date else p_on end as d) p;
end
$$;
revoke all on function private.task_period(text, date) from public;

-- Every active task with a member's progress, completions and claims in the period containing p_on:
-- events that stand (not revoked), claims that stand (not reversed).
create or replace function private.member_tasks(p_member_id uuid, p_on date)
returns table (code text, title text, description text, kind text, event text, reward_points integer,
  required_count integer, period_limit integer, sort_order integer, period_key text, progress integer,
  completions integer, claimed integer)
language plpgsql stable
set search_path = ''
as $$
#variable_conflict use_column
begin
  return query
  select t.code, t.title, t.description, t.kind, t.event, t.reward_points, t.required_count, t.period_limit,
         t.sort_order, p.period_key, e.n, least(e.n / t.required_count, t.period_limit), c.n
  from public.tasks t
  cross join lateral private.task_period(t.kind, p_on) p
  cross join lateral (
    select count(*)::integer as n from public.task_events e
    where e.member_id = p_member_id and e.event = t.event and e.revoked_at is null
      and (p.starts_on is null or e.business_date between p.starts_on and p.ends_on)) e
  cross join lateral (
    select count(*)::integer as n from public.task_claims c
    where c.member_id = p_member_id and c.task_code = t.code and c.period_key = p.period_key and c.reversed_at is null) c
  where t.active;
end
$$;
revoke all on function private.member_tasks(uuid, date) from public;

-- Task rewards and task points a member claimed on business day p_on and that stand (not reversed): what the
-- daily caps count.
create or replace function private.task_day_usage(p_member_id uuid, p_on date, out rewards_used integer, out points_used integer)
language plpgsql stable
set search_path = ''
as $$
begin
  select count(*)::integer, coalesce(sum(c.points), 0)::integer into rewards_used, points_used
  from public.task_claims c where c.member_id = p_member_id and c.claimed_on = p_on and c.reversed_at is null;
end
$$;
revoke all on function private.task_day_usage(uuid, date) from public;

-- The parts of list_tasks' answer: the daily caps and what is used of them, a task with its progress.
create type public.task_daily_caps as (
  rewards_used integer,
  rewards_max integer,
  points_used integer,
  points_max integer
);

create type public.task_progress as (
  code text,
  title text,
  description text,
  kind text,
  event text,
  reward_points integer,
  required_count integer,
  period_limit integer,
  period_key text,
  progress integer,
  completions integer,
  claimed integer,
  claimable integer,
  done boolean
);

-- The answer of list_tasks.
create type public.list_tasks_result as (
  business_date date,
  daily public.task_daily_caps,
  tasks public.task_progress[]
);

-- RPC list_tasks (member): today's business day, the daily caps and every active task with its progress.
create or replace function public.list_tasks() returns public.list_tasks_result
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
  v_today date := private.business_date(private.clock_now());
  v_used record;
begin
  select * into v_used from private.task_day_usage(v_member, v_today);
  return json_populate_record(null::public.list_tasks_result, json_build_object(
    'business_date', v_today,
    'daily', (select json_build_object('rewards_used', v_used.rewards_used, 'rewards_max', r.task_daily_max_rewards,
                                       'points_used', v_used.points_used, 'points_max', r.task_daily_max_points)
              from public.point_rules r),
    'tasks', coalesce((
      select json_agg(json_build_object(
               'code', t.code, 'title', t.title, 'description', t.description, 'kind', t.kind, 'event', t.event,
               'reward_points', t.reward_points, 'required_count', t.required_count, 'period_limit', t.period_limit,
               'period_key', t.period_key, 'progress', t.progress, 'completions', t.completions, 'claimed', t.claimed,
               'claimable', greatest(t.completions - t.claimed, 0), 'done', t.claimed >= t.period_limit)
             order by t.sort_order, t.code)
      from private.member_tasks(v_member, v_today) t), '[]'::json)
  ));
end
$$;
revoke all on function public.list_tasks() from public, anon, authenticated, service_role;
grant execute on function public.list_tasks() to authenticated;

-- The answer of claim_task.
create type public.claim_task_result as (
  task_code text,
  period_key text,
  seq integer,
  points integer,
  campaign_points integer,
  balance_points integer
);

-- RPC claim_task (member): pay the next completion of a task in its current period. With a request id, a
-- retry returns the first result. A claim's sequence number follows every claim of the period, reversed ones
-- included (their entries keep their natural keys).
create or replace function public.claim_task(p_task_code text, p_request_id uuid default null)
returns public.claim_task_result
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
  v_today date;
  v_task record;
  v_used record;
  v_rules public.point_rules;
  v_seq integer;
  v_award record;
  v_result jsonb;
begin
  perform private.begin_write();
  perform private.lock_balance(v_member);
  v_result := private.begin_request(v_member, p_request_id, 'claim_task', jsonb_build_object('task_code', p_task_code));
  if v_result is not null then
    return jsonb_populate_record(null::public.claim_task_result, v_result);
  end if;

  v_today := private.business_date(private.clock_now());
  select * into v_task from private.member_tasks(v_member, v_today) t where t.code = p_task_code;
  if not found then
    perform private.raise_error('task_not_found', 404);
  end if;
  if v_task.claimed >= v_task.completions then
    perform private.raise_error('task_not_completed', 409);
  end if;
  v_rules := private.rules();
  select * into v_used from private.task_day_usage(v_member, v_today);
  if v_used.rewards_used + 1 > v_rules.task_daily_max_rewards
     or v_used.points_used + v_task.reward_points > v_rules.task_daily_max_points then
    perform private.raise_error('daily_task_limit_reached', 409);
  end if;

  v_seq := 1 + (select coalesce(max(c.seq), 0) from public.task_claims c
                where c.member_id = v_member and c.task_code = v_task.code and c.period_key = v_task.period_key);
  perform private.lock_campaigns(array['task']);
  select * into v_award from private.award_points(v_member, 'task', v_task.reward_points,
    v_task.code || ':' || v_task.period_key || ':' || v_seq, v_task.title);
  insert into public.task_claims (member_id, task_code, period_key, seq, points, entry_id, claimed_on, created_at)
  values (v_member, v_task.code, v_task.period_key, v_seq, v_task.reward_points, v_award.entry_id, v_today, private.clock_now());

  return jsonb_populate_record(null::public.claim_task_result, private.finish_request(v_member, p_request_id, jsonb_build_object(
    'task_code', v_task.code, 'period_key', v_task.period_key, 'seq', v_seq, 'points', v_task.reward_points,
    'campaign_points', v_award.campaign_points,
    'balance_points', (select balance_points from public.point_balances where member_id = v_member))));
end
$$;
revoke all on function public.claim_task(text, uuid) from public, anon, authenticated, service_role;
grant execute on function public.claim_task(text, uuid) to authenticated;

-- The claims that stand on the completions a member's event p_ref of p_event counted for: the latest
-- claims of each period beyond what the remaining events complete. What a void of that event reverses.
create or replace function private.claims_paid_by_event(p_member_id uuid, p_event text, p_ref text)
returns setof public.task_claims
language plpgsql stable
set search_path = ''
as $$
begin
  return query
  with ev as (
    select e.business_date from public.task_events e
    where e.member_id = p_member_id and e.event = p_event and e.ref = p_ref and e.revoked_at is null
  ), periods as (
    select t.code, t.required_count, t.period_limit, p.period_key, p.starts_on, p.ends_on
    from ev cross join public.tasks t cross join lateral private.task_period(t.kind, ev.business_date) p
    where t.event = p_event
  ), left_after as (
    select pr.code, pr.period_key, least((
      select count(*) from public.task_events e
      where e.member_id = p_member_id and e.event = p_event and e.revoked_at is null and e.ref <> p_ref
        and (pr.starts_on is null or e.business_date between pr.starts_on and pr.ends_on)) / pr.required_count,
      pr.period_limit) as completions
    from periods pr
  )
  select c.* from left_after l
  join lateral (
    select c.* from public.task_claims c
    where c.member_id = p_member_id and c.task_code = l.code and c.period_key = l.period_key and c.reversed_at is null
    order by c.seq desc
    limit greatest((select count(*) from public.task_claims s
                    where s.member_id = p_member_id and s.task_code = l.code and s.period_key = l.period_key
                      and s.reversed_at is null) - l.completions, 0)
  ) c on true;
end
$$;
revoke all on function private.claims_paid_by_event(uuid, text, text) from public;
