// Jest globalSetup/globalTeardown of the `node` project: one embedded Postgres per test run, on a
// free port in a fresh temp folder, with a template database (bootstrap + every migration). Each
// test file clones its own database from the template (test/support/db.ts), so files run in
// parallel workers and runs never see each other's data.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { Client } from 'pg'
import { dbUrl, stackConfig } from '../../stack/config'
import { listMigrations, prepareDatabase } from '../../stack/migrate'
import { startPostgres, type PostgresHandle } from '../../stack/postgres'
import { PARTITIONED_TEMPLATE_DB, PARTITIONED_TEMPLATE_SWITCHED_AT, TEMPLATE_DB } from './db'
import { PARTITION_SINCE_MIGRATION, partitionPointEntries } from '../../stack/partition'
import { freePort } from '../../stack/net'
import { tempDirForPostgres } from '../../stack/tmp'

const state = globalThis as { __testPg?: PostgresHandle; __testPgDir?: string }

export async function setup(): Promise<void> {
  if (state.__testPg) return // the `node` and `partitioned` projects share one cluster
  const dir = tempDirForPostgres('jifen-test-')
  const port = await freePort()
  const pg = await startPostgres({ dataDir: path.join(dir, 'db'), port })
  state.__testPg = pg
  state.__testPgDir = dir
  const admin = new Client({ connectionString: dbUrl(port) })
  await admin.connect()
  await admin.query(`create database ${TEMPLATE_DB}`)
  await admin.query(`create database ${PARTITIONED_TEMPLATE_DB}`)
  await admin.end()
  const { migrationsDir } = stackConfig()
  await prepareDatabase(dbUrl(port, TEMPLATE_DB), { migrationsDir })
  // For the `partitioned` project: a deployment that made the partitioning switch (supabase/scale/) as
  // early as it can, then took every later migration on top.
  const early = path.join(dir, 'migrations-until-switch')
  mkdirSync(early)
  for (const m of listMigrations(migrationsDir).filter((each) => each.version <= PARTITION_SINCE_MIGRATION))
    copyFileSync(m.file, path.join(early, path.basename(m.file)))
  await prepareDatabase(dbUrl(port, PARTITIONED_TEMPLATE_DB), { migrationsDir: early })
  await partitionPointEntries(dbUrl(port, PARTITIONED_TEMPLATE_DB), { at: PARTITIONED_TEMPLATE_SWITCHED_AT })
  await prepareDatabase(dbUrl(port, PARTITIONED_TEMPLATE_DB), { migrationsDir })
  process.env.TEST_PG_PORT = String(port)
  process.env.JIFEN_TEST_RUN_DIR = dir // also holds what test files share, e.g. the H5 build (browser.ts)
}

export async function teardown(): Promise<void> {
  const pg = state.__testPg
  state.__testPg = undefined
  await pg?.stop()
  if (state.__testPgDir) rmSync(state.__testPgDir, { recursive: true, force: true })
  state.__testPgDir = undefined
}
