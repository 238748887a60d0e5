// /functions/v1: the Edge Functions served by the local API, the `auth` function end to end.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { jwtVerify } from 'jose'
import { LOCAL_ANON_KEY, LOCAL_JWT_SECRET } from '../../stack/config'
import type { ApiServer } from '../../stack/server'
import { client, startTestApi, withTestApi } from '../support/api'
import { createTestDb, expectLedgerInvariants, type TestDb } from '../support/db'

let db: TestDb
let api: ApiServer
let wechat: http.Server
let wechatCalls: URLSearchParams[] = []

/** A stand-in for WeChat's jscode2session on loopback: code `good-<n>` → openid `openid-<n>`. */
function startFakeWechat(): Promise<string> {
  wechat = http.createServer((req, res) => {
    const q = new URL(req.url!, 'http://x').searchParams
    wechatCalls.push(q)
    const code = q.get('js_code') ?? ''
    const body =
      q.get('appid') !== 'wx-test-app' || q.get('secret') !== 'wx-test-secret'
        ? { errcode: 40013, errmsg: 'invalid appid' }
        : code === 'busy'
          ? { errcode: 45011, errmsg: 'api minute-quota reach limit' }
          : code.startsWith('good-')
            ? { openid: `openid-${code.slice(5)}`, session_key: 'SECRET-SESSION-KEY', unionid: `union-${code.slice(5)}` }
            : { errcode: 40029, errmsg: 'invalid code' }
    res.writeHead(200, { 'Content-Type': 'text/plain' }) // WeChat really answers JSON as text/plain
    res.end(JSON.stringify(body))
  })
  return new Promise((resolve) =>
    wechat.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(wechat.address() as AddressInfo).port}`)),
  )
}

beforeAll(async () => {
  db = await createTestDb()
  const wechatBase = await startFakeWechat()
  api = await startTestApi(db, {
    functionEnv: {
      AUTH_DEV_LOGIN: 'true',
      WECHAT_APPID: 'wx-test-app',
      WECHAT_SECRET: 'wx-test-secret',
      WECHAT_API_BASE: wechatBase,
      AUTH_TOKEN_TTL_SECONDS: '600',
    },
  })
})
afterEach(() => expectLedgerInvariants(db))
afterAll(async () => {
  await api.close()
  await new Promise((r) => wechat.close(r))
  await db.drop()
})

const login = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${api.url}/functions/v1/auth`, {
    method: 'POST',
    headers: { apikey: LOCAL_ANON_KEY, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

const memberCount = async () => (await db.admin.query('select count(*)::int as n from public.members')).rows[0].n

describe('auth function: dev provider', () => {
  test('first login creates the member; the token is a valid authenticated JWT that RLS honours', async () => {
    const res = await login({ provider: 'dev', phone: '13712345678' })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 600,
      created: true,
      member: { phone: '13712345678', nickname: '会员5678' },
    })
    const { payload } = await jwtVerify(body.access_token, new TextEncoder().encode(LOCAL_JWT_SECRET))
    expect(payload).toMatchObject({ sub: body.member.id, role: 'authenticated', aud: 'authenticated', exp: body.expires_at })
    const me = await client(api, body.access_token).from('members').select('id,phone')
    expect(me.data).toEqual([{ id: body.member.id, phone: '13712345678' }])

    const again = await (await login({ provider: 'dev', phone: '13712345678' })).json()
    expect(again.created).toBe(false)
    expect(again.member.id).toBe(body.member.id)
  })

  test('the new member has the registration bonus once, seen through `me` with the issued token', async () => {
    const first = await (await login({ provider: 'dev', phone: '13712340000' })).json()
    await login({ provider: 'dev', phone: '13712340000' })
    const me = await client(api, first.access_token).rpc('me')
    expect(me.error).toBeNull()
    expect(me.data).toMatchObject({ id: first.member.id, balance_points: 100, tier: { code: 'basic' }, checked_in_today: false })
    const { rows } = await db.admin.query(`select source, amount_points from public.point_entries where member_id = $1`, [first.member.id])
    expect(rows).toEqual([{ source: 'registration', amount_points: 100 }])
  })

  test('parallel first logins of one phone create exactly one member', async () => {
    const before = await memberCount()
    const bodies = await Promise.all(
      Array.from({ length: 20 }, () => login({ provider: 'dev', phone: '13600000000' }).then((r) => r.json())),
    )
    expect(new Set(bodies.map((b) => b.member.id)).size).toBe(1)
    expect(bodies.filter((b) => b.created)).toHaveLength(1)
    expect(await memberCount()).toBe(before + 1)
  })

  test('bad input is a 4xx with a stable code and creates nothing', async () => {
    const before = await memberCount()
    const cases: [unknown, number, string][] = [
      [{ provider: 'dev', phone: '12345' }, 400, 'invalid_phone'],
      [{ provider: 'dev', phone: "13800000000' or 1=1" }, 400, 'invalid_phone'],
      [{ provider: 'dev' }, 400, 'invalid_phone'],
      [{ provider: 'github', phone: '13800000000' }, 400, 'invalid_provider'],
      [{}, 400, 'invalid_provider'],
      [null, 400, 'invalid_json'],
    ]
    for (const [body, status, code] of cases) {
      const res = await login(body)
      expect([body, res.status, (await res.json()).message]).toEqual([body, status, code])
    }
    const notJson = await fetch(`${api.url}/functions/v1/auth`, { method: 'POST', body: '{oops' })
    expect(notJson.status).toBe(400)
    expect((await fetch(`${api.url}/functions/v1/auth`)).status).toBe(405)
    expect(await memberCount()).toBe(before)
  })

  test('dev login is refused where AUTH_DEV_LOGIN is not true', async () => {
    await withTestApi(db, { functionEnv: { AUTH_DEV_LOGIN: 'false' } }, async (locked) => {
      const res = await fetch(`${locked.url}/functions/v1/auth`, {
        method: 'POST',
        body: JSON.stringify({ provider: 'dev', phone: '13800000009' }),
      })
      expect(res.status).toBe(403)
      expect((await res.json()).message).toBe('provider_disabled')
    })
  })

  test('CORS preflight is answered by the function itself', async () => {
    const res = await fetch(`${api.url}/functions/v1/auth`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:10086' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-headers')).toMatch(/apikey/)
  })
})

