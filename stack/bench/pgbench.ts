// pgbench (the system's, /usr/bin/pgbench) driving either its built-in tpcb-like transaction or one of our
// scripts; throughput from its summary, p50/p99 from its per-transaction log (-l).
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface Result {
  tps: number
  p50Ms: number
  p99Ms: number
  maxMs: number
  transactions: number
}

export interface Target {
  port: number
  database: string
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

export function summarize(latenciesMs: number[], seconds: number): Result {
  const sorted = [...latenciesMs].sort((a, b) => a - b)
  return {
    tps: sorted.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
    transactions: sorted.length,
  }
}

function env() {
  // the child must not inherit a pinned clock or other session options
  const { PGOPTIONS: _drop, ...rest } = process.env
  return { ...rest, PGPASSWORD: 'postgres' }
}

/** `pgbench -i -s <scale>` into its own database. */
export async function initPgbench(target: Target, scale: number): Promise<void> {
  await run('pgbench', ['-h', '127.0.0.1', '-p', String(target.port), '-U', 'postgres', '-i', '-q', '-s', String(scale), target.database], {
    env: env(),
  })
}

/** One timed pgbench run: `script` is a custom script's text, or 'tpcb-like' for the built-in one. */
export async function pgbench(
  target: Target,
  opts: {
    script: string
    clients: number
    seconds: number
    vars?: Record<string, number | string>
    /** 'prepared': each statement parsed and planned once per connection (PostgREST's default), else planned per call */
    mode?: 'simple' | 'prepared'
  },
): Promise<Result> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jifen-pgbench-'))
  try {
    const args = [
      '-h',
      '127.0.0.1',
      '-p',
      String(target.port),
      '-U',
      'postgres',
      '-n',
      '-c',
      String(opts.clients),
      '-j',
      String(Math.min(opts.clients, os.cpus().length)),
      '-T',
      String(opts.seconds),
      '-l',
      `--log-prefix=${path.join(dir, 'log')}`,
    ]
    if (opts.mode === 'prepared') args.push('-M', 'prepared')
    if (opts.script === 'tpcb-like') args.push('-b', 'tpcb-like')
    else {
      writeFileSync(path.join(dir, 'script.sql'), opts.script)
      args.push('-f', path.join(dir, 'script.sql'))
    }
    for (const [k, v] of Object.entries(opts.vars ?? {})) args.push('-D', `${k}=${v}`)
    args.push(target.database)
    const { stdout, stderr } = await run('pgbench', args, { env: env(), maxBuffer: 16 * 1024 * 1024 }).catch((err) => {
      throw new Error(`pgbench failed: ${err.stderr || err.message}`)
    })
    if (/aborted|error/i.test(stderr) || /aborted/i.test(stdout)) throw new Error(`pgbench run failed:\n${stderr}\n${stdout}`)
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1])
    // log lines: client_id transaction_no latency_us script_no epoch_s epoch_us
    const latencies = readdirSync(dir)
      .filter((f) => f.startsWith('log.'))
      .flatMap((f) =>
        readFileSync(path.join(dir, f), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => Number(l.split(' ')[2]) / 1000),
      )
    const s = summarize(latencies, opts.seconds)
    return { ...s, tps }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
