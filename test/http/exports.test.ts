// CSV through the local API (`Accept: text/csv`, stack/rest/csv.ts) with the real clients: the same bytes as
// PostgREST's own CSV query, table reads and RPCs, supabase-js `.csv()`, max_rows, the operators' exporter
// (src/services/exports.ts) and `npm run export` page by page, and a 200,000-row answer streamed by an API in a
// child process whose memory stays flat.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { PostgrestClient } from '@supabase/postgrest-js'
import { LOCAL_ANON_KEY, LOCAL_SERVICE_ROLE_KEY } from '../../stack/config'
import { sampleRss, spawnApiProcess } from '../../stack/api-process'
import { runExport } from '../../stack/export'
import type { ApiServer } from '../../stack/server'
import { client, serviceClient, startTestApi, withTestApi } from '../support/api'
import { createTestDb, tokenFor, type TestDb } from '../support/db'
import { SEEDED } from '../factories/members'
import { EXPORTS, exportCsv, type ExportKind } from '../../src/services/exports'
import { addDays, businessToday } from '../../src/domain/time'

let db: TestDb
let api: ApiServer
let operatorToken: string

beforeAll(async () => {
  db = await createTestDb()
  await db.seed()
  await db.admin.query(`
    create table public.csv_fixture (id integer primary key, txt text, flag boolean, n numeric, at timestamptz, day date,
      tags text[], doc jsonb, raw bytea, big bigint);
    grant select on public.csv_fixture to anon, authenticated, service_role;
    insert into public.csv_fixture values
      (1, 'plain', true, 1.50, '2026-12-06 05:00:00+00', '2026-12-06', '{a,b}', '{"k": "v"}', '\\x00ff', 9007199254740993),
      (2, 'comma, quote " backslash \\ (paren)', false, -0.001, '2026-12-06 23:59:59.123456+08', '1999-01-01',
        '{"x y","q\\"uote",NULL}', '{"a": [1, "b\\"c"], "n": null}', '', -1),
      (3, E'line1\\nline2\\r\\ttab', null, null, null, null, '{}', 'null', null, null),
      (4, '', null, 0, 'infinity', 'infinity', '{""}', '[]', null, 0),
      (5, null, null, null, null, null, null, null, null, null),
      (6, '中文 全角　空格 nbsp', true, 1e20, '2000-02-29 12:00:00+00', '2000-02-29', '{中文}', '"字符串"', null, null),
      (7, ' leading and trailing ', false, 3, null, null, '{{1,2},{3,4}}', '{"nested": {"deep": true}}', null, null);
    create table public.csv_many (id integer primary key);
    grant select on public.csv_many to anon, authenticated, service_role;
    insert into public.csv_many select generate_series(1, 1500);
    create table public.csv_big (id integer primary key, pad text not null);
    grant select on public.csv_big to service_role;
    insert into public.csv_big select g, repeat(md5(g::text), 6) from generate_series(1, 200000) g;
    -- 200 MB of CSV, made as it is read: more than the kernel's socket buffers hold
    create view public.csv_huge as select g as id, repeat('x', 1000) as pad from generate_series(1, 200000) g;
    grant select on public.csv_huge to service_role;`)
  api = await startTestApi(db)
  operatorToken = await tokenFor({ sub: SEEDED.operatorZhao.id })
})
afterAll(async () => {
  await api.close()
  await db.drop()
})

/** What PostgREST answers for `Accept: text/csv` over these rows: its own query (SqlFragment.hs, asCsvF). */
async function postgrestCsv(source: string): Promise<string> {
  const { rows } = await db.admin.query(`
    with pgrst_source as (${source})
    select (select coalesce(string_agg(a.k, ','), '')
            from (select json_object_keys(r)::text as k from (select row_to_json(hh) as r from pgrst_source as hh limit 1) s) a)
           || E'\\n' || coalesce(string_agg(substring(_postgrest_t::text, 2, length(_postgrest_t::text) - 2), E'\\n'), '') as body
    from (select * from pgrst_source) _postgrest_t`)
  return rows[0].body
}

