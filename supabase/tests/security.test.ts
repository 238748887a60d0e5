// The security posture of the whole schema, re-checked after every migration: RLS on every table,
// and exactly the intended functions executable by each API role.
import { createTestDb, type TestDb } from '../../test/support/db'

let db: TestDb
beforeAll(async () => {
  db = await createTestDb()
})
afterAll(() => db.drop())

/** Every function an API role may execute. A new RPC must be added here on purpose. */
const EXPOSED: Record<string, string[]> = {
  'public.get_program()': ['anon', 'authenticated', 'service_role'],
  // members
  'public.me()': ['authenticated'],
  'public.update_profile(text,text,date)': ['authenticated'],
  'public.check_in(uuid)': ['authenticated'],
  'public.make_up_check_in(date,uuid)': ['authenticated'],
  'public.check_in_calendar(text)': ['authenticated'],
  'public.list_tasks()': ['authenticated'],
  'public.claim_task(text,uuid)': ['authenticated'],
  'public.bind_referrer(text,text)': ['authenticated'],
  'public.list_invitees(integer,timestamp with time zone)': ['authenticated'],
  'public.list_mall_items(text)': ['authenticated'],
  'public.redeem_item(uuid,uuid)': ['authenticated'],
  'public.cancel_redemption(uuid,uuid)': ['authenticated'],
  'public.list_my_redemptions(text,integer,timestamp with time zone)': ['authenticated'],
  'public.list_my_purchases(uuid,integer)': ['authenticated'],
  // 消息中心 and subscribe-message consent (messages.sql)
  'public.record_subscribe_consent(jsonb)': ['authenticated'],
  'public.list_my_messages(bigint,integer)': ['authenticated'],
  'public.mark_messages_read(bigint)': ['authenticated'],
  'public.count_unread_messages()': ['authenticated'],
  // operators (docs/operators.md)
  'public.op_save_mall_item(text,text,text,integer,uuid,text,jsonb,integer,integer,integer,integer,text,timestamp with time zone,timestamp with time zone,integer,integer)': ['authenticated'],
  'public.op_set_mall_item_active(uuid,boolean)': ['authenticated'],
  'public.op_adjust_item_stock(uuid,integer,text)': ['authenticated'],
  'public.op_list_audit(integer,bigint,text,text)': ['authenticated'],
  'public.op_save_mall_category(text,text,integer)': ['authenticated'],
  'public.op_list_campaigns(integer)': ['authenticated'],
  'public.op_save_campaign(text,timestamp with time zone,timestamp with time zone,numeric,jsonb,integer,integer,uuid)': ['authenticated'],
  'public.op_end_campaign(uuid,text)': ['authenticated'],
  'public.op_adjust_points(uuid,integer,text,uuid,text)': ['authenticated'],
  'public.op_decide_adjustment(uuid,boolean)': ['authenticated'],
  'public.op_list_adjustments(text,uuid,integer,timestamp with time zone)': ['authenticated'],
  'public.op_find_members(text)': ['authenticated'],
  'public.op_member_detail(uuid)': ['authenticated'],
  'public.op_save_store(text,text,uuid)': ['authenticated'],
  'public.op_set_staff(text,uuid,text,integer)': ['authenticated'],
  'public.op_deactivate_staff(uuid,text)': ['authenticated'],
  'public.op_schedule_rule_change(text,text,jsonb,timestamp with time zone,text)': ['authenticated'],
  'public.op_cancel_rule_change(bigint,text)': ['authenticated'],
  'public.op_list_rule_changes(integer)': ['authenticated'],
  'public.op_list_staff(uuid)': ['authenticated'],
  'public.op_list_staff_invitations(uuid)': ['authenticated'],
  'public.op_member_names(jsonb)': ['authenticated'],
  'public.staff_set_clerk(text,integer)': ['authenticated'],
  'public.staff_deactivate_clerk(uuid,text)': ['authenticated'],
  // store managers (store_staff.sql, docs/staff.md)
  'public.staff_list_store_staff()': ['authenticated'],
  'public.staff_set_clerk_cap(uuid,integer)': ['authenticated'],
  'public.staff_find_members(text)': ['authenticated'],
  'public.staff_store_member_detail(uuid)': ['authenticated'],
  // Storage policies' helper (supabase/schemas/storage.sql): whether the caller is an active operator
  'public.is_operator()': ['authenticated'],
  // operators' exports (docs/operators.md "Exports")
  'public.op_export_ledger_entries(date,date,bigint,integer)': ['authenticated'],
  'public.op_export_redemptions(date,date,uuid,integer)': ['authenticated'],
  'public.op_export_purchases(date,date,uuid,integer)': ['authenticated'],
  'public.op_export_liability(date,date,date,integer)': ['authenticated'],
  // staff
  'public.staff_recent_actions(integer,bigint,jsonb)': ['authenticated'],
  'public.staff_verify_redemption(text,boolean,uuid)': ['authenticated'],
  // managers (operator reports)
  'public.report_points_daily(date,date)': ['authenticated'],
  'public.report_summary(date,date)': ['authenticated'],
  'public.report_liability_by_expiry_month()': ['authenticated'],
  'public.report_check_in_actives(date,date)': ['authenticated'],
  'public.report_top_items(date,date,integer)': ['authenticated'],
  'public.issue_member_code()': ['authenticated'],
  'public.staff_preview_member(text)': ['authenticated'],
  'public.staff_check_member_code(text)': ['authenticated'],
  'public.staff_award_purchase(text,bigint,text,uuid)': ['authenticated'],
  'public.staff_void_purchase(text,text,uuid)': ['authenticated'],
  // server side: the auth function, other Edge Functions, the scheduler
  'public.register_member(text,text,text)': ['service_role'],
  'public.bind_member_phone(uuid,text)': ['service_role'],
  'public.review_tiers()': ['service_role'],
  'public.award_birthday_bonuses()': ['service_role'],
  'public.expire_points(integer)': ['service_role'],
  'public.list_expiring_points(integer)': ['service_role'],
  // the outbox sender and the WeChat token cache (messages.sql, docs/messages.md)
  'public.claim_outbox_messages(integer)': ['service_role'],
  'public.finish_outbox_message(bigint,uuid,text,text)': ['service_role'],
  'public.get_wechat_access_token(text)': ['service_role'],
  'public.save_wechat_access_token(text,text,timestamp with time zone)': ['service_role'],
  'public.run_scheduled_jobs()': ['service_role'],
  'public.apply_rule_changes()': ['service_role'],
}

