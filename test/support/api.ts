// An in-process local API server (the one `npm run stack` runs) on a free port for one test database.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import ws from 'ws'
import { LOCAL_ANON_KEY, LOCAL_JWT_SECRET, LOCAL_SERVICE_ROLE_KEY, ROOT, stackConfig } from '../../stack/config'
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../stack/server'
import { seedStorage } from '../../stack/storage/seed'
import { createTestDb, type TestDb } from './db'

export async function startTestApi(db: TestDb, opts: Partial<ApiServerOptions> = {}): Promise<ApiServer> {
  return startApiServer({
    dbUrl: db.url,
    jwtSecret: LOCAL_JWT_SECRET,
    anonKey: LOCAL_ANON_KEY,
    serviceRoleKey: LOCAL_SERVICE_ROLE_KEY,
    functionsDir: stackConfig().functionsDir,
    configToml: path.join(ROOT, 'supabase', 'config.toml'),
    functionEnv: { AUTH_DEV_LOGIN: 'true' },
    ...opts,
  })
}

// Node 20 has no global WebSocket; supabase-js's realtime client needs one at construction (never connected here).
const NODE_REALTIME = { transport: ws as unknown as typeof WebSocket }

/** A second API server over the same database for one test (other settings), closed afterwards. */
export async function withTestApi<T>(db: TestDb, opts: Partial<ApiServerOptions>, fn: (api: ApiServer) => Promise<T>): Promise<T> {
  const api = await startTestApi(db, opts)
  try {
    return await fn(api)
  } finally {
    await api.close()
  }
}

/** The real supabase-js client against the test API, as the H5 app uses it (optionally with a member token). */
export function client(api: ApiServer, accessToken?: string): SupabaseClient {
  return createClient(api.url, LOCAL_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: NODE_REALTIME,
    ...(accessToken ? { accessToken: async () => accessToken } : {}),
  })
}

export function serviceClient(api: ApiServer): SupabaseClient {
  return createClient(api.url, LOCAL_SERVICE_ROLE_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: NODE_REALTIME,
  })
}

/**
 * A seeded test database (with the seed's Storage objects, in a temporary folder) and an API server over it for the test file, with the app's build-time env
 * (TARO_APP_SUPABASE_URL / ANON_KEY) pointing at it: client services required later (inside
 * jest.isolateModules, in a later beforeAll) talk to it.
 */
export function useSeededApi(): () => { db: TestDb; api: ApiServer } {
  let db: TestDb
  let api: ApiServer
  let storageDir: string | undefined
  beforeAll(async () => {
    db = await createTestDb()
    await db.seed()
    storageDir = mkdtempSync(path.join(os.tmpdir(), 'jifen-test-storage-'))
    await seedStorage(db.admin, storageDir)
    api = await startTestApi(db, { storageDir })
    process.env.TARO_APP_SUPABASE_URL = api.url
    process.env.TARO_APP_SUPABASE_ANON_KEY = LOCAL_ANON_KEY
  })
  afterAll(async () => {
    await api?.close().catch(() => {}) // a test may have stopped it
    await db?.drop()
    if (storageDir) rmSync(storageDir, { recursive: true, force: true })
  })
  return () => ({ db, api })
}
