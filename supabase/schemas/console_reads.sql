-- Reads the operator console needs that no table grant allows (staff, invitations and other members' names are
-- not readable through the API: RLS lets a member read only their own row). Read-only, operators only, not
-- audited (only writes are). docs/operators.md, "Console".

-- One staff member of op_list_staff: the staff row with the member's name and full phone.
create type public.op_staff_row as (
  member_id uuid,
  nickname text,
  phone text,
  store_id uuid,
  role text,
  daily_award_cap_points integer,
  active boolean,
  created_at timestamptz
);

-- RPC op_list_staff (operator): the staff of one store (every store when p_store_id is null), active first,
-- then by role (managers first) and name; deactivated staff are listed too (active = false).
-- Errors: not_operator 403; store_not_found 404.
create or replace function public.op_list_staff(p_store_id uuid default null) returns setof public.op_staff_row
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_operator();
  if p_store_id is not null and not exists (select 1 from public.stores where id = p_store_id) then
    perform private.raise_error('store_not_found', 404);
  end if;
  return query
    select s.member_id, m.nickname, m.phone, s.store_id, s.role, s.daily_award_cap_points, s.active, s.created_at
    from public.staff s
    join public.members m on m.id = s.member_id
    where p_store_id is null or s.store_id = p_store_id
    order by s.active desc, s.role = 'manager' desc, m.nickname, s.member_id;
end
$$;
revoke all on function public.op_list_staff(uuid) from public, anon, authenticated, service_role;
grant execute on function public.op_list_staff(uuid) to authenticated;

-- RPC op_list_staff_invitations (operator): the open invitations (phones nobody has signed in with yet) of one
-- store, or of every store when p_store_id is null, newest first.
-- Errors: not_operator 403; store_not_found 404.
create or replace function public.op_list_staff_invitations(p_store_id uuid default null)
returns setof public.staff_invitations
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  perform private.require_operator();
  if p_store_id is not null and not exists (select 1 from public.stores where id = p_store_id) then
    perform private.raise_error('store_not_found', 404);
  end if;
  return query
    select i.* from public.staff_invitations i
    where i.accepted_at is null and (p_store_id is null or i.store_id = p_store_id)
    order by i.created_at desc, i.id;
end
$$;
revoke all on function public.op_list_staff_invitations(uuid) from public, anon, authenticated, service_role;
grant execute on function public.op_list_staff_invitations(uuid) to authenticated;

-- One member of op_member_names.
create type public.op_member_name as (
  id uuid,
  nickname text,
  phone text
);

-- RPC op_member_names (operator): names and phones of members by id (p_member_ids: a JSON array of at most 100
-- uuid strings), so the console shows who requested an adjustment or wrote an audit row; unknown ids are left
-- out. Errors: not_operator 403; invalid_member_ids 400 (not an array of uuid strings, or more than 100).
create or replace function public.op_member_names(p_member_ids jsonb) returns setof public.op_member_name
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_ids text[] := private.jsonb_strings(p_member_ids);
begin
  perform private.require_operator();
  if v_ids is null or cardinality(v_ids) > 100
     or exists (select 1 from unnest(v_ids) i where i !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$') then
    perform private.raise_error('invalid_member_ids', 400);
  end if;
  return query
    select m.id, m.nickname, m.phone from public.members m
    where m.id = any (v_ids::uuid[])
    order by m.id;
end
$$;
revoke all on function public.op_member_names(jsonb) from public, anon, authenticated, service_role;
grant execute on function public.op_member_names(jsonb) to authenticated;
