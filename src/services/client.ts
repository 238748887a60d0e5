/**
 * PostgREST clients for `${TARO_APP_SUPABASE_URL}/rest/v1`: anonymous (`rest`) and per member token
 * (`restFor`); the Storage client for `/storage/v1` per member token (`storageFor`, avatars). Uses @supabase/postgrest-js directly instead of supabase-js' createClient: realtime's
 * WebSocket breaks the mini-program at start-up (Taro's URL rejects wss://), and the app needs no
 * realtime. Every request goes through the platform fetch (Taro.request in the mini-program).
 */
import { PostgrestClient } from '@supabase/postgrest-js'
import { StorageClient } from '@supabase/storage-js'

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

/**
 * The real storage client (@supabase/storage-js, the one inside supabase-js) as the signed-in member, on the
 * platform fetch (Taro.request in the mini-program, which sends an ArrayBuffer body as it is). `fetchImpl` lets a
 * caller add a time limit (services/avatar.ts).
 */
export function storageFor(accessToken: string, fetchImpl: typeof fetch = platformFetch): StorageClient {
  return new StorageClient(`${supabaseUrl}/storage/v1`, { apikey: anonKey, Authorization: `Bearer ${accessToken}` }, fetchImpl)
}
