// Member messages (messages.sql, docs/messages.md): subscribe-message consent, the enqueue of every kind with its
// dedupe key, the 消息中心 RPCs (list / mark read / count, own rows only), the outbox's claim / finish state
// machine (lease, consent credits, backoff, dead letters, lost leases) and the WeChat token cache.
import { randomUUID } from 'node:crypto'
import { Pool } from 'pg'
import { useSeededDb } from '../../test/support/db'
import { aMember, SEEDED } from '../../test/factories/members'

const db = useSeededDb()

const expectError = (res: { status: number; body: any }, status: number, code: string) =>
  expect([res.status, res.body?.message]).toEqual([status, code])

const one = async (sql: string, params: unknown[] = []) => (await db().admin.query(sql, params)).rows[0]
const messagesOf = async (member: string) =>
  (await db().admin.query(`select id::int, kind, template_key, dedupe_key, title, body, link, payload, status, attempts,
      last_error, read_at from public.member_messages where member_id = $1 order by id`, [member])).rows
const creditsOf = async (member: string) =>
  Object.fromEntries((await db().admin.query(`select template_key, credits, last_result from private.subscribe_consents
      where member_id = $1`, [member])).rows.map((r) => [r.template_key, { credits: r.credits, last: r.last_result }]))

let refs = 0
const award = (at: string | null, member: string, points: number) =>
  db().sqlAt(at, `select private.award_points($1, 'adjustment', $2, $3)`, [member, points, `msg-test-${++refs}`])
const enqueueReminders = async (at: string) => (await db().sqlAt(at, 'select private.enqueue_expiry_reminders() as r'))[0].r
const enqueueCheckInReminders = async (at: string): Promise<number> =>
  (await db().sqlAt(at, 'select private.enqueue_check_in_reminders() as n'))[0].n
/** A check-in at `at` (a Shanghai instant), which must succeed. */
async function checkInAt(at: string, member: string, rpc = 'check_in', args: Record<string, unknown> = {}) {
  const res = await db().callAt(at, rpc, args, { sub: member })
  expect([res.status, res.body?.message]).toEqual([200, undefined])
}
/** A message of its own (kind tier_up unless told), enqueued at `at`. */
async function aMessage(member: string, at: string | null = null, kind = 'tier_up'): Promise<number> {
  const [{ id }] = await db().sqlAt(at, `select private.enqueue_message($1, $2, $3, '测试消息', '测试内容', '/pages/home/index') as id`,
    [member, kind, `test:${randomUUID()}`])
  return Number(id)
}
const consent = (member: string, results: unknown) => db().call('record_subscribe_consent', { p_results: results }, { sub: member })
/** Nothing else is due: other tests' and the seed's messages leave the outbox. */
const quiesce = () =>
  db().admin.query(`update public.member_messages set status = 'skipped', claimed_until = null, claim_token = null
    where status in ('pending', 'sending')`)
const claimAt = async (at: string, limit = 20) => {
  const res = await db().callAt(at, 'claim_outbox_messages', { p_limit: limit }, 'service_role')
  expect(res.status).toBe(200)
  return res.body as { messages: any[]; skipped: number; dead: number }
}
const finishAt = (at: string, id: number, token: string, outcome: string, error: string | null = null) =>
  db().callAt(at, 'finish_outbox_message', { p_id: id, p_claim_token: token, p_outcome: outcome, p_error: error }, 'service_role')
const openidOf = async (member: string) =>
  (await one(`select subject from private.member_identities where member_id = $1 and provider = 'wechat'`, [member])).subject

