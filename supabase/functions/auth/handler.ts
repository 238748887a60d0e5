// POST /functions/v1/auth { provider: 'wechat', code } | { provider: 'dev', phone }
// → { access_token, token_type, expires_in, expires_at, member }
// WeChat: wx.login code → jscode2session → openid. Dev: phone number, only where AUTH_DEV_LOGIN=true.
// The member is created on first sign-in (public.register_member); the token is a JWT signed with the
// project's JWT secret (sub = member id, role = authenticated). The WeChat session_key never leaves here.
import { corsHeaders, env, fail, json } from '../_shared/http.ts'
import { signJwt } from '../_shared/jwt.ts'

type Identity = { provider: 'wechat' | 'dev'; subject: string; unionid?: string } | Response

const PHONE = /^1[3-9]\d{9}$/

async function wechatIdentity(code: unknown): Promise<Identity> {
  if (typeof code !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(code)) return fail(400, 'invalid_wechat_code')
  const appid = env('WECHAT_APPID')
  const secret = env('WECHAT_SECRET')
  if (!appid || !secret) return fail(503, 'wechat_not_configured')
  const url = new URL('/sns/jscode2session', env('WECHAT_API_BASE') ?? 'https://api.weixin.qq.com')
  url.search = new URLSearchParams({ appid, secret, js_code: code, grant_type: 'authorization_code' }).toString()
  let data: { openid?: string; unionid?: string; errcode?: number }
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) })
    data = await res.json()
  } catch {
    return fail(502, 'wechat_unavailable')
  }
  if (data.errcode === 40029 || data.errcode === 40163) return fail(400, 'invalid_wechat_code')
  if (data.errcode === 45011) return fail(429, 'wechat_rate_limited')
  if (!data.openid) return fail(502, 'wechat_unavailable')
  return { provider: 'wechat', subject: data.openid, unionid: data.unionid }
}

function devIdentity(phone: unknown): Identity {
  if (env('AUTH_DEV_LOGIN') !== 'true') return fail(403, 'provider_disabled')
  if (typeof phone !== 'string' || !PHONE.test(phone)) return fail(400, 'invalid_phone')
  return { provider: 'dev', subject: phone }
}

async function registerMember(identity: Exclude<Identity, Response>): Promise<Record<string, unknown> | Response> {
  const base = env('SUPABASE_URL')
  const key = env('SUPABASE_SERVICE_ROLE_KEY')
  if (!base || !key) return fail(500, 'server_misconfigured')
  const res = await fetch(`${base}/rest/v1/rpc/register_member`, {
    method: 'POST',
    headers: { apikey: key, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ p_provider: identity.provider, p_subject: identity.subject, p_wechat_unionid: identity.unionid ?? null }),
  })
  const body = await res.json().catch(() => ({}))
  if (!res.ok) return fail(res.status >= 500 ? 502 : res.status, typeof body.message === 'string' ? body.message : 'registration_failed')
  return body
}

export async function handle(req: Request): Promise<Response> {
  if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders })
  if (req.method !== 'POST') return fail(405, 'method_not_allowed')
  const jwtSecret = env('JWT_SECRET')
  if (!jwtSecret) return fail(500, 'server_misconfigured')

  let input: { provider?: unknown; code?: unknown; phone?: unknown }
  try {
    input = await req.json()
  } catch {
    return fail(400, 'invalid_json')
  }
  if (typeof input !== 'object' || input === null) return fail(400, 'invalid_json')

  const identity =
    input.provider === 'wechat'
      ? await wechatIdentity(input.code)
      : input.provider === 'dev'
        ? devIdentity(input.phone)
        : fail(400, 'invalid_provider')
  if (identity instanceof Response) return identity

  const member = await registerMember(identity)
  if (member instanceof Response) return member

  const ttl = Number(env('AUTH_TOKEN_TTL_SECONDS') ?? 3600)
  const iat = Math.floor(Date.now() / 1000)
  const exp = iat + (Number.isFinite(ttl) && ttl > 0 ? ttl : 3600)
  const { created, ...profile } = member
  const access_token = await signJwt({ sub: profile.id, role: 'authenticated', aud: 'authenticated', iat, exp }, jwtSecret)
  return json(200, { access_token, token_type: 'bearer', expires_in: exp - iat, expires_at: exp, created, member: profile })
}
