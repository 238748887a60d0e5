-- Demo data for the local stack: a brand whose app looks alive on first start.
-- Dev sign-in (local only): any phone number; these members already exist.

insert into public.program (name, time_zone, point_value_fen)
values ('悦享咖啡会员', 'Asia/Shanghai', 1)
on conflict (id) do update set name = excluded.name, time_zone = excluded.time_zone, point_value_fen = excluded.point_value_fen;

with demo(id, nickname, phone) as (
  values
    ('00000000-0000-4000-8000-000000000001'::uuid, '林小满', '13800000001'),
    ('00000000-0000-4000-8000-000000000002'::uuid, '陈一一', '13800000002'),
    ('00000000-0000-4000-8000-000000000003'::uuid, '店员王芳', '13900000001')
), inserted as (
  insert into public.members (id, nickname, phone)
  select id, nickname, phone from demo
  on conflict (id) do nothing
  returning id, phone
)
insert into private.member_identities (provider, subject, member_id)
select 'dev', phone, id from inserted
on conflict do nothing;
