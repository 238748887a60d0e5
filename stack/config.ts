// Settings of the local stack. Ports, secret and keys are the Supabase CLI's well-known local
// defaults, so the same client .env works against `supabase start` too. Every value can be
// overridden through the environment (used by the tests to run isolated stacks side by side).
import path from 'node:path'

export const ROOT = path.resolve(__dirname, '..')

/** The Supabase CLI's local JWT secret (public: it only ever signs local development tokens). */
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long'
/** `supabase start`'s anon and service_role keys, signed with LOCAL_JWT_SECRET. */
export const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0'
export const LOCAL_SERVICE_ROLE_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU'

export interface StackConfig {
  dbPort: number
  apiPort: number
  host: string
  /** how often the stand-in for pg_cron runs public.run_scheduled_jobs() (ms; 0: never) */
  jobsIntervalMs: number
  dataDir: string
  /** where Storage objects' bytes live (next to the database's data folder) */
  storageDir: string
  jwtSecret: string
  anonKey: string
  serviceRoleKey: string
  migrationsDir: string
  seedFile: string
  functionsDir: string
}

export function stackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const dataDir = path.resolve(env.STACK_DATA_DIR ?? path.join(ROOT, '.local', 'db'))
  return {
    dbPort: Number(env.STACK_DB_PORT ?? 54322),
    apiPort: Number(env.STACK_API_PORT ?? 54321),
    host: env.STACK_HOST ?? '127.0.0.1',
    jobsIntervalMs: Number(env.STACK_JOBS_INTERVAL_MS ?? 60_000),
    dataDir,
    storageDir: path.resolve(env.STACK_STORAGE_DIR ?? path.join(path.dirname(dataDir), 'storage')),
    jwtSecret: env.STACK_JWT_SECRET ?? LOCAL_JWT_SECRET,
    anonKey: env.STACK_ANON_KEY ?? LOCAL_ANON_KEY,
    serviceRoleKey: env.STACK_SERVICE_ROLE_KEY ?? LOCAL_SERVICE_ROLE_KEY,
    migrationsDir: path.join(ROOT, 'supabase', 'migrations'),
    seedFile: path.join(ROOT, 'supabase', 'seed.sql'),
    functionsDir: path.join(ROOT, 'supabase', 'functions'),
  }
}

export function dbUrl(port: number, database = 'postgres', user = 'postgres', password = 'postgres'): string {
  return `postgresql://${user}:${password}@127.0.0.1:${port}/${database}`
}