test('row-level security is on for every table in public and private', async () => {
  const { rows } = await db.admin.query(`
    select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'private') and c.relkind in ('r', 'p') and not c.relrowsecurity`)
  expect(rows).toEqual([])
})

test('API roles can execute exactly the listed functions', async () => {
  const { rows } = await db.admin.query(`
    select p.oid::regprocedure::text as fn, r.rolname as role
    from pg_proc p
    cross join (values ('anon'), ('authenticated'), ('service_role')) r(rolname)
    where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
      and has_function_privilege(r.rolname, p.oid, 'execute')
      and (p.pronamespace = 'public'::regnamespace or r.rolname <> 'service_role')
    order by 1, 2`)
  const actual: Record<string, string[]> = {}
  for (const { fn, role } of rows) (actual[fn.startsWith('public.') ? fn : `public.${fn}`] ??= []).push(role)
  expect(actual).toEqual(EXPOSED)
})

test('Storage: RLS is on for storage.objects and storage.buckets, and the policies on objects are exactly ours', async () => {
  const { rows: rls } = await db.admin.query(`
    select c.relname, c.relrowsecurity as rls from pg_class c where c.relnamespace = 'storage'::regnamespace and c.relkind = 'r' order by 1`)
  expect(rls).toEqual([
    { relname: 'buckets', rls: true },
    { relname: 'objects', rls: true },
  ])
  // buckets: no policy, so only service_role (bypassrls) reads them through the API; objects: supabase/schemas/storage.sql
  const { rows } = await db.admin.query(`
    select tablename || ' ' || policyname || ' ' || cmd || ' ' || roles::text as p from pg_policies where schemaname = 'storage' order by 1`)
  expect(rows.map((r) => r.p)).toEqual([
    'objects avatars_delete_own DELETE {authenticated}',
    'objects avatars_insert_own INSERT {authenticated}',
    'objects avatars_read_own SELECT {authenticated}',
    'objects avatars_update_own UPDATE {authenticated}',
    'objects item_images_delete_operator DELETE {authenticated}',
    'objects item_images_insert_operator INSERT {authenticated}',
    'objects item_images_read_all SELECT {anon,authenticated}',
    'objects item_images_update_operator UPDATE {authenticated}',
  ])
})

test('anon and authenticated cannot use the private schema at all', async () => {
  const { rows } = await db.admin.query(`
    select r from unnest(array['anon', 'authenticated']) r where has_schema_privilege(r, 'private', 'usage')`)
  expect(rows).toEqual([])
})

test('no API role may write any table directly', async () => {
  const { rows } = await db.admin.query(`
    select c.oid::regclass::text as tbl, r as role, p as priv
    from pg_class c
    cross join unnest(array['anon', 'authenticated', 'service_role']) r
    cross join unnest(array['insert', 'update', 'delete', 'truncate']) p
    where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace) and c.relkind in ('r', 'p')
      and has_table_privilege(r, c.oid, p)`)
  expect(rows).toEqual([])
})
