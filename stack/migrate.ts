// Bootstrap, migration runner and seed loader. Migrations are `supabase/migrations/<version>_<name>.sql`,
// applied in version order, each in its own transaction, and recorded where the Supabase CLI records them.
import { readFileSync, readdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { Client } from 'pg'
import { seedStorage } from './storage/seed'

const BOOTSTRAP_SQL = path.join(__dirname, 'bootstrap.sql')
const MIGRATION_FILE = /^(\d+)_([a-z0-9_]+)\.sql$/

export interface Migration {
  version: string
  name: string
  file: string
}

export function listMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = MIGRATION_FILE.exec(file)
      if (!m) throw new Error(`migration file name must be <version>_<verb_noun>.sql: ${file}`)
      return { version: m[1], name: m[2], file: path.join(dir, file) }
    })
    .sort((a, b) => a.version.localeCompare(b.version))
}

export async function runBootstrap(client: Client): Promise<void> {
  await client.query(readFileSync(BOOTSTRAP_SQL, 'utf8'))
}

/**
 * Applies the migrations not yet recorded; returns the versions applied now. Refuses (changing nothing) when
 * the database does not match the folder: a recorded migration whose file is gone or whose text changed since
 * it was applied (an edited migration would otherwise silently diverge from a kept database).
 */
export async function applyMigrations(client: Client, dir: string): Promise<string[]> {
  const migrations = listMigrations(dir)
  const recorded = new Map(
    (
      await client.query<{ version: string; name: string; sql: string | null }>(
        'select version, name, statements[1] as sql from supabase_migrations.schema_migrations',
      )
    ).rows.map((r) => [r.version, r]),
  )
  const problems: string[] = []
  const inFolder = new Set(migrations.map((m) => m.version))
  for (const r of recorded.values())
    if (!inFolder.has(r.version)) problems.push(`${r.version}_${r.name}.sql was applied but is no longer in ${path.basename(dir)}/`)
  for (const m of migrations) {
    const r = recorded.get(m.version)
    if (r && r.sql !== null && r.sql !== readFileSync(m.file, 'utf8'))
      problems.push(`${path.basename(m.file)} changed since it was applied`)
  }
  if (problems.length) {
    throw new Error(
      `the database does not match supabase/migrations:\n  ${problems.join('\n  ')}\n` +
        'A migration is never edited once applied: add a new one (npm run db:diff -- <name>). For a local database, ' +
        '`npm run db:reset` rebuilds it from the migrations and the seed.',
    )
  }
  const applied: string[] = []
  for (const m of migrations) {
    if (recorded.has(m.version)) continue
    const sql = readFileSync(m.file, 'utf8')
    await client.query('begin')
    try {
      await client.query(sql)
      await client.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
        m.version,
        m.name,
        [sql],
      ])
      await client.query('commit')
    } catch (err) {
      await client.query('rollback')
      throw new Error(`migration ${path.basename(m.file)} failed: ${(err as Error).message}`)
    }
    applied.push(m.version)
  }
  // PostgREST reloads its schema cache on this notification; the local API server listens for it too.
  if (applied.length) await client.query(`notify pgrst, 'reload schema'`)
  return applied
}

export async function runSeed(client: Client, file: string): Promise<void> {
  await client.query('begin')
  try {
    await client.query(readFileSync(file, 'utf8'))
    await client.query('commit')
  } catch (err) {
    await client.query('rollback')
    throw new Error(`seed ${path.basename(file)} failed: ${(err as Error).message}`)
  }
}

export interface PrepareOptions {
  migrationsDir: string
  seedFile?: string
  /**
   * With the seed: the stack's Storage folder. It is emptied (its objects belonged to the database the seed
   * replaces) and gets the seed objects of supabase/config.toml's buckets (stack/storage/seed.ts).
   */
  storageDir?: string
}

/** Bootstrap + pending migrations (+ seed, and the seed's Storage objects, when given) on the database at `url`. */
export async function prepareDatabase(url: string, { migrationsDir, seedFile, storageDir }: PrepareOptions): Promise<string[]> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('set client_min_messages = warning')
    await runBootstrap(client)
    const applied = await applyMigrations(client, migrationsDir)
    if (seedFile) await runSeed(client, seedFile)
    if (seedFile && storageDir) {
      await rm(storageDir, { recursive: true, force: true })
      await seedStorage(client, storageDir)
    }
    return applied
  } finally {
    await client.end()
  }
}
