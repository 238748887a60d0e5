// The write storm outside jest (`npm run soak` runs it first, larger than the test suite does): its own
// Postgres in a temp folder, one database per configuration (all migrations + seed), every call through the
// API's RestHandler (role switch + request.jwt.claims, one transaction per call).
import { Client, Pool } from 'pg'
import { dbUrl, LOCAL_JWT_SECRET, stackConfig } from '../config'
import { localToken, secretKey } from '../jwt'
import { prepareDatabase, runSeed } from '../migrate'
import { withThrowawayPostgres } from '../postgres'
import { RestHandler } from '../rest/handler'
import { runStorm, stormConfigs, type StormCaller, type StormDb, type StormReport, type StormSize } from './storm'

function stormDb(port: number, name: string): StormDb & { end(): Promise<void> } {
  const quiet = (pool: Pool) => pool.on('error', () => {}) // `drop database … with (force)` ends idle connections
  const admin = quiet(new Pool({ connectionString: dbUrl(port, name), max: 4 }))
  const pools: Pool[] = [admin]
  const handlers = new Map<string, RestHandler>()
  const handlerAt = (at?: string) => {
    const key = at ?? ''
    let handler = handlers.get(key)
    if (!handler) {
      const pool = quiet(
        new Pool({
          connectionString: dbUrl(port, name, 'authenticator', 'postgres'),
          max: at ? 2 : 60,
          options: at ? `-c jifen.now=${new Date(at).toISOString()}` : undefined,
        }),
      )
      pools.push(pool)
      handler = new RestHandler(pool, secretKey(LOCAL_JWT_SECRET))
      handlers.set(key, handler)
    }
    return handler
  }
  const call = async (fn: string, args: Record<string, unknown>, caller: StormCaller, at?: string) => {
    const res = await handlerAt(at).handle({
      method: 'POST',
      path: `/rpc/${fn}`,
      query: new URLSearchParams(),
      headers: { authorization: `Bearer ${await localToken(caller)}`, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(args)),
    })
    return { status: res.status, body: res.body === null ? null : JSON.parse(res.body) }
  }
  return {
    admin,
    call: (fn, args, caller) => call(fn, args, caller),
    callAt: (at, fn, args, caller) => call(fn, args, caller, at),
    end: async () => {
      await Promise.all(pools.map((p) => p.end()))
    },
  }
}

/** Every configuration at `size`; the reports in order. */
export async function runStormMatrix(size: StormSize, log: (line: string) => void = console.log): Promise<StormReport[]> {
  const reports: StormReport[] = []
  await withThrowawayPostgres('jifen-storm-', async (port) => {
    const root = new Client({ connectionString: dbUrl(port) })
    await root.connect()
    await root.query('create database storm_template')
    await prepareDatabase(dbUrl(port, 'storm_template'), { migrationsDir: stackConfig().migrationsDir })
    for (const [i, config] of stormConfigs().entries()) {
      const name = `storm_${i}`
      await root.query(`create database ${name} template storm_template`)
      const seeder = new Client({ connectionString: dbUrl(port, name) })
      await seeder.connect()
      await runSeed(seeder, stackConfig().seedFile)
      await seeder.end()
      const db = stormDb(port, name)
      try {
        const report = await runStorm(db, config, size, i + 1)
        reports.push(report)
        log(
          `  storm ${report.config}: ${report.calls} calls in ${report.ms} ms ${JSON.stringify(report.byStatus)}` +
            (report.violations.length ? `\n    ${report.violations.join('\n    ')}` : ''),
        )
      } finally {
        await db.end()
      }
      await root.query(`drop database ${name} with (force)`)
    }
    await root.end()
  })
  return reports
}
