// What one call of a write costs the database (issue 18 §2: the cost table in docs/performance.md): statements
// executed (pg_stat_statements, nested ones included: track = all), and, from the WAL the calls wrote
// (pg_walinspect between two LSNs: record types, and the blocks logged as full images), heap rows inserted / updated (HOT or not) /
// locked, B-tree entries written, WAL bytes and full-page images — each divided by the transactions pgbench
// completed. Measured at one connection right after a checkpoint (so the first change of each page writes its
// full image, as after every checkpoint in production); the same for pgbench's tpcb-like.
import type { Client } from 'pg'

/** The server flags the cost pass needs (stack/postgres.ts StartOptions.flags). */
export const COST_SERVER_FLAGS = ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all']

export interface Cost {
  statements: number
  heapInserts: number
  heapUpdates: number
  hotUpdates: number
  rowLocks: number
  btreeEntries: number
  walBytes: number
  fpi: number
}

/**
 * pg_stat_statements and pg_walinspect in the database `admin` is connected to (superuser), and autovacuum off
 * with its running workers ended: their WAL (pg_statistic rows, pruning, freezing after the timed runs) would
 * be counted as the workload's. finishCost turns it back on.
 */
export async function prepareCost(admin: Client): Promise<void> {
  await admin.query('create extension if not exists pg_stat_statements')
  await admin.query('create extension if not exists pg_walinspect')
  await admin.query('alter system set autovacuum = off')
  await admin.query('select pg_reload_conf()')
  await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where backend_type = 'autovacuum worker'`)
}

export async function finishCost(admin: Client): Promise<void> {
  await admin.query('alter system reset autovacuum')
  await admin.query('select pg_reload_conf()')
}

const statementsRun = async (admin: Client) =>
  Number((await admin.query('select coalesce(sum(calls), 0)::bigint as n from pg_stat_statements')).rows[0].n)

/** Runs `load` (which returns the transactions it completed) and what it cost per transaction. */
export async function costPerCall(admin: Client, load: () => Promise<number>): Promise<Cost> {
  await admin.query('checkpoint')
  const start = (await admin.query('select pg_current_wal_insert_lsn()::text as lsn')).rows[0].lsn
  const statementsBefore = await statementsRun(admin)
  const transactions = await load()
  const end = (await admin.query('select pg_current_wal_insert_lsn()::text as lsn')).rows[0].lsn
  // two statements of this measurement ran in between (the first count, the end LSN): not the workload's
  const statements = (await statementsRun(admin)) - statementsBefore - 2
  const { rows } = await admin.query(
    `select "resource_manager/record_type" as type, count::bigint as n, combined_size::bigint as bytes
     from pg_get_wal_stats($1::pg_lsn, $2::pg_lsn, true)`,
    [start, end],
  )
  const fpi = Number(
    (
      await admin.query('select count(*) filter (where block_fpi_length > 0) as n from pg_get_wal_block_info($1::pg_lsn, $2::pg_lsn)', [
        start,
        end,
      ])
    ).rows[0].n,
  )
  const sum = (pick: (r: { type: string; n: number; bytes: number }) => number) =>
    rows.map((r) => ({ type: r.type as string, n: Number(r.n), bytes: Number(r.bytes) })).reduce((a, r) => a + pick(r), 0)
  const count = (types: string[]) => sum((r) => (types.includes(r.type) ? r.n : 0))
  const per = (n: number) => n / Math.max(transactions, 1)
  return {
    statements: per(statements),
    heapInserts: per(count(['Heap/INSERT', 'Heap/INSERT+INIT'])),
    heapUpdates: per(count(['Heap/UPDATE', 'Heap/UPDATE+INIT', 'Heap/HOT_UPDATE', 'Heap/HOT_UPDATE+INIT'])),
    hotUpdates: per(count(['Heap/HOT_UPDATE', 'Heap/HOT_UPDATE+INIT'])),
    rowLocks: per(count(['Heap/LOCK', 'Heap2/LOCK_UPDATED'])),
    btreeEntries: per(count(['Btree/INSERT_LEAF', 'Btree/INSERT_POST', 'Btree/INSERT_META'])),
    walBytes: per(sum((r) => r.bytes)),
    fpi: per(fpi),
  }
}

const f = (n: number, digits = 1) => n.toFixed(digits)

/** The cost table as markdown rows (name first). */
export function costTableLines(rows: { name: string; cost: Cost }[]): string[] {
  return [
    '| per call (1 connection, after a checkpoint) | statements | heap rows inserted | updated (HOT) | row locks | B-tree entries | WAL bytes | full-page images |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ({ name, cost: c }) =>
        `| ${name} | ${f(c.statements)} | ${f(c.heapInserts)} | ${f(c.heapUpdates)} (${f(c.hotUpdates)}) | ${f(c.rowLocks)} | ${f(c.btreeEntries)} | ${f(c.walBytes, 0)} | ${f(c.fpi, 2)} |`,
    ),
  ]
}