describe('auth function: wechat provider (jscode2session on a local stand-in)', () => {
  test('a valid code signs in by openid; the session_key never reaches the client', async () => {
    wechatCalls = []
    const res = await login({ provider: 'wechat', code: 'good-1' })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain('SECRET-SESSION-KEY')
    expect(text).not.toContain('openid-1')
    const body = JSON.parse(text)
    expect(body.member).toMatchObject({ nickname: '微信用户', phone: null })
    expect(wechatCalls[0].get('grant_type')).toBe('authorization_code')
    expect(wechatCalls[0].get('js_code')).toBe('good-1')
    const identity = await db.admin.query(`select subject, wechat_unionid from private.member_identities where member_id = $1`, [
      body.member.id,
    ])
    expect(identity.rows).toEqual([{ subject: 'openid-1', wechat_unionid: 'union-1' }])
    expect((await (await login({ provider: 'wechat', code: 'good-1' })).json()).member.id).toBe(body.member.id)
    expect((await client(api, body.access_token).rpc('me')).data).toMatchObject({ balance_points: 100 })
  })

  test('WeChat errors map to stable codes', async () => {
    const cases: [unknown, number, string][] = [
      ['bad-code', 400, 'invalid_wechat_code'],
      ['busy', 429, 'wechat_rate_limited'],
      ['has space', 400, 'invalid_wechat_code'],
      [42, 400, 'invalid_wechat_code'],
    ]
    for (const [code, status, message] of cases) {
      const res = await login({ provider: 'wechat', code })
      expect([code, res.status, (await res.json()).message]).toEqual([code, status, message])
    }
  })

  test('without WeChat credentials the provider answers 503 wechat_not_configured', async () => {
    await withTestApi(db, { functionEnv: {} }, async (bare) => {
      const res = await fetch(`${bare.url}/functions/v1/auth`, {
        method: 'POST',
        body: JSON.stringify({ provider: 'wechat', code: 'good-2' }),
      })
      expect(res.status).toBe(503)
      expect((await res.json()).message).toBe('wechat_not_configured')
    })
  })
})

describe('function hosting', () => {
  test('verify_jwt (default on) guards functions; env, method, path and body reach the handler', async () => {
    await withTestApi(
      db,
      { functionsDir: path.join(__dirname, 'fixtures', 'functions'), functionEnv: { GREETING: '你好' } },
      async (fixtures) => {
        expect((await fetch(`${fixtures.url}/functions/v1/echo`, { method: 'POST' })).status).toBe(401)
        const forged = await fetch(`${fixtures.url}/functions/v1/echo`, { method: 'POST', headers: { Authorization: 'Bearer x.y.z' } })
        expect(forged.status).toBe(401)
        const res = await fetch(`${fixtures.url}/functions/v1/echo/sub/path?x=1`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${LOCAL_ANON_KEY}` },
          body: 'hello',
        })
        expect(res.status).toBe(200)
        expect(res.headers.get('x-echo')).toBe('yes')
        expect(await res.json()).toEqual({
          method: 'POST',
          path: '/echo/sub/path',
          query: '?x=1',
          body: 'hello',
          greeting: '你好',
          supabaseUrl: fixtures.url,
        })
        expect((await fetch(`${fixtures.url}/functions/v1/missing`)).status).toBe(404)
      },
    )
  })
})