describe('record_subscribe_consent', () => {
  test('each accept is one credit, ban clears them, reject and filter only record the answer', async () => {
    const m = await aMember(db(), { provider: 'wechat' })
    const res = await consent(m, { points_expiring: 'accept', voucher_used: 'accept', tier_changed: 'reject' })
    expect([res.status, res.body]).toEqual([200, { accepted: 2 }])
    expect((await consent(m, { points_expiring: 'accept', voucher_expiring: 'filter' })).body).toEqual({ accepted: 1 })
    expect(await creditsOf(m)).toEqual({
      points_expiring: { credits: 2, last: 'accept' },
      voucher_used: { credits: 1, last: 'accept' },
      tier_changed: { credits: 0, last: 'reject' },
      voucher_expiring: { credits: 0, last: 'filter' },
    })
    expect((await consent(m, { points_expiring: 'reject', voucher_used: 'ban', check_in_reminder: 'accept' })).body).toEqual({ accepted: 1 })
    expect(await creditsOf(m)).toMatchObject({
      points_expiring: { credits: 2, last: 'reject' },
      voucher_used: { credits: 0, last: 'ban' },
      check_in_reminder: { credits: 1, last: 'accept' },
    })
    expect((await consent(m, { voucher_used: 'accept' })).body).toEqual({ accepted: 1 }) // a later accept turns it back on
    expect((await creditsOf(m)).voucher_used).toEqual({ credits: 1, last: 'accept' })
    expect((await consent(m, {})).body).toEqual({ accepted: 0 })
  })

  test.each([
    ['an unknown key', { points_expiring: 'accept', birthday: 'accept' }],
    ['an unknown result', { points_expiring: 'accept', voucher_used: 'yes' }],
    ['a result that is not a string', { points_expiring: true }],
    ['an array', ['points_expiring']],
    ['a string', 'accept'],
    ['null', null],
  ])('%s: invalid_subscribe_result, nothing changed', async (_, results) => {
    const m = await aMember(db(), { provider: 'wechat' })
    expect((await consent(m, { tier_changed: 'accept' })).status).toBe(200)
    const before = await creditsOf(m)
    expectError(await consent(m, results), 400, 'invalid_subscribe_result')
    expect(await creditsOf(m)).toEqual(before)
  })

  test('members only', async () => {
    expect((await db().call('record_subscribe_consent', { p_results: {} }, 'anon')).status).toBe(401)
    expect((await db().call('record_subscribe_consent', { p_results: {} }, 'service_role')).status).toBe(403)
  })
})

