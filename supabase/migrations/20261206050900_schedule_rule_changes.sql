-- Data, not schema (written by hand, like 20261206000200_insert_program_defaults): pg_cron runs the due rule
-- changes (public.apply_rule_changes, rule_changes.sql) every minute where the server has pg_cron (Supabase).
-- The local embedded Postgres has none: the local stack's timer runs public.run_scheduled_jobs, which applies
-- them first. Where pg_cron is installed but not loadable, this is only a notice.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron with schema pg_catalog;
    perform cron.unschedule(jobid) from cron.job where jobname = 'jifen-rule-changes';
    perform cron.schedule('jifen-rule-changes', '* * * * *', 'select public.apply_rule_changes()');
  end if;
exception when others then
  raise notice 'pg_cron: rule changes not scheduled (%)', sqlerrm;
end
$$;
