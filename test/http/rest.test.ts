// The local API's PostgREST behaviour, exercised with the real supabase-js client over HTTP.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { signJwt } from '../../supabase/functions/_shared/jwt'
import { LOCAL_ANON_KEY, LOCAL_JWT_SECRET, LOCAL_SERVICE_ROLE_KEY } from '../../stack/config'
import type { ApiServer } from '../../stack/server'
import { client, serviceClient, startTestApi } from '../support/api'
import { createTestDb, tokenFor, type TestDb } from '../support/db'
import { SEEDED } from '../factories/members'

let db: TestDb
let api: ApiServer
const A = SEEDED.lin.id
const B = SEEDED.chen.id

beforeAll(async () => {
  db = await createTestDb()
  await db.seed()
  await db.admin.query(readFileSync(path.join(__dirname, 'fixtures', 'rest-fixtures.sql'), 'utf8'))
  api = await startTestApi(db)
})
afterAll(async () => {
  await api.close()
  await db.drop()
})

const anon = () => client(api)
const raw = (p: string, init: RequestInit = {}) =>
  fetch(`${api.url}${p}`, { ...init, headers: { apikey: LOCAL_ANON_KEY, ...(init.headers as Record<string, string>) } })
const ids = (rows: { id: number }[] | null) => (rows ?? []).map((r) => r.id)

describe('table reads: every supported operator', () => {
  test('eq / neq', async () => {
    expect(ids((await anon().from('gadgets').select('id').eq('name', 'mug')).data)).toEqual([1])
    expect(ids((await anon().from('gadgets').select('id').neq('id', 1).order('id')).data)).toEqual([2, 3, 4, 5])
  })
  test('gt / gte / lt / lte', async () => {
    expect(ids((await anon().from('gadgets').select('id').gt('price_fen', 2500).order('id')).data)).toEqual([3, 5])
    expect(ids((await anon().from('gadgets').select('id').gte('price_fen', 2500).order('id')).data)).toEqual([2, 3, 5])
    expect(ids((await anon().from('gadgets').select('id').lt('price_fen', 2500).order('id')).data)).toEqual([1])
    expect(ids((await anon().from('gadgets').select('id').lte('price_fen', 2500).order('id')).data)).toEqual([1, 2])
    expect(ids((await anon().from('gadgets').select('id').gte('created_at', '2026-01-01T00:00:00Z').lt('id', 3).order('id')).data)).toEqual(
      [1, 2],
    )
  })
  test('in, including quoted values with commas and an empty list', async () => {
    expect(ids((await anon().from('gadgets').select('id').in('id', [1, 3, 99]).order('id')).data)).toEqual([1, 3])
    expect(ids((await anon().from('gadgets').select('id').in('name', ['cup, large', "O'Brien bottle"]).order('id')).data)).toEqual([2, 5])
    expect(ids((await anon().from('gadgets').select('id').in('id', [])).data)).toEqual([])
  })
  test('is null / not null / true / false', async () => {
    expect(ids((await anon().from('gadgets').select('id').is('price_fen', null)).data)).toEqual([4])
    expect(ids((await anon().from('gadgets').select('id').not('note', 'is', null).order('id')).data)).toEqual([2, 3, 5])
    expect(ids((await anon().from('gadgets').select('id').is('active', true).order('id')).data)).toEqual([1, 3, 5])
    expect(ids((await anon().from('gadgets').select('id').is('active', false)).data)).toEqual([2])
  })
  test('like / ilike and not.', async () => {
    expect(ids((await anon().from('gadgets').select('id').ilike('name', 'tea*')).data)).toEqual([3])
    expect(ids((await anon().from('gadgets').select('id').like('name', '%u%').order('id')).data)).toEqual([1, 2])
    expect(ids((await anon().from('gadgets').select('id').not('id', 'in', '(1,2,3)').order('id')).data)).toEqual([4, 5])
  })
  test('select list with alias, order with nulls, limit / offset, exact count', async () => {
    const { data, count, error } = await anon()
      .from('gadgets')
      .select('id,label:name', { count: 'exact' })
      .order('price_fen', { ascending: false, nullsFirst: true })
      .range(0, 2)
    expect(error).toBeNull()
    expect(data).toEqual([
      { id: 4, label: 'straw' },
      { id: 3, label: 'Tea Set' },
      { id: 5, label: "O'Brien bottle" },
    ])
    expect(count).toBe(5)
    const page2 = await anon().from('gadgets').select('id').order('id').range(3, 4)
    expect(ids(page2.data)).toEqual([4, 5])
  })
  test('single object: one row → object; zero or many → 406 PGRST116', async () => {
    const one = await anon().from('gadgets').select('id,name').eq('id', 1).single()
    expect(one.data).toEqual({ id: 1, name: 'mug' })
    const none = await anon().from('gadgets').select('id').eq('id', 99).single()
    expect(none.status).toBe(406)
    expect(none.error?.code).toBe('PGRST116')
    const many = await anon().from('gadgets').select('id').single()
    expect(many.status).toBe(406)
    expect((await anon().from('gadgets').select('id').eq('id', 99).maybeSingle()).data).toBeNull()
  })
  test('HEAD answers without a body; unsupported writes on tables are 405', async () => {
    const head = await anon().from('gadgets').select('*', { count: 'exact', head: true })
    expect(head.count).toBe(5)
    const ins = await anon().from('gadgets').insert({ id: 9, name: 'x' })
    expect(ins.status).toBe(405)
    expect(ins.error?.code).toBe('PGRST117')
  })
  test('bad parameters are 400 with PostgREST codes', async () => {
    expect((await raw('/rest/v1/gadgets?id=between.1')).status).toBe(400)
    expect((await (await raw('/rest/v1/gadgets?id=between.1')).json()).code).toBe('PGRST100')
    expect((await (await raw('/rest/v1/gadgets?limit=-1')).json()).code).toBe('PGRST100')
    expect((await (await raw('/rest/v1/gadgets?order=id.sideways')).json()).code).toBe('PGRST100')
    const badValue = await raw('/rest/v1/gadgets?id=eq.notanumber')
    expect(badValue.status).toBe(400)
    expect((await badValue.json()).code).toBe('22P02')
    expect((await raw('/rest/v1/nope')).status).toBe(404)
    expect((await raw('/rest/v1/gadgets', { headers: { 'Accept-Profile': 'private' } })).status).toBe(406)
  })
})

