// Fuzzing the HTTP API: thousands of random and malformed RPC calls (raw fetch, so bodies, content types,
// methods, paths and tokens can be anything) against every exposed function (from pg_proc), with a seeded
// PRNG. FUZZ_SEED=<n> reproduces a run (the seed is printed), FUZZ_CALLS=<n> scales it. Every answer must be
// 2xx or 4xx, every 4xx must carry a documented code (docs/backend.md's error tables, src/domain/errors.ts),
// and a data exception must be about a value the caller sent. Then:
//  - phase 1: write RPCs only get calls that are invalid by construction (one poison each: a forged token,
//    a bad type, a missing or unknown argument, a malformed body, a wrong method), read RPCs get anything —
//    every table is byte-for-byte unchanged afterwards;
//  - phase 2: members, staff and the service role call everything with plausible arguments, often another
//    member's ids, sometimes twice at once — foreign ids and roles are refused, accepted redemptions and
//    cancellations are accounted for, the ledger invariants hold;
//  - phase 3: every argument of every RPC gets every boundary and weird value from a caller that passes the
//    role checks; accepted profiles are well-formed; the ledger invariants hold.
// See docs/reliability.md ("Fuzz test").
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { LOCAL_ANON_KEY, LOCAL_JWT_SECRET, LOCAL_SERVICE_ROLE_KEY, ROOT } from '../../stack/config'
import type { ApiServer } from '../../stack/server'
import { signJwt } from '../../supabase/functions/_shared/jwt'
import { messageFor, FALLBACK_MESSAGE } from '../../src/domain/errors'
import { isOwnAvatarKey } from '../../src/domain/avatar'
import { nicknameIsVisible } from '../../src/domain/profile'
import { useSeededApi } from '../support/api'
import { expectLedgerInvariants, tokenFor, type TestDb } from '../support/db'
import { SEEDED } from '../factories/members'

// a fixed seed by default, so the suite (and CI) is repeatable; FUZZ_SEED=random explores new inputs
const SEED = process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 32) : Number(process.env.FUZZ_SEED ?? 20261123)
const CALLS = Number(process.env.FUZZ_CALLS ?? 2000)
const CONCURRENCY = 6

// mulberry32: small, seedable, good enough for input generation
function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]
  const chance = (p: number) => next() < p
  return { next, int, pick, chance }
}
type Rng = ReturnType<typeof prng>

// ---- what counts as documented ---------------------------------------------------------------------------

