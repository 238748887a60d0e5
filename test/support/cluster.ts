// Jest globalSetup/globalTeardown of the `node` project: one embedded Postgres per test run, on a
// free port in a fresh temp folder, with a template database (bootstrap + every migration). Each
// test file clones its own database from the template (test/support/db.ts), so files run in
// parallel workers and runs never see each other's data.
import { rmSync } from 'node:fs'
import path from 'node:path'
import { Client } from 'pg'
import { dbUrl, stackConfig } from '../../stack/config'
import { prepareDatabase } from '../../stack/migrate'
import { startPostgres, type PostgresHandle } from '../../stack/postgres'
import { TEMPLATE_DB } from './db'
import { freePort } from '../../stack/net'
import { tempDirForPostgres } from '../../stack/tmp'

const state = globalThis as { __testPg?: PostgresHandle; __testPgDir?: string }

export async function setup(): Promise<void> {
  const dir = tempDirForPostgres('jifen-test-')
  const port = await freePort()
  const pg = await startPostgres({ dataDir: path.join(dir, 'db'), port })
  state.__testPg = pg
  state.__testPgDir = dir
  const admin = new Client({ connectionString: dbUrl(port) })
  await admin.connect()
  await admin.query(`create database ${TEMPLATE_DB}`)
  await admin.end()
  await prepareDatabase(dbUrl(port, TEMPLATE_DB), { migrationsDir: stackConfig().migrationsDir })
  process.env.TEST_PG_PORT = String(port)
  process.env.JIFEN_TEST_RUN_DIR = dir // also holds what test files share, e.g. the H5 build (browser.ts)
}

export async function teardown(): Promise<void> {
  await state.__testPg?.stop()
  if (state.__testPgDir) rmSync(state.__testPgDir, { recursive: true, force: true })
}
