// The migration runner on a scratch database: order, recording, idempotence, rollback of a failed file.
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { dbUrl } from './config'
import { applyMigrations, listMigrations, runBootstrap } from './migrate'
import { rootQuery, testPgPort } from '../test/support/db'

let client: Client
const dbName = `migrate_${process.pid}_${Date.now()}`

beforeAll(async () => {
  await rootQuery(`create database ${dbName}`)
  client = new Client({ connectionString: dbUrl(testPgPort(), dbName) })
  await client.connect()
  await client.query('set client_min_messages = warning')
  await runBootstrap(client)
})
afterAll(async () => {
  await client.end()
  await rootQuery(`drop database if exists ${dbName} with (force)`)
})

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'))
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql)
  return dir
}

test('bootstrap is idempotent and provides the Supabase roles and auth helpers', async () => {
  await runBootstrap(client)
  const roles = await client.query(
    `select rolname from pg_roles where rolname in ('anon','authenticated','service_role','authenticator') order by 1`,
  )
  expect(roles.rows.map((r) => r.rolname)).toEqual(['anon', 'authenticated', 'authenticator', 'service_role'])
  await client.query('begin')
  await client.query(
    `select set_config('request.jwt.claims', '{"sub":"00000000-0000-4000-8000-00000000000a","role":"authenticated"}', true)`,
  )
  const { rows } = await client.query('select auth.uid()::text as uid, auth.role() as role')
  await client.query('rollback')
  expect(rows[0]).toEqual({ uid: '00000000-0000-4000-8000-00000000000a', role: 'authenticated' })
})

const applied = {
  '20260102000000_add_b.sql': 'alter table public.t add column b int;',
  '20260101000000_create_t.sql': 'create table public.t (a int);',
}

test('migrations apply in version order, once, and are recorded', async () => {
  const dir = dirWith(applied)
  expect(await applyMigrations(client, dir)).toEqual(['20260101000000', '20260102000000'])
  expect(await applyMigrations(client, dir)).toEqual([])
  const recorded = await client.query('select version, name from supabase_migrations.schema_migrations order by version')
  expect(recorded.rows).toEqual([
    { version: '20260101000000', name: 'create_t' },
    { version: '20260102000000', name: 'add_b' },
  ])
})

test('a failing migration rolls back entirely and is not recorded', async () => {
  const dir = dirWith({ ...applied, '20260103000000_broken.sql': 'create table public.half (x int); select 1/0;' })
  await expect(applyMigrations(client, dir)).rejects.toThrow(/20260103000000_broken.sql failed: division by zero/)
  expect((await client.query(`select to_regclass('public.half') as t`)).rows[0].t).toBeNull()
  expect(
    (await client.query(`select count(*)::int as n from supabase_migrations.schema_migrations where version = '20260103000000'`)).rows[0].n,
  ).toBe(0)
})

test('file names must be <version>_<verb_noun>.sql', () => {
  expect(() => listMigrations(dirWith({ 'create-thing.sql': '' }))).toThrow(/<version>_<verb_noun>.sql/)
})

test('a migration edited after it was applied is refused, and so is one that is gone; nothing is applied then', async () => {
  const next = { '20260104000000_create_u.sql': 'create table public.u (a int);' }
  const edited = dirWith({ ...applied, '20260101000000_create_t.sql': 'create table public.t (a int, z int);', ...next })
  await expect(applyMigrations(client, edited)).rejects.toThrow(
    /20260101000000_create_t.sql changed since it was applied[\s\S]*npm run db:reset/,
  )
  const gone = dirWith({ '20260101000000_create_t.sql': applied['20260101000000_create_t.sql'], ...next })
  await expect(applyMigrations(client, gone)).rejects.toThrow(/20260102000000_add_b.sql was applied but is no longer in/)
  expect((await client.query(`select to_regclass('public.u') as u`)).rows[0].u).toBeNull()
  expect(await applyMigrations(client, dirWith({ ...applied, ...next }))).toEqual(['20260104000000'])
})
