// WeChat server API helpers shared by the Edge Functions (send-messages, wxacode): the access token cached in
// Postgres (get_wechat_access_token / save_wechat_access_token, messages.sql) and fetched from
// cgi-bin/stable_token when missing or rejected. WECHAT_API_BASE points at a fake WeChat in tests.
import { env } from './http.ts'

/** Errors that mean "this access token is no good": fetch a fresh one and try once more. */
export const TOKEN_ERRORS = new Set([40001, 42001, 40014])

export function wechatBase(): string {
  return env('WECHAT_API_BASE') ?? 'https://api.weixin.qq.com'
}

/** A service_role RPC call against the project's own REST API. */
export async function rpc<T>(name: string, args: Record<string, unknown>): Promise<{ ok: boolean; status: number; body: T }> {
  const base = env('SUPABASE_URL')
  const key = env('SUPABASE_SERVICE_ROLE_KEY')
  const res = await fetch(`${base}/rest/v1/rpc/${name}`, {
    method: 'POST',
    headers: { apikey: key!, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  })
  const body = (await res.json().catch(() => ({}))) as T
  return { ok: res.ok, status: res.status, body }
}

/** The app's access token: the cached one unless `force`, else a new one from stable_token (saved). */
export async function accessToken(force = false): Promise<string> {
  const appid = env('WECHAT_APPID')!
  const secret = env('WECHAT_SECRET')!
  if (!force) {
    const cached = await rpc<{ access_token: string | null }>('get_wechat_access_token', { p_appid: appid })
    if (cached.ok && cached.body.access_token) return cached.body.access_token
  }
  const res = await fetch(new URL('/cgi-bin/stable_token', wechatBase()), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid, secret, force_refresh: force }),
    signal: AbortSignal.timeout(5000),
  })
  const data = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number }
  if (!data.access_token) throw new Error(`stable_token errcode ${data.errcode ?? res.status}`)
  const expiresAt = new Date(Date.now() + Math.max(600, data.expires_in ?? 7200) * 1000).toISOString()
  await rpc('save_wechat_access_token', { p_appid: appid, p_access_token: data.access_token, p_expires_at: expiresAt })
  return data.access_token
}

/** A WeChat API call that needs the access token; refreshes it once on 40001/42001/40014. */
export async function withToken(call: (token: string) => Promise<Response>): Promise<Response> {
  let res = await call(await accessToken())
  const peek = async (r: Response) => {
    if (!(r.headers.get('content-type') ?? '').match(/json|text/)) return undefined
    const text = await r.clone().text()
    try {
      return (JSON.parse(text) as { errcode?: number }).errcode
    } catch {
      return undefined
    }
  }
  if (TOKEN_ERRORS.has((await peek(res)) ?? 0)) res = await call(await accessToken(true))
  return res
}

export function wechatConfigured(): boolean {
  return Boolean(env('WECHAT_APPID') && env('WECHAT_SECRET'))
}