describe('enqueue: one message per reminder, each kind deduplicated', () => {
  test('points expiring: the 30-day and the 7-day reminder once each; first seen 6 days before, only the 7-day one', async () => {
    const a = await aMember(db(), { at: '2012-01-15T10:00:00+08:00' }) // 100, last valid 2013-01-15
    await award('2012-01-15T20:00:00+08:00', a, 40) // same day: one group of 140
    const b = await aMember(db(), { at: '2012-02-20T10:00:00+08:00' }) // last valid 2013-02-20
    await enqueueReminders('2012-12-15T12:00:00+08:00') // 31 days before
    expect(await messagesOf(a)).toEqual([])
    await enqueueReminders('2012-12-16T00:00:00+08:00')
    await enqueueReminders('2012-12-16T00:00:00+08:00')
    await enqueueReminders('2012-12-20T12:00:00+08:00')
    expect(await messagesOf(a)).toMatchObject([{
      kind: 'points_expiring_30d', template_key: 'points_expiring', dedupe_key: `points_expiring:${a}:2013-01-15:30`,
      title: '积分即将过期', body: '您有 140 积分将于 2013-01-15 过期，快去积分商城兑换吧', link: '/member/history/index',
      payload: { points: 140, expires_on: '2013-01-15', days_before: 30 }, status: 'pending', attempts: 0, read_at: null,
    }])
    await db().sqlAt('2013-01-01T10:00:00+08:00', `select private.spend_points($1, 'redemption', 40, 'msg-spend')`, [a])
    await enqueueReminders('2013-01-08T00:00:00+08:00')
    await enqueueReminders('2013-01-09T00:00:00+08:00')
    expect((await messagesOf(a)).map((r) => [r.kind, r.payload.points])).toEqual([['points_expiring_30d', 140], ['points_expiring_7d', 100]])
    await enqueueReminders('2013-02-14T10:00:00+08:00')
    await enqueueReminders('2013-02-18T10:00:00+08:00')
    expect((await messagesOf(b)).map((r) => r.kind)).toEqual(['points_expiring_7d'])
  })

  test('the thresholds are data: point_rules.expiry_reminder_days {14, 3} make points_expiring_14d / _3d', async () => {
    await db().admin.query(`update public.point_rules set expiry_reminder_days = '{14,3}'`)
    try {
      const m = await aMember(db(), { at: '2014-03-01T10:00:00+08:00' }) // last valid 2015-03-01
      await enqueueReminders('2015-02-10T10:00:00+08:00')
      await enqueueReminders('2015-02-15T10:00:00+08:00')
      await enqueueReminders('2015-02-26T10:00:00+08:00')
      expect((await messagesOf(m)).map((r) => r.kind)).toEqual(['points_expiring_14d', 'points_expiring_3d'])
    } finally {
      await db().admin.query(`update public.point_rules set expiry_reminder_days = '{30,7}'`)
    }
  })

  test('vouchers: about to expire (within 7 days) once; not one redeemed inside that window, not a used one', async () => {
    const m = await aMember(db(), { at: '2016-05-01T10:00:00+08:00' })
    await db().admin.query(`insert into public.mall_categories (code, name) values ('msg_test', '消息测试') on conflict do nothing`)
    const item = ((await one(`insert into public.mall_items (kind, title, category_code, cost_points, stock_remaining, voucher_valid_days)
      values ('coupon', '消息测试券', 'msg_test', 1, 100, 30) returning id`)).id) as string
    const short = (await one(`insert into public.mall_items (kind, title, category_code, cost_points, stock_remaining, voucher_valid_days)
      values ('coupon', '三天券', 'msg_test', 1, 100, 3) returning id`)).id
    const redeem = async (at: string, it: string) => {
      const res = await db().callAt(at, 'redeem_item', { p_item_id: it, p_request_id: randomUUID() }, { sub: m })
      expect(res.status).toBe(200)
      return res.body
    }
    const kept = await redeem('2016-05-01T11:00:00+08:00', item) // last valid 2016-05-31
    const used = await redeem('2016-05-01T11:00:00+08:00', item)
    await redeem('2016-05-27T11:00:00+08:00', short) // valid 3 days: never "about to expire"
    expect((await db().callAt('2016-05-02T10:00:00+08:00', 'staff_verify_redemption',
      { p_voucher_code: used.voucher_code, p_confirm: true }, { sub: SEEDED.staffWang.id })).status).toBe(200)
    await enqueueReminders('2016-05-23T10:00:00+08:00') // 8 days before
    expect((await messagesOf(m)).map((r) => r.kind)).toEqual(['voucher_used'])
    await enqueueReminders('2016-05-24T10:00:00+08:00')
    await enqueueReminders('2016-05-28T10:00:00+08:00')
    const msgs = await messagesOf(m)
    expect(msgs.map((r) => r.kind)).toEqual(['voucher_used', 'voucher_expiring'])
    expect(msgs[1]).toMatchObject({
      dedupe_key: `voucher_expiring:${kept.id}`, title: '券即将过期', body: '您的「消息测试券」将于 2016-05-31 过期，请尽快使用',
      link: '/member/redemptions/index', payload: { redemption_id: kept.id, item_title: '消息测试券', expires_on: '2016-05-31' },
    })
  })

  test('voucher used: in the verification itself, once (a replay of the confirm adds nothing)', async () => {
    const m = await aMember(db())
    await award(null, m, 10)
    await db().admin.query(`insert into public.mall_categories (code, name) values ('msg_test', '消息测试') on conflict do nothing`)
    const item = (await one(`insert into public.mall_items (kind, title, category_code, cost_points, stock_remaining)
      values ('coupon', '核销测试券', 'msg_test', 1, 100) returning id`)).id
    const red = (await db().call('redeem_item', { p_item_id: item, p_request_id: randomUUID() }, { sub: m })).body
    const requestId = randomUUID()
    const verify = () => db().call('staff_verify_redemption', { p_voucher_code: red.voucher_code, p_confirm: true, p_request_id: requestId },
      { sub: SEEDED.staffWang.id })
    expect((await verify()).status).toBe(200)
    expect((await verify()).status).toBe(200)
    expectError(await db().call('staff_verify_redemption', { p_voucher_code: red.voucher_code, p_confirm: true }, { sub: SEEDED.staffWang.id }),
      409, 'already_verified')
    const msgs = await messagesOf(m)
    expect(msgs.filter((r) => r.kind === 'voucher_used')).toMatchObject([{
      template_key: 'voucher_used', dedupe_key: `voucher_used:${red.id}`, title: '券已使用',
      body: '您的「核销测试券」已于悦享咖啡·静安寺店核销使用', link: '/member/redemptions/index',
      payload: { redemption_id: red.id, item_title: '核销测试券', store_name: '悦享咖啡·静安寺店' },
    }])
    // a failed verification (nothing changed) enqueues nothing either
    expect(msgs).toHaveLength(1)
  })

  test('tier up at the upgrade; tier down at the review after the grace, and when a void undoes an upgrade', async () => {
    const m = await aMember(db(), { at: '2018-01-10T10:00:00+08:00' })
    await award('2018-01-10T10:00:00+08:00', m, 900) // 1000 qualifying: silver
    await award('2018-01-10T11:00:00+08:00', m, 100) // more, no change: no message
    expect(await messagesOf(m)).toMatchObject([{
      kind: 'tier_up', template_key: 'tier_changed', title: '会员升级', body: '恭喜升级为银卡会员，消费积分享 1.2 倍', link: '/pages/home/index',
      payload: { tier_code: 'silver', tier_name: '银卡会员', multiplier: 1.2 },
    }])
    const review = (at: string) => db().callAt(at, 'review_tiers', {}, 'service_role')
    await review('2019-01-11T10:00:00+08:00') // notice only
    expect(await messagesOf(m)).toHaveLength(1)
    await review('2019-02-11T10:00:00+08:00') // downgraded
    await review('2019-02-12T10:00:00+08:00')
    expect((await messagesOf(m)).map((r) => [r.kind, r.payload.tier_code, r.body])).toEqual([
      ['tier_up', 'silver', '恭喜升级为银卡会员，消费积分享 1.2 倍'],
      ['tier_down', 'basic', '您的会员等级已调整为普通会员，消费积分享 1 倍'],
    ])

    // an upgrade the void of its purchase undoes (private.undo_tier_upgrades_since, called by staff_void_purchase)
    const n = await aMember(db(), { at: '2018-03-01T10:00:00+08:00' })
    await award('2018-03-01T10:00:00+08:00', n, 950)
    await db().sqlAt('2018-03-01T10:00:00+08:00', `select private.reverse_entry(
      (select id from public.point_entries where member_id = $1 and ref like 'msg-test-%' order by id desc limit 1), 'void')`, [n])
    await db().sqlAt('2018-03-01T10:00:01+08:00', `select private.undo_tier_upgrades_since($1, '2018-03-01T02:00:00Z')`, [n])
    expect((await messagesOf(n)).map((r) => [r.kind, r.payload.tier_code])).toEqual([['tier_up', 'silver'], ['tier_down', 'basic']])
  })

  test('check-in reminder: from 20:00 once a day, to a consenting member who checked in yesterday and not yet today', async () => {
    const member = (at = '2022-03-01T10:00:00+08:00') => aMember(db(), { at, provider: 'wechat' })
    const [due, rejected, silent, done, broken] = [await member(), await member(), await member(), await member(), await member()]
    for (const m of [due, done, broken]) expect((await consent(m, { check_in_reminder: 'accept' })).status).toBe(200)
    expect((await consent(rejected, { check_in_reminder: 'reject' })).status).toBe(200) // a row, no credit
    for (const m of [due, rejected, silent, done]) {
      await checkInAt('2022-03-08T09:00:00+08:00', m)
      await checkInAt('2022-03-09T09:00:00+08:00', m)
    }
    await checkInAt('2022-03-10T10:00:00+08:00', done) // today already
    await checkInAt('2022-03-08T09:00:00+08:00', broken) // not yesterday: the streak is gone anyway

    expect(await enqueueCheckInReminders('2022-03-10T19:59:59+08:00')).toBe(0) // before the hour
    expect(await messagesOf(due)).toEqual([])
    expect(await enqueueCheckInReminders('2022-03-10T20:00:00+08:00')).toBe(1)
    expect(await enqueueCheckInReminders('2022-03-10T23:50:00+08:00')).toBe(0) // the next run: once a day
    expect(await messagesOf(due)).toMatchObject([{
      kind: 'check_in_reminder', template_key: 'check_in_reminder', dedupe_key: `check_in_reminder:${due}:2022-03-10`,
      title: '签到提醒', body: '今天还没有签到，已连续签到 2 天，记得来签到领积分', link: '/member/checkin/index',
      payload: { date: '2022-03-10', streak_days: 2 }, status: 'pending', attempts: 0, read_at: null,
    }])
    for (const m of [rejected, silent, done, broken]) expect(await messagesOf(m)).toEqual([])
    // the next evening: `due` missed 03-10 (no streak left to keep); `done` checked in 03-10, not yet 03-11
    expect(await enqueueCheckInReminders('2022-03-11T21:00:00+08:00')).toBe(1)
    expect(await messagesOf(due)).toHaveLength(1)
    expect((await messagesOf(done)).map((r) => [r.dedupe_key, r.payload])).toEqual([
      [`check_in_reminder:${done}:2022-03-11`, { date: '2022-03-11', streak_days: 3 }],
    ])
  })

  test('check-in reminder: the hour is data (point_rules.check_in_reminder_hour); the streak is the one the app shows', async () => {
    await db().admin.query('update public.point_rules set check_in_reminder_hour = 8')
    try {
      const m = await aMember(db(), { at: '2022-05-01T10:00:00+08:00', provider: 'wechat' })
      expect((await consent(m, { check_in_reminder: 'accept' })).status).toBe(200)
      for (const day of ['2022-05-10', '2022-05-11', '2022-05-13']) await checkInAt(`${day}T09:00:00+08:00`, m)
      // 补签 of 05-12 joins 05-13 (stored streak_days 1) to the run before: a streak of 4
      await checkInAt('2022-05-13T10:00:00+08:00', m, 'make_up_check_in', { p_date: '2022-05-12' })
      expect(await enqueueCheckInReminders('2022-05-14T07:59:59+08:00')).toBe(0)
      expect(await enqueueCheckInReminders('2022-05-14T08:00:00+08:00')).toBe(1)
      expect((await messagesOf(m)).map((r) => [r.body, r.payload])).toEqual([
        ['今天还没有签到，已连续签到 4 天，记得来签到领积分', { date: '2022-05-14', streak_days: 4 }],
      ])
      for (const hour of [-1, 24]) {
        await expect(db().admin.query(`update public.point_rules set check_in_reminder_hour = ${hour}`)).rejects.toMatchObject({ code: '23514' })
      }
    } finally {
      await db().admin.query('update public.point_rules set check_in_reminder_hour = 20')
    }
  })

  test('the dedupe key is unique: enqueueing the same one twice keeps the first', async () => {
    const m = await aMember(db())
    const first = await db().sqlAt(null, `select private.enqueue_message($1::uuid, 'tier_up', 'dup:' || $1::text, 'A', 'a', null) as id`, [m])
    const second = await db().sqlAt(null, `select private.enqueue_message($1::uuid, 'tier_up', 'dup:' || $1::text, 'B', 'b', null) as id`, [m])
    expect(first[0].id).not.toBeNull()
    expect(second[0].id).toBeNull()
    expect((await messagesOf(m)).map((r) => r.title)).toEqual(['A'])
  })
})