/** Every backticked code in the first cell of the tables under "## Error codes" in docs/backend.md. */
function documentedCodes(): Set<string> {
  const doc = readFileSync(path.join(ROOT, 'docs', 'backend.md'), 'utf8')
  const section = doc.slice(doc.indexOf('## Error codes')).split(/\n## /)[0]
  const codes = new Set<string>()
  for (const line of section.split('\n')) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1] ?? ''
    for (const m of first.matchAll(/`([^`]+)`/g)) codes.add(m[1])
  }
  return codes
}
const DOCUMENTED = documentedCodes()

/**
 * A data exception (class 22) is documented for reading an argument, so it must be about a value the
 * caller sent: the message quotes it (`invalid input syntax for type date: "x"`), or it is a NUL or a
 * malformed \u escape. Anything else (`cannot subtract infinite dates`) failed inside the function: a
 * validation gap.
 */
function aboutSentValue(message: string, sent: string): boolean {
  if (/^(unsupported Unicode escape sequence|invalid input syntax for type json)/.test(message)) return true
  const quoted = [...message.matchAll(/"(.*?)"(?= is out of range|$)/gs)].map((m) => m[1])
  const squash = (x: string) => x.replace(/\s+/g, '')
  return quoted.some((q) => squash(sent).includes(squash(q)) || squash(sent).includes(squash(JSON.stringify(q).slice(1, -1))))
}

/** Why an answer breaks the oracle (a 5xx, an undocumented code, a data exception from inside a function), or null. */
function violation(status: number, text: string, method: string, sent: string): string | null {
  if (status >= 500 || status < 200) return `status ${status}`
  // HEAD answers have no body; 431 (headers over 16 KiB) comes from the HTTP server, bodiless
  if (status < 400 || method === 'HEAD' || status === 431) return null
  let body: any
  try {
    body = JSON.parse(text)
  } catch {
    return 'error body is not JSON'
  }
  const code = String(body?.code)
  if (/^PT\d{3}$/.test(code) || code === 'P0001') {
    // a business error: the stable code is in message
    if (!DOCUMENTED.has(body.message) || messageFor(body.message) === FALLBACK_MESSAGE) return `undocumented business code ${body.message}`
    return null
  }
  if (/^22/.test(code) && !aboutSentValue(String(body.message), sent)) return `data exception inside a function ${code}`
  return DOCUMENTED.has(code) || (/^22/.test(code) && DOCUMENTED.has('22xxx')) ? null : `undocumented code ${code}`
}

// ---- the API surface, from pg_proc -----------------------------------------------------------------------

interface Fn {
  name: string
  args: { name: string; type: string; required: boolean }[]
  volatile: boolean
  roles: string[]
}

async function exposedFunctions(db: TestDb): Promise<Fn[]> {
  const { rows } = await db.admin.query(`
    select p.proname as name, p.provolatile = 'v' as volatile, p.pronargdefaults as ndefaults,
           coalesce(p.proargnames, '{}') as arg_names,
           array(select format_type(t, null) from unnest(p.proargtypes) t) as arg_types,
           array(select r from unnest(array['anon', 'authenticated', 'service_role']) r where has_function_privilege(r, p.oid, 'execute')) as roles
    from pg_proc p
    where p.pronamespace = 'public'::regnamespace
      and (has_function_privilege('anon', p.oid, 'execute') or has_function_privilege('authenticated', p.oid, 'execute')
           or has_function_privilege('service_role', p.oid, 'execute'))
    order by 1`)
  return rows.map((r) => ({
    name: r.name,
    volatile: r.volatile,
    roles: r.roles,
    args: (r.arg_types as string[]).map((type, i, all) => ({ name: r.arg_names[i], type, required: i < all.length - r.ndefaults })),
  }))
}

// ---- values: raw JSON text, so 1e309, 2^63 and -0 reach the server as written -------------------------

const str = (s: string) => JSON.stringify(s)
const WEIRD_STRINGS = [
  '',
  ' ',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  "'; drop table public.members; --",
  '%s%n',
  '../../etc/passwd',
  '😀👨‍👩‍👧‍👦',
  '\u202eevil\u202c',
  'مرحبا',
  '林小满',
  'a\u0000b',
  '\u0000',
  'x'.repeat(10_000),
  '字'.repeat(3000),
  '\t\n\r',
  '<script>alert(1)</script>',
  '2026-13-45',
  '\uFEFF',
  'NaN',
  'Infinity',
  '１２３',
  '٣',
  '\u3000',
  '\u200b',
  'https://a b',
  'https://x\u0001',
  '\u3164',
  '\u2800',
  '林\u200d小满',
  '\u115f\u1160',
]
const RAW_WEIRD = [
  '"\\ud800"',
  '"\\udc00x"',
  '"a\\u0000b"',
  '1e309',
  '-1e309',
  '9223372036854775808',
  '-9223372036854775809',
  '2147483648',
  '-0',
  '1.5',
  '0.0000001',
  '1e-400',
  '"NaN"',
  '"Infinity"',
  '"-Infinity"',
  '"1e3"',
  '99999999999999999999999999999999',
  'true',
  'false',
  'null',
  '[]',
  '[1,2]',
  '{}',
  '{"a":1}',
  '[[[[[[[[[[]]]]]]]]]]',
  '""',
  '" "',
]

/** Boundary values per type, swept through every argument in phase 3 */
const EDGES: Record<string, string[]> = {
  integer: ['0', '-1', '2147483647', '-2147483648', '9223372036854775807', '-9223372036854775808'],
  bigint: ['0', '-1', '2147483647', '9223372036854775807', '-9223372036854775808'],
  date: ['"infinity"', '"-infinity"', '"5874897-12-31"', '"4713-01-01 BC"', '"0001-01-01"', '"1900-01-01"', '"9999-12-31"', '"2026-11-23"'],
  'timestamp with time zone': [
    '"infinity"',
    '"-infinity"',
    '"294276-12-31T23:59:59Z"',
    '"4713-01-01 00:00:00+00 BC"',
    '"0001-01-01T00:00:00Z"',
    '"2026-11-23T00:00:00+08:00"',
  ],
}

function rawValue(rng: Rng, type: string, pool: Pools): string {
  const r = rng.next()
  if (r < 0.35) return rng.pick(RAW_WEIRD)
  if (r < 0.5) return str(rng.pick(WEIRD_STRINGS))
  return plausible(rng, type, pool)
}

/** A value of the right type, often a real one (possibly another member's). */
function plausible(rng: Rng, type: string, pool: Pools): string {
  switch (type) {
    case 'uuid':
      return str(rng.chance(0.6) ? rng.pick(pool.uuids) : randomUUIDFrom(rng))
    case 'integer':
    case 'bigint':
      return String(rng.pick([0, 1, -1, 5, 10, 20, 100, 101, 6800, 100_000_000, 100_000_001, 2 ** 31 - 1, -(2 ** 31)]))
    case 'boolean':
      return rng.pick(['true', 'false', '"t"', '"yes"', '"off"', '0', '1'])
    case 'date':
      return str(
        rng.pick([
          '2026-11-22',
          '2026-11-20',
          '2026-11-01',
          '2025-01-01',
          '1899-12-31',
          '9999-12-31',
          'today',
          'yesterday',
          'tomorrow',
          'epoch',
          'infinity',
          '-infinity',
          '2026-02-30',
          '5874897-12-31',
        ]),
      )
    case 'timestamp with time zone':
      return str(
        rng.pick([
          '2026-11-23T12:00:00Z',
          'now',
          'infinity',
          '-infinity',
          'epoch',
          '294276-12-31T23:59:59Z',
          '2026-11-23 25:00',
          '1970-01-01T00:00:00+14:00',
        ]),
      )
    case 'jsonb':
      // record_subscribe_consent's results (valid and not), the JSON arrays other RPCs take, or a text
      return rng.pick([
        '{"points_expiring":"accept"}',
        '{"voucher_used":"ban","tier_changed":"reject","voucher_expiring":"filter"}',
        '{"check_in_reminder":"accept","birthday":"accept"}',
        '[]',
        '["purchase"]',
        str(rng.pick(pool.texts)),
      ])
    default:
      return str(rng.pick(pool.texts))
  }
}

function randomUUIDFrom(rng: Rng): string {
  const h = Array.from({ length: 32 }, () => '0123456789abcdef'[rng.int(16)]).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`
}

