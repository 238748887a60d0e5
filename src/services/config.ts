/** Where the backend is: baked in at build time from `.env.*` (TARO_APP_* variables). */
export const supabaseUrl = (process.env.TARO_APP_SUPABASE_URL ?? '').replace(/\/+$/, '')
/** The public anon key (never a service_role key). */
export const anonKey = process.env.TARO_APP_SUPABASE_ANON_KEY ?? ''