describe('RPC', () => {
  test('named arguments, defaults and overloads chosen by argument names', async () => {
    expect((await anon().rpc('echo_args', { a: 1 })).data).toEqual({ a: 1, b: 'dflt' })
    expect((await anon().rpc('echo_args', { a: 2, b: 'x' })).data).toEqual({ a: 2, b: 'x' })
    expect((await anon().rpc('echo_args', { a: 3, c: true })).data).toEqual({ a: 3, c: true })
  })
  test('GET calls, scalars, set-returning functions with filters, void → 204', async () => {
    expect((await anon().rpc('echo_args', { a: 7 }, { get: true })).data).toEqual({ a: 7, b: 'dflt' })
    expect((await anon().rpc('count_gadgets')).data).toBe(5)
    const set = await anon()
      .rpc('gadgets_above', { min_price: 2000 })
      .select('id,name')
      .eq('active', true)
      .order('id', { ascending: false })
    expect(set.data).toEqual([
      { id: 5, name: "O'Brien bottle" },
      { id: 3, name: 'Tea Set' },
    ])
    const v = await anon().rpc('do_nothing')
    expect(v.status).toBe(204)
    expect(v.error).toBeNull()
  })
  test('unknown function or argument names → 404 PGRST202; wrong types → 400', async () => {
    expect((await anon().rpc('no_such_fn')).error?.code).toBe('PGRST202')
    const wrongArgs = await anon().rpc('echo_args', { z: 1 })
    expect(wrongArgs.status).toBe(404)
    expect(wrongArgs.error?.code).toBe('PGRST202')
    const wrongType = await anon().rpc('echo_args', { a: 'one' })
    expect(wrongType.status).toBe(400)
    expect(wrongType.error?.code).toBe('22P02')
    const notObject = await raw('/rest/v1/rpc/echo_args', {
      method: 'POST',
      body: '[1,2]',
      headers: { 'Content-Type': 'application/json' },
    })
    expect(notObject.status).toBe(400)
    expect((await notObject.json()).code).toBe('PGRST102')
  })
  test('errors raised in SQL keep their code, message, details, hint and mapped status', async () => {
    const cases: [string, number][] = [
      ['P0001', 400],
      ['PT409', 409],
      ['PT422', 422],
      ['23505', 409],
      ['42501', 401],
      ['XX000', 500],
    ]
    for (const [state, status] of cases) {
      const res = await anon().rpc('fail_with', { p_message: 'insufficient_points', p_state: state })
      expect([state, res.status]).toEqual([state, status])
      expect(res.error).toMatchObject({ code: state, message: 'insufficient_points', details: 'some detail', hint: 'a hint' })
    }
    const member = client(api, await tokenFor({ sub: A }))
    expect((await member.rpc('fail_with', { p_message: 'not_staff', p_state: '42501' })).status).toBe(403)
  })
  test('volatile functions run read-write on POST; GET and stable functions run read-only', async () => {
    expect((await anon().rpc('whoami')).data.read_only).toBe('on')
    expect((await anon().rpc('whoami', {}, { get: true })).data.read_only).toBe('on')
    expect((await serviceClient(api).rpc('write_canary', { p_body: 'ok' })).status).toBe(200)
    const viaGet = await serviceClient(api).rpc('write_canary', { p_body: 'nope' }, { get: true })
    expect(viaGet.status).toBe(405)
    expect(viaGet.error?.code).toBe('25006')
  })
})