/** A value Postgres must refuse for this type (whatever the rest of the call is), or null for text. */
function poisonValue(rng: Rng, type: string): string | null {
  const bad: Record<string, string[]> = {
    uuid: ['"not-a-uuid"', '"00000000-0000-4000-8000-00000000000"', '42', '"😀"', '{"id":1}', '[1]', 'true', '"\\u0000"'],
    integer: ['"abc"', '1.5', '1e309', '9223372036854775808', '2147483648', '"NaN"', '{}', '[1]', 'true'],
    bigint: ['"abc"', '1.5', '1e309', '9223372036854775808', '"NaN"', '{}', '[]', 'true', '"1e3"'],
    boolean: ['"maybe"', '2', '"😀"', '{}', '[true]', '1.5'],
    date: ['"not a date"', '"2026-02-30"', '"2026-13-01"', '42', '{}', '[]', 'true', '"\\u0000"'],
    'timestamp with time zone': ['"nope"', '"2026-11-23 25:00"', '42', '{}', '[]', 'true'],
  }
  return bad[type] ? rng.pick(bad[type]) : type === 'text' ? rng.pick(['"a\\u0000b"', '"\\u0000"', '"\\ud800"', '"x\\udfff"']) : null
}

// ---- callers ---------------------------------------------------------------------------------------------

interface Caller {
  label: string
  headers: Record<string, string>
  /** the API role it acts as, if the token is valid */
  role?: 'anon' | 'authenticated' | 'service_role'
  /** the member id of a valid member token */
  member?: string
}

const bearer = (token: string) => ({ apikey: LOCAL_ANON_KEY, authorization: `Bearer ${token}` })

