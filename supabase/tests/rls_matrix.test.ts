// The RLS matrix: every table and view in public and private × every kind of caller × select / insert /
// update / delete, each allowed and each denied case asserted through the role switch and JWT claims the
// API uses. A relation the catalog has and this map does not (or the reverse) fails the first test.
// Storage's tables (storage.objects / buckets, the platform's) have their own policy tests: supabase/tests/storage.test.ts.
import { randomUUID } from 'node:crypto'
import { useSeededDb } from '../../test/support/db'
import { aMember, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

type Access = 'all' | 'own' | 'none'
const CALLERS = {
  anon: 'anon',
  'member A': { sub: SEEDED.lin.id },
  'member B': { sub: SEEDED.chen.id },
  staff: { sub: SEEDED.staffWang.id },
  service_role: 'service_role',
} as const
type CallerName = keyof typeof CALLERS
const SIGNED_IN = ['member A', 'member B', 'staff'] as const

interface Expectation {
  select: Record<CallerName, Access>
  /** SQL giving a row's member id, for 'own' (evaluated as the caller and as superuser) */
  owner?: string
  /** signed-in callers that must own rows here, so 'own' is really tested */
  owners?: readonly (typeof SIGNED_IN)[number][]
}

/** Configuration everybody reads. */
const config: Expectation = { select: { anon: 'all', 'member A': 'all', 'member B': 'all', staff: 'all', service_role: 'all' } }
/** A member's own rows; service_role reads all. */
const own = (owner: string, owners: Expectation['owners'] = SIGNED_IN): Expectation => ({
  select: { anon: 'none', 'member A': 'own', 'member B': 'own', staff: 'own', service_role: 'all' },
  owner,
  owners,
})
/** Internals no API role reads. */
const hidden: Expectation = { select: { anon: 'none', 'member A': 'none', 'member B': 'none', staff: 'none', service_role: 'none' } }

const RELATIONS: Record<string, Expectation> = {
  'public.program': config,
  'public.point_rules': config,
  'public.tiers': config,
  'public.check_in_streak_bonuses': config,
  'public.stores': config,
  'public.campaigns': config,
  'public.tasks': config,
  'public.mall_categories': config,
  'public.mall_items': config,
  'public.members': own('id'),
  'public.staff': own('member_id', ['staff']),
  'public.task_events': own('member_id'),
  'public.point_balances': own('member_id'),
  'public.point_entries': own('member_id'),
  'public.point_lots': own('member_id'),
  'public.point_lot_usages': own('(select l.member_id from public.point_lots l where l.id = lot_id)'),
  'public.member_tiers': own('member_id'),
  'public.check_ins': own('member_id'),
  'public.task_claims': own('member_id'),
  'public.staff_actions': own('staff_member_id', ['staff']),
  'public.referrals': own('invitee_id', ['member B']),
  'public.redemptions': own('member_id'),
  'public.purchases': own('member_id', ['member A', 'member B']),
  'public.member_messages': own('member_id'),
  // operators' tables: read and written through op_* RPCs only
  'public.operators': hidden,
  'public.operator_audit': hidden,
  'public.point_adjustments': hidden,
  'public.staff_invitations': hidden,
  'public.rule_changes': hidden,
  'private.member_identities': hidden,
  'private.rpc_requests': hidden,
  'private.subscribe_consents': hidden,
  'private.wechat_access_tokens': hidden,
  'private.app_secrets': hidden,
  'private.member_numeric_codes': hidden,
  'private.member_code_attempts': hidden,
  // the report rollups (report_rollups.sql): read by the report RPCs only
  'private.rollup_points_daily': hidden,
  'private.rollup_check_ins_daily': hidden,
  'private.rollup_redemptions_daily': hidden,
  'private.rollup_lots': hidden,
  'private.rollup_balances': hidden,
  // the ledger switched to partitions (supabase/scale/, jest project `partitioned`): the natural-key guard and
  // the partitions, which the API reaches only through public.point_entries (its row above)
  ...(process.env.JIFEN_LEDGER_LAYOUT === 'partitioned'
    ? {
        'private.entry_keys': hidden,
        'private.point_entries_legacy': hidden,
        'private.point_entries_2026_12': hidden, // the template switched on 2026-12-07 (PARTITIONED_TEMPLATE_SWITCHED_AT)
        'private.point_entries_2027_01': hidden,
      }
    : {}),
}

const OPS = ['select', 'insert', 'update', 'delete'] as const
const cases = Object.keys(RELATIONS).flatMap((rel) =>
  Object.keys(CALLERS).flatMap((caller) => OPS.map((op) => [rel, caller as CallerName, op] as const)),
)

/** Per relation: a column an UPDATE may name (not identity / generated), read from the catalog. */
const updatable: Record<string, string> = {}

const count = async (sql: string): Promise<number> => (await db().admin.query(sql)).rows[0].n

/**
 * Activity through the real primitives and RPCs, so A, B and staff each own rows in every member-owned
 * table (a 409 means the seed already did it today; the fixture tests below check the rows are there).
 */
async function giveEveryoneRows() {
  const admin = db().admin
  if (!(await count(`select count(*)::int as n from public.staff where member_id = '${SEEDED.staffWang.id}'`))) {
    await admin.query(`
      with s as (insert into public.stores (name) values ('RLS 测试门店') returning id)
      insert into public.staff (member_id, store_id, role) select $1, id, 'clerk' from s`, [SEEDED.staffWang.id])
  }
  if (!(await count('select count(*)::int as n from public.campaigns'))) {
    await admin.query(`insert into public.campaigns (name, starts_at, ends_at, multiplier, sources)
      values ('RLS 过去的活动', '2020-01-01', '2020-01-02', 2, '{purchase}')`)
  }
  // the seed binds 陈一一 (B) to 林小满 (A); one more invitee of A, through the real RPC
  const invitee = await aMember(db())
  const inviteCode = (await admin.query('select invite_code from public.members where id = $1', [SEEDED.lin.id])).rows[0].invite_code
  const bound = await db().call('bind_referrer', { p_invite_code: inviteCode }, { sub: invitee })
  if (bound.status !== 200) throw new Error(`bind_referrer: ${bound.status} ${JSON.stringify(bound.body)}`)
  // a mall item every signed-in caller redeems below (through redeem_item)
  await admin.query(`insert into public.mall_categories (code, name) values ('rls_test', 'RLS 测试') on conflict do nothing`)
  const item = (await admin.query(`insert into public.mall_items (kind, title, category_code, cost_points, stock_remaining)
    values ('coupon', 'RLS 测试券', 'rls_test', 1, 100) returning id`)).rows[0].id
  for (const staffId of [SEEDED.staffWang.id, SEEDED.managerLi.id]) {
    await admin.query(`select private.log_staff_action(s, 'preview_member', $2) from public.staff s where s.member_id = $1`, [staffId, SEEDED.lin.id])
  }
  for (const name of SIGNED_IN) {
    const id = (CALLERS[name] as { sub: string }).sub
    await admin.query(`select private.award_points($1, 'adjustment', 10, 'rls-seed')`, [id])
    await admin.query(`select private.spend_points($1, 'adjustment', 5, 'rls-seed-spend')`, [id])
    await admin.query(`select private.record_task_event($1, 'purchase_awarded', 'rls-seed')`, [id])
    for (const [fn, args] of [['check_in', {}], ['claim_task', { p_task_code: 'daily_purchase' }]] as const) {
      const res = await db().call(fn, args, CALLERS[name])
      if (res.status !== 200 && res.status !== 409) throw new Error(`${fn} as ${name}: ${res.status} ${JSON.stringify(res.body)}`)
    }
    const redeemed = await db().call('redeem_item', { p_item_id: item, p_request_id: randomUUID() }, CALLERS[name])
    if (redeemed.status !== 200) throw new Error(`redeem_item as ${name}: ${redeemed.status} ${JSON.stringify(redeemed.body)}`)
    await admin.query(`select private.enqueue_message($1::uuid, 'tier_up', 'rls-seed:' || $1::text, '会员升级', 'RLS', null)`, [id])
    await admin.query(`insert into private.rpc_requests (member_id, request_id, rpc, payload)
      values ($1, gen_random_uuid(), 'rls_seed', '{}')`, [id])
  }
  // purchases: the member shows their code, the staff member awards (the order ref makes a rerun a replay)
  for (const name of ['member A', 'member B'] as const) {
    const code = await db().call('issue_member_code', {}, CALLERS[name])
    if (code.status !== 200) throw new Error(`issue_member_code as ${name}: ${code.status} ${JSON.stringify(code.body)}`)
    const res = await db().call('staff_award_purchase', {
      p_member_code: code.body.token, p_amount_fen: 1000, p_order_ref: `rls-${name.replace(' ', '-')}`, p_request_id: randomUUID(),
    }, CALLERS.staff)
    if (res.status !== 200) throw new Error(`staff_award_purchase for ${name}: ${res.status} ${JSON.stringify(res.body)}`)
  }
}

beforeAll(async () => {
  await giveEveryoneRows()
  const { rows } = await db().admin.query(`
    select distinct on (c.oid) c.oid::regclass::text as rel, a.attname as col
    from pg_class c join pg_attribute a on a.attrelid = c.oid
    where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace)
      and a.attnum > 0 and not a.attisdropped and a.attidentity = '' and a.attgenerated = ''
    order by c.oid, a.attnum`)
  for (const { rel, col } of rows) updatable[rel.includes('.') ? rel : `public.${rel}`] = col
})

test('the matrix covers exactly the tables and views in public and private', async () => {
  const { rows } = await db().admin.query(`
    select n.nspname || '.' || c.relname as rel from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'private') and c.relkind in ('r', 'p', 'v', 'm') order by 1`)
  expect(rows.map((r) => r.rel)).toEqual(Object.keys(RELATIONS).sort())
  expect(cases).toHaveLength(Object.keys(RELATIONS).length * Object.keys(CALLERS).length * OPS.length)
})

test.each(
  Object.entries(RELATIONS).filter(([, e]) => e.owner).flatMap(([rel, e]) => e.owners!.map((who) => [rel, who] as const)),
)('fixture: %s has rows of %s and of others', async (rel, who) => {
  const id = (CALLERS[who] as { sub: string }).sub
  const owner = RELATIONS[rel].owner!
  expect(await count(`select count(*)::int as n from ${rel} where ${owner} = '${id}'`)).toBeGreaterThan(0)
  expect(await count(`select count(*)::int as n from ${rel} where ${owner} is distinct from '${id}'`)).toBeGreaterThan(0)
})

const denied = { code: '42501', message: expect.stringMatching(/^permission denied/) }

test.each(cases)('%s × %s × %s', async (rel, callerName, op) => {
  const caller = CALLERS[callerName]
  const as = (sql: string) => db().sqlAs(caller, sql)
  if (op !== 'select') {
    const col = updatable[rel]
    const sql = { insert: `insert into ${rel} default values`, update: `update ${rel} set ${col} = ${col}`, delete: `delete from ${rel}` }[op]
    await expect(as(sql)).rejects.toMatchObject(denied)
    return
  }
  const { select, owner } = RELATIONS[rel]
  const total = () => count(`select count(*)::int as n from ${rel}`)
  switch (select[callerName]) {
    case 'none':
      await expect(as(`select 1 from ${rel} limit 1`)).rejects.toMatchObject(denied)
      break
    case 'all':
      expect(await total()).toBeGreaterThan(0)
      expect((await as(`select count(*)::int as n from ${rel}`))[0].n).toBe(await total())
      break
    case 'own': {
      const id = (caller as { sub: string }).sub
      const mine = await count(`select count(*)::int as n from ${rel} where ${owner} = '${id}'`)
      expect(await total()).toBeGreaterThan(mine) // others' rows exist and must stay invisible
      const [seen] = await as(`select count(*)::int as n, (count(*) filter (where ${owner} = '${id}'))::int as mine from ${rel}`)
      expect(seen).toEqual({ n: mine, mine })
      break
    }
  }
})
