// The one-time switch of public.point_entries to partitions by id (supabase/scale/partition_point_entries.sql,
// docs/capacity.md §4): `npm run db:partition` on the local database, or on another one given by its URL.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Client } from 'pg'
import { ROOT } from './config'

export const PARTITION_SQL = path.join(ROOT, 'supabase/scale/partition_point_entries.sql')
/**
 * The oldest schema the switch runs on (it was written against this migration). The `partitioned` test project
 * switches a database at this version and then applies every later migration, as a deployment would: a new
 * migration that does not work on the partitioned ledger fails there.
 */
export const PARTITION_SINCE_MIGRATION = '20261207014326'

/** Runs the switch (three transactions; only the second locks the table). Refuses a table already partitioned. */
export async function partitionPointEntries(url: string): Promise<void> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(readFileSync(PARTITION_SQL, 'utf8'))
  } finally {
    await client.end()
  }
}

/** Creates the coming month's partition and moves the id sequence when a month has begun (idempotent). */
export async function rollEntryPartitions(url: string): Promise<void> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('select private.roll_entry_partitions()')
  } finally {
    await client.end()
  }
}