async function makeCallers(): Promise<{ legit: Caller[]; forged: Caller[] }> {
  const now = Math.floor(Date.now() / 1000)
  const member = (sub: unknown, extra: Record<string, unknown> = {}, secret = LOCAL_JWT_SECRET) =>
    signJwt({ sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + 3600, ...extra }, secret)
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const memberCaller = async (label: string, id: string): Promise<Caller> => ({
    label,
    headers: bearer(await tokenFor({ sub: id })),
    role: 'authenticated',
    member: id,
  })
  const legit: Caller[] = [
    { label: 'anon', headers: bearer(LOCAL_ANON_KEY), role: 'anon' },
    { label: 'service_role', headers: bearer(LOCAL_SERVICE_ROLE_KEY), role: 'service_role' },
    await memberCaller('lin', SEEDED.lin.id),
    await memberCaller('chen', SEEDED.chen.id),
    await memberCaller('clerk', SEEDED.staffWang.id),
    await memberCaller('manager', SEEDED.managerLi.id),
  ]
  const forged: Caller[] = [
    { label: 'no auth', headers: {} },
    { label: 'empty bearer', headers: { apikey: LOCAL_ANON_KEY, authorization: 'Bearer ' } },
    { label: 'garbage token', headers: bearer('abc.def.ghi') },
    { label: 'not a jwt', headers: bearer('\u00ff'.repeat(50)) },
    { label: 'bad signature', headers: bearer(await member(SEEDED.lin.id, {}, 'another-secret-another-secret-another-secret')) },
    {
      label: 'alg none',
      headers: bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: SEEDED.lin.id, role: 'authenticated', exp: now + 3600 })}.`),
    },
    {
      label: 'alg none service_role',
      headers: bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'service_role', exp: now + 3600 })}.`),
    },
    { label: 'expired', headers: bearer(await member(SEEDED.lin.id, { iat: now - 7200, exp: now - 3600 })) },
    { label: 'not yet valid', headers: bearer(await member(SEEDED.lin.id, { nbf: now + 3600 })) },
    { label: 'role postgres', headers: bearer(await member(SEEDED.lin.id, { role: 'postgres' })) },
    { label: 'role authenticator', headers: bearer(await member(SEEDED.lin.id, { role: 'authenticator' })) },
    { label: 'role number', headers: bearer(await member(SEEDED.lin.id, { role: 42 })) },
    { label: 'role array', headers: bearer(await member(SEEDED.lin.id, { role: ['service_role'] })) },
    { label: 'unknown member', headers: bearer(await member(randomUUID())), role: 'authenticated' },
    { label: 'sub not a uuid', headers: bearer(await member('13800000001')), role: 'authenticated' },
    { label: 'sub empty', headers: bearer(await member('')), role: 'authenticated' },
    { label: 'sub number', headers: bearer(await member(42)), role: 'authenticated' },
    { label: 'sub object', headers: bearer(await member({ id: SEEDED.lin.id })), role: 'authenticated' },
    { label: 'sub NUL', headers: bearer(await member('\u0000')), role: 'authenticated' },
    { label: 'missing sub', headers: bearer(await member(undefined)), role: 'authenticated' },
    { label: 'anon key + forged apikey', headers: { apikey: 'x.y.z', authorization: `Bearer ${LOCAL_ANON_KEY}` } },
  ]
  return { legit, forged }
}

// ---- requests --------------------------------------------------------------------------------------------

interface Call {
  method: string
  path: string
  headers: Record<string, string>
  body?: Buffer | string
  fn: string
  /** a write RPC called with a poison: it must not be accepted (GET / HEAD may answer: they run read-only) */
  poisoned: boolean
  caller?: Caller
  /** for the report */
  what: string
}

interface Pools {
  uuids: string[]
  texts: string[]
}

function bodyOf(entries: [string, string][]): string {
  return `{${entries.map(([k, v]) => `${str(k)}:${v}`).join(',')}}`
}

/** A random set of arguments: each known argument present or not, plus now and then an unknown one. */
function randomArgs(rng: Rng, fn: Fn, pool: Pools): [string, string][] {
  const entries: [string, string][] = []
  for (const a of fn.args) if (a.required ? rng.chance(0.9) : rng.chance(0.6)) entries.push([a.name, rawValue(rng, a.type, pool)])
  if (rng.chance(0.05))
    entries.push([rng.pick(['p_extra', 'P_LIMIT', 'p_limit ', '', '__proto__', 'p_member_id', '"; drop']), rawValue(rng, 'text', pool)])
  return entries
}

const MALFORMED_BODIES: (string | Buffer)[] = [
  '{',
  '}',
  '[]',
  '[{}]',
  'null',
  '"x"',
  '42',
  'true',
  "{'p_limit': 1}",
  '{"p_limit": 1,}',
  '{"p_limit": NaN}',
  '{p_limit: 1}',
  '{"p_limit": 1}{"p_limit": 2}',
  '\u0000',
  Buffer.from([0xff, 0xfe, 0x00]),
  Buffer.from('{"p_nickname": "\xed\xa0\x80"}', 'latin1'),
  '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
  `{"p_nickname": "${'x'.repeat(1_100_000)}"}`, // over the 1 MiB limit: 413
]
/**
 * JSON bodies PostgREST reads as no arguments (ApiRequest/Payload.hs payloadAttributes: a scalar or `[]`): a
 * poison only for a function with a required argument (issue 19).
 */
const NO_ARGUMENT_JSON = new Set(['[]', 'null', '"x"', '42', 'true'])
/** Bodies read as no arguments (blank, or a byte-order mark before `{}`): no poison */
const EMPTY_BODIES: (string | Buffer)[] = [' \n\t ', Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])]
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
  'application/json; charset=latin1',
]

