// npm run bench — see docs/performance.md. A fresh embedded Postgres in a temp folder, all migrations, the
// generated dataset (stack/bench/dataset.ts), pgbench's tpcb-like database next to it; then expire_points on
// the due-lot backlog, each workload (stack/bench/workloads.ts: writes, reads and the operator reports) at each
// connection count next to tpcb-like, the cost of one call of each write (stack/bench/cost.ts; the server runs
// with pg_stat_statements for it), a few requests through the local HTTP API against the same calls in SQL, the CSV export of every ledger entry
// (stack/bench/export.ts), the partitioning switch on the same data (stack/bench/partition.ts), and the
// build-size report.
// Everything is stopped and removed at the end. Configuration: environment (printed first).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Client } from 'pg'
import { dbUrl, ROOT, stackConfig } from '../config'
import { prepareDatabase } from '../migrate'
import { freePort } from '../net'
import { startPostgres } from '../postgres'
import { startApiServer } from '../server'
import { sizeReport } from '../size'
import { tempDirForPostgres } from '../tmp'
import { generateDataset, readLedgerRules, setSlotDays, type DatasetConfig } from './dataset'
import { COST_SERVER_FLAGS, costPerCall, costTableLines, finishCost, prepareCost, type Cost } from './cost'
import { csvExportBench, exportResultLines, type ExportBenchRow } from './export'
import { hotItemRush, httpLoad, randomMemberRequests, sequentialCheckIns, type RushResult } from './http'
import { partitionBench, partitionResultLines, type PartitionBench } from './partition'
import { initPgbench, pgbench, type Result } from './pgbench'
import { WORKLOADS } from './workloads'

const num = (name: string, fallback: number) => {
  const v = process.env[name]
  return v === undefined || v === '' ? fallback : Number(v)
}

/** BENCH_SIZE=10x: the opt-in large dataset (1,000,000 members, 50,000,000 entries; issue 18), run once and recorded */
const scale = process.env.BENCH_SIZE === '10x' ? 10 : 1

const config = {
  members: num('BENCH_MEMBERS', 100_000 * scale),
  entries: num('BENCH_ENTRIES', 5_000_000 * scale),
  historyMonths: num('BENCH_HISTORY_MONTHS', 18),
  staff: num('BENCH_STAFF', 200),
  items: num('BENCH_ITEMS', 1000),
  seconds: num('BENCH_SECONDS', 8),
  clients: (process.env.BENCH_CLIENTS ?? '1,8,32').split(',').map(Number),
  httpClients: num('BENCH_HTTP_CLIENTS', 8),
  pgbenchScale: num('BENCH_PGBENCH_SCALE', 32),
  only: process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined,
  /** the database of another commit (before/after comparisons of a fix): its migrations, from a second checkout */
  beforeRef: process.env.BENCH_BEFORE_REF,
}

/**
 * supabase/migrations of this checkout, or of BENCH_BEFORE_REF's: a second checkout of that commit (a detached
 * git worktree in a temp folder, removed at exit). The workloads and the dataset are this checkout's.
 */
function migrationsDir(): string {
  if (!config.beforeRef) return path.join(ROOT, 'supabase', 'migrations')
  const checkout = path.join(mkdtempSync(path.join(os.tmpdir(), 'jifen-bench-before-')), 'checkout')
  execFileSync('git', ['worktree', 'add', '--detach', checkout, config.beforeRef], { cwd: ROOT, stdio: 'pipe' })
  process.on('exit', () => {
    execFileSync('git', ['worktree', 'remove', '--force', checkout], { cwd: ROOT, stdio: 'pipe' })
    rmSync(path.dirname(checkout), { recursive: true, force: true })
  })
  return path.join(checkout, 'supabase', 'migrations')
}

const DAY = 86_400_000
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–')
const log = (line: string) => console.log(line)

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t = Date.now()
  const result = await f()
  log(`${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`)
  return result
}

const rushLine = (r: RushResult) =>
  `${r.buyers} buyers at once for a stock of ${r.stock}: all answered in ${fmt(r.ms)} ms (p50 ${fmt(r.p50Ms)} ms, p99 ${fmt(r.p99Ms)} ms); ` +
  `answers ${JSON.stringify(r.answers)}; ${r.redeemed} redemptions, stock left ${r.stockLeft}`

