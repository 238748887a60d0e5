// The CSV export benchmark (part of `npm run bench`, docs/performance.md "CSV export"): every ledger entry of
// the dataset exported as CSV, three ways, each against a baseline in the same run:
//   1. paged  — `npm run export -- ledger_entries <first day> <last day>` (stack/export.ts) in a child process,
//               through an API child process with max_rows 1000 (as hosted): 1,000-row pages of
//               op_export_ledger_entries; baseline: COPY (select * from private.ledger_export_rows(…)) TO STDOUT,
//               the same rows and joins straight from Postgres;
//   2. stream — one table read of point_entries with `Accept: text/csv` through an API child without max_rows,
//               streamed from a cursor (stack/rest/csv.ts); baseline: COPY of the same columns.
// rows/s, and the peak RSS of the API process and of the exporter, sampled from /proc every 100 ms.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Client } from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { LOCAL_ANON_KEY, LOCAL_SERVICE_ROLE_KEY, ROOT } from '../config'
import { sampleRss, spawnApiProcess } from '../api-process'
import { memberToken } from './http'

export interface ExportBenchRow {
  name: string
  rows: number
  seconds: number
  /** rows/s of the baseline measured in the same run */
  baselineRowsPerSecond: number
  apiPeakRss?: number
  exporterPeakRss?: number
  bytes: number
}

const MB = 2 ** 20
/** the columns of the single streamed read (the ledger table's own, as the history screen reads them) */
const STREAM_COLUMNS = 'id,member_id,amount_points,kind,source,ref,reverses_entry_id,campaign_id,business_date,description,created_at'

