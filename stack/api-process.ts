// The local API server (stack/server.ts) alone in a child process, so its memory can be watched from outside
// (/proc/<pid>/status: the CSV export benchmark and the streaming test). The parent starts it with
// `spawnApiProcess`; the child prints `listening <url>` and serves until it gets SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { ROOT, stackConfig } from './config'
import { startApiServer } from './server'

export interface ApiProcess {
  url: string
  pid: number
  child: ChildProcess
  stop(): Promise<void>
}

/** Resident set size of a process now and its peak (VmRSS, VmHWM), in bytes. */
export function processMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
  return { rss: kb('VmRSS'), peak: kb('VmHWM') }
}

/** Samples a process's RSS every `everyMs` until stopped: the highest seen. */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = 0
  const take = () => {
    try {
      peak = Math.max(peak, processMemory(pid).rss)
    } catch {
      // the process ended
    }
  }
  take()
  const timer = setInterval(take, everyMs)
  return {
    stop() {
      clearInterval(timer)
      take()
      return peak
    },
  }
}

/** Starts the API over `dbUrl` in a child process. maxRows: null = no max_rows (PostgREST's default ∞). */
export async function spawnApiProcess(
  dbUrl: string,
  opts: { maxRows?: number | null; poolSize?: number; heapMb?: number } = {},
): Promise<ApiProcess> {
  // heapMb: V8's old-space limit, a fixed memory budget (the process dies of OOM if it buffers an answer)
  const heap = opts.heapMb ? [`--max-old-space-size=${opts.heapMb}`] : []
  const child = spawn(process.execPath, [...heap, '--import', 'tsx', path.join(ROOT, 'stack', 'api-process.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      API_PROCESS_DB_URL: dbUrl,
      API_PROCESS_MAX_ROWS: opts.maxRows === null ? 'none' : String(opts.maxRows ?? ''),
      API_PROCESS_POOL: String(opts.poolSize ?? 4),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      const m = /^listening (\S+)$/.exec(line)
      if (m) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`API process exited (${code}) before listening`)))
  })
  return {
    url,
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
  }
}

async function main() {
  const cfg = stackConfig()
  const maxRows = process.env.API_PROCESS_MAX_ROWS
  const api = await startApiServer({
    dbUrl: process.env.API_PROCESS_DB_URL!,
    jwtSecret: cfg.jwtSecret,
    anonKey: cfg.anonKey,
    serviceRoleKey: cfg.serviceRoleKey,
    functionsDir: cfg.functionsDir,
    configToml: path.join(ROOT, 'supabase', 'config.toml'),
    functionEnv: { AUTH_DEV_LOGIN: 'true' },
    poolSize: Number(process.env.API_PROCESS_POOL || 4),
    maxRows: maxRows === 'none' ? null : maxRows ? Number(maxRows) : undefined,
    log: (line) => process.stderr.write(`${line}\n`),
  })
  process.stdout.write(`listening ${api.url}\n`)
  process.once('SIGTERM', () => {
    api.close().finally(() => process.exit(0))
  })
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
