/**
 * PostgREST client for `${TARO_APP_SUPABASE_URL}/rest/v1` with the anon key.
 * Uses @supabase/postgrest-js directly instead of supabase-js' createClient: realtime's
 * WebSocket breaks the mini-program at start-up. The signed-in accessToken flow comes later.
 */
import { PostgrestClient } from '@supabase/postgrest-js'

import { platformFetch } from '../platform/fetch'

const supabaseUrl = (process.env.TARO_APP_SUPABASE_URL ?? '').replace(/\/+$/, '')
const anonKey = process.env.TARO_APP_SUPABASE_ANON_KEY ?? ''

export const rest = new PostgrestClient(`${supabaseUrl}/rest/v1`, {
  headers: {
    apikey: anonKey,
    Authorization: `Bearer ${anonKey}`,
  },
  fetch: platformFetch,
})
