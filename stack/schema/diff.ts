// `npm run db:diff -- <verb_noun>`: the next migration, generated the way `supabase db diff` does it, without
// Docker. A throwaway embedded Postgres gets two databases from the bootstrap: `migrated` (+ every migration)
// and `declared` (+ supabase/schemas, in config.toml's order). The schema-diff engine (@supabase/pg-delta,
// docs/decisions.md) plans the DDL that turns `migrated` into `declared`; the plan is applied to `migrated`
// and the two catalogues compared (stack/schema/catalog.ts) before the file is written, so a migration that
// would not reproduce the schemas is never written. Data moves stay hand-written migrations.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { dbUrl, ROOT, stackConfig } from '../config'
import { listMigrations, prepareDatabase, runBootstrap } from '../migrate'
import { withThrowawayPostgres } from '../postgres'
import { diffCatalogs, readCatalog } from './catalog'
import { applySchemas } from './schemas'

const PG_DELTA_CLI = path.join(ROOT, 'node_modules', '@supabase', 'pg-delta', 'dist', 'cli', 'main.js')

/**
 * The DDL that turns the database at `fromUrl` into the one at `toUrl` ('' when they agree), drops included
 * (listed in `drops`). Profile `raw`: every object of both databases is compared; the platform's objects
 * (stack/bootstrap.sql) are the same on both sides, so only the project's differ.
 */
export function planMigration(fromUrl: string, toUrl: string): { sql: string; drops: string[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jifen-diff-'))
  try {
    const plan = path.join(dir, 'plan.json')
    const out = path.join(dir, 'migration.sql')
    const run = (args: string[]) => execFileSync(process.execPath, [PG_DELTA_CLI, ...args], { encoding: 'utf8', stdio: 'pipe' })
    run(['plan', '--source', fromUrl, '--desired', toUrl, '--profile', 'raw', '--out', plan])
    const actions = (JSON.parse(readFileSync(plan, 'utf8')) as { actions?: unknown[] }).actions ?? []
    if (!actions.length) return { sql: '', drops: [] }
    run(['render', '--plan', plan, '--allow-drops', '--out', out])
    const sql = readFileSync(out, 'utf8')
    return { sql, drops: sql.split('\n').filter((line) => /^\s*DROP\s/i.test(line)) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url })
  client.on('error', () => {}) // the throwaway server stops under it
  await client.connect()
  try {
    await client.query('set client_min_messages = warning')
    return await fn(client)
  } finally {
    await client.end()
  }
}

export interface SchemaDiff {
  /** the generated DDL ('' when migrations and schemas agree) */
  sql: string
  drops: string[]
  /** catalogue lines that still differ after applying `sql` to the migrated database (must be empty) */
  residue: string[]
}

/** Migrations vs schemas on a throwaway Postgres: the DDL from one to the other, proved by applying it. */
export function diffSchemas(migrationsDir = stackConfig().migrationsDir): Promise<SchemaDiff> {
  return withThrowawayPostgres('jifen-db-diff-', async (port) => {
    await withClient(dbUrl(port), async (c) => {
      await c.query('create database migrated')
      await c.query('create database declared')
    })
    await prepareDatabase(dbUrl(port, 'migrated'), { migrationsDir })
    await withClient(dbUrl(port, 'declared'), async (declared) => {
      await runBootstrap(declared)
      await applySchemas(declared)
    })
    const { sql, drops } = planMigration(dbUrl(port, 'migrated'), dbUrl(port, 'declared'))
    const residue = await withClient(dbUrl(port, 'migrated'), async (migrated) => {
      if (sql) await migrated.query(`begin; ${sql}; commit;`)
      return withClient(dbUrl(port, 'declared'), async (declared) => diffCatalogs(await readCatalog(migrated), await readCatalog(declared)))
    })
    return { sql, drops, residue }
  })
}

/** `<UTC yyyymmddhhmmss>`, after the newest migration's version. */
export function nextVersion(migrationsDir: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14)
  const last = listMigrations(migrationsDir).at(-1)?.version ?? ''
  return stamp > last ? stamp : String(BigInt(last) + 1n)
}

async function main(name: string | undefined) {
  if (!name || !/^[a-z][a-z0-9_]*$/.test(name)) throw new Error('usage: npm run db:diff -- <verb_noun>   (e.g. add_member_tags)')
  const migrationsDir = stackConfig().migrationsDir
  const { sql, drops, residue } = await diffSchemas(migrationsDir)
  if (!sql) return console.log('supabase/schemas and supabase/migrations agree: no migration needed')
  if (residue.length) throw new Error(`the generated migration does not reproduce supabase/schemas:\n${residue.join('\n')}`)
  const file = path.join(migrationsDir, `${nextVersion(migrationsDir)}_${name}.sql`)
  const header = `-- Generated by \`npm run db:diff -- ${name}\` (stack/schema/diff.ts, @supabase/pg-delta) from supabase/schemas.\n`
  writeFileSync(file, header + sql.trimEnd() + '\n')
  console.log(
    `wrote ${path.relative(ROOT, file)} (${sql.split('\n').length} lines; applied to the migrated database it reproduces the schemas)`,
  )
  if (drops.length) console.log(`it drops:\n  ${drops.join('\n  ')}\nread it before committing.`)
}

if (require.main === module) {
  main(process.argv[2]).catch((err) => {
    console.error(String(err?.message ?? err))
    process.exit(1)
  })
}