async function main() {
  log(`== configuration (machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, ${os.cpus()[0]?.model ?? '?'})`)
  log(JSON.stringify(config))

  const dataDir = path.join(tempDirForPostgres('jifen-bench-'), 'data')
  const port = await freePort()
  const pg = await startPostgres({ dataDir, port, flags: COST_SERVER_FLAGS })
  const stops: (() => Promise<void>)[] = [() => pg.stop()]
  try {
    const admin = new Client({ connectionString: dbUrl(port) })
    await admin.connect()
    await admin.query('create database bench')
    await admin.query('create database pgbench')
    await admin.end()
    const url = dbUrl(port, 'bench')
    await timed('migrations', () => prepareDatabase(url, { migrationsDir: migrationsDir() }))

    const db = new Client({ connectionString: url })
    await db.connect()
    stops.unshift(() => db.end())
    const today: string = (await db.query(`select private.business_date(now())::text as d`)).rows[0].d
    const dayAfter = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
    const ds: DatasetConfig = {
      members: config.members,
      entriesPerMember: Math.round(config.entries / config.members),
      historyMonths: config.historyMonths,
      staff: config.staff,
      items: config.items,
      claimDays: 3,
      claimFirstDay: today,
      ...(await readLedgerRules(db)),
    }
    log(`== dataset: ${ds.members} members × ${ds.entriesPerMember} entries`)
    await timed('dataset', () => generateDataset(db, ds, log))
    await setSlotDays(db, { claim_task: today, check_in: today })
    await timed('vacuum analyze', () => db.query('vacuum analyze'))
    const counts = (
      await db.query(`select (select count(*) from public.point_entries)::int as entries, (select count(*) from public.point_lots)::int as lots,
        (select count(*) from public.point_lots where remaining_points > 0 and expires_at <= now())::int as due,
        pg_size_pretty(pg_database_size(current_database())) as size`)
    ).rows[0]
    log(`entries ${counts.entries}, lots ${counts.lots} (${counts.due} due), database ${counts.size}`)
    const bench = { port, database: 'bench' }
    const vars = { members: config.members, staff: config.staff, items: config.items, max_entry_id: counts.entries }
    await timed(`pgbench -i -s ${config.pgbenchScale}`, () => initPgbench({ port, database: 'pgbench' }, config.pgbenchScale))

    // the due backlog is cleared before any write is timed or costed: an award first expires the member's due
    // lots (private.expire_member_lots), which would be counted as the award's work
    if (!config.only || ['expire_points', 'writes', 'cost'].some((k) => config.only!.includes(k))) {
      log('== expire_points(1000) until done; check_in at 1 connection meanwhile (its first seconds)')
      const checkIn = WORKLOADS.find((w) => w.name === 'check_in')!
      const t = Date.now()
      let lots = 0
      let batches = 0
      const meanwhile = pgbench(bench, { script: checkIn.script, clients: 1, seconds: 5, vars })
      for (;;) {
        const r = (await db.query('select to_json(public.expire_points(1000)) as r')).rows[0].r
        lots += r.lots
        batches++
        if (!r.more) break
      }
      const s = (Date.now() - t) / 1000
      log(`expire_points: ${lots} lots in ${batches} batches, ${fmt(s, 1)} s = ${fmt(lots / s)} lots/s`)
      const during = await meanwhile
      log(
        `check_in meanwhile: ${fmt(during.tps)} tps, p99 ${fmt(during.p99Ms, 2)} ms over 5 s` +
          (s < 5 ? ` (the expiry ended after ${fmt(s, 1)} s of them)` : ''),
      )
      await db.query('vacuum analyze')
    }
    // write out what the load and the expiry dirtied, so that no checkpoint lands inside the first timed runs
    await timed('checkpoint', () => db.query('checkpoint'))

    const rows: { name: string; clients: number; r: Result; tpcb: number }[] = []
    const direct = new Map<string, Result>()
    for (const clients of config.clients) {
      const tpcb = await pgbench({ port, database: 'pgbench' }, { script: 'tpcb-like', clients, seconds: config.seconds })
      log(`-- ${clients} connection(s): pgbench tpcb-like ${fmt(tpcb.tps)} tps, p50 ${fmt(tpcb.p50Ms, 2)} ms, p99 ${fmt(tpcb.p99Ms, 2)} ms`)
      rows.push({ name: 'pgbench tpcb-like', clients, r: tpcb, tpcb: tpcb.tps })
      for (const w of WORKLOADS) {
        // BENCH_ONLY names workloads, or a kind of them: writes, reads, reports
        if (config.only && !config.only.includes(w.name) && !config.only.includes(`${w.kind}s`)) continue
        const r = await pgbench(bench, { script: w.script, clients, seconds: config.seconds, vars })
        log(`   ${w.name}: ${fmt(r.tps)} tps (${fmt(r.tps / tpcb.tps, 2)} × tpcb), p50 ${fmt(r.p50Ms, 2)} ms, p99 ${fmt(r.p99Ms, 2)} ms`)
        rows.push({ name: w.name, clients, r, tpcb: tpcb.tps })
        if (clients === config.httpClients) direct.set(w.name, r)
      }
    }

    // what one call costs the database (stack/bench/cost.ts): each write next to tpcb-like, at 1 connection
    const costs: { name: string; cost: Cost }[] = []
    if (!config.only || config.only.includes('cost')) {
      log('== cost per call (1 connection, after a checkpoint)')
      await prepareCost(db)
      const costOf = async (name: string, target: { port: number; database: string }, script: string) => {
        const cost = await costPerCall(db, async () => (await pgbench(target, { script, clients: 1, seconds: 4, vars })).transactions)
        costs.push({ name, cost })
        log(`   ${name}: ${JSON.stringify(Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, Number(v.toFixed(2))])))}`)
      }
      await costOf('pgbench tpcb-like', { port, database: 'pgbench' }, 'tpcb-like')
      for (const w of WORKLOADS) if (w.kind === 'write') await costOf(w.name, bench, w.script)
      await finishCost(db)
    }

    log(`== through the local HTTP API (stack/server.ts), ${config.httpClients} concurrent requests, vs the same call in SQL`)
    const cfg = stackConfig()
    const apiOptions = {
      jwtSecret: cfg.jwtSecret,
      anonKey: cfg.anonKey,
      serviceRoleKey: cfg.serviceRoleKey,
      functionsDir: cfg.functionsDir,
      poolSize: config.httpClients,
    }
    const api = await startApiServer({ ...apiOptions, dbUrl: url })
    stops.unshift(() => api.close())
    // check_in through an API whose database clock is pinned to one business day (members in sequence)
    const pinnedUrl = `${url}?options=${encodeURIComponent(`-c jifen.now=${dayAfter(1)}T04:00:00Z`)}`
    const pinnedApi = await startApiServer({ ...apiOptions, dbUrl: pinnedUrl })
    stops.unshift(() => pinnedApi.close())
    const requests = await randomMemberRequests(config.members, config.items)
    const httpRows: { name: string; sqlName: string; r: Result }[] = []
    for (const [name, sqlName, baseUrl, next] of [
      ['me', 'me', api.url, requests.me],
      ['history page 1', 'history page 1', api.url, requests.history],
      ['redeem_item', 'redeem_item', api.url, requests.redeem_item],
      ['check_in', 'check_in', pinnedApi.url, sequentialCheckIns(1)],
    ] as const) {
      if (config.only && !config.only.includes(sqlName)) continue
      const r = await httpLoad(baseUrl, next, config.httpClients, config.seconds)
      const sql = direct.get(sqlName)
      log(
        `   ${name}: ${fmt(r.tps)} req/s, p50 ${fmt(r.p50Ms, 2)} ms, p99 ${fmt(r.p99Ms, 2)} ms; HTTP/SQL throughput ${sql ? fmt(r.tps / sql.tps, 2) : '–'}`,
      )
      httpRows.push({ name, sqlName, r })
    }

    // the hot item over HTTP (issue 18): 1,000 buyers at once for a stock of 50
    let rush: RushResult | undefined
    if (!config.only || config.only.includes('hot_item_http')) {
      rush = await hotItemRush(db, api.url, 1000, 50)
      log(`   ${rushLine(rush)}`)
    }

    // the CSV export of the whole ledger (the last member is made an operator for it)
    let exportRows: ExportBenchRow[] = []
    if (!config.only || config.only.includes('csv_export')) exportRows = await csvExportBench(url, config.members, log)

    // last, since it changes the database: the partitioning switch on this data (docs/capacity.md §4)
    let partitioned: PartitionBench | undefined
    if (!config.only || config.only.includes('partition'))
      partitioned = await partitionBench(db, url, bench, { clients: config.clients, seconds: config.seconds, vars }, log)

    log('\n== results (markdown)')
    log('| workload | conns | TPS | × tpcb-like | p50 ms | p99 ms |')
    log('|---|---:|---:|---:|---:|---:|')
    for (const { name, clients, r, tpcb } of rows)
      log(
        `| ${name} | ${clients} | ${fmt(r.tps)} | ${name.startsWith('pgbench') ? '1' : fmt(r.tps / tpcb, 2)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} |`,
      )
    log(`\n| via HTTP (${config.httpClients} concurrent) | req/s | p50 ms | p99 ms | HTTP / SQL throughput |`)
    log('|---|---:|---:|---:|---:|')
    for (const { name, sqlName, r } of httpRows) {
      const sql = direct.get(sqlName)
      log(`| ${name} | ${fmt(r.tps)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${sql ? fmt(r.tps / sql.tps, 2) : '–'} |`)
    }
    if (rush) log(`\nhot item over HTTP: ${rushLine(rush)}`)
    if (costs.length) {
      log('')
      for (const line of costTableLines(costs)) log(line)
    }
    if (exportRows.length) {
      log('')
      for (const line of exportResultLines(exportRows)) log(line)
    }
    if (partitioned) {
      log('')
      for (const line of partitionResultLines(partitioned)) log(line)
    }
  } finally {
    for (const stop of stops) await stop().catch(() => {})
    rmSync(path.dirname(dataDir), { recursive: true, force: true })
  }

  log('\n== build sizes (dist/)')
  for (const line of sizeReport(path.join(ROOT, 'dist')).lines) log(line)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