async function copyOut(url: string, sql: string): Promise<{ rows: number; bytes: number; seconds: number }> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    const t = performance.now()
    const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT (FORMAT csv, HEADER)`))
    let bytes = 0
    for await (const chunk of stream as AsyncIterable<Buffer>) bytes += chunk.length
    const seconds = (performance.now() - t) / 1000
    return { rows: Number(stream.rowCount ?? 0), bytes, seconds }
  } finally {
    await client.end()
  }
}

function runExporter(args: string[]): Promise<{ seconds: number; peakRss: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t = performance.now()
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'stack', 'export.ts'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    const rss = sampleRss(child.pid!, 100)
    let stderr = ''
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
    child.once('error', reject)
    child.once('exit', (code) => {
      const peakRss = rss.stop()
      if (code !== 0) reject(new Error(`export failed (${code}): ${stderr}`))
      else resolve({ seconds: (performance.now() - t) / 1000, peakRss, stderr })
    })
  })
}

export async function csvExportBench(dbUrl: string, operatorIndex: number, log: (line: string) => void): Promise<ExportBenchRow[]> {
  const db = new Client({ connectionString: dbUrl })
  await db.connect()
  let range: { from: string; to: string; n: number }
  try {
    await db.query(`insert into public.operators (member_id) values (bench.member_id($1)) on conflict do nothing`, [operatorIndex])
    range = (
      await db.query(
        `select min(business_date)::text as from, max(business_date)::text as to, count(*)::int as n from public.point_entries`,
      )
    ).rows[0]
  } finally {
    await db.end()
  }
  const { from, to, n } = range
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) throw new Error('no entries to export')
  log(`== CSV export of all ${n} ledger entries (${from} … ${to})`)
  const out: ExportBenchRow[] = []

  // 1. paged, as the console and `npm run export` do it
  const copied = await copyOut(dbUrl, `select * from private.ledger_export_rows('${from}', '${to}', '${from}'::date - 1, 0, null)`)
  log(
    `   baseline COPY of the export's rows: ${copied.rows} rows, ${(copied.bytes / MB).toFixed(0)} MB in ${copied.seconds.toFixed(1)} s = ${(copied.rows / copied.seconds).toFixed(0)} rows/s`,
  )
  const paged = await spawnApiProcess(dbUrl, { poolSize: 4 })
  try {
    const apiRss = sampleRss(paged.pid, 100)
    const token = await memberToken(operatorIndex)
    const run = await runExporter([
      'ledger_entries',
      from,
      to,
      '--out',
      '/dev/null',
      '--token',
      token,
      '--url',
      paged.url,
      '--anon-key',
      LOCAL_ANON_KEY,
    ])
    const apiPeak = apiRss.stop()
    const rows = Number(/: (\d+) rows in (\d+) pages/.exec(run.stderr)?.[1] ?? NaN)
    const pages = Number(/rows in (\d+) pages/.exec(run.stderr)?.[1] ?? NaN)
    log(
      `   paged (npm run export, ${pages} pages of 1,000 through the API): ${rows} rows in ${run.seconds.toFixed(1)} s = ${(rows / run.seconds).toFixed(0)} rows/s ` +
        `(${(rows / run.seconds / (copied.rows / copied.seconds)).toFixed(2)} × COPY); peak RSS: API ${(apiPeak / MB).toFixed(0)} MB, exporter ${(run.peakRss / MB).toFixed(0)} MB`,
    )
    if (rows !== copied.rows) throw new Error(`the paged export wrote ${rows} rows, COPY ${copied.rows}`)
    out.push({
      name: `paged: npm run export (op_export_ledger_entries, ${pages} pages)`,
      rows,
      seconds: run.seconds,
      baselineRowsPerSecond: copied.rows / copied.seconds,
      apiPeakRss: apiPeak,
      exporterPeakRss: run.peakRss,
      bytes: copied.bytes,
    })
  } finally {
    await paged.stop()
  }

  // 2. one streamed table read
  const tableCopy = await copyOut(dbUrl, `select ${STREAM_COLUMNS} from public.point_entries order by id`)
  log(
    `   baseline COPY of point_entries: ${tableCopy.rows} rows in ${tableCopy.seconds.toFixed(1)} s = ${(tableCopy.rows / tableCopy.seconds).toFixed(0)} rows/s`,
  )
  const streaming = await spawnApiProcess(dbUrl, { maxRows: null, poolSize: 4 })
  try {
    const apiRss = sampleRss(streaming.pid, 100)
    const t = performance.now()
    const res = await fetch(`${streaming.url}/rest/v1/point_entries?select=${STREAM_COLUMNS}&order=id`, {
      headers: { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${LOCAL_SERVICE_ROLE_KEY}`, accept: 'text/csv' },
    })
    if (!res.ok) throw new Error(`streamed read: ${res.status} ${await res.text()}`)
    let bytes = 0
    let newlines = 0
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) newlines++
    }
    const seconds = (performance.now() - t) / 1000
    const apiPeak = apiRss.stop()
    const rows = newlines // header + rows, no \n after the last
    log(
      `   streamed (one GET, Accept: text/csv, no max_rows): ${rows} rows, ${(bytes / MB).toFixed(0)} MB in ${seconds.toFixed(1)} s = ${(rows / seconds).toFixed(0)} rows/s ` +
        `(${(rows / seconds / (tableCopy.rows / tableCopy.seconds)).toFixed(2)} × COPY); peak RSS: API ${(apiPeak / MB).toFixed(0)} MB`,
    )
    out.push({
      name: 'streamed: one GET of point_entries (Accept: text/csv)',
      rows,
      seconds,
      baselineRowsPerSecond: tableCopy.rows / tableCopy.seconds,
      apiPeakRss: apiPeak,
      bytes,
    })
  } finally {
    await streaming.stop()
  }
  return out
}

/** The markdown rows of the results. */
export function exportResultLines(rows: ExportBenchRow[]): string[] {
  const mb = (b?: number) => (b === undefined ? '–' : (b / MB).toFixed(0))
  return [
    '| CSV export | rows | s | rows/s | × COPY (same run) | peak RSS API MB | peak RSS exporter MB |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.rows} | ${r.seconds.toFixed(1)} | ${(r.rows / r.seconds).toFixed(0)} | ${(r.rows / r.seconds / r.baselineRowsPerSecond).toFixed(2)} | ${mb(r.apiPeakRss)} | ${mb(r.exporterPeakRss)} |`,
    ),
  ]
}
