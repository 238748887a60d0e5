// The Edge Function code under real Deno (npm `deno`), as Supabase runs it: it type-checks with Deno's
// own types, and the `auth` function served by Deno.serve signs a member in against the local API.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { jwtVerify } from 'jose'
import { LOCAL_JWT_SECRET, LOCAL_SERVICE_ROLE_KEY, ROOT } from '../../stack/config'
import type { ApiServer } from '../../stack/server'
import { startTestApi } from '../support/api'
import { createTestDb, expectLedgerInvariants, type TestDb } from '../support/db'
import { freePort } from '../../stack/net'

/** The Deno executable itself (node_modules/.bin/deno may be a Node shim that would outlive a kill). */
// eslint-disable-next-line import/no-commonjs -- a CommonJS helper of the npm `deno` package that installs the real binary
const DENO: string = require('deno/install_api.cjs').runInstall()

const AUTH = path.join(ROOT, 'supabase', 'functions', 'auth', 'index.ts')
/** Deno's compiler options for the functions (the repo's tsconfig.json is for the Taro app) */
const DENO_JSON = path.join(ROOT, 'supabase', 'functions', 'deno.json')

let db: TestDb
let api: ApiServer
let deno: ChildProcess
let fnUrl: string

beforeAll(async () => {
  db = await createTestDb()
  api = await startTestApi(db)
  const port = await freePort()
  fnUrl = `http://127.0.0.1:${port}`
  deno = spawn(DENO, ['run', '--config', DENO_JSON, '--allow-net', '--allow-env', AUTH], {
    env: {
      ...process.env,
      DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
      DENO_NO_UPDATE_CHECK: '1',
      SUPABASE_URL: api.url,
      SUPABASE_SERVICE_ROLE_KEY: LOCAL_SERVICE_ROLE_KEY,
      JWT_SECRET: LOCAL_JWT_SECRET,
      AUTH_DEV_LOGIN: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deno did not start: ${out}`)), 30_000)
    const onData = (d: Buffer) => {
      out += d
      if (out.includes('Listening on')) {
        clearTimeout(timer)
        resolve()
      }
    }
    deno.stdout!.on('data', onData)
    deno.stderr!.on('data', onData)
    deno.once('exit', (code) => reject(new Error(`deno exited ${code}: ${out}`)))
  })
})

afterEach(() => expectLedgerInvariants(db))
afterAll(async () => {
  deno?.kill('SIGTERM')
  await api?.close()
  await db?.drop()
})

test('deno check passes on every function (no remote imports, Deno types)', () => {
  const all = ['auth', 'send-messages', 'wxacode'].map((f) => path.join(ROOT, 'supabase', 'functions', f, 'index.ts'))
  const res = spawnSync(DENO, ['check', '--config', DENO_JSON, ...all], {
    encoding: 'utf8',
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  })
  expect(res.stderr).not.toMatch(/error/i)
  expect(res.status).toBe(0)
})

test('the auth function under Deno signs a member in', async () => {
  const res = await fetch(fnUrl, { method: 'POST', body: JSON.stringify({ provider: 'dev', phone: '13912340000' }) })
  expect(res.status).toBe(200)
  const body = await res.json()
  expect(body).toMatchObject({ created: true, member: { phone: '13912340000' } })
  const { payload } = await jwtVerify(body.access_token, new TextEncoder().encode(LOCAL_JWT_SECRET))
  expect(payload.sub).toBe(body.member.id)
  const rows = await db.admin.query('select id from public.members where phone = $1', ['13912340000'])
  expect(rows.rows).toEqual([{ id: body.member.id }])
  const bad = await fetch(fnUrl, { method: 'POST', body: JSON.stringify({ provider: 'dev', phone: '1' }) })
  expect([bad.status, (await bad.json()).message]).toEqual([400, 'invalid_phone'])
  const preflight = await fetch(fnUrl, { method: 'OPTIONS' })
  expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
})