describe('消息中心: list, mark read, count', () => {
  test('newest first, paged by id; read up to an id or all; the unread count; only one’s own', async () => {
    const m = await aMember(db())
    const other = await aMember(db())
    const ids = []
    for (let i = 0; i < 5; i++) ids.push(await aMessage(m))
    await aMessage(other)
    const list = async (args: Record<string, unknown>, who = m) => {
      const res = await db().call('list_my_messages', args, { sub: who })
      expect(res.status).toBe(200)
      return res.body
    }
    const page1 = await list({ p_limit: 3 })
    expect(page1.map((r: any) => r.id)).toEqual([ids[4], ids[3], ids[2]])
    expect(page1[0]).toEqual({ id: ids[4], kind: 'tier_up', title: '测试消息', body: '测试内容', link: '/pages/home/index',
      created_at: expect.any(String), read_at: null })
    expect((await list({ p_before_id: ids[2], p_limit: 3 })).map((r: any) => r.id)).toEqual([ids[1], ids[0]])
    expect((await list({})).length).toBe(5) // default 20
    expect((await list({}, other)).length).toBe(1)
    for (const limit of [0, 51, null]) expectError(await db().call('list_my_messages', { p_limit: limit }, { sub: m }), 400, 'invalid_limit')

    const count = async (who = m) => (await db().call('count_unread_messages', {}, { sub: who })).body
    expect(await count()).toEqual({ unread_count: 5 })
    expect((await db().call('mark_messages_read', { p_up_to_id: ids[1] }, { sub: m })).body).toEqual({ unread_count: 3 })
    expect((await list({ p_limit: 5 })).map((r: any) => r.read_at !== null)).toEqual([false, false, false, true, true])
    expect((await db().call('mark_messages_read', {}, { sub: m })).body).toEqual({ unread_count: 0 })
    expect(await count(other)).toEqual({ unread_count: 1 }) // marking mine never touches others'
    expect((await db().call('mark_messages_read', { p_up_to_id: ids[4] }, { sub: other })).body).toEqual({ unread_count: 1 })

    // RLS: reading the table directly shows one's own rows only
    const rows = (await db().read('member_messages', 'select=id,member_id', { sub: other })).body
    expect(rows.every((r: any) => r.member_id === other)).toBe(true)
    expect(rows).toHaveLength(1)
    expect((await db().read('member_messages', 'select=id', 'anon')).status).toBe(401)
  })

  test('members only', async () => {
    for (const fn of ['list_my_messages', 'mark_messages_read', 'count_unread_messages']) {
      expect([fn, (await db().call(fn, {}, 'anon')).status]).toEqual([fn, 401])
    }
  })
})

