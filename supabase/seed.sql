-- Demo data for the local stack: a brand whose app looks alive on first start.
-- Dev sign-in (local only): any phone number; these members already exist.
-- History is written through the same functions the app uses, with the clock (jifen.now) pinned to
-- past instants, so the ledger invariants hold for the seed too.

insert into public.program (name, time_zone, point_value_fen)
values ('悦享咖啡会员', 'Asia/Shanghai', 1)
on conflict (id) do update set name = excluded.name, time_zone = excluded.time_zone, point_value_fen = excluded.point_value_fen;

insert into public.stores (id, name, address) values
  ('00000000-0000-4000-9000-000000000001', '悦享咖啡·静安寺店', '上海市静安区南京西路1788号'),
  ('00000000-0000-4000-9000-000000000002', '悦享咖啡·徐家汇店', '上海市徐汇区虹桥路1号')
on conflict (id) do nothing;

with demo(id, nickname, phone) as (
  values
    ('00000000-0000-4000-8000-000000000001'::uuid, '林小满', '13800000001'),
    ('00000000-0000-4000-8000-000000000002'::uuid, '陈一一', '13800000002'),
    ('00000000-0000-4000-8000-000000000003'::uuid, '店员王芳', '13900000001'),
    ('00000000-0000-4000-8000-000000000004'::uuid, '店长李强', '13900000002'),
    ('00000000-0000-4000-8000-000000000005'::uuid, '运营赵敏', '13900000009')
), inserted as (
  insert into public.members (id, nickname, phone, created_at)
  select id, nickname, phone, now() - interval '60 days' from demo
  on conflict (id) do nothing
  returning id, phone
)
insert into private.member_identities (provider, subject, member_id)
select 'dev', phone, id from inserted
on conflict do nothing;

insert into public.staff (member_id, store_id, role) values
  ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-9000-000000000001', 'clerk'),
  ('00000000-0000-4000-8000-000000000004', '00000000-0000-4000-9000-000000000001', 'manager')
on conflict (member_id) do nothing;

-- The demo operator (总部运营, docs/operators.md): the console's user.
insert into public.operators (member_id) values ('00000000-0000-4000-8000-000000000005')
on conflict (member_id) do nothing;

-- A running campaign: double purchase points (会员日) for 30 days, at most 500 extra points per member and
-- 50,000 in total.
insert into public.campaigns (id, name, starts_at, ends_at, multiplier, sources, member_cap_points, budget_points)
values ('00000000-0000-4000-a000-000000000001', '会员日消费双倍积分', now() - interval '1 day', now() + interval '30 days',
        2.0, array['purchase'], 500, 50000)
on conflict (id) do nothing;

