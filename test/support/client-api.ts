// For tests of the client's services (src/services) against the real local API: a seeded test database and
// an API server for the file, with the app's build-time env (TARO_APP_SUPABASE_URL / ANON_KEY) pointing at
// it. Require the services inside jest.isolateModules in a later beforeAll, so they read that env.
import { LOCAL_ANON_KEY } from '../../stack/config'
import type { ApiServer } from '../../stack/server'
import { startTestApi } from './api'
import { createTestDb, type TestDb } from './db'

export function useClientApi(): () => { db: TestDb; api: ApiServer } {
  let db: TestDb
  let api: ApiServer
  beforeAll(async () => {
    db = await createTestDb()
    await db.seed()
    api = await startTestApi(db)
    process.env.TARO_APP_SUPABASE_URL = api.url
    process.env.TARO_APP_SUPABASE_ANON_KEY = LOCAL_ANON_KEY
  })
  afterAll(async () => {
    await api?.close().catch(() => {}) // a test may have stopped it
    await db?.drop()
  })
  return () => ({ db, api })
}
