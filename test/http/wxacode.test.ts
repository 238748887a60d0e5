// The wxacode Edge Function against a fake WeChat: a member's invite 小程序码 is generated once (scene = invite
// code, page member/invite/index), cached in the private bucket wxacodes, and answered as a signed URL.
import { LOCAL_SERVICE_ROLE_KEY } from '../../stack/config'
import type { ApiServer } from '../../stack/server'
import { aMember } from '../factories/members'
import { startTestApi } from '../support/api'
import { createTestDb, expectLedgerInvariants, tokenFor, type TestDb } from '../support/db'
import { startFakeWechat, TINY_PNG, type FakeWechat } from '../support/fake-wechat'

let db: TestDb
let api: ApiServer
let wx: FakeWechat
const CODE = '/wxa/getwxacodeunlimit'

beforeAll(async () => {
  db = await createTestDb()
  wx = await startFakeWechat()
  api = await startTestApi(db, {
    functionEnv: { WECHAT_APPID: 'wx-test-app', WECHAT_SECRET: 'wx-test-secret', WECHAT_API_BASE: wx.url },
  })
})
afterEach(() => expectLedgerInvariants(db))
afterAll(async () => {
  await api.close()
  await wx.close()
  await db.drop()
})

const wxacode = async (authorization?: string) => {
  const res = await fetch(`${api.url}/functions/v1/wxacode`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
    body: '{}',
  })
  return { status: res.status, body: await res.json() }
}

test('generated once with the invite code as scene, cached, answered as a signed URL of the PNG', async () => {
  const member = await aMember(db, { provider: 'wechat' })
  const { invite_code } = (await db.admin.query('select invite_code from public.members where id = $1', [member])).rows[0]
  const auth = `Bearer ${await tokenFor({ sub: member })}`
  const first = await wxacode(auth)
  expect(first).toEqual({
    status: 200,
    body: { url: expect.stringContaining('/storage/v1/object/sign/wxacodes/'), scene: invite_code, page: 'member/invite/index' },
  })
  expect(wx.of(CODE).map((r) => [r.body.scene, r.body.page])).toEqual([[invite_code, 'member/invite/index']])
  const png = await fetch(first.body.url)
  expect(png.status).toBe(200)
  expect(Buffer.from(await png.arrayBuffer())).toEqual(TINY_PNG)

  const again = await wxacode(auth)
  expect(again.status).toBe(200)
  expect(wx.of(CODE).length).toBe(1) // cached
  // the bucket is private: no download without the signature
  const plain = await fetch(`${api.url}/storage/v1/object/public/wxacodes/${member}.png`)
  expect(plain.status).toBeGreaterThanOrEqual(400)
})

test('errors: no member 401; an invalid token is refreshed; WeChat rate limit 429, other errors 502', async () => {
  expect((await wxacode()).status).toBe(401)
  expect((await wxacode(`Bearer ${LOCAL_SERVICE_ROLE_KEY}`)).status).toBe(401)
  const a = await aMember(db)
  wx.script.wxacode.push(40001)
  expect((await wxacode(`Bearer ${await tokenFor({ sub: a })}`)).status).toBe(200)
  const b = await aMember(db)
  wx.script.wxacode.push(45009)
  expect(await wxacode(`Bearer ${await tokenFor({ sub: b })}`)).toEqual({
    status: 429,
    body: expect.objectContaining({ message: 'wechat_rate_limited' }),
  })
  wx.script.wxacode.push(40097)
  expect((await wxacode(`Bearer ${await tokenFor({ sub: b })}`)).body.message).toBe('wechat_unavailable')
  expect((await wxacode(`Bearer ${await tokenFor({ sub: b })}`)).status).toBe(200)
})
