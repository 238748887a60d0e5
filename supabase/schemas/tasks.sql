-- Task definitions (configuration data) and task events: the facts features record when a member does
-- something a task counts (checked_in, phone_bound, profile_completed, item_redeemed, purchase_awarded).
-- Progress and claims are in task_claims.sql; here only what other features need to record events. A void
-- takes back the event its purchase recorded (revoked_at): a revoked event does not count.
create table public.tasks (
  code text primary key check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  title text not null check (char_length(title) between 1 and 20),
  description text not null default '' check (char_length(description) <= 60),
  kind text not null check (kind in ('one_time', 'daily', 'weekly')),
  event text not null check (event ~ '^[a-z][a-z0-9_]{0,39}$'),
  required_count integer not null default 1 check (required_count between 1 and 100), -- events per completion
  reward_points integer not null check (reward_points > 0),
  period_limit integer not null default 1 check (period_limit between 1 and 100),     -- rewarded completions per period
  sort_order integer not null default 0,
  active boolean not null default true,
  check (kind <> 'one_time' or period_limit = 1)
);
alter table public.tasks enable row level security;
revoke all on public.tasks from anon, authenticated, service_role;
grant select on public.tasks to anon, authenticated, service_role;

create policy tasks_read_all on public.tasks for select to anon, authenticated using (true);

create table public.task_events (
  member_id uuid not null references public.members (id),
  event text not null check (event ~ '^[a-z][a-z0-9_]{0,39}$'),
  ref text not null check (char_length(ref) between 1 and 200), -- natural key: one event per (member, event, ref)
  business_date date not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz, -- taken back by a void: the event does not count
  primary key (member_id, event, ref)
);
alter table public.task_events enable row level security;
revoke all on public.task_events from anon, authenticated, service_role;
grant select on public.task_events to authenticated, service_role;

create policy task_events_read_own on public.task_events for select to authenticated using (member_id = (select auth.uid()));

create index task_events_period_idx on public.task_events (member_id, event, business_date) where revoked_at is null;

-- Record that a member did something tasks count; idempotent per (member, event, ref). True if new.
-- It only records: a referral's qualifying action is an explicit step of check_in and staff_award_purchase
-- (private.qualify_referral, referrals.sql), not a side effect of the event.
create or replace function private.record_task_event(p_member_id uuid, p_event text, p_ref text, p_business_date date default null)
returns boolean
language plpgsql
set search_path = ''
as $$
begin
  insert into public.task_events (member_id, event, ref, business_date, created_at)
  values (p_member_id, p_event, p_ref, coalesce(p_business_date, private.business_date(private.clock_now())), private.clock_now())
  on conflict do nothing;
  return found;
end
$$;
revoke all on function private.record_task_event(uuid, text, text, date) from public;
