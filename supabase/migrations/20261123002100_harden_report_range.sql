-- The report range check also refuses infinite dates. `p_to - p_from` cannot subtract them, so a range such
-- as ('-infinity', '2026-11-23') ended in Postgres' 22008 ("cannot subtract infinite dates") instead of the
-- documented invalid_range (found by the fuzz test, docs/reliability.md).
create or replace function private.check_report_range(p_from date, p_to date) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_from is null or p_to is null or not isfinite(p_from) or not isfinite(p_to) then
    perform private.raise_error('invalid_range', 400);
  end if;
  if p_from > p_to or p_to - p_from + 1 > 366 then
    perform private.raise_error('invalid_range', 400);
  end if;
end
$$;

revoke all on function private.check_report_range(date, date) from public;
