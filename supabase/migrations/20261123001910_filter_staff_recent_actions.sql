-- staff_recent_actions for the staff app: an optional action filter (the app lists awards, voids and
-- verifications, not the preview rows every scan writes) and, on purchase rows, the purchase as it stands now
-- (order ref, status), so the list can offer 撤销 on an award that is still standing.
-- Replaces staff_recent_actions(integer, bigint) by staff_recent_actions(integer, bigint, jsonb). The filter is
-- jsonb, checked here, rather than text[]: the API turns a JSON argument into text[] before the function runs,
-- and a nested array there is a 500 (54000, too many dimensions) no function could catch.

drop function public.staff_recent_actions(integer, bigint);

create or replace function public.staff_recent_actions(
  p_limit integer default 20, p_before_id bigint default null, p_actions jsonb default null)
returns json
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
    if jsonb_typeof(p_actions) <> 'array' or jsonb_array_length(p_actions) = 0
       or exists (select 1 from jsonb_array_elements(p_actions) e
                  where jsonb_typeof(e) <> 'string'
                     or e #>> '{}' not in ('preview_member', 'award_purchase', 'void_purchase', 'preview_redemption',
                                           'verify_redemption')) then
      perform private.raise_error('invalid_action_filter', 400);
    end if;
    v_actions := array(select jsonb_array_elements_text(p_actions));
  end if;
  return coalesce((
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
  ), '[]'::json);
end
$$;

revoke all on function public.staff_recent_actions(integer, bigint, jsonb) from public, anon, authenticated, service_role;
grant execute on function public.staff_recent_actions(integer, bigint, jsonb) to authenticated;