describe('the outbox: claim and finish', () => {
  beforeEach(quiesce)

  test('a claim: the lease, one attempt, the openid, one consent credit; no credit or no openid: skipped', async () => {
    const wx = await aMember(db(), { provider: 'wechat' })
    const noCredit = await aMember(db(), { provider: 'wechat' })
    const h5 = await aMember(db())
    expect((await consent(wx, { tier_changed: 'accept', voucher_used: 'accept' })).status).toBe(200)
    expect((await consent(h5, { tier_changed: 'accept' })).status).toBe(200)
    expect((await consent(noCredit, { tier_changed: 'ban' })).status).toBe(200)
    const at = '2031-01-01T10:00:00+08:00'
    const sendable = await aMessage(wx, at)
    const skipped1 = await aMessage(noCredit, at)
    const skipped2 = await aMessage(h5, at)
    expect((await claimAt('2031-01-01T09:59:59+08:00')).messages).toEqual([]) // not due before it was made

    const claim = await claimAt(at)
    expect(claim.skipped).toBe(2)
    expect(claim.messages).toEqual([{
      id: sendable, member_id: wx, kind: 'tier_up', template_key: 'tier_changed', openid: await openidOf(wx), title: '测试消息',
      body: '测试内容', link: '/pages/home/index', payload: {}, created_at: expect.any(String), attempts: 1,
      claim_token: expect.any(String), claimed_until: expect.any(String),
    }])
    expect(new Date(claim.messages[0].claimed_until).getTime() - new Date(at).getTime()).toBe(120_000)
    expect(await creditsOf(wx)).toMatchObject({ tier_changed: { credits: 0 }, voucher_used: { credits: 1 } })
    expect((await messagesOf(noCredit))[0]).toMatchObject({ id: skipped1, status: 'skipped', last_error: 'no_consent', attempts: 0 })
    expect((await messagesOf(h5))[0]).toMatchObject({ id: skipped2, status: 'skipped', last_error: 'no_openid', attempts: 0 })
    expect(await creditsOf(h5)).toMatchObject({ tier_changed: { credits: 1 } }) // an H5 member's consent is never used
    expect((await claimAt(at)).messages).toEqual([]) // held by the lease

    const done = await finishAt(at, sendable, claim.messages[0].claim_token, 'sent')
    expect(done.body).toEqual({ id: sendable, status: 'sent', attempts: 1, next_attempt_at: expect.any(String), last_error: null })
    expectError(await finishAt(at, sendable, claim.messages[0].claim_token, 'sent'), 409, 'lease_lost')
    expect((await claimAt('2031-01-02T10:00:00+08:00')).messages).toEqual([])
    // skipped messages stay in the 消息中心
    expect((await db().call('list_my_messages', {}, { sub: h5 })).body.map((r: any) => r.id)).toEqual([skipped2])
  })

  test('retry backs off 1, 2, 4, 8 minutes; the 5th failed attempt is dead, with its error; one credit for all', async () => {
    const wx = await aMember(db(), { provider: 'wechat' })
    await consent(wx, { tier_changed: 'accept' })
    await consent(wx, { tier_changed: 'accept' })
    let t = new Date('2032-01-01T10:00:00+08:00').getTime()
    const id = await aMessage(wx, new Date(t).toISOString())
    const iso = (ms: number) => new Date(ms).toISOString()
    const waits: number[] = []
    for (let attempt = 1; attempt <= 5; attempt++) {
      const claim = await claimAt(iso(t))
      expect(claim.messages.map((m) => [m.id, m.attempts])).toEqual([[id, attempt]])
      const res = await finishAt(iso(t), id, claim.messages[0].claim_token, 'retry', `errcode -1 (${attempt})`)
      expect(res.status).toBe(200)
      if (attempt < 5) {
        expect(res.body).toMatchObject({ status: 'pending', attempts: attempt, last_error: `errcode -1 (${attempt})` })
        const next = new Date(res.body.next_attempt_at).getTime()
        waits.push((next - t) / 60_000)
        expect((await claimAt(iso(next - 1))).messages).toEqual([]) // not before its time
        t = next
      } else {
        expect(res.body).toMatchObject({ status: 'dead', attempts: 5, last_error: 'errcode -1 (5)' })
      }
    }
    expect(waits).toEqual([1, 2, 4, 8])
    expect((await claimAt(iso(t + 3600_000))).messages).toEqual([])
    expect(await creditsOf(wx)).toMatchObject({ tier_changed: { credits: 1 } }) // one of the two credits used
  })

  test('a crashed sender: its lease runs out, the message is claimed again (no second credit), the old claim is lost', async () => {
    const wx = await aMember(db(), { provider: 'wechat' })
    await consent(wx, { tier_changed: 'accept' })
    const at = '2033-01-01T10:00:00+08:00'
    const id = await aMessage(wx, at)
    const first = (await claimAt(at)).messages[0]
    expect((await claimAt('2033-01-01T10:01:59+08:00')).messages).toEqual([])
    const second = (await claimAt('2033-01-01T10:02:00+08:00')).messages[0]
    expect([second.id, second.attempts]).toEqual([id, 2])
    expect(second.claim_token).not.toBe(first.claim_token)
    expect(await creditsOf(wx)).toMatchObject({ tier_changed: { credits: 0 } })
    expectError(await finishAt('2033-01-01T10:02:01+08:00', id, first.claim_token, 'sent'), 409, 'lease_lost')
    expect((await finishAt('2033-01-01T10:02:01+08:00', id, second.claim_token, 'sent')).body.status).toBe('sent')

    // a lease that runs out on the last attempt: dead
    await consent(wx, { tier_changed: 'accept' })
    const last = await aMessage(wx, at)
    await db().admin.query(`update public.member_messages set attempts = 4 where id = $1`, [last])
    await db().admin.query(`update public.member_messages set status = 'sending', attempts = 5, claim_token = gen_random_uuid(),
      claimed_until = $2 where id = $1`, [last, '2033-01-01T10:00:00+08:00'])
    expect(await claimAt('2033-01-01T10:00:01+08:00')).toEqual({ messages: [], skipped: 0, dead: 1 })
    expect((await messagesOf(wx)).find((r) => r.id === last)).toMatchObject({ status: 'dead', last_error: 'lease_expired' })
  })

  test('refused (43101): skipped and the template’s credits cleared; failed: dead at once', async () => {
    const wx = await aMember(db(), { provider: 'wechat' })
    await consent(wx, { tier_changed: 'accept' })
    await consent(wx, { tier_changed: 'accept' })
    await consent(wx, { tier_changed: 'accept' })
    const at = '2034-01-01T10:00:00+08:00'
    const a = await aMessage(wx, at)
    const b = await aMessage(wx, at)
    const claim = await claimAt(at)
    expect(claim.messages.map((m) => m.id)).toEqual([a, b])
    expect((await finishAt(at, a, claim.messages[0].claim_token, 'refused', 'errcode 43101')).body)
      .toMatchObject({ status: 'skipped', last_error: 'errcode 43101' })
    expect(await creditsOf(wx)).toMatchObject({ tier_changed: { credits: 0 } })
    expect((await finishAt(at, b, claim.messages[1].claim_token, 'failed', 'errcode 40037')).body)
      .toMatchObject({ status: 'dead', attempts: 1, last_error: 'errcode 40037' })
  })

  test('concurrent senders never get the same message and never wait (SKIP LOCKED on messages and consents)', async () => {
    const at = '2035-01-01T10:00:00+08:00'
    const members: string[] = []
    const ids: number[] = []
    for (let i = 0; i < 4; i++) {
      const wx = await aMember(db(), { provider: 'wechat' })
      await consent(wx, { tier_changed: 'accept' })
      await consent(wx, { tier_changed: 'accept' })
      members.push(wx)
      ids.push(await aMessage(wx, at))
    }
    const later = await aMessage(members[0], at) // the first member's second message: its consent row is busy below
    const pool = new Pool({ connectionString: db().url, max: 2 })
    pool.on('error', () => {})
    const holder = await pool.connect()
    try {
      await holder.query('begin')
      await holder.query(`select set_config('jifen.now', $1, true)`, [new Date(at).toISOString()])
      const held = (await holder.query(`select to_json(public.claim_outbox_messages(2)) as r`)).rows[0].r
      const other = await claimAt(at) // answers while the first claim is still open
      await holder.query('commit')
      expect(held.messages.map((m: any) => m.id)).toEqual(ids.slice(0, 2))
      expect(other).toMatchObject({ skipped: 0, dead: 0 })
      expect(other.messages.map((m: any) => m.id)).toEqual(ids.slice(2))
      expect((await one('select status, attempts from public.member_messages where id = $1', [later]))).toEqual({ status: 'pending', attempts: 0 })
      expect((await claimAt(at)).messages.map((m: any) => m.id)).toEqual([later]) // the next claim takes it
    } finally {
      holder.release()
      await pool.end()
    }
  })

  test('argument errors; service_role only', async () => {
    expectError(await db().call('claim_outbox_messages', { p_limit: 0 }, 'service_role'), 400, 'invalid_limit')
    expectError(await db().call('claim_outbox_messages', { p_limit: 101 }, 'service_role'), 400, 'invalid_limit')
    expectError(await db().call('finish_outbox_message', { p_id: 1, p_claim_token: randomUUID(), p_outcome: 'maybe' }, 'service_role'),
      400, 'invalid_outcome')
    expectError(await db().call('finish_outbox_message', { p_id: -1, p_claim_token: randomUUID(), p_outcome: 'sent' }, 'service_role'),
      404, 'message_not_found')
    const member = { sub: SEEDED.lin.id }
    const calls: [string, Record<string, unknown>][] = [
      ['claim_outbox_messages', {}],
      ['finish_outbox_message', { p_id: 1, p_claim_token: randomUUID(), p_outcome: 'sent' }],
      ['get_wechat_access_token', { p_appid: 'wx' }],
      ['save_wechat_access_token', { p_appid: 'wx', p_access_token: 't', p_expires_at: '2099-01-01T00:00:00Z' }],
    ]
    for (const [fn, args] of calls) {
      expect([fn, (await db().call(fn, args, 'anon')).status]).toEqual([fn, 401])
      expect([fn, (await db().call(fn, args, member)).status]).toEqual([fn, 403])
    }
  })
})

