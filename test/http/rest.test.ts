// The local API's PostgREST behaviour, exercised with the real supabase-js client over HTTP.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { signJwt } from '../../supabase/functions/_shared/jwt'
import { LOCAL_ANON_KEY, LOCAL_JWT_SECRET, LOCAL_SERVICE_ROLE_KEY } from '../../stack/config'
import { configSchemas, type ApiServer } from '../../stack/server'
import { client, serviceClient, startTestApi, withTestApi } from '../support/api'
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

/**
 * PostgREST conformance (issue 19): each expectation is PostgREST 14's answer as its documentation and source
 * give it (docs/references/api/functions.rst, preferences.rst, schemas.rst, pagination_count.rst;
 * src/PostgREST/Error.hs, Plan.hs findProc / negotiateContent, ApiRequest/Payload.hs, ApiRequest/Preferences.hs,
 * Response.hs, RangeQuery.hs), bodies ported from its test suite (test/spec/Feature/Query/RpcSpec.hs) where one
 * exists. The functions live in a test-only schema (fixtures/conformance-fixtures.sql) that only this block's API
 * server exposes (schemas: public, conformance).
 */
describe('PostgREST conformance', () => {
  let conf: ApiServer
  beforeAll(async () => {
    await db.admin.query(readFileSync(path.join(__dirname, 'fixtures', 'conformance-fixtures.sql'), 'utf8'))
    conf = await startTestApi(db, { schemas: ['public', 'conformance'] })
  })
  afterAll(() => conf.close())
  type Init = { method?: string; body?: string | Buffer; headers?: Record<string, string> }
  const call = (p: string, init: Init = {}, server = () => conf) =>
    fetch(`${server().url}/rest/v1${p}`, {
      method: init.method ?? 'GET',
      body: init.body as BodyInit | undefined,
      headers: {
        apikey: LOCAL_ANON_KEY,
        ...(init.method === 'POST' ? { 'Content-Profile': 'conformance' } : { 'Accept-Profile': 'conformance' }),
        ...init.headers,
      },
    })
  const post = (fn: string, body: string | Buffer, contentType = 'application/json', headers: Record<string, string> = {}) =>
    call(`/rpc/${fn}`, { method: 'POST', body, headers: { 'Content-Type': contentType, ...headers } })
  const answer = async (res: Response) => [res.status, await res.json()]

  describe('1. overloaded functions PostgREST cannot choose between: 300 PGRST203', () => {
    test('same parameter names, different types (RpcSpec "overloaded_same_args")', async () => {
      expect(await answer(await call('/rpc/overloaded_same_args?arg=value'))).toEqual([
        300,
        {
          code: 'PGRST203',
          details: null,
          hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
          message:
            'Could not choose the best candidate function between: conformance.overloaded_same_args(arg => integer), conformance.overloaded_same_args(arg => xml), conformance.overloaded_same_args(arg => text, num => integer)',
        },
      ])
    })
    test('two overloads that both accept {} through their defaults; a named argument chooses', async () => {
      const both = await answer(await post('both_default', '{}'))
      expect(both).toEqual([300, expect.objectContaining({ code: 'PGRST203' })])
      expect((both[1] as { message: string }).message).toBe(
        'Could not choose the best candidate function between: conformance.both_default(a => integer), conformance.both_default(b => text)',
      )
      expect(await answer(await post('both_default', '{"b": "y"}'))).toEqual([200, 'y'])
    })
  })

  describe('2. functions with a single unnamed parameter get the body (functions.rst)', () => {
    test('json / jsonb with application/json (and no Content-Type, its default)', async () => {
      expect(await answer(await post('unnamed_json_param', '{"x": 1, "y": [2]}'))).toEqual([200, { x: 1, y: [2] }])
      expect(await answer(await post('unnamed_jsonb_param', '{"x": 1}'))).toEqual([200, { x: 1, seen: true }])
      const noType = await call('/rpc/unnamed_json_param', { method: 'POST', body: Buffer.from('{"z": 3}') })
      expect(await answer(noType)).toEqual([200, { z: 3 }])
    })
    test('text with text/plain, xml with text/xml, bytea with application/octet-stream', async () => {
      expect(await answer(await post('unnamed_text_param', 'plain words, "quotes"', 'text/plain'))).toEqual([
        200,
        'got: plain words, "quotes"',
      ])
      expect(await answer(await post('unnamed_xml_param', '<a>hi</a>', 'text/xml'))).toEqual([200, '{hi}'])
      expect(await answer(await post('unnamed_bytea_param', Buffer.from([0, 255, 1, 2]), 'application/octet-stream'))).toEqual([200, 4])
    })
    test('{"": value}: the unnamed parameter is named "" in the schema cache, and the whole body is the argument', async () => {
      expect(await answer(await post('unnamed_text_param', '{"": "x"}'))).toEqual([200, 'got: {"": "x"}'])
    })
    test('the unnamed json overload is the fallback when no named overload matches; json and jsonb together are ambiguous', async () => {
      expect(await answer(await post('overloaded_unnamed_param', '{"x": 1, "y": 2}'))).toEqual([200, 3])
      expect(await answer(await post('overloaded_unnamed_param', '{"a": 1}'))).toEqual([200, { a: 1 }])
      expect(await answer(await post('overloaded_unnamed_json_jsonb_param', '{"A": 1, "B": 2, "C": 3}'))).toEqual([
        300,
        {
          code: 'PGRST203',
          details: null,
          hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
          message:
            'Could not choose the best candidate function between: conformance.overloaded_unnamed_json_jsonb_param( => json), conformance.overloaded_unnamed_json_jsonb_param( => jsonb)',
        },
      ])
    })
    test('other types (integer …) are not callable; a named json parameter does not take the body', async () => {
      expect(await answer(await post('unnamed_int_param', '{"x": 1, "y": 2}'))).toEqual([
        404,
        {
          code: 'PGRST202',
          message: 'Could not find the function conformance.unnamed_int_param(x, y) in the schema cache',
          details:
            'Searched for the function conformance.unnamed_int_param with parameters x, y or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
          hint: 'Perhaps you meant to call the function conformance.unnamed_text_param',
        },
      ])
      for (const [type, name] of [
        ['text/plain', 'text'],
        ['text/xml', 'xml'],
        ['application/octet-stream', 'bytea'],
      ]) {
        expect(await answer(await post('unnamed_int_param', 'a simple text', type))).toEqual([
          404,
          {
            code: 'PGRST202',
            message: 'Could not find the function conformance.unnamed_int_param in the schema cache',
            details: `Searched for the function conformance.unnamed_int_param with a single unnamed ${name} parameter, but no matches were found in the schema cache.`,
            hint: null,
          },
        ])
      }
      expect(await answer(await post('named_json_param', '{"A": 1, "B": 2, "C": 3}'))).toEqual([
        404,
        {
          code: 'PGRST202',
          message: 'Could not find the function conformance.named_json_param(A, B, C) in the schema cache',
          details:
            'Searched for the function conformance.named_json_param with parameters A, B, C or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
          hint: null,
        },
      ])
    })
    test('a body of another Content-Type is 400 PGRST102 (Payload.hs); a text body does not call a function without parameters', async () => {
      expect(await answer(await post('sayhello', '<name>x</name>', 'application/xml'))).toEqual([
        400,
        { code: 'PGRST102', message: 'Content-Type not acceptable: application/xml', details: null, hint: null },
      ])
      const textToNoArgs = await raw('/rest/v1/rpc/count_gadgets', {
        method: 'POST',
        body: '{}',
        headers: { 'Content-Type': 'text/plain' },
      })
      expect(await answer(textToNoArgs)).toEqual([
        404,
        {
          code: 'PGRST202',
          message: 'Could not find the function public.count_gadgets in the schema cache',
          details:
            'Searched for the function public.count_gadgets with a single unnamed text parameter, but no matches were found in the schema cache.',
          hint: null,
        },
      ])
    })
  })

  describe('3. PGRST202 bodies as PostgREST words them (RpcSpec)', () => {
    test('unknown name: "without parameters" and the closest function name', async () => {
      expect(await answer(await call('/rpc/sayhell'))).toEqual([
        404,
        {
          code: 'PGRST202',
          message: 'Could not find the function conformance.sayhell without parameters in the schema cache',
          details: 'Searched for the function conformance.sayhell without parameters, but no matches were found in the schema cache.',
          hint: 'Perhaps you meant to call the function conformance.sayhello',
        },
      ])
      const far = (await answer(await call('/rpc/zzzzzz')))[1]
      expect(far.hint).toBeNull()
    })
    test('unknown arguments: the closest parameter list of the overloads', async () => {
      expect(await answer(await call('/rpc/sayhello?nam=Peter'))).toEqual([
        404,
        {
          code: 'PGRST202',
          message: 'Could not find the function conformance.sayhello(nam) in the schema cache',
          details: 'Searched for the function conformance.sayhello with parameter nam, but no matches were found in the schema cache.',
          hint: 'Perhaps you meant to call the function conformance.sayhello(name)',
        },
      ])
      expect(await answer(await call('/rpc/add_them?a=1&b=2&smthelse=blabla'))).toEqual([
        404,
        {
          code: 'PGRST202',
          message: 'Could not find the function conformance.add_them(a, b, smthelse) in the schema cache',
          details:
            'Searched for the function conformance.add_them with parameters a, b, smthelse, but no matches were found in the schema cache.',
          hint: 'Perhaps you meant to call the function conformance.add_them(a, b)',
        },
      ])
      expect(await answer(await call('/rpc/add_them?a=1&b=2'))).toEqual([200, 3])
      // a filter (operator.value) on a GET call is not an argument
      expect(await answer(await call('/rpc/numbers?n=4&even=is.true&select=i'))).toEqual([200, [{ i: 2 }, { i: 4 }]])
    })
  })

  describe('4. Prefer: count=exact on RPCs sets Content-Range with the total (Response.hs, RangeQuery.hs)', () => {
    const counted = { Prefer: 'count=exact' }
    test('POST, GET and HEAD; 206 when the page is shorter than the total; filters count', async () => {
      for (const res of [
        await post('numbers?limit=3', '{"n": 10}', 'application/json', counted),
        await call('/rpc/numbers?n=10&limit=3', { headers: counted }),
        await call('/rpc/numbers?n=10&limit=3', { method: 'HEAD', headers: counted }),
      ]) {
        expect([res.status, res.headers.get('content-range'), res.headers.get('preference-applied')]).toEqual([
          206,
          '0-2/10',
          'count=exact',
        ])
      }
      const all = await post('numbers?even=eq.true', '{"n": 10}', 'application/json', counted)
      expect([all.status, all.headers.get('content-range'), (await all.json()).length]).toEqual([200, '0-4/5', 5])
      const paged = await post('numbers?limit=2&offset=4', '{"n": 10}', 'application/json', counted)
      expect([paged.status, paged.headers.get('content-range')]).toEqual([206, '4-5/10'])
      const beyond = await post('numbers?offset=20', '{"n": 10}', 'application/json', counted)
      expect(await answer(beyond)).toEqual([
        416,
        {
          code: 'PGRST103',
          message: 'Requested range not satisfiable',
          details: 'An offset of 20 was requested, but there are only 10 rows.',
          hint: null,
        },
      ])
    })
    test('without a count the total is "*"; a scalar or single-row function is one row', async () => {
      const res = await post('numbers?limit=3', '{"n": 10}')
      expect([res.status, res.headers.get('content-range')]).toEqual([200, '0-2/*'])
      const scalar = await raw('/rest/v1/rpc/count_gadgets', { method: 'POST', headers: { Prefer: 'count=exact' } })
      expect([scalar.status, scalar.headers.get('content-range'), await scalar.json()]).toEqual([200, '0-0/1', 5])
      const one = await call('/rpc/one_widget', { headers: counted })
      expect([one.headers.get('content-range'), await one.json()]).toEqual(['0-0/1', { id: 1, name: 'conformance widget' }])
    })
    test('text/csv answers carry the same Content-Range when a count is asked (streamed: no count, no Content-Range)', async () => {
      const csv = { Accept: 'text/csv', ...counted }
      const res = await post('numbers?limit=3&select=i,even', '{"n": 10}', 'application/json', csv)
      expect([res.status, res.headers.get('content-range'), await res.text()]).toEqual([206, '0-2/10', 'i,even\n1,f\n2,t\n3,f'])
      const table = await raw('/rest/v1/gadgets?select=id&order=id&offset=1&limit=2', { headers: csv })
      expect([table.status, table.headers.get('content-range'), await table.text()]).toEqual([206, '1-2/5', 'id\n2\n3'])
      const empty = await post('numbers?offset=10', '{"n": 10}', 'application/json', csv)
      expect([empty.status, empty.headers.get('content-range'), await empty.text()]).toEqual([206, '*/10', '\n'])
      expect((await post('numbers?offset=11', '{"n": 10}', 'application/json', csv)).status).toBe(416)
      const uncounted = await post('numbers?limit=3', '{"n": 10}', 'application/json', { Accept: 'text/csv' })
      expect([uncounted.status, uncounted.headers.get('content-range')]).toEqual([200, null])
    })
    test('a counted CSV call of a volatile function with an empty page runs it once', async () => {
      const before = (await db.admin.query('select count(*)::int as n from conformance.calls')).rows[0].n
      const res = await post('log_call?limit=0', '{"p_note": "csv"}', 'application/json', { Accept: 'text/csv', ...counted })
      expect([res.status, res.headers.get('content-range')]).toEqual([406, null]) // a scalar: no CSV (docs/local-stack.md)
      const json = await post('log_call', '{"p_note": "json"}', 'application/json', counted)
      expect([json.status, json.headers.get('content-range')]).toEqual([200, '0-0/1'])
      expect((await db.admin.query('select count(*)::int as n from conformance.calls')).rows[0].n).toBe(before + 1)
    })
    test('count=planned / estimated (pagination_count.rst): reads estimate with the planner; RPCs have no plan count', async () => {
      const planned = await raw('/rest/v1/gadgets?select=id', { headers: { Prefer: 'count=planned' } })
      expect(planned.headers.get('content-range')).toMatch(/^0-4\/\d+$/)
      expect(planned.headers.get('preference-applied')).toBe('count=planned')
      const estimated = await raw('/rest/v1/gadgets?select=id', { headers: { Prefer: 'count=estimated' } })
      expect(estimated.headers.get('content-range')).toBe('0-4/5') // under max_rows: the exact count
      const rpcPlanned = await post('numbers?limit=3', '{"n": 10}', 'application/json', { Prefer: 'count=planned' })
      expect([rpcPlanned.headers.get('content-range'), rpcPlanned.headers.get('preference-applied')]).toEqual(['0-2/*', 'count=planned'])
      const rpcEstimated = await post('numbers?limit=3', '{"n": 10}', 'application/json', { Prefer: 'count=estimated' })
      expect(rpcEstimated.headers.get('content-range')).toBe('0-2/10')
    })
  })

  describe('5. content negotiation and preferences', () => {
    test('an Accept nothing can produce is 406 PGRST107; q values and specificity order the choice (wai parseHttpAccept)', async () => {
      expect(await answer(await raw('/rest/v1/gadgets?select=id', { headers: { Accept: 'text/html, application/xml' } }))).toEqual([
        406,
        { code: 'PGRST107', message: 'None of these media types are available: text/html, application/xml', details: null, hint: null },
      ])
      expect((await raw('/rest/v1/rpc/count_gadgets', { headers: { Accept: 'application/geo+json' } })).status).toBe(406)
      const json = await raw('/rest/v1/gadgets?select=id&id=eq.1', { headers: { Accept: 'text/html, */*;q=0.5' } })
      expect([json.status, json.headers.get('content-type'), await json.json()]).toEqual([
        200,
        'application/json; charset=utf-8',
        [{ id: 1 }],
      ])
      const csv = await raw('/rest/v1/gadgets?select=id&id=eq.1', { headers: { Accept: '*/*, text/csv' } })
      expect([csv.headers.get('content-type'), await csv.text()]).toEqual(['text/csv; charset=utf-8', 'id\n1'])
      const preferJson = await raw('/rest/v1/gadgets?select=id&id=eq.1', { headers: { Accept: 'text/csv;q=0.5, application/json' } })
      expect(preferJson.headers.get('content-type')).toBe('application/json; charset=utf-8')
      const stripped = await raw('/rest/v1/gadgets?select=id,note&id=eq.1', {
        headers: { Accept: 'application/vnd.pgrst.array+json;nulls=stripped' },
      })
      expect(await stripped.json()).toEqual([{ id: 1 }])
    })
    test('Prefer: handling=strict refuses unknown preferences (400 PGRST122); lenient ignores them', async () => {
      expect(
        await answer(await raw('/rest/v1/gadgets?select=id', { headers: { Prefer: 'handling=strict, invalid, count=exact' } })),
      ).toEqual([
        400,
        {
          code: 'PGRST122',
          message: 'Invalid preferences given with handling=strict',
          details: 'Invalid preferences: invalid',
          hint: null,
        },
      ])
      const lenient = await raw('/rest/v1/gadgets?select=id', { headers: { Prefer: 'handling=lenient, invalid, count=exact' } })
      expect([lenient.status, lenient.headers.get('preference-applied')]).toEqual([200, 'count=exact, handling=lenient'])
    })
    test('Prefer: tx=rollback only where db-tx-end allows it; Supabase runs PostgREST with its default (commit)', async () => {
      const rows = async () => (await db.admin.query('select count(*)::int as n from conformance.calls')).rows[0].n
      const before = await rows()
      const ignored = await post('log_call', '{"p_note": "kept"}', 'application/json', { Prefer: 'tx=rollback' })
      expect([ignored.status, ignored.headers.get('preference-applied')]).toEqual([200, null])
      expect(await rows()).toBe(before + 1) // committed, as PostgREST with db-tx-end = commit
      await withTestApi(db, { schemas: ['conformance'], txEnd: 'commit-allow-override' }, async (override) => {
        const undone = await call(
          '/rpc/log_call',
          { method: 'POST', body: '{"p_note": "undone"}', headers: { 'Content-Type': 'application/json', Prefer: 'tx=rollback' } },
          () => override,
        )
        expect([undone.status, undone.headers.get('preference-applied'), typeof (await undone.json())]).toEqual([
          200,
          'tx=rollback',
          'number',
        ])
        const csv = await call(
          '/rpc/numbers',
          { method: 'POST', body: '{"n": 2}', headers: { 'Content-Type': 'application/json', Prefer: 'tx=rollback', Accept: 'text/csv' } },
          () => override,
        )
        expect(await csv.text()).toBe('i,even\n1,f\n2,t')
      })
      expect(await rows()).toBe(before + 1)
    })
  })

  describe('6. exposed schemas from supabase/config.toml (schemas.rst)', () => {
    test('[api] schemas and extra_search_path are read like max_rows', () => {
      expect(configSchemas(path.join(__dirname, '..', '..', 'supabase', 'config.toml'))).toEqual({
        schemas: ['public'],
        extraSearchPath: ['public', 'extensions'],
      })
    })
    test('Accept-Profile / Content-Profile choose the schema; the answer names it in Content-Profile', async () => {
      const read = await call('/widgets?select=name')
      expect([read.status, read.headers.get('content-profile'), await read.json()]).toEqual([
        200,
        'conformance',
        [{ name: 'conformance widget' }],
      ])
      const rpc = await post('sayhello', '{"name": "Lin"}')
      expect([rpc.headers.get('content-profile'), await rpc.json()]).toEqual(['conformance', 'Hello, Lin'])
      // no profile header: the first schema, named too when more than one is exposed
      const dflt = await fetch(`${conf.url}/rest/v1/gadgets?select=id&id=eq.1`, { headers: { apikey: LOCAL_ANON_KEY } })
      expect([dflt.headers.get('content-profile'), await dflt.json()]).toEqual(['public', [{ id: 1 }]])
      // search_path = the request's schema, then extra_search_path, each quoted (PreQuery.hs escapeIdentList)
      expect(await (await call('/rpc/search_path')).json()).toBe('"conformance", "public", "extensions"')
    })
    test('a schema that is not exposed is 406 PGRST106', async () => {
      expect(await answer(await raw('/rest/v1/widgets', { headers: { 'Accept-Profile': 'conformance' } }))).toEqual([
        406,
        { code: 'PGRST106', message: 'Invalid schema: conformance', details: null, hint: 'Only the following schemas are exposed: public' },
      ])
      const res = await raw('/rest/v1/rpc/sayhello', {
        method: 'POST',
        body: '{}',
        headers: { 'Content-Profile': 'private', 'Content-Type': 'application/json' },
      })
      expect((await answer(res))[0]).toBe(406)
      const tableHint = await answer(await call('/widget'))
      expect(tableHint).toEqual([
        404,
        {
          code: 'PGRST205',
          message: "Could not find the table 'conformance.widget' in the schema cache",
          details: null,
          hint: "Perhaps you meant the table 'conformance.widgets'",
        },
      ])
    })
  })
})
