-- Data, not schema (written by hand, like 20261206050900_schedule_rule_changes): where the server has pg_cron
-- and pg_net (Supabase), pg_cron calls the send-messages Edge Function every minute through pg_net
-- (docs/messages.md). The function's URL and the service_role key come from Supabase Vault, so no secret is in
-- a migration: create them once per project with
--   select vault.create_secret('https://<project-ref>.supabase.co', 'jifen_project_url');
--   select vault.create_secret('<service_role key>', 'jifen_service_role_key');
-- Until both exist the job does nothing. The local embedded Postgres has neither extension: the local stack's
-- timer calls the function itself when WeChat is configured (stack/stack.ts). Where an extension is installed
-- but not loadable, this is only a notice.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron')
     and exists (select 1 from pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_cron with schema pg_catalog;
    create extension if not exists pg_net with schema extensions;
    perform cron.unschedule(jobid) from cron.job where jobname = 'jifen-send-messages';
    perform cron.schedule('jifen-send-messages', '* * * * *', $job$
      select net.http_post(
        url := s.url || '/functions/v1/send-messages',
        headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || s.key),
        body := '{}'::jsonb,
        timeout_milliseconds := 55000)
      from (select (select decrypted_secret from vault.decrypted_secrets where name = 'jifen_project_url') as url,
                   (select decrypted_secret from vault.decrypted_secrets where name = 'jifen_service_role_key') as key) s
      where s.url is not null and s.key is not null
    $job$);
  end if;
exception when others then
  raise notice 'pg_cron/pg_net: send-messages not scheduled (%)', sqlerrm;
end
$$;