-- Points mall: three categories and seven items. 002 is limited to one per 30 days, 004 is for gold members and
-- above, 006 is sold out, 007 opens in a week. Five have pictures: object keys in the item-images Storage bucket,
-- whose files (supabase/seed/item-images/, drawn by `npm run seed:images`) the local stack and the Supabase CLI
-- upload when they seed; 002 and 004 have none (the app shows the kind's tile).
insert into public.mall_categories (code, name, sort_order) values
  ('coupons', '优惠券', 10),
  ('membership', '会员权益', 20),
  ('gifts', '精选好礼', 30)
on conflict (code) do nothing;

insert into public.mall_items (id, kind, title, description, category_code, image_urls, cost_points, face_value_fen,
  stock_remaining, member_limit, member_limit_days, min_tier_code, sale_starts_at, sale_ends_at, voucher_valid_days, sort_order)
values
  ('00000000-0000-4000-b000-000000000001', 'coupon', '¥10无门槛券', '全场通用，无最低消费，到店出示券码核销', 'coupons', '{items/coupon-10.png}',
   100, 1000, 1000, null, null, null, null, null, 30, 10),
  ('00000000-0000-4000-b000-000000000002', 'coupon', '¥30满减券', '单笔满¥100可用，每30天限兑1张', 'coupons', '{}',
   250, 3000, 500, 1, 30, null, null, null, 30, 20),
  ('00000000-0000-4000-b000-000000000003', 'membership', '1个月会员', '兑换后到店激活，享会员价与生日礼', 'membership', '{items/membership-month.png}',
   500, null, 200, null, null, null, null, null, 30, 30),
  ('00000000-0000-4000-b000-000000000004', 'membership', '金卡专享·季度会员', '金卡及以上会员专享，3个月会员权益，限兑1次', 'membership', '{}',
   1200, null, 100, 1, null, 'gold', null, null, 30, 40),
  ('00000000-0000-4000-b000-000000000005', 'gift', '品牌充电宝', '10000mAh 便携充电宝，到店凭券码领取', 'gifts', '{items/power-bank.png}',
   1000, null, 50, null, null, null, null, null, 60, 50),
  ('00000000-0000-4000-b000-000000000006', 'gift', '限量保温杯', '本期已兑完，敬请期待补货', 'gifts', '{items/vacuum-cup.png}',
   800, null, 0, null, null, null, null, null, 60, 60),
  ('00000000-0000-4000-b000-000000000007', 'gift', '新年限定帆布袋', '新年限定款，7天后开兑，每人限兑1个', 'gifts', '{items/canvas-bag.png}',
   300, null, 300, 1, null, null, now() + interval '7 days', now() + interval '37 days', 60, 70)
on conflict (id) do nothing;

-- History: accounts opened 60 days ago, then check-ins on past days (林小满: the last 5 days, so the
-- streak is alive and today's check-in is still open; 陈一一: a broken streak, her first check-in completing
-- 林小满's referral), a completed profile task.
do $$
declare
  v_lin uuid := '00000000-0000-4000-8000-000000000001';
  v_chen uuid := '00000000-0000-4000-8000-000000000002';
  v_member uuid;
  v_day integer;
begin
  if exists (select 1 from public.point_entries) then
    return; -- seeded before
  end if;
  perform set_config('jifen.now', (now() - interval '60 days')::text, true);
  foreach v_member in array array[v_lin, v_chen, '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004']::uuid[] loop
    perform private.open_account(v_member);
  end loop;

  -- 陈一一 signed up through 林小满's invitation; her first check-in below rewards them both
  perform set_config('request.jwt.claims', json_build_object('sub', v_chen, 'role', 'authenticated')::text, true);
  perform public.bind_referrer((select invite_code from public.members where id = v_lin), 'share');

  update public.members set birthday = date '1996-05-20', birthday_set_at = now() - interval '60 days',
    avatar_url = 'https://api.dicebear.com/7.x/thumbs/png?seed=lin' where id = v_lin;

  foreach v_member in array array[v_lin, v_chen] loop
    perform set_config('request.jwt.claims', json_build_object('sub', v_member, 'role', 'authenticated')::text, true);
    for v_day in select d from unnest(case when v_member = v_lin then array[12, 11, 10, 9, 5, 4, 3, 2, 1] else array[6, 5, 3, 2] end) d loop
      perform set_config('jifen.now', (now() - make_interval(days => v_day)) ::text, true);
      perform public.check_in();
    end loop;
  end loop;

  perform set_config('jifen.now', (now() - interval '1 day')::text, true);
  perform set_config('request.jwt.claims', json_build_object('sub', v_lin, 'role', 'authenticated')::text, true);
  perform private.record_task_event(v_lin, 'profile_completed', 'profile');
  perform public.claim_task('complete_profile');
  perform public.claim_task('bind_phone');
  -- an unused ¥10 coupon in 我的兑换
  perform public.redeem_item('00000000-0000-4000-b000-000000000001', gen_random_uuid());

  -- 店员王芳 awarded 林小满 two purchases 30 hours ago (before the 会员日 campaign); 店长李强 voided the second
  -- (a refund)
  perform set_config('jifen.now', (now() - interval '30 hours')::text, true);
  perform set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-4000-8000-000000000003', 'role', 'authenticated')::text, true);
  perform public.staff_award_purchase(private.sign_member_code(v_lin, extract(epoch from now() - interval '30 hours')::bigint + 60),
    6800, 'DEMO-0001', gen_random_uuid());
  perform public.staff_award_purchase(private.sign_member_code(v_lin, extract(epoch from now() - interval '30 hours')::bigint + 60),
    3200, 'DEMO-0002', gen_random_uuid());
  perform set_config('jifen.now', (now() - interval '29 hours')::text, true);
  perform set_config('request.jwt.claims', json_build_object('sub', '00000000-0000-4000-8000-000000000004', 'role', 'authenticated')::text, true);
  perform public.staff_void_purchase('DEMO-0002', '顾客退货');

  perform set_config('jifen.now', '', true);
  perform set_config('request.jwt.claims', '', true);
end
$$;
