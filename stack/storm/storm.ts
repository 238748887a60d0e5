// The write storm (docs/concurrency.md): every writing RPC fired at once, through the API's own path (role
// switch + request.jwt.claims, one transaction per call), by members who are each other's referrers and
// invitees, served by clerks of two stores, under one program configuration. Afterwards every answer is
// checked (no 5xx, no deadlock or serialization failure reaching a caller, only documented codes), every
// success against its one effect in the database, and the ledger invariants.
//
// Used by supabase/tests/concurrency.storm.test.ts (every configuration, small) and `npm run soak` (larger).
// Operators write in it too: point adjustments, campaign edits, restocks and rule changes (docs/operators.md).
import { randomUUID } from 'node:crypto'
import type { Pool } from 'pg'
import { ledgerInvariantViolations, rollupViolations } from '../ledger-invariants'

export type StormCaller = 'service_role' | { sub: string }
export interface StormDb {
  admin: Pool
  call(fn: string, args: Record<string, unknown>, caller: StormCaller): Promise<{ status: number; body: any }>
  callAt(at: string, fn: string, args: Record<string, unknown>, caller: StormCaller): Promise<{ status: number; body: any }>
}

export interface StormCampaign {
  sources: string[]
  multiplier: number
  memberCapPoints?: number
  budgetPoints?: number
}

/** A program configuration the docs support. */
export interface StormConfig {
  name: string
  campaigns: StormCampaign[]
  qualifyingAction: 'first_check_in_after_phone' | 'first_purchase'
  purchaseHoldDays: number
  /**
   * The seed as shipped: its 会员日 purchase campaign keeps running beside the storm's, and the seeded clerk
   * 店员王芳 and manager 店长李强 (daily cap as seeded) serve store 1 with one of the storm's clerks.
   */
  asSeeded?: boolean
}

export interface StormSize {
  /** referral chains a ← b ← c (b invited by a, c by b): three members each */
  chains: number
  /** members who sign up during the storm and bind a referrer while they check in and buy */
  newcomers: number
}

export const TEST_STORM_SIZE: StormSize = { chains: 10, newcomers: 10 }

const CAMPAIGN_SETS: Array<{ name: string; campaigns: StormCampaign[] }> = [
  { name: 'check-in campaign', campaigns: [{ sources: ['check_in', 'check_in_streak'], multiplier: 2 }] },
  { name: 'task campaign', campaigns: [{ sources: ['task'], multiplier: 2 }] },
  { name: 'purchase campaign', campaigns: [{ sources: ['purchase'], multiplier: 2 }] },
  { name: 'referral campaign', campaigns: [{ sources: ['referral'], multiplier: 1.5 }] },
  {
    name: 'overlapping campaigns with caps and budgets',
    campaigns: [
      { sources: ['check_in', 'purchase', 'referral'], multiplier: 3, memberCapPoints: 30, budgetPoints: 600 },
      { sources: ['purchase', 'task', 'check_in'], multiplier: 2, budgetPoints: 900 },
      { sources: ['referral', 'check_in_streak', 'task'], multiplier: 1.5, memberCapPoints: 60 },
      { sources: ['purchase'], multiplier: 1.2 },
    ],
  },
]

/** Every campaign set × both referral qualifying actions × purchase hold off and on. */
export function stormConfigs(): StormConfig[] {
  const configs: StormConfig[] = []
  for (const set of CAMPAIGN_SETS) {
    for (const qualifyingAction of ['first_check_in_after_phone', 'first_purchase'] as const) {
      for (const purchaseHoldDays of [0, 3]) {
        configs.push({
          name: `${set.name}, ${qualifyingAction}, hold ${purchaseHoldDays} d`,
          campaigns: set.campaigns,
          qualifyingAction,
          purchaseHoldDays,
        })
      }
    }
  }
  configs.push({
    name: 'the seed as shipped, first_check_in_after_phone, hold 0 d',
    campaigns: [],
    qualifyingAction: 'first_check_in_after_phone',
    purchaseHoldDays: 0,
    asSeeded: true,
  })
  return configs
}