/** Phase 1 call: read RPCs anything; write RPCs always carry one poison (so nothing may change). */
function phase1Call(rng: Rng, fns: Fn[], callers: { legit: Caller[]; forged: Caller[] }, pool: Pools): Call {
  const fn = rng.pick(fns)
  let caller = rng.chance(0.25) ? rng.pick(callers.forged) : rng.pick(callers.legit)
  let entries = randomArgs(rng, fn, pool)
  let method = 'POST'
  let fnPath = `/rest/v1/rpc/${fn.name}`
  let body: string | Buffer | undefined
  let contentType = rng.chance(0.9) ? 'application/json' : rng.pick(CONTENT_TYPES)
  let poison = 'none'
  // a write RPC the caller may legitimately execute (or whose token might be taken for valid): poison it
  const mayWrite = fn.volatile
  // a text/plain body (also fetch's default for a string body) is not read as arguments: PostgREST calls a
  // function whose parameters all have defaults without any (issue 19), so the poison would not be seen
  if (mayWrite && (contentType === 'text/plain' || contentType === '')) contentType = 'application/json'
  if (mayWrite) {
    const kinds = ['caller', 'extra', 'body', 'method', 'type', ...(fn.args.some((a) => a.required) ? ['missing'] : [])]
    poison = rng.pick(kinds)
    if (poison === 'type') {
      const typed = fn.args.filter((a) => poisonValue(rng, a.type) !== null)
      if (!typed.length) poison = 'extra'
      else {
        const a = rng.pick(typed)
        entries = [...entries.filter(([k]) => k !== a.name), [a.name, poisonValue(rng, a.type)!]]
      }
    }
    if (poison === 'caller') caller = rng.pick(callers.forged)
    if (poison === 'extra')
      entries = [...entries, [rng.pick(['p_extra', 'p_member_id', 'P_REQUEST_ID', 'p_request_id2']), rawValue(rng, 'text', pool)]]
    if (poison === 'missing') {
      const req = fn.args.filter((a) => a.required)
      const drop = rng.pick(req).name
      entries = entries.filter(([k]) => k !== drop)
    }
    if (poison === 'body') {
      const required = fn.args.some((a) => a.required)
      body = rng.pick(MALFORMED_BODIES.filter((b) => required || typeof b !== 'string' || !NO_ARGUMENT_JSON.has(b)))
    }
    if (poison === 'method') method = rng.pick(['GET', 'PUT', 'PATCH', 'DELETE', 'HEAD'])
  } else if (rng.chance(0.08)) body = rng.pick([...MALFORMED_BODIES, ...EMPTY_BODIES])
  else if (rng.chance(0.1)) method = rng.pick(['GET', 'PUT', 'PATCH', 'DELETE', 'HEAD'])
  if (!mayWrite && rng.chance(0.03))
    fnPath = rng.pick([
      `/rest/v1/rpc/${fn.name}%E0%A4%A`,
      '/rest/v1/rpc/%FF',
      '/rest/v1/rpc/',
      `/rest/v1/rpc/${fn.name}/x`,
      '/rest/v1/rpc/no_such_fn',
      `/rest/v1/rpc/${encodeURIComponent(fn.name + '😀')}`,
    ])
  if (body === undefined && method !== 'GET' && method !== 'HEAD') body = bodyOf(entries)
  let query = ''
  if (method === 'GET' || method === 'HEAD')
    query = '?' + entries.map(([k, v]) => `${enc(k)}=${enc(v.startsWith('"') ? safeParse(v) : v)}`).join('&')
  const headers: Record<string, string> = { ...caller.headers }
  if (contentType) headers['content-type'] = contentType
  if (rng.chance(0.03)) headers.accept = 'application/vnd.pgrst.object+json'
  if (rng.chance(0.02)) headers['accept-profile'] = rng.pick(['private', 'public', 'auth', ''])
  if (rng.chance(0.02)) headers.prefer = rng.pick(['count=exact', 'return=representation', 'tx=rollback', '\u00ff'])
  return {
    method,
    path: fnPath + query,
    headers,
    body,
    fn: fn.name,
    poisoned: mayWrite && method !== 'GET' && method !== 'HEAD',
    what: `${caller.label} ${method} ${fn.name} poison=${poison}`,
  }
}

/** Query encoding; lone surrogates become U+FFFD (they have no UTF-8 form, encodeURIComponent throws). */
const enc = (s: string) =>
  encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'))

/**
 * Phase 2 call: a signed-in member, staff member or the service role calls any RPC with plausible arguments
 * (real ids, often another member's; request ids from a small pool, so retries and reuse happen), now and
 * then a weird value.
 */
function phase2Call(rng: Rng, fns: Fn[], callers: Caller[], pool: Pools, requestIds: string[]): Call {
  const fn = rng.pick(fns)
  const caller = rng.pick(callers)
  const entries: [string, string][] = []
  for (const a of fn.args) {
    if (!a.required && rng.chance(0.3)) continue
    const value =
      a.name === 'p_request_id' ? str(rng.pick(requestIds)) : rng.chance(0.1) ? rawValue(rng, a.type, pool) : plausible(rng, a.type, pool)
    entries.push([a.name, value])
  }
  return {
    method: 'POST',
    path: `/rest/v1/rpc/${fn.name}`,
    headers: { ...caller.headers, 'content-type': 'application/json' },
    body: bodyOf(entries),
    fn: fn.name,
    poisoned: false,
    caller,
    what: `${caller.label} POST ${fn.name}`,
  }
}

