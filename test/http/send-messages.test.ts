// The send-messages Edge Function against a fake WeChat (test/support/fake-wechat.ts): sends with the template
// of each kind, caches and refreshes the access token, retries rate limits / busy / HTTP 500 / timeouts with
// backoff, dead-letters after the last attempt, 43101 refused, and the one duplicate: the crash window between
// WeChat's answer and finish_outbox_message (docs/messages.md).
import { randomUUID } from 'node:crypto'
import { LOCAL_SERVICE_ROLE_KEY } from '../../stack/config'
import type { ApiServer } from '../../stack/server'
import { startScheduledJobs } from '../../stack/stack'
import { aMember } from '../factories/members'
import { startTestApi } from '../support/api'
import { createTestDb, expectLedgerInvariants, type TestDb } from '../support/db'
import { startFakeWechat, type FakeWechat } from '../support/fake-wechat'

let db: TestDb
let api: ApiServer
let wx: FakeWechat
const SEND = '/cgi-bin/message/subscribe/send'

beforeAll(async () => {
  db = await createTestDb()
  wx = await startFakeWechat()
  api = await startTestApi(db, {
    functionEnv: {
      WECHAT_APPID: 'wx-test-app',
      WECHAT_SECRET: 'wx-test-secret',
      WECHAT_API_BASE: wx.url,
      WECHAT_TEMPLATE_TIER_CHANGED: 'tpl-tier',
      WECHAT_TEMPLATE_VOUCHER_USED: 'tpl-voucher-used',
      WECHAT_TIMEOUT_MS: '500',
    },
  })
})
afterEach(() => expectLedgerInvariants(db))
afterAll(async () => {
  await api.close()
  await wx.close()
  await db.drop()
})
beforeEach(async () => {
  wx.requests.length = 0
  await db.admin.query(`update public.member_messages set status = 'skipped', claimed_until = null, claim_token = null
    where status in ('pending', 'sending')`)
})

const run = async (key = LOCAL_SERVICE_ROLE_KEY) => {
  const res = await fetch(`${api.url}/functions/v1/send-messages`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: '{}',
  })
  return { status: res.status, body: await res.json() }
}
const row = async (id: number) =>
  (await db.admin.query('select status, attempts, last_error, sent_at from public.member_messages where id = $1', [id])).rows[0]
/** Make a pending message due now (skips the backoff). */
const due = (id: number) =>
  db.admin.query(`update public.member_messages set next_attempt_at = now() - interval '1 second' where id = $1`, [id])

async function aSendable(kind = 'tier_up', template = 'tier_changed', credits = 1): Promise<{ id: number; openid: string }> {
  const member = await aMember(db, { provider: 'wechat' })
  for (let i = 0; i < credits; i++) {
    expect((await db.call('record_subscribe_consent', { p_results: { [template]: 'accept' } }, { sub: member })).status).toBe(200)
  }
  const { rows } = await db.admin.query(
    `select private.enqueue_message($1, $2, $3, '会员升级', '恭喜升级为银卡会员，消费积分享 1.2 倍', '/pages/home/index') as id`,
    [member, kind, `test:${randomUUID()}`],
  )
  const openid = (await db.admin.query(`select subject from private.member_identities where member_id = $1`, [member])).rows[0].subject
  return { id: Number(rows[0].id), openid }
}

test('service_role only', async () => {
  expect((await run('nope')).status).toBe(401)
})

test('sends once with the kind’s template, the member’s openid and the link; the token is fetched once and cached', async () => {
  const a = await aSendable()
  const b = await aSendable('voucher_used', 'voucher_used')
  const res = await run()
  expect(res).toEqual({ status: 200, body: { claimed: 2, sent: 2, retried: 0, refused: 0, failed: 0, skipped: 0, dead: 0 } })
  const sends = wx.of(SEND)
  expect(sends.map((s) => [s.body.touser, s.body.template_id, s.body.page])).toEqual([
    [a.openid, 'tpl-tier', 'pages/home/index'],
    [b.openid, 'tpl-voucher-used', 'pages/home/index'],
  ])
  expect(sends[0].body.data).toMatchObject({ thing1: { value: '会员升级' }, thing2: { value: expect.stringMatching(/…$/) } })
  expect(await row(a.id)).toMatchObject({ status: 'sent', attempts: 1, last_error: null })
  const tokensBefore = wx.of('/cgi-bin/stable_token').length
  expect((await run()).body.claimed).toBe(0) // sent once, never again
  const c = await aSendable()
  await run()
  expect(await row(c.id)).toMatchObject({ status: 'sent' })
  expect(wx.of('/cgi-bin/stable_token').length).toBe(tokensBefore) // the cached token
  expect(wx.of(SEND).length).toBe(3)
})

test.each([40001, 42001])('an invalid token (%s) is refreshed once and the send repeated', async (code) => {
  const a = await aSendable()
  const tokens = wx.tokens.length
  wx.script.send.push(code)
  expect((await run()).body).toMatchObject({ sent: 1 })
  expect(wx.tokens.length).toBe(tokens + 1)
  expect(wx.of('/cgi-bin/stable_token').at(-1)!.body.force_refresh).toBe(true)
  expect(wx.of(SEND).length).toBe(2)
  expect(await row(a.id)).toMatchObject({ status: 'sent', attempts: 1 })
})

