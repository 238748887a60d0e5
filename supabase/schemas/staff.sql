-- Stores and their staff. A staff member is a member with a row here (never a client-chosen claim).
create table public.stores (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 40),
  address text not null default '' check (char_length(address) <= 120),
  created_at timestamptz not null default now()
);
alter table public.stores enable row level security;
revoke all on public.stores from anon, authenticated, service_role;
grant select on public.stores to anon, authenticated, service_role;

create policy stores_read_all on public.stores for select to anon, authenticated using (true);

create table public.staff (
  member_id uuid primary key references public.members (id),
  store_id uuid not null references public.stores (id),
  role text not null default 'clerk' check (role in ('clerk', 'manager')),
  daily_award_cap_points integer not null default 20000 check (daily_award_cap_points >= 0),
  active boolean not null default true,
  created_at timestamptz not null default now()
);
alter table public.staff enable row level security;
revoke all on public.staff from anon, authenticated, service_role;
grant select on public.staff to authenticated, service_role;

create index staff_store_idx on public.staff (store_id);

create policy staff_read_own on public.staff for select to authenticated using (member_id = (select auth.uid()));