/**
 * An accepted profile must be well-formed: a nickname that is not blank, carries no control characters and is
 * visible (no format characters, fillers or blanks: src/domain/profile.ts mirrors the SQL rule), an avatar that is a
 * URL or a key of the caller's own avatars folder.
 */
function acceptedBadValue(call: Call, answer: Answer): string | null {
  if (call.fn !== 'update_profile' || answer.status !== 200 || call.method === 'HEAD') return null
  const profile = safeJson(answer.text)
  const nickname = String(profile.nickname)
  if (nickname.trim() === '' || /[\u0000-\u001f\u007f-\u009f]/.test(nickname)) return 'blank or control characters in an accepted nickname'
  if (!nicknameIsVisible(nickname)) return 'an accepted nickname is not visible (format character, filler or blank)'
  if (
    profile.avatar_url !== null &&
    !/^https?:\/\/[^\s\u0000-\u001f\u007f-\u00a0]+$/.test(String(profile.avatar_url)) &&
    !isOwnAvatarKey(String(profile.avatar_url), String(profile.id))
  )
    return 'accepted avatar is neither a URL nor a key in the member’s own avatars folder'
  return null
}

/** What the caller sent as values: the body or the decoded query string, and the token's claims. */
function sentText(call: Call): string {
  const claims = Buffer.from(call.headers.authorization?.split('.')[1] ?? '', 'base64url').toString('utf8')
  if (call.body !== undefined) return `${Buffer.isBuffer(call.body) ? call.body.toString('utf8') : call.body}\n${claims}`
  try {
    return `${decodeURIComponent(call.path)}\n${claims}`
  } catch {
    return `${call.path}\n${claims}`
  }
}

function safeParse(v: string): string {
  try {
    return String(JSON.parse(v))
  } catch {
    return v
  }
}

interface Answer {
  status: number
  text: string
}

async function send(api: ApiServer, call: Call): Promise<Answer> {
  const res = await fetch(`${api.url}${call.path}`, {
    method: call.method,
    headers: call.headers,
    body:
      call.method === 'GET' || call.method === 'HEAD' || call.body === undefined
        ? undefined
        : typeof call.body === 'string'
          ? call.body
          : new Uint8Array(call.body),
  })
  return { status: res.status, text: await res.text() }
}

/** status + code of every answer, printed after each phase (e.g. `400 22P02`, `409 insufficient_points`) */
const tally = new Map<string, number>()

function tallyKey(answer: Answer): string {
  try {
    const body = JSON.parse(answer.text)
    return `${answer.status} ${/^PT\d{3}$/.test(body?.code) ? body.message : body?.code}`
  } catch {
    return String(answer.status)
  }
}

