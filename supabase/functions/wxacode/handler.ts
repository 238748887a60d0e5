// POST /functions/v1/wxacode (Authorization: Bearer <member JWT>) {} → { url, scene, page }: the member's
// 小程序码 from wxa/getwxacodeunlimit (scene = the member's invite code, page = member/invite/index), made once and
// cached in the private Storage bucket `wxacodes` (<member id>.png, written as service_role), answered as a signed
// URL valid for 7 days (the mini-program downloadFile's it). Errors (stable codes): 401 not_authenticated,
// 403 member_required, 503 wechat_not_configured, 429 wechat_rate_limited, 502 wechat_unavailable.
import { env, fail, json } from '../_shared/http.ts'
import { wechatBase, wechatConfigured, withToken } from '../_shared/wechat.ts'

const PAGE = 'member/invite/index'
const SIGNED_SECONDS = 7 * 24 * 3600

async function sign(base: string, key: string, object: string): Promise<string | null> {
  const res = await fetch(`${base}/storage/v1/object/sign/wxacodes/${object}`, {
    method: 'POST',
    headers: { apikey: key, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ expiresIn: SIGNED_SECONDS }),
  })
  if (!res.ok) return null
  const body = (await res.json()) as { signedURL?: string }
  return body.signedURL ? `${base}/storage/v1${body.signedURL}` : null
}

export async function handle(req: Request): Promise<Response> {
  if (req.method !== 'POST') return fail(405, 'method_not_allowed')
  const base = env('SUPABASE_URL')
  const key = env('SUPABASE_SERVICE_ROLE_KEY')
  if (!base || !key) return fail(500, 'server_misconfigured')
  const auth = req.headers.get('authorization')
  if (!auth?.startsWith('Bearer ') || auth === `Bearer ${key}`) return fail(401, 'not_authenticated')
  // the caller's own member row, as the caller (RLS): who they are and their invite code
  const me = await fetch(`${base}/rest/v1/members?select=id,invite_code&limit=1`, {
    headers: { apikey: env('SUPABASE_ANON_KEY') ?? key, Authorization: auth },
  })
  if (me.status === 401) return fail(401, 'not_authenticated')
  const rows = (await me.json().catch(() => [])) as { id: string; invite_code: string }[]
  if (!me.ok || !Array.isArray(rows) || rows.length !== 1) return fail(403, 'member_required')
  const { id, invite_code: scene } = rows[0]
  const object = `${id}.png`

  const cached = await sign(base, key, object)
  if (cached) return json(200, { url: cached, scene, page: PAGE })

  if (!wechatConfigured()) return fail(503, 'wechat_not_configured')
  let res: Response
  try {
    res = await withToken((token) =>
      fetch(new URL(`/wxa/getwxacodeunlimit?access_token=${encodeURIComponent(token)}`, wechatBase()), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ scene, page: PAGE, check_path: false, env_version: env('WECHAT_ENV_VERSION') ?? 'release', width: 430 }),
        signal: AbortSignal.timeout(Number(env('WECHAT_TIMEOUT_MS') ?? 5000)),
      }),
    )
  } catch {
    return fail(502, 'wechat_unavailable')
  }
  if (!(res.headers.get('content-type') ?? '').startsWith('image/')) {
    const data = (await res.json().catch(() => ({}))) as { errcode?: number }
    return fail(data.errcode === 45009 ? 429 : 502, data.errcode === 45009 ? 'wechat_rate_limited' : 'wechat_unavailable')
  }
  const png = new Uint8Array(await res.arrayBuffer())
  const put = await fetch(`${base}/storage/v1/object/wxacodes/${object}`, {
    method: 'POST',
    headers: { apikey: key, Authorization: `Bearer ${key}`, 'Content-Type': 'image/png', 'x-upsert': 'true' },
    body: png,
  })
  if (!put.ok) return fail(502, 'storage_unavailable')
  const url = await sign(base, key, object)
  if (!url) return fail(502, 'storage_unavailable')
  return json(200, { url, scene, page: PAGE })
}