test('rate limit (45009), busy (-1), HTTP 500 and a timeout are retried with backoff; then sent', async () => {
  const a = await aSendable()
  for (const failure of [45009, -1, 'http500', 'timeout'] as const) {
    wx.script.send.push(failure)
    expect((await run()).body).toMatchObject({ claimed: 1, retried: 1, sent: 0 })
    const r = await row(a.id)
    expect(r.status).toBe('pending')
    expect((await run()).body.claimed).toBe(0) // backing off
    await due(a.id)
  }
  expect((await row(a.id)).last_error).toMatch(/network/)
  expect((await run()).body).toMatchObject({ sent: 1 })
  expect(await row(a.id)).toMatchObject({ status: 'sent', attempts: 5 })
})

test('dead after the 5th failed attempt (the dead letter keeps the error); 43101 refused; unknown template failed', async () => {
  const a = await aSendable()
  for (let i = 1; i <= 5; i++) {
    wx.script.send.push(45009)
    const res = await run()
    expect(res.body).toMatchObject(i < 5 ? { retried: 1 } : { dead: 1 })
    await due(a.id)
  }
  expect(await row(a.id)).toMatchObject({ status: 'dead', attempts: 5, last_error: expect.stringMatching(/^errcode 45009/) })

  const b = await aSendable()
  wx.script.send.push(43101)
  expect((await run()).body).toMatchObject({ refused: 1 })
  expect(await row(b.id)).toMatchObject({ status: 'skipped', last_error: expect.stringMatching(/^errcode 43101/) })

  const c = await aSendable('tier_down', 'tier_changed')
  await db.admin.query(`update public.member_messages set kind = 'voucher_expiring', template_key = 'voucher_expiring' where id = $1`, [
    c.id,
  ])
  await db.admin.query(
    `insert into private.subscribe_consents (member_id, template_key, credits, last_result)
    select member_id, 'voucher_expiring', 1, 'accept' from public.member_messages where id = $1`,
    [c.id],
  )
  const sends = wx.of(SEND).length
  expect((await run()).body).toMatchObject({ failed: 1 })
  expect(await row(c.id)).toMatchObject({ status: 'dead', last_error: 'template_not_configured' })
  expect(wx.of(SEND).length).toBe(sends)
})

test('the crash window: WeChat accepted, the sender died before finishing; after the lease it is sent again (once more)', async () => {
  const a = await aSendable()
  // a sender claims and sends, then dies before finish_outbox_message: claim + send by hand, no finish
  const claim = await db.call('claim_outbox_messages', { p_limit: 5 }, 'service_role')
  expect(claim.body.messages.map((m: { id: number }) => m.id)).toEqual([a.id])
  // while the lease holds, no other sender touches it
  expect((await run()).body.claimed).toBe(0)
  expect(await row(a.id)).toMatchObject({ status: 'sending', attempts: 1 })
  // the lease runs out (120 s): the next run sends it again — the one duplicate at-least-once allows
  await db.admin.query(`update public.member_messages set claimed_until = now() - interval '1 second' where id = $1`, [a.id])
  expect((await run()).body).toMatchObject({ claimed: 1, sent: 1 })
  expect(await row(a.id)).toMatchObject({ status: 'sent', attempts: 2 })
  // the dead sender's late finish changes nothing
  const late = await db.call(
    'finish_outbox_message',
    { p_id: a.id, p_claim_token: claim.body.messages[0].claim_token, p_outcome: 'retry' },
    'service_role',
  )
  expect([late.status, late.body.message]).toEqual([409, 'lease_lost'])
  expect(await row(a.id)).toMatchObject({ status: 'sent' })
})

test('not configured: 503 and nothing claimed', async () => {
  const a = await aSendable()
  const bare = await startTestApi(db, { functionEnv: {} })
  try {
    const res = await fetch(`${bare.url}/functions/v1/send-messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}` },
    })
    expect(res.status).toBe(503)
  } finally {
    await bare.close()
  }
  expect(await row(a.id)).toMatchObject({ status: 'pending', attempts: 0 })
})

test('the local stack’s timer calls the sender after run_scheduled_jobs (the stand-in for pg_cron + pg_net)', async () => {
  const a = await aSendable()
  const lines: string[] = []
  const jobs = startScheduledJobs(db.url, 60_000, (line) => lines.push(line), { apiUrl: api.url, serviceRoleKey: LOCAL_SERVICE_ROLE_KEY })
  try {
    const deadline = Date.now() + 15_000
    while ((await row(a.id)).status !== 'sent' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
  } finally {
    await jobs.stop()
  }
  expect(await row(a.id)).toMatchObject({ status: 'sent' })
  expect(lines).toContainEqual(expect.stringMatching(/messages: sent 1/))
})