/** Prints how a phase was answered (status and code, most frequent first) and starts a new count. */
function printTally(phase: number, calls: number) {
  const lines = [...tally].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}\t${k}`)
  // eslint-disable-next-line no-console
  console.log(`fuzz phase ${phase} (seed ${SEED}): ${calls} calls\n${lines.join('\n')}`)
  tally.clear()
}

async function runAll(api: ApiServer, calls: Call[], onAnswer: (call: Call, answer: Answer) => void = () => {}): Promise<string[]> {
  const problems: string[] = []
  let i = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (i < calls.length) {
        const call = calls[i++]
        const answer = await send(api, call).catch((err) => ({ status: 0, text: String(err) }))
        const v =
          call.poisoned && answer.status < 300
            ? 'poisoned write accepted'
            : (violation(answer.status, answer.text, call.method, sentText(call)) ?? acceptedBadValue(call, answer))
        if (v)
          problems.push(
            `${v}: ${call.what} ${call.path.slice(0, 200)} body=${String(call.body).slice(0, 200)} → ${answer.status} ${answer.text.slice(0, 300)}`,
          )
        tally.set(tallyKey(answer), (tally.get(tallyKey(answer)) ?? 0) + 1)
        onAnswer(call, answer)
      }
    }),
  )
  return problems
}

/** The first problem of each kind (the text before the first colon), for a readable failure. */
function oneOfEachKind(problems: string[]): string[] {
  const seen = new Map<string, string>()
  for (const p of problems) if (!seen.has(p.split(':')[0])) seen.set(p.split(':')[0], p)
  return [...seen.values()]
}

/** Row count and checksum of every table in public and private. */
async function snapshot(db: TestDb): Promise<Record<string, string>> {
  const { rows: tables } = await db.admin.query(`
    select format('%I.%I', n.nspname, c.relname) as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'private') and c.relkind in ('r', 'p') order by 1`)
  const out: Record<string, string> = {}
  for (const { t } of tables) {
    const { rows } = await db.admin.query(
      `select count(*) as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${t} x`,
    )
    out[t] = `${rows[0].n}:${rows[0].h}`
  }
  return out
}

// ---- the test --------------------------------------------------------------------------------------------

let db: TestDb
let api: ApiServer
const seededApi = useSeededApi()
let fns: Fn[]
let callers: Awaited<ReturnType<typeof makeCallers>>
let pool: Pools
let chenRedemption: { id: string; voucher: string }

beforeAll(async () => {
  ;({ db, api } = seededApi())
  // eslint-disable-next-line no-console
  console.log(`fuzz: FUZZ_SEED=${SEED} FUZZ_CALLS=${CALLS}`)
  fns = await exposedFunctions(db)
  callers = await makeCallers()
  // 陈一一 redeems a coupon: her redemption and voucher are the foreign ids others try to use
  const chen = await db.call(
    'redeem_item',
    { p_item_id: '00000000-0000-4000-b000-000000000001', p_request_id: randomUUID() },
    { sub: SEEDED.chen.id },
  )
  if (chen.status !== 200) throw new Error(`setup redeem: ${JSON.stringify(chen.body)}`)
  const {
    rows: [r],
  } = await db.admin.query('select id, voucher_code from public.redemptions where member_id = $1 order by created_at desc limit 1', [
    SEEDED.chen.id,
  ])
  chenRedemption = { id: r.id, voucher: r.voucher_code }
  const q = async (sql: string) => (await db.admin.query(sql)).rows.map((row) => String(Object.values(row)[0]))
  const memberCode = (await db.call('issue_member_code', {}, { sub: SEEDED.chen.id })).body
  pool = {
    uuids: [
      ...(await q('select id from public.members')),
      ...(await q('select id from public.mall_items')),
      ...(await q('select id from public.redemptions')),
      ...(await q('select id from public.stores')),
      randomUUID(),
      randomUUID(),
    ],
    texts: [
      ...(await q('select code from public.tasks')),
      ...(await q('select invite_code from public.members')),
      ...(await q('select voucher_code from public.redemptions')),
      ...(await q('select code from public.mall_categories')),
      ...(await q('select order_ref from public.purchases')),
      String(memberCode?.token),
      String(memberCode?.digits),
      'DEMO-0001',
      'FUZZ-1',
      'share',
      'code',
      'issued',
      'verified',
      'cancelled',
      'expired',
      '2026-11',
      '2026-13',
      'dev',
      'wechat',
      '13812345678',
    ],
  }
}, 60_000)

test('phase 1: malformed and poisoned calls to every exposed RPC get documented 4xx answers and change nothing', async () => {
  expect(fns.length).toBeGreaterThan(25)
  const rng = prng(SEED)
  const before = await snapshot(db)
  const calls = Array.from({ length: CALLS }, () => phase1Call(rng, fns, callers, pool))
  const hit = new Set(calls.map((c) => c.fn))
  const problems = await runAll(api, calls)
  printTally(1, calls.length)
  expect({ seed: SEED, problems: oneOfEachKind(problems), count: problems.length }).toEqual({ seed: SEED, problems: [], count: 0 })
  expect([...fns.map((f) => f.name)].filter((n) => !hit.has(n))).toEqual([])
  const after = await snapshot(db)
  const changed = Object.keys(before).filter((t) => before[t] !== after[t])
  expect({ seed: SEED, changed }).toEqual({ seed: SEED, changed: [] })
}, 120_000)

test("phase 2: plausible calls by members and staff, often with other members' ids: foreign ids are refused, accepted writes are accounted for, the ledger holds", async () => {
  const rng = prng(SEED ^ 0x9e3779b9)
  const actors = callers.legit.filter((c) => c.role !== 'anon')
  const requestIds = Array.from({ length: 40 }, () => randomUUIDFrom(rng))
  const owner = new Map((await db.admin.query('select id, member_id from public.redemptions')).rows.map((r) => [r.id, r.member_id]))
  const before = new Map((await db.admin.query('select id, status from public.redemptions')).rows.map((r) => [r.id, r.status]))
  const byFn = new Map(fns.map((f) => [f.name, f]))
  const accepted = { redeem: new Set<string>(), cancel: new Set<string>(), verify: 0 }
  const breaches: string[] = []
  const listed: [number, string][] = []
  // one call in eight is sent twice at once (a double tap): the two race through the same request id
  const calls = Array.from({ length: Math.ceil(CALLS / 3) }, () => phase2Call(rng, fns, actors, pool, requestIds)).flatMap((c) =>
    rng.chance(0.125) ? [c, c] : [c],
  )
  const problems = await runAll(api, calls, (call, answer) => {
    const caller = call.caller!
    const ok = answer.status < 300
    const args = call.body ? safeJson(String(call.body)) : {}
    if (ok && !byFn.get(call.fn)!.roles.includes(caller.role!)) breaches.push(`${call.what}: the role may not execute it`)
    // staff RPCs (previewing, awarding, verifying someone's voucher) are for staff, reports for managers
    const staff = caller.label === 'clerk' || caller.label === 'manager'
    if (ok && ((call.fn.startsWith('staff_') && !staff) || (call.fn.startsWith('report_') && caller.label !== 'manager'))) {
      breaches.push(`${call.what}: only for staff / managers`)
    }
    if (call.fn === 'cancel_redemption' && ok) {
      const id = String(args.p_redemption_id)
      if (owner.has(id) && owner.get(id) !== caller.member) breaches.push(`${call.what} cancelled another member's redemption ${id}`)
      accepted.cancel.add(id)
    }
    if (call.fn === 'redeem_item' && ok) accepted.redeem.add(`${caller.member}/${args.p_request_id}`)
    // the 消息中心: a member lists only her own messages (checked against the table below)
    if (call.fn === 'list_my_messages' && ok)
      for (const m of safeJson(answer.text) as unknown as { id: number }[]) listed.push([m.id, caller.member!])
    if (call.fn === 'staff_verify_redemption' && ok && args.p_confirm === true) accepted.verify += 1
  })
  printTally(2, calls.length)
  expect({ seed: SEED, problems: oneOfEachKind(problems), count: problems.length }).toEqual({ seed: SEED, problems: [], count: 0 })
  expect({ seed: SEED, breaches }).toEqual({ seed: SEED, breaches: [] })
  await expectLedgerInvariants(db)
  const messageOwners = new Map(
    (await db.admin.query('select id::int as id, member_id from public.member_messages')).rows.map((r) => [r.id, r.member_id]),
  )
  expect(listed.filter(([id, member]) => messageOwners.get(id) !== member)).toEqual([])
  const after = (await db.admin.query('select id, member_id, status from public.redemptions')).rows
  // every new redemption is one accepted redeem_item request; every cancellation one accepted cancel by the owner
  expect(after.length - before.size).toBe(accepted.redeem.size)
  const cancelled = after.filter((r) => r.status === 'cancelled' && before.get(r.id) !== 'cancelled').map((r) => r.id)
  expect(cancelled.filter((id) => !accepted.cancel.has(id) && before.has(id))).toEqual([])
  const {
    rows: [chen],
  } = await db.admin.query('select status from public.redemptions where id = $1', [chenRedemption.id])
  expect(['issued', 'verified'].includes(chen.status) || accepted.cancel.has(chenRedemption.id)).toBe(true)
}, 120_000)

function safeJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text)
  } catch {
    return {}
  }
}

test('phase 3: every argument of every RPC gets every boundary and weird value, from a caller that passes the role checks', async () => {
  const rng = prng(SEED ^ 0x85ebca6b)
  const as = (fn: Fn): Caller => {
    const label = !fn.roles.includes('authenticated')
      ? 'service_role'
      : /^(staff_|report_)/.test(fn.name)
        ? 'manager'
        : rng.pick(['lin', 'chen'])
    return callers.legit.find((c) => c.label === label)!
  }
  const calls: Call[] = []
  for (const fn of fns) {
    for (const arg of fn.args) {
      // text arguments get every weird string; the others their boundaries, every raw JSON value and a few strings
      const strings = arg.type === 'text' ? WEIRD_STRINGS : WEIRD_STRINGS.filter((_, i) => i % 4 === 0)
      const values = [...(EDGES[arg.type] ?? []), ...RAW_WEIRD, ...strings.map(str)]
      for (const value of values) {
        const caller = as(fn)
        const entries: [string, string][] = fn.args
          .filter((a) => a.required || rng.chance(0.5))
          .map((a) => [a.name, a === arg ? value : plausible(rng, a.type, pool)])
        if (!entries.some(([k]) => k === arg.name)) entries.push([arg.name, value])
        const body = bodyOf(entries)
        calls.push({
          method: 'POST',
          path: `/rest/v1/rpc/${fn.name}`,
          headers: { ...caller.headers, 'content-type': 'application/json' },
          body,
          fn: fn.name,
          poisoned: false,
          caller,
          what: `${caller.label} POST ${fn.name} ${arg.name}`,
        })
      }
    }
  }
  const problems = await runAll(api, calls)
  printTally(3, calls.length)
  expect({ seed: SEED, problems: oneOfEachKind(problems), count: problems.length }).toEqual({ seed: SEED, problems: [], count: 0 })
  await expectLedgerInvariants(db)
}, 120_000)
