-- Operator report: the mall items redeemed most in a range of business days (the dashboard's "top items").
-- Managers only, like the other reports (20261123001800_create_operator_reports.sql): same range rule
-- (private.check_report_range → invalid_range) and page size rule (private.check_page_limit → invalid_limit).
--
-- A redemption counts in the range when it was made on one of its business days (created_at, program time zone).
-- Per item: redemptions = those not cancelled (as of now); points_spent = their cost (a cancelled redemption is
-- refunded in full, so this is the points spent net of cancellations); verified = those verified at a store;
-- cancelled = those cancelled. Items with only cancelled redemptions in the range are listed with 0.
-- Order: redemptions desc, points_spent desc, then title and id (ties are stable).

-- RPC report_top_items (manager): { from, to, items: [{ item_id, title, kind, redemptions, points_spent,
--   verified, cancelled }] } — at most p_limit (1–100) items with a redemption made in the range.
create or replace function public.report_top_items(p_from date, p_to date, p_limit integer default 10) returns json
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_tz text := private.program_time_zone();
begin
  perform private.require_staff(array['manager']);
  perform private.check_report_range(p_from, p_to);
  perform private.check_page_limit(p_limit);
  return (
    with per_item as (
      select r.item_id,
             count(*) filter (where r.status <> 'cancelled') as redemptions,
             coalesce(sum(r.cost_points) filter (where r.status <> 'cancelled'), 0) as points_spent,
             count(*) filter (where r.status = 'verified') as verified,
             count(*) filter (where r.status = 'cancelled') as cancelled
      from public.redemptions r
      where r.created_at >= p_from::timestamp at time zone v_tz
        and r.created_at < (p_to + 1)::timestamp at time zone v_tz
      group by r.item_id
    ), ranked as (
      select p.*, i.title, i.kind
      from per_item p join public.mall_items i on i.id = p.item_id
      order by p.redemptions desc, p.points_spent desc, i.title, i.id
      limit p_limit
    )
    select json_build_object(
      'from', p_from,
      'to', p_to,
      'items', coalesce(json_agg(json_build_object(
        'item_id', k.item_id,
        'title', k.title,
        'kind', k.kind,
        'redemptions', k.redemptions,
        'points_spent', k.points_spent,
        'verified', k.verified,
        'cancelled', k.cancelled
      ) order by k.redemptions desc, k.points_spent desc, k.title, k.item_id), '[]'::json))
    from ranked k
  );
end
$$;

revoke all on function public.report_top_items(date, date, integer) from public, anon, authenticated, service_role;
grant execute on function public.report_top_items(date, date, integer) to authenticated;