const get = (p: string, token = LOCAL_ANON_KEY, accept = 'text/csv') =>
  fetch(`${api.url}/rest/v1${p}`, { headers: { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${token}`, accept } })

test('a table read with Accept: text/csv is byte for byte what PostgREST answers (quoting, NULLs, booleans, arrays, json, timestamps)', async () => {
  const expected = await postgrestCsv('select * from public.csv_fixture order by id')
  const res = await get('/csv_fixture?order=id')
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  const text = await res.text()
  expect(text).toBe(expected)
  // spot checks of the format itself
  const lines = text.split('\n')
  expect(lines[0]).toBe('id,txt,flag,n,at,day,tags,doc,raw,big')
  expect(lines[1]).toBe('1,plain,t,1.50,"2026-12-06 05:00:00+00",2026-12-06,"{a,b}","{""k"": ""v""}","\\\\x00ff",9007199254740993')
  expect(text.endsWith('\n')).toBe(false)
  // supabase-js .csv(), select and filters
  const viaClient = await client(api).from('csv_fixture').select('id,txt').gte('id', 2).order('id', { ascending: false }).csv()
  expect(viaClient.error).toBeNull()
  expect(viaClient.data).toBe(await postgrestCsv('select id, txt from public.csv_fixture where id >= 2 order by id desc'))
})

test('no rows: a lone \\n, as PostgREST answers', async () => {
  expect(await postgrestCsv('select * from public.csv_fixture where id < 0')).toBe('\n')
  expect(await (await get('/csv_fixture?id=lt.0')).text()).toBe('\n')
})

test('Accept negotiation: JSON unless text/csv is preferred; errors stay JSON', async () => {
  expect(await (await get('/csv_fixture?id=eq.1&select=id', LOCAL_ANON_KEY, 'application/json, text/csv')).json()).toEqual([{ id: 1 }])
  expect(await (await get('/csv_fixture?id=eq.1&select=id', LOCAL_ANON_KEY, 'application/json;q=0.5, text/csv')).text()).toBe('id\n1')
  const bad = await get('/csv_fixture?nope=eq.1')
  expect(bad.status).toBe(400)
  expect(bad.headers.get('content-type')).toContain('application/json')
  expect((await get('/csv_big?select=id&limit=1')).status).toBe(401) // anon: no grant
})

test('max_rows (supabase/config.toml [api] max_rows = 1000) caps table reads and RPCs, JSON and CSV, as PostgREST does', async () => {
  const service = serviceClient(api)
  expect((await service.from('csv_many').select('id')).data).toHaveLength(1000)
  expect((await service.from('csv_many').select('id').limit(5000)).data).toHaveLength(1000)
  expect((await service.from('csv_many').select('id').limit(10)).data).toHaveLength(10)
  const tail = (await service.from('csv_many').select('id').order('id').range(1200, 1499)).data ?? []
  expect([tail.length, tail[0]?.id]).toEqual([300, 1201])
  expect((await (await get('/csv_many?order=id', LOCAL_SERVICE_ROLE_KEY)).text()).split('\n')).toHaveLength(1001)
  // an API without max_rows (PostgREST's default: none) answers all of them
  await withTestApi(db, { maxRows: null }, async (unlimited) => {
    expect((await serviceClient(unlimited).from('csv_many').select('id')).data).toHaveLength(1500)
  })
})

test('an export RPC through supabase-js .rpc().csv(): the header is the composite type’s columns; refusals stay JSON 4xx', async () => {
  const today = businessToday(Date.now())
  const res = await client(api, operatorToken)
    .rpc('op_export_ledger_entries', { p_from: addDays(today, -90), p_to: today, p_limit: 5 })
    .csv()
  expect(res.error).toBeNull()
  const lines = String(res.data).split('\n')
  expect(lines[0]).toBe(EXPORTS.ledger_entries.columns.join(','))
  expect(lines).toHaveLength(6)
  const refused = await client(api, await tokenFor({ sub: SEEDED.managerLi.id }))
    .rpc('op_export_ledger_entries', { p_from: today, p_to: today })
    .csv()
  expect([refused.status, refused.error?.message]).toEqual([403, 'not_operator'])
})

describe('the exporter (src/services/exports.ts) and npm run export', () => {
  const today = () => businessToday(Date.now())
  const range = () => ({ from: addDays(today(), -120), to: today() })
  const operatorClient = () =>
    new PostgrestClient(`${api.url}/rest/v1`, { headers: { apikey: LOCAL_ANON_KEY, Authorization: `Bearer ${operatorToken}` } })
  async function exported(kind: ExportKind, pageSize: number) {
    let file = ''
    const result = await exportCsv(operatorClient(), kind, range(), (chunk) => void (file += chunk), { pageSize })
    return { file, ...result }
  }

  test.each(['ledger_entries', 'redemptions', 'purchases', 'liability'] as const)(
    '%s: pages of 7 make the same file as one page, one header, every row once',
    async (kind) => {
      const whole = await exported(kind, 1000)
      const paged = await exported(kind, 7)
      expect(paged.file).toBe(whole.file)
      expect(whole.file.startsWith(`${EXPORTS[kind].columns.join(',')}\n`)).toBe(true)
      expect(whole.file.endsWith('\n')).toBe(true)
      expect(paged.pages).toBe(Math.floor(whole.rows / 7) + 1)
      const count: Record<ExportKind, string> = {
        ledger_entries: 'select count(*)::int as n from public.point_entries where business_date between $1 and $2',
        redemptions: `select count(*)::int as n from public.redemptions where private.business_date(created_at) between $1 and $2`,
        purchases: `select count(*)::int as n from public.purchases where private.business_date(created_at) between $1 and $2`,
        liability: 'select ($2::date - $1::date + 1) as n',
      }
      const n = (await db.admin.query(count[kind], [range().from, range().to])).rows[0].n
      expect(whole.rows).toBe(n)
      if (kind === 'ledger_entries' || kind === 'liability') expect(n).toBeGreaterThan(7)
    },
  )

  test('npm run export signs in as the demo operator by phone and writes the file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jifen-export-'))
    try {
      const out = path.join(dir, 'ledger.csv')
      const lines: string[] = []
      const result = await runExport(
        {
          kind: 'ledger_entries',
          ...range(),
          out,
          phone: SEEDED.operatorZhao.phone,
          url: api.url,
          anonKey: LOCAL_ANON_KEY,
          pageSize: 9,
          bom: true,
        },
        (l) => lines.push(l),
      )
      const file = readFileSync(out, 'utf8')
      expect(file).toBe(`\uFEFF${(await exported('ledger_entries', 1000)).file}`)
      expect(result.rows).toBeGreaterThan(9)
      expect(lines.at(-1)).toMatch(/^ledger_entries .*: \d+ rows in \d+ pages/)
      await expect(
        runExport(
          {
            kind: 'ledger_entries',
            ...range(),
            out,
            phone: SEEDED.lin.phone,
            url: api.url,
            anonKey: LOCAL_ANON_KEY,
            pageSize: 9,
            bom: false,
          },
          () => {},
        ),
      ).rejects.toMatchObject({ code: 'not_operator' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

test('a reader that pauses holds the server at its cursor; one that goes away has its transaction rolled back', async () => {
  const backends = async () =>
    (
      await db.admin.query(
        `select query, xact_start from pg_stat_activity where datname = current_database() and usename = 'authenticator'`,
      )
    ).rows as { query: string; xact_start: Date | null }[]
  await withTestApi(db, { maxRows: null }, async (unlimited) => {
    // node:http, whose pause() stops reading the socket (fetch's body buffers ahead); 200 MB, more than the
    // kernel's socket buffers hold
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(
          `${unlimited.url}/rest/v1/csv_huge`,
          { headers: { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}`, accept: 'text/csv' } },
          resolve,
        )
        .on('error', reject),
    )
    res.on('error', () => {})
    expect(res.statusCode).toBe(200)
    await new Promise((resolve) => res.once('data', resolve))
    res.pause()
    await new Promise((r) => setTimeout(r, 300))
    // the server waits at its cursor, inside its transaction
    expect((await backends()).filter((b) => b.xact_start !== null)).toHaveLength(1)
    res.socket!.destroy()
    let last: { query: string; xact_start: Date | null }[] = []
    for (let i = 0; i < 50; i++) {
      last = await backends()
      if (last.every((b) => b.xact_start === null)) break
      await new Promise((r) => setTimeout(r, 100))
    }
    // rolled back where the reader left (read to its end, it would have committed)
    expect(last.every((b) => b.xact_start === null)).toBe(true)
    expect(last.some((b) => b.query === 'rollback')).toBe(true)
    expect(
      await (
        await fetch(`${unlimited.url}/rest/v1/csv_fixture?id=eq.1&select=id`, { headers: { apikey: LOCAL_ANON_KEY, accept: 'text/csv' } })
      ).text(),
    ).toBe('id\n1')
  })
})

