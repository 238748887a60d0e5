// The declarative schema: supabase/schemas/*.sql hold the current definition of every object, loaded in the
// order supabase/config.toml lists them ([db.migrations] schema_paths, as the Supabase CLI reads it).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Client } from 'pg'
import { parse as parseToml } from 'smol-toml'
import { ROOT } from '../config'

const SUPABASE_DIR = path.join(ROOT, 'supabase')

/** The schema files, in load order. */
export function schemaFiles(): string[] {
  const config = parseToml(readFileSync(path.join(SUPABASE_DIR, 'config.toml'), 'utf8')) as {
    db?: { migrations?: { schema_paths?: string[] } }
  }
  const paths = config.db?.migrations?.schema_paths ?? []
  if (!paths.length) throw new Error('supabase/config.toml: [db.migrations] schema_paths is empty')
  return paths.map((p) => path.join(SUPABASE_DIR, p))
}

/**
 * Loads every schema file into the (bootstrapped, otherwise empty) database, in one transaction. Function
 * bodies are checked when they run, not when they load (as pg_dump output and generated migrations do), so a
 * helper may be defined in the file of the feature it belongs to, after a function that calls it.
 */
export async function applySchemas(client: Client): Promise<void> {
  await client.query('begin')
  try {
    await client.query('set local check_function_bodies = off')
    for (const file of schemaFiles()) {
      try {
        await client.query(readFileSync(file, 'utf8'))
      } catch (err) {
        throw new Error(`${path.relative(ROOT, file)}: ${(err as Error).message}`)
      }
    }
    await client.query('commit')
  } catch (err) {
    await client.query('rollback')
    throw err
  }
}
