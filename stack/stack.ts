// The whole local stack: embedded Postgres (bootstrapped, migrated, seeded on first start) + the API server.
import { appendFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { Client } from 'pg'
import { dbUrl, ROOT, type StackConfig } from './config'
import { prepareDatabase } from './migrate'
import { runningPostgres } from './pidfile'
import { startPostgres, type PostgresHandle } from './postgres'
import { FUNCTIONS_ENV_FILE, readEnvFile, startApiServer, type ApiServer } from './server'

export interface Stack {
  db: PostgresHandle
  api: ApiServer
  dbUrl: string
  stop(): Promise<void>
}

export type Log = (line: string) => void

/** Postgres' own log goes to a file next to the data folder; the console gets only what a developer needs. */
function postgresLog(cfg: StackConfig): Log {
  const file = path.join(path.dirname(cfg.dataDir), 'postgres.log')
  mkdirSync(path.dirname(file), { recursive: true })
  return (line) => appendFileSync(file, line + '\n')
}

/** Local defaults for Edge Function secrets; supabase/functions/.env (as for `supabase functions serve`) overrides them. */
export function localFunctionEnv(cfg: StackConfig): Record<string, string> {
  return { AUTH_DEV_LOGIN: 'true', ...readEnvFile(FUNCTIONS_ENV_FILE(cfg.functionsDir)) }
}

/** Where the timer calls the send-messages Edge Function after each run (docs/messages.md). */
export type SenderTarget = { apiUrl: string; serviceRoleKey: string }

/** POST /functions/v1/send-messages as service_role: what it did, as a log fragment (undefined: nothing). */
async function sendMessages(sender: SenderTarget): Promise<string | undefined> {
  const res = await fetch(`${sender.apiUrl}/functions/v1/send-messages`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${sender.serviceRoleKey}`, 'Content-Type': 'application/json' },
    body: '{}',
    signal: AbortSignal.timeout(60_000),
  })
  const body = (await res.json().catch(() => ({}))) as Record<string, number | string>
  if (!res.ok) return `send-messages failed: ${res.status} ${String(body.message ?? '')}`
  const parts = (['sent', 'retried', 'refused', 'failed', 'skipped', 'dead'] as const)
    .filter((k) => Number(body[k]) > 0)
    .map((k) => `${k} ${body[k]}`)
  return parts.length ? `messages: ${parts.join(', ')}` : undefined
}

/**
 * The local stand-in for pg_cron: `select public.run_scheduled_jobs()` (and, on a partitioned ledger,
 * `private.roll_entry_partitions()`) as the owner, shortly after start and then every `intervalMs` (0: never),
 * then (with `sender`: WeChat is configured) the send-messages function, as pg_cron + pg_net do on Supabase. Runs never overlap; a line is logged only when a job changed something.
 */
export function startScheduledJobs(url: string, intervalMs: number, log: Log, sender?: SenderTarget): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = !(intervalMs > 0)
  const run = async () => {
    const client = new Client({ connectionString: url })
    client.on('error', () => {}) // a reset of the database while the stack runs ends the connection
    try {
      await client.connect()
      const { rows } = await client.query('select public.run_scheduled_jobs() as jobs')
      // on a ledger switched to partitions (npm run db:partition), its roll, which pg_cron runs daily on Supabase
      await client.query(`do $$ begin
        if to_regprocedure('private.roll_entry_partitions(timestamptz)') is not null then perform private.roll_entry_partitions(); end if;
      end $$`)
      const jobs = rows[0].jobs
      const done = [
        jobs.expire_points?.points > 0 &&
          `expired ${jobs.expire_points.points} points (${jobs.expire_points.lots} lots, ${jobs.expire_points.members} members)`,
        jobs.review_tiers?.downgraded > 0 && `downgraded ${jobs.review_tiers.downgraded} member(s)`,
        jobs.apply_rule_changes?.applied > 0 && `applied ${jobs.apply_rule_changes.applied} rule change(s)`,
        jobs.award_birthday_bonuses?.awarded > 0 && `awarded ${jobs.award_birthday_bonuses.awarded} birthday bonus(es)`,
        jobs.delete_member_codes?.codes + jobs.delete_member_codes?.attempts > 0 &&
          `deleted ${jobs.delete_member_codes.codes} expired member code(s), ${jobs.delete_member_codes.attempts} old code check(s)`,
      ].filter(Boolean)
      if (done.length) log(`scheduled jobs: ${done.join(', ')}`)
      const sent = sender && (await sendMessages(sender).catch((err) => `send-messages failed: ${String(err)}`))
      if (sent) log(`scheduled jobs: ${sent}`)
    } catch (err) {
      log(`scheduled jobs failed: ${err instanceof Error ? err.message : String(err)}`)
    } finally {
      await client.end().catch(() => {})
    }
  }
  const schedule = (delayMs: number) => {
    if (stopped) return
    timer = setTimeout(() => {
      running = run().finally(() => {
        running = undefined
        schedule(intervalMs)
      })
    }, delayMs)
  }
  schedule(Math.min(1000, intervalMs))
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}

async function isFresh(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(`select to_regclass('supabase_migrations.schema_migrations') is null as fresh`)
    return rows[0].fresh
  } finally {
    await client.end()
  }
}

export async function startStack(cfg: StackConfig, log: Log = console.log): Promise<Stack> {
  const db = await startPostgres({ dataDir: cfg.dataDir, port: cfg.dbPort, log: postgresLog(cfg) })
  const url = dbUrl(cfg.dbPort)
  try {
    const fresh = await isFresh(url)
    const applied = await prepareDatabase(url, {
      migrationsDir: cfg.migrationsDir,
      seedFile: fresh ? cfg.seedFile : undefined,
      storageDir: cfg.storageDir,
    })
    if (applied.length) log(`applied ${applied.length} migration(s)${fresh ? ' and the seed' : ''}`)
    const api = await startApiServer({
      dbUrl: url,
      jwtSecret: cfg.jwtSecret,
      anonKey: cfg.anonKey,
      serviceRoleKey: cfg.serviceRoleKey,
      functionsDir: cfg.functionsDir,
      storageDir: cfg.storageDir,
      configToml: path.join(ROOT, 'supabase', 'config.toml'),
      host: cfg.host,
      port: cfg.apiPort,
      functionEnv: localFunctionEnv(cfg),
      log,
    })
    const functionEnv = localFunctionEnv(cfg)
    const sender =
      functionEnv.WECHAT_APPID && functionEnv.WECHAT_SECRET ? { apiUrl: api.url, serviceRoleKey: cfg.serviceRoleKey } : undefined
    const jobs = startScheduledJobs(url, cfg.jobsIntervalMs, log, sender)
    return {
      db,
      api,
      dbUrl: url,
      async stop() {
        await jobs.stop()
        await api.close().catch((err) => log(`api close: ${String(err)}`))
        await db.stop()
      },
    }
  } catch (err) {
    await db.stop()
    throw err
  }
}

/** Runs `fn` with the port of the Postgres on the data folder: the running stack's, or one started just for it. */
export async function withPostgres<T>(cfg: StackConfig, fn: (port: number) => Promise<T>): Promise<T> {
  const runningPort = runningPostgres(cfg.dataDir)?.port
  const db = runningPort ? undefined : await startPostgres({ dataDir: cfg.dataDir, port: cfg.dbPort, log: postgresLog(cfg) })
  try {
    return await fn(runningPort ?? cfg.dbPort)
  } finally {
    await db?.stop()
  }
}

/**
 * Drops and recreates the `postgres` database, then bootstrap + migrations + seed. Works while the
 * stack runs (its connections are closed and reopen on the next request) or starts Postgres for it.
 */
export function resetDatabase(cfg: StackConfig, log: Log = console.log): Promise<void> {
  return withPostgres(cfg, async (port) => {
    const admin = new Client({ connectionString: dbUrl(port, 'template1') })
    await admin.connect()
    try {
      await admin.query('drop database if exists postgres with (force)')
      await admin.query('create database postgres')
    } finally {
      await admin.end()
    }
    const applied = await prepareDatabase(dbUrl(port), {
      migrationsDir: cfg.migrationsDir,
      seedFile: cfg.seedFile,
      storageDir: cfg.storageDir,
    })
    log(`database reset: ${applied.length} migration(s) and the seed applied`)
  })
}
