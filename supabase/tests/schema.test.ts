// supabase/schemas (the current definition of every object) and supabase/migrations (how a database gets
// there) must build the same database: schemas loaded into one database, migrations applied to another (the
// test run's template), catalogues compared (stack/schema/catalog.ts). When this fails, run
// `npm run db:diff -- <verb_noun>` to generate the missing migration (docs/backend.md).
//
// And, once, for the change that replaced 27 hand-written migrations by a generated baseline: the baseline
// builds the database those 27 built (catalogue and the program's default rows), read from git at the last
// commit that had them.
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { dbUrl, ROOT, stackConfig } from '../../stack/config'
import { listMigrations, prepareDatabase } from '../../stack/migrate'
import { diffCatalogs, readCatalog } from '../../stack/schema/catalog'
import { applySchemas } from '../../stack/schema/schemas'
import { rootQuery, TEMPLATE_DB, testPgPort } from '../../test/support/db'

const LEGACY_COMMIT = 'ca60c43'
/** The last migration of the baseline (the schema, then the program's default rows). */
const BASELINE_VERSION = '20261206000200'
const suffix = `${process.pid}_${Date.now()}`
const clients: Client[] = []

async function connect(database: string): Promise<Client> {
  const client = new Client({ connectionString: dbUrl(testPgPort(), database) })
  await client.connect()
  await client.query('set client_min_messages = warning')
  clients.push(client)
  return client
}

/** A database with the bootstrap and the migrations in `dir` (an empty folder: the bootstrap only). */
async function databaseFrom(name: string, migrationsDir: string): Promise<Client> {
  await rootQuery(`create database ${name}`)
  await prepareDatabase(dbUrl(testPgPort(), name), { migrationsDir })
  return connect(name)
}

/** A copy of the test run's template (every migration applied): other test files clone the template itself, which needs it unused. */
let migrated: Promise<Client> | undefined
function migratedDatabase(): Promise<Client> {
  migrated ??= rootQuery(`create database migrated_${suffix} template ${TEMPLATE_DB}`).then(() => connect(`migrated_${suffix}`))
  return migrated
}

/** The migrations up to and including `version`, copied to a temp folder. */
function migrationsUntil(version: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'baseline-migrations-'))
  for (const m of listMigrations(stackConfig().migrationsDir)) if (m.version <= version) copyFileSync(m.file, path.join(dir, path.basename(m.file)))
  return dir
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end()))
  for (const name of ['declared', 'legacy', 'migrated', 'baseline']) await rootQuery(`drop database if exists ${name}_${suffix} with (force)`)
})

test('supabase/schemas and supabase/migrations build the same database', async () => {
  const declared = await databaseFrom(`declared_${suffix}`, mkdtempSync(path.join(os.tmpdir(), 'no-migrations-')))
  await applySchemas(declared)
  const differences = diffCatalogs(await readCatalog(await migratedDatabase()), await readCatalog(declared))
  expect(differences).toEqual([])
})

/** The program's default rows (what a migration inserts), without the instants they were inserted at. */
async function defaultRows(client: Client): Promise<unknown> {
  const rows: Record<string, unknown[]> = {}
  for (const table of ['public.point_rules', 'public.tiers', 'public.check_in_streak_bonuses', 'public.tasks', 'public.program']) {
    const { rows: r } = await client.query(`select to_jsonb(t) - 'created_at' - 'updated_at' - 'id' as row from ${table} t`)
    rows[table] = r.map((x) => JSON.stringify(x.row)).sort()
  }
  const secret = await client.query(`select count(*)::int as n from private.app_secrets where name = 'member_code' and octet_length(secret) = 32`)
  rows.member_code_secret = secret.rows
  return rows
}

test(`the generated baseline (migrations up to ${BASELINE_VERSION}) builds the database the hand-written migrations of ${LEGACY_COMMIT} built`, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'legacy-migrations-'))
  const files = execFileSync('git', ['ls-tree', '--name-only', LEGACY_COMMIT, 'supabase/migrations/'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
  expect(files).toHaveLength(27)
  for (const file of files) {
    writeFileSync(path.join(dir, path.basename(file)), execFileSync('git', ['show', `${LEGACY_COMMIT}:${file}`], { cwd: ROOT, encoding: 'utf8' }))
  }
  const legacy = await databaseFrom(`legacy_${suffix}`, dir)
  const baseline = await databaseFrom(`baseline_${suffix}`, migrationsUntil(BASELINE_VERSION))
  expect(diffCatalogs(await readCatalog(legacy), await readCatalog(baseline))).toEqual([])
  expect(await defaultRows(baseline)).toEqual(await defaultRows(legacy))
})
