// npm run stack | db:reset | db:migrate | db:partition [database URL]
import { dbUrl, stackConfig } from './config'
import { prepareDatabase } from './migrate'
import { partitionPointEntries } from './partition'
import { resetDatabase, startStack, withPostgres, type Stack } from './stack'

export function printBanner(stack: Stack, anonKey: string, serviceRoleKey: string) {
  console.log(`
  积分会员 local stack is running
    API URL          ${stack.api.url}   (REST ${stack.api.url}/rest/v1, functions ${stack.api.url}/functions/v1)
    DB URL           ${stack.dbUrl}
    anon key         ${anonKey}
    service_role key ${serviceRoleKey}
  Ctrl-C stops it.`)
}

/** Runs `stop` once on SIGINT/SIGTERM/SIGHUP, then exits. */
export function onShutdown(stop: () => Promise<void>) {
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) return
      stopping = true
      console.log(`\n${signal}: stopping…`)
      stop()
        .then(() => process.exit(0))
        .catch((err) => {
          console.error(err)
          process.exit(1)
        })
    })
  }
}

async function main(command: string) {
  const cfg = stackConfig()
  if (command === 'start') {
    const stack = await startStack(cfg)
    printBanner(stack, cfg.anonKey, cfg.serviceRoleKey)
    onShutdown(() => stack.stop())
  } else if (command === 'reset') {
    await resetDatabase(cfg)
  } else if (command === 'migrate') {
    await withPostgres(cfg, async (port) => {
      const applied = await prepareDatabase(dbUrl(port), { migrationsDir: cfg.migrationsDir })
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations')
    })
  } else if (command === 'partition') {
    const url = process.argv[3] ?? process.env.DATABASE_URL
    if (url) await partitionPointEntries(url)
    else await withPostgres(cfg, (port) => partitionPointEntries(dbUrl(port)))
    console.log('point_entries is partitioned (docs/capacity.md §4)')
  } else {
    throw new Error(`usage: tsx stack/cli.ts start|reset|migrate|partition [url] (got "${command}")`)
  }
}

if (require.main === module) {
  main(process.argv[2] ?? 'start').catch((err) => {
    console.error(String(err?.message ?? err))
    process.exit(1)
  })
}
