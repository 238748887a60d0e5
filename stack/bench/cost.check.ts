// The cost pass of the benchmark (cost.ts) reads what a load did from pg_stat_statements and the WAL: on a
// throwaway server with the same flags, a load whose cost is known by construction — per transaction one
// statement, one row inserted into a table with two indexes, one HOT update, one row lock — must be reported
// as exactly that (WAL bytes and full-page images only as positive numbers: their size is Postgres' business).
// Run by cost.test.ts as a child process (jest cannot start an embedded Postgres of its own); prints the cost
// as JSON and exits 1 on a wrong count.
import { Client } from 'pg'
import { dbUrl } from '../config'
import { withThrowawayPostgres } from '../postgres'
import { COST_SERVER_FLAGS, costPerCall, finishCost, prepareCost, type Cost } from './cost'

const EXPECTED: Partial<Cost> = { statements: 1, heapInserts: 1, heapUpdates: 1, hotUpdates: 1, rowLocks: 1, btreeEntries: 2 }

async function main() {
  const cost = await withThrowawayPostgres(
    'jifen-cost-',
    async (port) => {
      const admin = new Client({ connectionString: dbUrl(port) })
      await admin.connect()
      const load = new Client({ connectionString: dbUrl(port) })
      await load.connect()
      try {
        await prepareCost(admin)
        await load.query('create table t (id bigint primary key, k int not null, note text)')
        await load.query('create index t_k on t (k)')
        await load.query(`insert into t values (0, 0, 'x'), (-1, -1, 'locked')`)
        return await costPerCall(admin, async () => {
          for (let i = 1; i <= 50; i++) {
            // one statement per transaction (autocommit): it inserts, updates in place and locks a row
            await load.query(
              `with ins as (insert into t values ($1::bigint, $3::int, 'x')),
                    upd as (update t set note = $2::text where id = 0),
                    lck as (select id from t where id = -1 for update)
               select (select count(*) from lck)`,
              [i, `n${i}`, i],
            )
          }
          return 50
        })
      } finally {
        await finishCost(admin)
        await load.end()
        await admin.end()
      }
    },
    COST_SERVER_FLAGS,
  )
  console.log(JSON.stringify(cost))
  const wrong = Object.entries(EXPECTED).filter(([k, v]) => cost[k as keyof Cost] !== v)
  if (wrong.length || !(cost.walBytes > 0) || !(cost.fpi > 0)) {
    console.error(`wrong counts: ${JSON.stringify(wrong)}`)
    process.exit(1)
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