describe('malformed input the fuzz test found (docs/reliability.md)', () => {
  const post = (fn: string, body: string) =>
    raw(`/rest/v1/rpc/${fn}`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })
  test('a path with an invalid percent escape is an unknown function (404), not a 500', async () => {
    for (const p of ['/rest/v1/rpc/%FF', '/rest/v1/rpc/echo_args%E0%A4%A', '/rest/v1/%E0']) {
      const res = await raw(p, { method: p.includes('rpc') ? 'POST' : 'GET' })
      expect([p, res.status]).toEqual([p, 404])
      expect(['PGRST202', 'PGRST205']).toContain((await res.json()).code)
    }
  })
  test('numbers reach Postgres as written: 2^63 - 1 and 1e309 are not rounded by JavaScript', async () => {
    const res = await post('echo_numbers', '{"n": 9223372036854775807, "x": 1e309}')
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).toContain('9223372036854775807')
    expect(text).toMatch(/"x" : 1[0]{309}\b/)
    const tooBig = await post('echo_numbers', '{"n": -9223372036854775809}')
    expect(tooBig.status).toBe(400)
    expect(await tooBig.json()).toMatchObject({ code: '22003', message: 'value "-9223372036854775809" is out of range for type bigint' })
  })
  test('a body that is not UTF-8 is 400 PGRST102 and writes nothing', async () => {
    const before = (await db.admin.query('select count(*)::int as n from public.audit_canary')).rows[0].n
    const res = await raw('/rest/v1/rpc/write_canary', {
      method: 'POST',
      body: Buffer.from('{"p_body": "\xed\xa0\x80"}', 'latin1'),
      headers: { 'Content-Type': 'application/json', authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}` },
    })
    expect(res.status).toBe(400)
    expect((await res.json()).code).toBe('PGRST102')
    expect((await db.admin.query('select count(*)::int as n from public.audit_canary')).rows[0].n).toBe(before)
  })
})

describe('roles and claims per request', () => {
  test('anon, member and service_role get their role, uid and request settings', async () => {
    const a = (await anon().rpc('whoami')).data
    expect(a).toMatchObject({
      current_user: 'anon',
      role: 'anon',
      uid: null,
      method: 'POST',
      path: '/rpc/whoami',
      has_authorization_header: false,
    })
    const m = (await client(api, await tokenFor({ sub: A })).rpc('whoami')).data
    expect(m).toMatchObject({ current_user: 'authenticated', role: 'authenticated', uid: A })
    expect((await serviceClient(api).rpc('whoami')).data.current_user).toBe('service_role')
  })

  test('RLS applies per request: a member sees only their own row, also under parallel load', async () => {
    const ca = client(api, await tokenFor({ sub: A }))
    const cb = client(api, await tokenFor({ sub: B }))
    expect((await ca.from('members').select('id')).data).toEqual([{ id: A }])
    expect((await ca.from('members').select('id').eq('id', B)).data).toEqual([])
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? ca : cb)
          .from('members')
          .select('id')
          .then((r) => [i % 2 ? A : B, r.data]),
      ),
    )
    for (const [expected, rows] of results) expect(rows).toEqual([{ id: expected }])
    const anonRead = await anon().from('members').select('id')
    expect(anonRead.status).toBe(401)
    expect(anonRead.error?.code).toBe('42501')
    expect((await serviceClient(api).from('members').select('id')).data?.length).toBe(5) // the seed's members
  })
})

describe('JWT checks', () => {
  const now = () => Math.floor(Date.now() / 1000)
  const rpcWith = (token: string, apikey = LOCAL_ANON_KEY) =>
    raw('/rest/v1/rpc/whoami', {
      method: 'POST',
      headers: { apikey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    })

  test('a token signed with another secret is 401 PGRST301', async () => {
    const forged = await signJwt({ sub: A, role: 'service_role', exp: now() + 60 }, 'not-the-secret-not-the-secret-not-the-secret')
    const res = await rpcWith(forged)
    expect(res.status).toBe(401)
    expect((await res.json()).code).toBe('PGRST301')
    expect(res.headers.get('www-authenticate')).toMatch(/invalid_token/)
  })
  test('an expired token is 401 PGRST303 "JWT expired"', async () => {
    const expired = await signJwt({ sub: A, role: 'authenticated', iat: now() - 7200, exp: now() - 120 }, LOCAL_JWT_SECRET)
    const res = await rpcWith(expired)
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ code: 'PGRST303', message: 'JWT expired' })
  })
  test('malformed, alg=none, tampered payloads and non-API roles are refused', async () => {
    const good = await tokenFor({ sub: A })
    const [h, , s] = good.split('.')
    const evilPayload = Buffer.from(JSON.stringify({ sub: B, role: 'authenticated', exp: now() + 60 })).toString('base64url')
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${evilPayload}.`
    const superuser = await signJwt({ role: 'postgres', exp: now() + 60 }, LOCAL_JWT_SECRET)
    for (const token of ['garbage', `${h}.${evilPayload}.${s}`, none, superuser]) {
      expect((await rpcWith(token)).status).toBe(401)
    }
  })
  test('no key at all, or a bad apikey next to a good token, is 401', async () => {
    const res = await fetch(`${api.url}/rest/v1/rpc/whoami`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(401)
    expect((await rpcWith(await tokenFor({ sub: A }), 'bad-key')).status).toBe(401)
    expect((await rpcWith(LOCAL_SERVICE_ROLE_KEY, LOCAL_SERVICE_ROLE_KEY)).status).toBe(200)
  })
})

describe('SQL injection through names and values', () => {
  async function canaryIntact() {
    const { rows } = await db.admin.query(
      `select to_regclass('public.gadgets') is not null as gadgets, (select count(*)::int from public.gadgets) as n`,
    )
    expect(rows[0]).toEqual({ gadgets: true, n: 5 })
  }
  test('identifiers that are not in the schema are rejected before any SQL runs', async () => {
    const attempts = [
      '/rest/v1/gadgets;drop table gadgets',
      '/rest/v1/gadgets%22;drop%20table%20gadgets;--',
      '/rest/v1/gadgets?select=id;drop table gadgets',
      '/rest/v1/gadgets?select=id,(select 1)',
      '/rest/v1/gadgets?id%20or%201=1=eq.1',
      '/rest/v1/gadgets?%22id%22=eq.1',
      '/rest/v1/gadgets?order=id;drop table gadgets',
      '/rest/v1/gadgets?order=(select 1)',
      '/rest/v1/rpc/count_gadgets();drop table gadgets;--',
    ]
    for (const p of attempts) {
      const res = await raw(p)
      expect([p, res.status]).toEqual([p, expect.any(Number)])
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
    }
    const badArg = await anon().rpc('echo_args', { 'a := 1); drop table gadgets; --': 1 } as Record<string, number>)
    expect(badArg.status).toBe(404)
    await canaryIntact()
  })
  test('values are bound parameters, never SQL', async () => {
    const values = ["x' or '1'='1", '1; drop table gadgets; --', "mug'--", '(1);drop table gadgets']
    for (const v of values) {
      const res = await anon().from('gadgets').select('id').eq('name', v)
      expect(res.data).toEqual([])
    }
    expect((await anon().from('gadgets').select('id').in('name', ["mug') or true --"])).data).toEqual([])
    expect((await anon().rpc('echo_args', { a: 1, b: "'); drop table gadgets; --" })).data).toEqual({
      a: 1,
      b: "'); drop table gadgets; --",
    })
    const badNumber = await raw('/rest/v1/gadgets?id=eq.1%20or%201=1')
    expect(badNumber.status).toBe(400)
    await canaryIntact()
  })
})

describe('HTTP plumbing', () => {
  test('CORS preflight and headers for the H5 dev server', async () => {
    const pre = await fetch(`${api.url}/rest/v1/rpc/get_program`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:10086',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'apikey,authorization,content-type,x-client-info',
      },
    })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe('*')
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/apikey/)
    const res = await raw('/rest/v1/rpc/get_program', {
      method: 'POST',
      body: '{}',
      headers: { Origin: 'http://127.0.0.1:10086', 'Content-Type': 'application/json' },
    })
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect((await res.json()).name).toBe('悦享咖啡会员')
  })
  test('oversized bodies are 413; unknown routes 404; /health answers', async () => {
    const big = await raw('/rest/v1/rpc/echo_args', { method: 'POST', body: JSON.stringify({ a: 1, b: 'x'.repeat(2 * 1024 * 1024) }) })
    expect(big.status).toBe(413)
    expect((await raw('/nope')).status).toBe(404)
    expect((await fetch(`${api.url}/health`)).status).toBe(200)
  })
})
