// The partitioning switch on the bench data (issue 18 §3, docs/capacity.md §4): the workloads that touch
// point_entries before and after it, in the same run; check_in at 1 connection while the switch runs (how
// long a writer waits for it); the plans of a history page and of the tier window, before and after; then the
// same workloads three years on, once with a partition a year (the default span) and once with 36 more months
// of a partition a month (rolled ahead, nearly empty: the cost per partition probed).
// Each workload runs twice: statements planned per call (pgbench's simple protocol; the local API, PostgREST
// without prepared statements) and prepared once per connection (PostgREST's default): a partitioned table
// costs planning time per partition that a prepared statement pays once.
import type { Client } from 'pg'
import { partitionPointEntries, PLANNED_STATEMENTS } from '../partition'
import { pgbench, type Result, type Target } from './pgbench'
import { WORKLOADS } from './workloads'

const NAMES = ['me', 'history page 1', 'history page n', 'check_in', 'redeem_item', 'staff_award_purchase']
const MODES = ['simple', 'prepared'] as const

export interface PartitionBench {
  switchSeconds: number
  during: Result
  plans: { label: string; before: string[]; after: string[] }[]
  /** 'before' first, then each later state of the table, with how many partitions it had */
  phases: { label: string; partitions: number; results: Map<string, Result> }[]
  workloads: string[]
  clients: number[]
}

/** The scan nodes of a plan (what index each partition was read with, and whether it ran). */
async function scans(db: Client, sql: string, params: unknown[]): Promise<string[]> {
  const { rows } = await db.query(`explain (analyze, costs off, timing off, summary off) ${sql}`, params)
  return rows
    .map((r) =>
      String(r['QUERY PLAN'])
        .trim()
        .replace(/^->\s+/, ''),
    )
    .filter((l) => /Scan|Append/.test(l))
    .map((l) => l.replace(/ \(actual rows=\d+ loops=\d+\)/, '').replace(/ point_entries_\d+$/, ''))
}

export async function partitionBench(
  db: Client,
  url: string,
  target: Target,
  opts: { clients: number[]; seconds: number; vars: Record<string, number | string> },
  log: (line: string) => void,
): Promise<PartitionBench> {
  const workloads = WORKLOADS.filter((w) => NAMES.includes(w.name))
  const runAll = async (label: string, seconds = opts.seconds) => {
    const out = new Map<string, Result>()
    for (const mode of MODES)
      for (const clients of opts.clients)
        for (const w of workloads) {
          const r = await pgbench(target, { script: w.script, clients, seconds, vars: opts.vars, mode })
          log(`   ${label} ${w.name} (${mode}) × ${clients}: ${r.tps.toFixed(0)} tps, p99 ${r.p99Ms.toFixed(2)} ms`)
          out.set(`${w.name}|${mode}|${clients}`, r)
        }
    return out
  }
  // a member with a long history, and the statements whose plans matter
  const member: string = (
    await db.query(`select member_id from public.point_entries where id = $1`, [Math.floor(Number(opts.vars.max_entry_id) / 2)])
  ).rows[0].member_id
  const planned = Object.entries(PLANNED_STATEMENTS).map(([label, sql]) => ({ label, sql }))
  const plansBefore = await Promise.all(planned.map((p) => scans(db, p.sql, [member])))

  log('== partitioning point_entries (supabase/scale/partition_point_entries.sql)')
  await runAll('warm-up', 2)
  const before = await runAll('before')
  // check_in at 1 connection across the switch: its worst latency is the longest a writer waited
  const window = Math.max(opts.seconds, 30)
  const meanwhile = pgbench(target, {
    script: WORKLOADS.find((w) => w.name === 'check_in')!.script,
    clients: 1,
    seconds: window,
    vars: opts.vars,
  })
  await new Promise((r) => setTimeout(r, 2000))
  const t = Date.now()
  await partitionPointEntries(url)
  const switchSeconds = (Date.now() - t) / 1000
  const during = await meanwhile
  log(
    `switch: ${switchSeconds.toFixed(1)} s; check_in meanwhile ${during.tps.toFixed(0)} tps, p99 ${during.p99Ms.toFixed(1)} ms, max ${during.maxMs.toFixed(0)} ms`,
  )
  await db.query('analyze public.point_entries')
  const plansAfter = await Promise.all(planned.map((p) => scans(db, p.sql, [member])))
  const count = async () =>
    (await db.query(`select count(*)::int as n from pg_inherits where inhparent = 'public.point_entries'::regclass`)).rows[0].n as number
  const phases = [{ label: 'before', partitions: 1, results: before }]
  phases.push({ label: 'after the switch', partitions: await count(), results: await runAll('after') })

  // 36 months on: the roll run as each month begins (the sequence ends in the last one) with the default span
  // (a year), then 36 further months with a span of one month
  const rollMonths = async (from: number) => {
    for (let k = from; k < from + 36; k++) await db.query(`select private.roll_entry_partitions(now() + make_interval(months => $1))`, [k])
    await db.query('analyze public.point_entries')
  }
  await rollMonths(1)
  phases.push({ label: '3 years on, a partition a year', partitions: await count(), results: await runAll('yearly') })
  await db.query(
    `create or replace function private.entry_partition_months() returns integer language sql immutable set search_path = '' as $$ select 1 $$`,
  )
  await rollMonths(37)
  phases.push({ label: '3 years more, then a partition a month', partitions: await count(), results: await runAll('monthly') })
  return {
    switchSeconds,
    during,
    plans: planned.map((p, i) => ({ label: p.label, before: plansBefore[i], after: plansAfter[i] })),
    phases,
    workloads: workloads.map((w) => w.name),
    clients: opts.clients,
  }
}

export function partitionResultLines(r: PartitionBench): string[] {
  const f = (n: number, d = 0) => n.toFixed(d)
  const [before, ...later] = r.phases
  const lines = [
    `partitioning switch: ${f(r.switchSeconds, 1)} s in all; check_in at 1 connection meanwhile: p99 ${f(r.during.p99Ms, 1)} ms, max ${f(r.during.maxMs)} ms`,
    '',
    `| workload | statements | conns | before: TPS, p99 ms | ${later.map((p) => `${p.label} (${p.partitions} partitions): TPS (× before), p99 ms`).join(' | ')} |`,
    `|---|---|---:|---:|${later.map(() => '---:').join('|')}|`,
  ]
  for (const mode of MODES)
    for (const clients of r.clients)
      for (const name of r.workloads) {
        const key = `${name}|${mode}|${clients}`
        const b = before.results.get(key)!
        const cells = later.map((p) => {
          const x = p.results.get(key)!
          return `${f(x.tps)} (${f(x.tps / b.tps, 2)}), ${f(x.p99Ms, 2)}`
        })
        lines.push(`| ${name} | ${mode} | ${clients} | ${f(b.tps)}, ${f(b.p99Ms, 2)} | ${cells.join(' | ')} |`)
      }
  for (const p of r.plans) {
    lines.push('', `plan of ${p.label}, before:`, ...p.before.map((l) => `    ${l}`), 'after:', ...p.after.map((l) => `    ${l}`))
  }
  return lines
}