export interface StormCall {
  rpc: string
  caller: StormCaller
  args: Record<string, unknown>
  /** what the call was meant to do, for the effect checks */
  tag: string
  status?: number
  body?: any
}

export interface StormReport {
  config: string
  calls: number
  ms: number
  byStatus: Record<string, number>
  /** answers by rpc and code, e.g. "check_in 409 already_checked_in" */
  byOutcome: Record<string, number>
  violations: string[]
}

const STORE_1 = '00000000-0000-4000-9000-000000000001'
const SEEDED_CLERK = '00000000-0000-4000-8000-000000000003' // 店员王芳
const SEEDED_MANAGER = '00000000-0000-4000-8000-000000000004' // 店长李强
const DAY_MS = 86_400_000

/** The codes a storm call may answer besides 200 (all documented in docs/backend.md). */
const EXPECTED_CODES = new Set([
  'already_checked_in',
  'make_up_limit_reached',
  'make_up_window_passed',
  'insufficient_points',
  'task_not_completed',
  'daily_task_limit_reached',
  'out_of_stock',
  'limit_reached',
  'already_verified',
  'redemption_cancelled',
  'referrer_already_bound',
  'staff_daily_cap_reached',
  'duplicate_order_ref',
])

interface Member {
  id: string
  inviteCode: string
  referrer?: string
}

async function newMember(db: StormDb, phone: string, at?: string): Promise<Member> {
  const args = { p_provider: 'dev', p_subject: phone }
  const res = at ? await db.callAt(at, 'register_member', args, 'service_role') : await db.call('register_member', args, 'service_role')
  if (res.status !== 200) throw new Error(`register_member: ${res.status} ${JSON.stringify(res.body)}`)
  const { rows } = await db.admin.query('select invite_code from public.members where id = $1', [res.body.id])
  return { id: res.body.id, inviteCode: rows[0].invite_code }
}