/** The API process's V8 heap budget in the streaming test: less than the answer, so buffering it would fail. */
const HEAP_MB = 32

test('200,000 rows stream through an API in its own process with flat memory, within a heap smaller than the answer', async () => {
  const child = await spawnApiProcess(db.url, { maxRows: null, heapMb: HEAP_MB })
  try {
    const headers = { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}`, accept: 'text/csv' }
    // warm up (schema cache, JIT), then the baseline
    await (await fetch(`${child.url}/rest/v1/csv_big?limit=1000`, { headers })).text()
    const before = sampleRss(child.pid).stop()
    let sampler = sampleRss(child.pid, 20)
    let firstQuarter = 0
    const res = await fetch(`${child.url}/rest/v1/csv_big?order=id`, { headers })
    expect(res.status).toBe(200)
    let bytes = 0
    let newlines = 0
    const reader = res.body!.getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      bytes += value.length
      for (let i = 0; i < value.length; i++) if (value[i] === 10) newlines++
      if (!firstQuarter && newlines >= 50000) {
        firstQuarter = sampler.stop()
        sampler = sampleRss(child.pid, 20)
      }
    }
    const rest = sampler.stop()
    expect(newlines).toBe(200000) // header + 200,000 rows, no \n after the last
    expect(bytes).toBeGreaterThan(200000 * 190)
    // the answer is ~40 MB, more than the process's heap: buffering it (one aggregate, one string) would die of
    // OOM; streamed, the RSS reached in the first quarter (buffers, young generation) is about all it takes,
    expect(Math.max(firstQuarter, rest) - before).toBeLessThan(bytes)
    expect(rest - firstQuarter).toBeLessThan(bytes / 4) // buffering would add the other three quarters
  } finally {
    await child.stop()
  }
}, 60_000)
