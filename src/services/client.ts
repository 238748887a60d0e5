/**
 * PostgREST clients for `${TARO_APP_SUPABASE_URL}/rest/v1`: anonymous (`rest`) and per member token
 * (`restFor`). The Storage client (avatars) is in services/avatar.ts, so only the profile's subpackage carries it. Uses @supabase/postgrest-js directly instead of supabase-js' createClient: realtime's
 * WebSocket breaks the mini-program at start-up (Taro's URL rejects wss://), and the app needs no
 * realtime. Every request goes through the platform fetch (Taro.request in the mini-program).
 */
import { PostgrestClient } from '@supabase/postgrest-js'

import { platformFetch } from '../platform/fetch'
import { anonKey, supabaseUrl } from './config'

function clientWith(token: string): PostgrestClient {
  return new PostgrestClient(`${supabaseUrl}/rest/v1`, {
    headers: { apikey: anonKey, Authorization: `Bearer ${token}` },
    fetch: platformFetch,
  })
}

export const rest = clientWith(anonKey)

/** A client that calls as the signed-in member (the `auth` function's access token). */
export function restFor(accessToken: string): PostgrestClient {
  return clientWith(accessToken)
}