async function ok(res: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const r = await res
  if (r.status !== 200) throw new Error(`storm setup, ${what}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

function shuffle<T>(xs: T[], seed: number): T[] {
  let s = seed >>> 0 || 1
  const rnd = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1))
    ;[xs[i], xs[j]] = [xs[j], xs[i]]
  }
  return xs
}

/**
 * Sets up the configuration on a freshly seeded database, fires the storm, checks it. The database must
 * hold the seed (store 1, its clerk and manager) and nothing the storm would trip over.
 */
export async function runStorm(db: StormDb, config: StormConfig, size: StormSize = TEST_STORM_SIZE, seed = 1): Promise<StormReport> {
  const { admin } = db
  const now = Date.now()
  const phoneBase = 15_000_000_000 + Math.floor(Math.random() * 90_000) * 10_000

  // --- the program as configured
  if (!config.asSeeded)
    await admin.query(
      `update public.campaigns set ends_at = now() - interval '1 second' where starts_at < now() - interval '1 second' and ends_at > now()`,
    )
  await admin.query('update public.point_rules set referral_qualifying_action = $1, purchase_hold_days = $2', [
    config.qualifyingAction,
    config.purchaseHoldDays,
  ])
  for (const [i, c] of config.campaigns.entries()) {
    await admin.query(
      `insert into public.campaigns (name, starts_at, ends_at, multiplier, sources, member_cap_points, budget_points)
       values ($1, now() - interval '1 day', now() + interval '1 day', $2, $3, $4, $5)`,
      [`风暴活动${i + 1}`, c.multiplier, c.sources, c.memberCapPoints ?? null, c.budgetPoints ?? null],
    )
  }

  // --- two stores, two clerks and a manager each
  const store2 = (await admin.query(`insert into public.stores (name) values ('风暴测试二店') returning id`)).rows[0].id
  let phoneSeq = 0
  const nextPhone = () => String(phoneBase + ++phoneSeq)
  const staffOf: Record<string, { clerks: string[]; manager: string }> = {}
  for (const store of [STORE_1, store2]) {
    const ids: string[] = []
    for (const role of ['clerk', 'clerk', 'manager']) {
      const m = await newMember(db, nextPhone())
      await admin.query(`insert into public.staff (member_id, store_id, role, daily_award_cap_points) values ($1, $2, $3, 1000000)`, [
        m.id,
        store,
        role,
      ])
      ids.push(m.id)
    }
    staffOf[store] =
      config.asSeeded && store === STORE_1
        ? { clerks: [SEEDED_CLERK, ids[0]], manager: SEEDED_MANAGER }
        : { clerks: ids.slice(0, 2), manager: ids[2] }
  }

  // --- an operator (docs/operators.md), who adjusts members' points, edits the running campaigns and restocks
  // the hot item during the storm
  const operator = await newMember(db, nextPhone())
  await admin.query('insert into public.operators (member_id) values ($1)', [operator.id])
  const campaignRows = (
    await admin.query(
      `select id, name, to_json(starts_at) #>> '{}' as starts_at, to_json(ends_at) #>> '{}' as ends_at, multiplier::float8 as multiplier,
         sources, member_cap_points, budget_points from public.campaigns where starts_at <= now() and ends_at > now()`,
    )
  ).rows

  // --- members: chains a ← b ← c, signed up three days ago (so 补签 has days), referrers bound at sign-up
  const signedUpAt = new Date(now - 3 * DAY_MS).toISOString()
  const boundAt = new Date(now - 3 * DAY_MS + 60_000).toISOString()
  const members: Member[] = []
  for (let c = 0; c < size.chains; c++) {
    let referrer: Member | undefined
    for (let k = 0; k < 3; k++) {
      const m = await newMember(db, nextPhone(), signedUpAt)
      if (referrer) {
        await ok(db.callAt(boundAt, 'bind_referrer', { p_invite_code: referrer.inviteCode }, { sub: m.id }), 'bind_referrer')
        m.referrer = referrer.id
      }
      members.push(m)
      referrer = m
    }
  }
  // points to spend (an operator adjustment: no campaign, no referral)
  for (const m of members) {
    await admin.query(`select private.award_points($1, 'adjustment', 600, 'storm-start')`, [m.id])
  }

  // --- the mall: a hot item (stock for half of the members, one each) and an everyday item
  const items = (
    await admin.query(
      `insert into public.mall_items (kind, title, category_code, cost_points, stock_remaining, member_limit, face_value_fen)
     values ('coupon', '风暴热门券', 'coupons', 100, $1, 1, 500), ('coupon', '风暴日常券', 'coupons', 50, 100000, null, 200)
     returning id, title`,
      [Math.ceil(members.length / 2)],
    )
  ).rows
  const hot = items.find((i: any) => i.title === '风暴热门券').id
  const everyday = items.find((i: any) => i.title === '风暴日常券').id

  // --- before the storm: a voucher each (cancelled by the member while a clerk verifies it), a purchase each
  // (voided while new awards arrive; under first_purchase it qualified the member's referral), a member code each
  const vouchers = new Map<string, { id: string; code: string }>()
  const setupOrders = new Map<string, string>()
  const codes = new Map<string, string>()
  for (const [i, m] of members.entries()) {
    const r = await ok(db.call('redeem_item', { p_item_id: everyday, p_request_id: randomUUID() }, { sub: m.id }), 'redeem_item')
    vouchers.set(m.id, { id: r.id, code: r.voucher_code })
    const issued = await ok(db.call('issue_member_code', {}, { sub: m.id }), 'issue_member_code')
    // every other member shows the 18 digits (a POS barcode scanner, issue 16): each clerk who awards them
    // checks them first, as the staff app does before its preview
    const code: string = i % 2 ? issued.digits : issued.token
    if (i % 2) {
      for (const clerk of [...staffOf[STORE_1].clerks, staffOf[store2].clerks[i % 2]]) {
        await ok(db.call('staff_check_member_code', { p_code: code }, { sub: clerk }), 'staff_check_member_code')
      }
    }
    codes.set(m.id, code)
    const order = `SET-${seed}-${i}`
    await ok(
      db.call(
        'staff_award_purchase',
        { p_member_code: code, p_amount_fen: 2000 + i * 100, p_order_ref: order, p_request_id: randomUUID() },
        { sub: staffOf[STORE_1].clerks[i % 2] },
      ),
      'staff_award_purchase',
    )
    setupOrders.set(m.id, order)
  }
  const newcomerPhones = Array.from({ length: size.newcomers }, nextPhone)
  // due lots for the expiry job to race the writers over: 100 points each member earned two years ago, expired
  // now (last in the setup: an award or spend would expire them first, private.expire_member_lots)
  for (const m of members) {
    const client = await admin.connect()
    try {
      await client.query('begin')
      await client.query(`select set_config('jifen.now', $1, true)`, [new Date(now - 730 * DAY_MS).toISOString()])
      await client.query(`select private.award_points($1, 'adjustment', 100, 'storm-expiring')`, [m.id])
      await client.query('commit')
    } finally {
      client.release()
    }
  }

  // --- the storm
  const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10) // Shanghai business day
  const daysAgo = (n: number) => new Date(Date.parse(today) - n * DAY_MS).toISOString().slice(0, 10)
  const calls: StormCall[] = []
  const add = (rpc: string, caller: StormCaller, args: Record<string, unknown>, tag: string) => calls.push({ rpc, caller, args, tag })
  for (const [i, m] of members.entries()) {
    const me = { sub: m.id }
    add('check_in', me, { p_request_id: randomUUID() }, `check_in:${m.id}`)
    add('check_in', me, { p_request_id: randomUUID() }, `check_in:${m.id}`)
    add('make_up_check_in', me, { p_date: daysAgo(1), p_request_id: randomUUID() }, `make_up:${m.id}:${daysAgo(1)}`)
    add('make_up_check_in', me, { p_date: daysAgo(2), p_request_id: randomUUID() }, `make_up:${m.id}:${daysAgo(2)}`)
    for (const task of ['daily_purchase', 'bind_phone', 'weekly_check_in']) {
      add('claim_task', me, { p_task_code: task, p_request_id: randomUUID() }, `claim:${m.id}:${task}`)
    }
    add('redeem_item', me, { p_item_id: hot, p_request_id: randomUUID() }, `redeem:${m.id}:hot`)
    add('redeem_item', me, { p_item_id: everyday, p_request_id: randomUUID() }, `redeem:${m.id}:everyday`)
    const voucher = vouchers.get(m.id)!
    add('cancel_redemption', me, { p_redemption_id: voucher.id, p_request_id: randomUUID() }, `voucher:${voucher.id}`)
    add(
      'staff_verify_redemption',
      { sub: staffOf[store2].clerks[i % 2] },
      { p_voucher_code: voucher.code, p_confirm: true, p_request_id: randomUUID() },
      `voucher:${voucher.id}`,
    )
    const code = codes.get(m.id)!
    // a check of the digits again while they are awarded (a second scan): never counts against the limits
    if (i % 2) add('staff_check_member_code', { sub: staffOf[store2].clerks[i % 2] }, { p_code: code }, `check:${m.id}`)
    const order1 = `A1-${seed}-${i}`
    add(
      'staff_award_purchase',
      { sub: staffOf[STORE_1].clerks[i % 2] },
      { p_member_code: code, p_amount_fen: 3000 + i, p_order_ref: order1, p_request_id: randomUUID() },
      `award:${STORE_1}:${order1}:${m.id}`,
    )
    add(
      'staff_award_purchase',
      { sub: staffOf[STORE_1].clerks[(i + 1) % 2] },
      { p_member_code: code, p_amount_fen: 3000 + i, p_order_ref: order1, p_request_id: randomUUID() },
      `award:${STORE_1}:${order1}:${m.id}`,
    )
    const order2 = `A2-${seed}-${i}`
    add(
      'staff_award_purchase',
      { sub: staffOf[store2].clerks[i % 2] },
      { p_member_code: code, p_amount_fen: 4500 + i, p_order_ref: order2, p_request_id: randomUUID() },
      `award:${store2}:${order2}:${m.id}`,
    )
    const setupOrder = setupOrders.get(m.id)!
    add(
      'staff_void_purchase',
      { sub: staffOf[STORE_1].clerks[i % 2] },
      { p_order_ref: setupOrder, p_reason: '顾客退货退款', p_request_id: randomUUID() },
      `void:${setupOrder}`,
    )
    add(
      'staff_void_purchase',
      { sub: staffOf[STORE_1].manager },
      { p_order_ref: setupOrder, p_reason: '顾客退货退款', p_request_id: randomUUID() },
      `void:${setupOrder}`,
    )
  }
  // the operator, at the same moment: a compensation (+) and a correction (−) for every member, an edit of every
  // running campaign (the same values: it takes the campaign's lock while awards use it), a restock of the hot item
  const op = { sub: operator.id }
  for (const m of members) {
    add(
      'op_adjust_points',
      op,
      { p_member_id: m.id, p_points: 20, p_reason_code: 'service_compensation', p_request_id: randomUUID() },
      `adjust:${m.id}`,
    )
    add(
      'op_adjust_points',
      op,
      { p_member_id: m.id, p_points: -15, p_reason_code: 'correction', p_request_id: randomUUID() },
      `adjust:${m.id}`,
    )
  }
  for (const c of campaignRows) {
    const args = {
      p_campaign_id: c.id,
      p_name: c.name,
      p_starts_at: c.starts_at,
      p_ends_at: c.ends_at,
      p_multiplier: c.multiplier,
      p_sources: c.sources,
      p_member_cap_points: c.member_cap_points,
      p_budget_points: c.budget_points,
    }
    add('op_save_campaign', op, args, `campaign_edit:${c.id}`)
    add('op_save_campaign', op, args, `campaign_edit:${c.id}`)
  }
  for (let i = 0; i < 3; i++) add('op_adjust_item_stock', op, { p_item_id: hot, p_delta: 2, p_reason: '风暴补货' }, 'restock:hot')
  // rule changes applied at once among the writes (docs/operators.md): the check-in points and a daily task's reward
  const dailyTask = (
    await admin.query(`select code, reward_points from public.tasks where kind = 'daily' and active order by sort_order limit 1`)
  ).rows[0]
  add(
    'op_schedule_rule_change',
    op,
    { p_subject: 'point_rules', p_subject_key: null, p_changes: { check_in_points: 6 }, p_reason: '风暴规则' },
    'rule_change',
  )
  if (dailyTask) {
    const changes = { reward_points: dailyTask.reward_points + 1 }
    add(
      'op_schedule_rule_change',
      op,
      { p_subject: 'task', p_subject_key: dailyTask.code, p_changes: changes, p_reason: '风暴规则' },
      'rule_change',
    )
  }

  // newcomers sign up now and, at the same moment, bind (twice), check in and buy
  const newcomers: Member[] = []
  for (const phone of newcomerPhones) newcomers.push(await newMember(db, phone))
  for (const [i, n] of newcomers.entries()) {
    const referrer = members[(i * 7) % members.length]
    const code = (await ok(db.call('issue_member_code', {}, { sub: n.id }), 'issue_member_code')).token
    add('bind_referrer', { sub: n.id }, { p_invite_code: referrer.inviteCode }, `bind:${n.id}:${referrer.id}`)
    add('bind_referrer', { sub: n.id }, { p_invite_code: referrer.inviteCode }, `bind:${n.id}:${referrer.id}`)
    add('check_in', { sub: n.id }, { p_request_id: randomUUID() }, `check_in:${n.id}`)
    const order = `N-${seed}-${i}`
    add(
      'staff_award_purchase',
      { sub: staffOf[store2].clerks[i % 2] },
      { p_member_code: code, p_amount_fen: 1500 + i, p_order_ref: order, p_request_id: randomUUID() },
      `award:${store2}:${order}:${n.id}`,
    )
  }

  // the scheduler during the storm: the expiry job (balance rows with skip locked, then their lots) and the
  // whole run (one at a time: a concurrent one answers { skipped: true })
  for (let i = 0; i < 4; i++) add('expire_points', 'service_role', { p_batch_size: 5 }, 'expire_points')
  for (let i = 0; i < 2; i++) add('run_scheduled_jobs', 'service_role', {}, 'run_scheduled_jobs')

  shuffle(calls, seed)
  const started = Date.now()
  await Promise.all(
    calls.map(async (c) => {
      try {
        const res = await db.call(c.rpc, c.args, c.caller)
        c.status = res.status
        c.body = res.body
      } catch (err) {
        c.status = 599
        c.body = { message: String(err) }
      }
    }),
  )
  const ms = Date.now() - started

  // --- the checks
  const violations: string[] = []
  const byStatus: Record<string, number> = {}
  const byOutcome: Record<string, number> = {}
  for (const c of calls) {
    byStatus[c.status!] = (byStatus[c.status!] ?? 0) + 1
    const code = c.status === 200 ? 'ok' : String(c.body?.message ?? c.body?.code)
    byOutcome[`${c.rpc} ${c.status} ${code}`] = (byOutcome[`${c.rpc} ${c.status} ${code}`] ?? 0) + 1
    if (c.status! >= 500) violations.push(`${c.rpc} answered ${c.status}: ${JSON.stringify(c.body).slice(0, 300)}`)
    else if (c.status !== 200 && !EXPECTED_CODES.has(c.body?.message))
      violations.push(`${c.rpc} answered ${c.status} ${JSON.stringify(c.body).slice(0, 200)}`)
    if (c.status !== 200 && (['40P01', '40001'].includes(c.body?.code) || /deadlock|could not serialize/i.test(String(c.body?.message)))) {
      violations.push(`${c.rpc}: a deadlock or serialization failure reached the caller`)
    }
  }
  const oks = (tag: string) => calls.filter((c) => c.tag === tag && c.status === 200)

  // check-in: one success at most per member and day, and a row exactly when one succeeded
  for (const m of [...members, ...newcomers]) {
    const n = oks(`check_in:${m.id}`).length
    const rows = (
      await admin.query(`select count(*)::int as n from public.check_ins where member_id = $1 and check_in_date = $2`, [m.id, today])
    ).rows[0].n
    if (n > 1 || rows !== n) violations.push(`check_in of ${m.id}: ${n} successes, ${rows} rows`)
  }
  for (const m of members) {
    for (const d of [daysAgo(1), daysAgo(2)]) {
      const n = oks(`make_up:${m.id}:${d}`).length
      const rows = (
        await admin.query(`select count(*)::int as n from public.check_ins where member_id = $1 and check_in_date = $2 and made_up`, [
          m.id,
          d,
        ])
      ).rows[0].n
      if (rows !== n) violations.push(`make_up of ${m.id} on ${d}: ${n} successes, ${rows} rows`)
    }
    // task claims: one claim row per success
    for (const task of ['daily_purchase', 'bind_phone', 'weekly_check_in']) {
      const n = oks(`claim:${m.id}:${task}`).length
      const rows = (
        await admin.query(`select count(*)::int as n from public.task_claims where member_id = $1 and task_code = $2`, [m.id, task])
      ).rows[0].n
      if (rows !== n) violations.push(`claim_task ${task} of ${m.id}: ${n} successes, ${rows} claims`)
    }
    // cancel vs verify of one voucher: exactly one wins, and the row says which
    const voucher = vouchers.get(m.id)!
    const won = oks(`voucher:${voucher.id}`)
    const status = (await admin.query('select status from public.redemptions where id = $1', [voucher.id])).rows[0].status
    if (won.length !== 1 || (won[0].rpc === 'cancel_redemption' ? 'cancelled' : 'verified') !== status) {
      violations.push(`voucher ${voucher.id}: ${won.map((c) => c.rpc).join(', ') || 'nobody'} won, status ${status}`)
    }
    // void of the setup purchase: the purchase is voided exactly when a void succeeded
    const order = setupOrders.get(m.id)!
    const voided = oks(`void:${order}`).length > 0
    const p = (await admin.query('select status from public.purchases where store_id = $1 and order_ref = $2', [STORE_1, order])).rows[0]
    if ((p.status === 'voided') !== voided) violations.push(`void of ${order}: succeeded ${voided}, status ${p.status}`)
  }
  // redemptions: one row per success, stock = start − successes, never below zero
  const redeemed = calls.filter((c) => c.rpc === 'redeem_item' && c.status === 200)
  for (const c of redeemed) {
    const n = (await admin.query('select count(*)::int as n from public.redemptions where id = $1', [c.body.id])).rows[0].n
    if (n !== 1) violations.push(`redeem_item ${c.tag}: answered ${c.body.id}, ${n} rows`)
  }
  const hotSold = redeemed.filter((c) => c.tag.endsWith(':hot')).length
  const restocked = 2 * oks('restock:hot').length
  const hotStock = (await admin.query('select stock_remaining from public.mall_items where id = $1', [hot])).rows[0].stock_remaining
  if (hotStock !== Math.ceil(members.length / 2) + restocked - hotSold)
    violations.push(`hot item: ${hotSold} sold, ${restocked} restocked, stock ${hotStock}`)
  // operator adjustments: one applied adjustment, with its ledger entry, per success, and no other
  for (const m of members) {
    const answered = oks(`adjust:${m.id}`)
      .map((c) => c.body.id as string)
      .sort()
    const rows = (
      await admin.query(
        `select a.id from public.point_adjustments a join public.point_entries e on e.id = a.entry_id
         where a.member_id = $1 and a.status = 'applied' and e.source = 'adjustment' order by a.id`,
        [m.id],
      )
    ).rows.map((r) => r.id as string)
    if (JSON.stringify(rows) !== JSON.stringify(answered)) violations.push(`adjustments of ${m.id}: answered ${answered}, applied ${rows}`)
  }
  // campaign edits and restocks: one audit row per success
  const audited = (await admin.query(`select action, count(*)::int as n from public.operator_audit group by action`)).rows
  const auditCount = (action: string) => audited.find((a) => a.action === action)?.n ?? 0
  const edits = calls.filter((c) => c.rpc === 'op_save_campaign' && c.status === 200).length
  if (auditCount('update_campaign') !== edits)
    violations.push(`campaign edits: ${edits} successes, ${auditCount('update_campaign')} audited`)
  if (auditCount('adjust_item_stock') !== restocked / 2)
    violations.push(`restocks: ${restocked / 2} successes, ${auditCount('adjust_item_stock')} audited`)
  // rule changes: each success applied at once, audited twice (scheduled, applied)
  const ruleChanges = oks('rule_change').length
  const applied = (await admin.query('select count(*)::int as n from public.rule_changes where applied_at is not null')).rows[0].n
  if (applied !== ruleChanges || auditCount('apply_rule_change') !== ruleChanges || auditCount('schedule_rule_change') !== ruleChanges)
    violations.push(`rule changes: ${ruleChanges} successes, ${applied} applied, ${auditCount('apply_rule_change')} audited`)
  // awards: one purchase per order, for the member it was awarded to, awarded
  const awardTags = new Set(calls.filter((c) => c.rpc === 'staff_award_purchase').map((c) => c.tag))
  for (const tag of awardTags) {
    const [, store, order, member] = tag.split(':')
    const n = oks(tag).length
    const rows = (
      await admin.query('select member_id, status from public.purchases where store_id = $1 and order_ref = $2', [store, order])
    ).rows
    if (n > 0 !== (rows.length === 1) || rows.length > 1 || (rows[0] && (rows[0].member_id !== member || rows[0].status !== 'awarded'))) {
      violations.push(`award ${order}: ${n} successes, rows ${JSON.stringify(rows)}`)
    }
  }
  // numeric-code checks amid the awards: each answered (a check is one insert, never a refusal here)
  const refusedChecks = calls.filter((c) => c.rpc === 'staff_check_member_code' && c.status !== 200)
  if (refusedChecks.length) violations.push(`code checks: ${refusedChecks.length} refused, e.g. ${JSON.stringify(refusedChecks[0].body)}`)
  // binds: a referral row exactly when a bind succeeded
  for (const n of newcomers) {
    const tag = calls.find((c) => c.rpc === 'bind_referrer' && c.tag.startsWith(`bind:${n.id}:`))!.tag
    const bound = oks(tag).length > 0
    const rows = (await admin.query('select referrer_id from public.referrals where invitee_id = $1', [n.id])).rows
    if (bound !== (rows.length === 1) || (rows[0] && rows[0].referrer_id !== tag.split(':')[2]))
      violations.push(`bind of ${n.id}: ${bound}, rows ${JSON.stringify(rows)}`)
  }
  // referrals: a rewarded referral was qualified by a real activity after the bind (never a 补签) that still stands,
  // and its invitee holds exactly one standing invitee reward
  const referrals = (
    await admin.query(`
    select r.invitee_id, r.qualifying_ref, r.qualified_at, r.created_at as bound_at,
      (select count(*)::int from public.point_entries e where e.member_id = r.invitee_id and e.source = 'referral' and e.kind = 'earn'
         and e.ref like 'invitee:%' and not exists (select 1 from public.point_entries x where x.reverses_entry_id = e.id)) as standing
    from public.referrals r where r.status = 'rewarded'`)
  ).rows
  for (const r of referrals) {
    if (r.standing !== 1) violations.push(`referral of ${r.invitee_id}: ${r.standing} standing invitee rewards`)
    const [kind, ref] = [r.qualifying_ref.split(':')[0], r.qualifying_ref.slice(r.qualifying_ref.indexOf(':') + 1)]
    if (kind === 'check_in') {
      const ci = (
        await admin.query('select made_up from public.check_ins where member_id = $1 and check_in_date = $2', [r.invitee_id, ref])
      ).rows[0]
      if (!ci || ci.made_up)
        violations.push(`referral of ${r.invitee_id} qualified by ${r.qualifying_ref}: ${ci ? 'a 补签' : 'no such check-in'}`)
    } else {
      const p = (await admin.query('select status from public.purchases where id = $1', [ref])).rows[0]
      if (!p || p.status !== 'awarded')
        violations.push(`referral of ${r.invitee_id} qualified by ${r.qualifying_ref}: purchase ${p?.status}`)
    }
  }
  // campaigns: within budget, the counter equals what its entries paid net of reversals, member caps hold
  const campaigns = (
    await admin.query(`
    select c.id, c.budget_points, c.member_cap_points, c.awarded_points,
      (select coalesce(sum(e.amount_points), 0)::int from public.point_entries e where e.campaign_id = c.id) as paid
    from public.campaigns c where c.starts_at <= now() and c.ends_at > now()`)
  ).rows
  for (const c of campaigns) {
    if (c.awarded_points !== c.paid) violations.push(`campaign ${c.id}: counter ${c.awarded_points}, entries ${c.paid}`)
    if (c.budget_points !== null && c.awarded_points > c.budget_points)
      violations.push(`campaign ${c.id}: ${c.awarded_points} over budget ${c.budget_points}`)
    if (c.member_cap_points !== null) {
      const over = (
        await admin.query(
          `select member_id, sum(amount_points)::int as n from public.point_entries where campaign_id = $1
        group by 1 having sum(amount_points) > $2`,
          [c.id, c.member_cap_points],
        )
      ).rows
      for (const o of over) violations.push(`campaign ${c.id}: member ${o.member_id} got ${o.n} over the cap ${c.member_cap_points}`)
    }
  }
  // the two-year-old lots: each expired exactly once (lazily by a writer, or by the job) or still whole
  const { rows: oldLots } = await admin.query(
    `select l.remaining_points,
            (select count(*)::int from public.point_entries x where x.source = 'expiry' and x.ref = 'lot:' || l.id) as expiries
     from public.point_lots l join public.point_entries e on e.id = l.entry_id
     where e.ref = 'storm-expiring' and e.member_id = any ($1)`,
    [members.map((m) => m.id)],
  )
  const expiredOnce = oldLots.filter((l) => l.expiries === 1 && l.remaining_points === 0).length
  const whole = oldLots.filter((l) => l.expiries === 0 && l.remaining_points === 100).length
  if (expiredOnce + whole !== oldLots.length || expiredOnce === 0 || oldLots.length !== members.length)
    violations.push(`expiry: of ${oldLots.length} due lots ${expiredOnce} expired once and ${whole} are whole`)
  for (const v of await ledgerInvariantViolations(admin)) violations.push(`ledger invariant: ${JSON.stringify(v)}`)
  for (const v of await rollupViolations(admin)) violations.push(`report rollup: ${JSON.stringify(v)}`)

  return { config: config.name, calls: calls.length, ms, byStatus, byOutcome, violations }
}
