-- Hand-written (data, which a schema diff does not carry): what a new program starts with. Operators change
-- these rows afterwards; supabase/seed.sql adds local demo data on top.

-- The point rules (one row, SPEC §1 defaults).
insert into public.point_rules default values;

-- Tiers: the entry tier and three upgrades by points earned in the tier window.
insert into public.tiers (code, name, rank, min_earned_points, multiplier, upgrade_bonus_points) values
  ('basic', '普通会员', 0, 0, 1.0, 0),
  ('silver', '银卡会员', 1, 1000, 1.2, 1000),
  ('gold', '金卡会员', 2, 5000, 1.5, 1000),
  ('platinum', '铂金会员', 3, 20000, 2.0, 1000);

-- Check-in streak bonuses: day 3 and day 7 of a 7-day cycle.
insert into public.check_in_streak_bonuses (cycle_day, bonus_points) values (3, 10), (7, 30);

-- Tasks. 首次积分兑换 counts a used voucher (recorded at verification), so redeeming and cancelling earns nothing.
insert into public.tasks (code, title, description, kind, event, required_count, reward_points, period_limit, sort_order) values
  ('complete_profile', '完善个人资料', '填写昵称、头像和生日', 'one_time', 'profile_completed', 1, 50, 1, 10),
  ('bind_phone', '绑定手机号', '绑定手机号，账户更安全', 'one_time', 'phone_bound', 1, 50, 1, 20),
  ('first_redemption', '首次积分兑换', '兑换一次商品并到店核销', 'one_time', 'item_redeemed', 1, 100, 1, 30),
  ('daily_purchase', '今日到店消费', '到店消费任意金额', 'daily', 'purchase_awarded', 1, 20, 1, 40),
  ('weekly_check_in', '本周签到5天', '一周（周一至周日）内签到满5天', 'weekly', 'checked_in', 5, 50, 1, 50);

-- The member-code signing secret: fresh random bytes per database (rotating it: update the row; codes signed
-- with the old one stop working).
insert into private.app_secrets (name, secret) values ('member_code', extensions.gen_random_bytes(32))
on conflict (name) do nothing;

-- pg_cron where the server has it (Supabase); the local embedded Postgres does not, and the local stack runs
-- public.run_scheduled_jobs on a timer (stack/stack.ts). Where pg_cron is installed but not in
-- shared_preload_libraries, creating it fails: that is only a notice.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_cron') then
    create extension if not exists pg_cron with schema pg_catalog; -- as Supabase's Cron module installs it
    grant usage on schema cron to postgres;
    perform cron.unschedule(jobid) from cron.job where jobname = 'jifen-scheduled-jobs';
    perform cron.schedule('jifen-scheduled-jobs', '*/10 * * * *', 'select public.run_scheduled_jobs()');
  end if;
exception when others then
  raise notice 'pg_cron: scheduled jobs not scheduled (%)', sqlerrm;
end
$$;
