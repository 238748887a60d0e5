-- A report range is also refused (invalid_range) when a day is infinite or outside 1900-01-01 … 9999-12-31.
-- `p_to - p_from` cannot subtract infinite dates, and a day past the timestamp range (e.g. 5874897-12-31, a
-- valid date) cannot become an instant: both ended in Postgres' 22008 instead of the documented
-- invalid_range (found by the fuzz test, docs/reliability.md).
create or replace function private.check_report_range(p_from date, p_to date) returns void
language plpgsql immutable
set search_path = ''
as $$
begin
  if p_from is null or p_to is null
     or p_from not between date '1900-01-01' and date '9999-12-31'
     or p_to not between date '1900-01-01' and date '9999-12-31' then
    perform private.raise_error('invalid_range', 400);
  end if;
  if p_from > p_to or p_to - p_from + 1 > 366 then
    perform private.raise_error('invalid_range', 400);
  end if;
end
$$;

revoke all on function private.check_report_range(date, date) from public;
