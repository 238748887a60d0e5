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

/**
 * Runs the switch (three transactions; only the second locks the table). Refuses a table already partitioned.
 * `at`: the program clock for it (private.clock_now), which decides B and the first partitions' names.
 */
export async function partitionPointEntries(url: string, opts: { at?: string } = {}): Promise<void> {
  const client = new Client({ connectionString: url, options: opts.at ? `-c jifen.now=${new Date(opts.at).toISOString()}` : undefined })
  await client.connect()
  try {
    await client.query(readFileSync(PARTITION_SQL, 'utf8'))
  } finally {
    await client.end()
  }
}

/**
 * The statements whose plans the switch must keep, with the member as $1: a history page (what
 * src/services/history.ts asks for, RLS's filter written out) and the tier window (private.qualifying_points,
 * tiers.sql, summed after every earn). The switch's test checks their plans; the bench prints them.
 */
export const PLANNED_STATEMENTS = {
  'history page 1':
    'select id, amount_points, kind, source, description, business_date, created_at from public.point_entries where member_id = $1 order by id desc limit 20',
  'tier window (private.qualifying_points)': `select coalesce(sum(e.amount_points), 0) from public.point_entries e
    where e.member_id = $1 and e.created_at > now() - interval '12 months' and e.created_at <= now()
      and e.source <> 'tier_upgrade' and (e.kind = 'earn' or (e.kind = 'reverse' and e.amount_points < 0))`,
}