test('the WeChat access token cache: one per appid, handed out while valid for 5 more minutes', async () => {
  const save = (at: string, token: string, expires: string) =>
    db().callAt(at, 'save_wechat_access_token', { p_appid: 'wxtest', p_access_token: token, p_expires_at: expires }, 'service_role')
  const get = async (at: string) => (await db().callAt(at, 'get_wechat_access_token', { p_appid: 'wxtest' }, 'service_role')).body
  expect(await get('2036-01-01T10:00:00Z')).toEqual({ access_token: null, expires_at: null })
  expect((await save('2036-01-01T10:00:00Z', 'T1', '2036-01-01T12:00:00Z')).status).toBe(200)
  expect((await get('2036-01-01T11:54:59Z')).access_token).toBe('T1')
  expect((await get('2036-01-01T11:55:00Z')).access_token).toBeNull()
  expect((await save('2036-01-01T11:55:00Z', 'T2', '2036-01-01T13:55:00Z')).status).toBe(200)
  expect((await get('2036-01-01T11:55:00Z')).access_token).toBe('T2')
  for (const [token, expires] of [['', '2036-01-01T13:55:00Z'], ['T3', '2036-01-01T11:00:00Z'], [null, '2036-01-01T13:55:00Z']]) {
    expectError(await save('2036-01-01T11:55:00Z', token as string, expires as string), 400, 'invalid_access_token')
  }
})
