-- What every staff feature shares: who the calling staff member is (an active row in public.staff, never a
-- client-chosen claim), and the audit trail. Every staff action (member preview, purchase award and void,
-- voucher preview and verify) writes one row: staff, store, member, what, when. The trail is append-only for
-- every role, the owner included; staff read their own rows, managers read their store's through
-- staff_recent_actions.
create table public.staff_actions (
  id bigint generated always as identity primary key,
  staff_member_id uuid not null references public.staff (member_id),
  store_id uuid not null references public.stores (id),   -- the store the staff member worked for at the time
  action text not null check (action in (
    'preview_member', 'award_purchase', 'void_purchase', 'preview_redemption', 'verify_redemption')),
  member_id uuid references public.members (id),           -- the member acted on
  ref text check (char_length(ref) <= 200),                -- purchase / redemption id
  points integer,
  amount_fen bigint,
  detail jsonb not null default '{}',
  created_at timestamptz not null default now()
);
alter table public.staff_actions enable row level security;
revoke all on public.staff_actions from anon, authenticated, service_role;
grant select on public.staff_actions to authenticated, service_role;

create index staff_actions_staff_idx on public.staff_actions (staff_member_id, id desc);

create index staff_actions_store_idx on public.staff_actions (store_id, id desc);

create policy staff_actions_read_own on public.staff_actions for select to authenticated
  using (staff_member_id = (select auth.uid()));

create trigger staff_actions_append_only before update or delete on public.staff_actions
  for each row execute function private.refuse_change();

create trigger staff_actions_no_truncate before truncate on public.staff_actions
  for each statement execute function private.refuse_change();

-- The calling member's active staff row, or not_staff (403); with p_roles, not_manager (403) for other roles.
create or replace function private.require_staff(p_roles text[] default null) returns public.staff
language plpgsql stable
set search_path = ''
as $$
declare
  v_member uuid := private.require_member();
  v_staff public.staff;
begin
  select * into v_staff from public.staff where member_id = v_member and active;
  if not found then
    perform private.raise_error('not_staff', 403);
  end if;
  if p_roles is not null and not v_staff.role = any (p_roles) then
    perform private.raise_error('not_manager', 403);
  end if;
  return v_staff;
end
$$;
revoke all on function private.require_staff(text[]) from public;

-- One audit row for an action of p_staff (at its store, on the database clock). Returns its id.
create or replace function private.log_staff_action(
  p_staff public.staff, p_action text, p_member_id uuid default null, p_ref text default null,
  p_points integer default null, p_amount_fen bigint default null, p_detail jsonb default '{}'
) returns bigint
language plpgsql
set search_path = ''
as $$
declare
  v_id bigint;
begin
  insert into public.staff_actions (staff_member_id, store_id, action, member_id, ref, points, amount_fen, detail, created_at)
  values (p_staff.member_id, p_staff.store_id, p_action, p_member_id, p_ref, p_points, p_amount_fen,
          coalesce(p_detail, '{}'), private.clock_now())
  returning id into v_id;
  return v_id;
end
$$;
revoke all on function private.log_staff_action(public.staff, text, uuid, text, integer, bigint, jsonb) from public;

-- A phone number as staff see it: 138****0001.
create or replace function private.mask_phone(p_phone text) returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  return case when p_phone is null then null else left(p_phone, 3) || '****' || right(p_phone, 4) end;
end
$$;
revoke all on function private.mask_phone(text) from public;

-- Page size of the list RPCs: 1–100, else invalid_limit (400).
create or replace function private.check_page_limit(p_limit integer) returns void
language plpgsql
set search_path = ''
as $$
begin
  if p_limit is null or p_limit not between 1 and 100 then
    perform private.raise_error('invalid_limit', 400);
  end if;
end
$$;
revoke all on function private.check_page_limit(integer) from public;

-- The purchase a purchase row of staff_recent_actions carries, as it stands now.
create type public.staff_action_purchase as (
  id uuid,
  order_ref text,
  status text,
  business_date date,
  voided_at timestamptz
);

-- One element of staff_recent_actions (detail: the action's own details, a JSON object per action).
create type public.staff_action as (
  id bigint,
  action text,
  created_at timestamptz,
  staff_member_id uuid,
  staff_nickname text,
  store_id uuid,
  member_id uuid,
  member_nickname text,
  member_phone text,
  ref text,
  points integer,
  amount_fen bigint,
  detail jsonb,
  purchase public.staff_action_purchase
);

-- RPC staff_recent_actions (staff): the newest actions first (by id: the order they were written), p_limit
-- (1–100) at a time, older than p_before_id when paging. A clerk sees their own actions; a manager sees every
-- action at their store. p_actions: an optional filter, a non-empty JSON array of action names, else
-- invalid_action_filter (400) (the staff app lists awards, voids and verifications, not the preview rows every
-- scan writes). Purchase rows carry the purchase as it stands now (order ref, status), so the list can offer
-- 撤销 on an award still standing. The filter is jsonb (private.jsonb_strings), not text[].
create or replace function public.staff_recent_actions(
  p_limit integer default 20, p_before_id bigint default null, p_actions jsonb default null)
returns public.staff_action[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_staff public.staff := private.require_staff();
  v_actions text[];
begin
  perform private.check_page_limit(p_limit);
  -- not an array, empty, or with anything but known action names: a mistake, not "match nothing"
  if p_actions is not null then
    v_actions := private.jsonb_strings(p_actions);
    if v_actions is null or cardinality(v_actions) = 0
       or not v_actions <@ array['preview_member', 'award_purchase', 'void_purchase', 'preview_redemption', 'verify_redemption'] then
      perform private.raise_error('invalid_action_filter', 400);
    end if;
  end if;
  return private.jsonb_populate_array(null::public.staff_action, coalesce((
    select json_agg(json_build_object(
      'id', a.id,
      'action', a.action,
      'created_at', a.created_at,
      'staff_member_id', a.staff_member_id,
      'staff_nickname', sm.nickname,
      'store_id', a.store_id,
      'member_id', a.member_id,
      'member_nickname', m.nickname,
      'member_phone', private.mask_phone(m.phone),
      'ref', a.ref,
      'points', a.points,
      'amount_fen', a.amount_fen,
      'detail', a.detail,
      'purchase', case when p.id is not null then json_build_object(
        'id', p.id, 'order_ref', p.order_ref, 'status', p.status, 'business_date', p.business_date,
        'voided_at', p.voided_at) end
    ) order by a.id desc)
    from (
      select * from public.staff_actions x
      where (case when v_staff.role = 'manager' then x.store_id = v_staff.store_id
                  else x.staff_member_id = v_staff.member_id end)
        and (p_before_id is null or x.id < p_before_id)
        and (v_actions is null or x.action = any (v_actions))
      order by x.id desc
      limit p_limit
    ) a
    join public.members sm on sm.id = a.staff_member_id
    left join public.members m on m.id = a.member_id
    -- purchase rows carry the purchase id as ref (case: only then is the cast attempted)
    left join public.purchases p on p.id = (case
      when a.action in ('award_purchase', 'void_purchase')
       and a.ref ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then a.ref::uuid end)
  ), '[]'::json)::jsonb);
end
$$;
revoke all on function public.staff_recent_actions(integer, bigint, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.staff_recent_actions(integer, bigint, jsonb) to authenticated;
