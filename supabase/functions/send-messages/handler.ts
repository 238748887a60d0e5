// POST /functions/v1/send-messages (Authorization: Bearer <service_role key>; pg_cron + pg_net on Supabase, the
// local stack's timer) → { claimed, sent, retried, refused, failed, skipped, dead }.
// Claims a batch (claim_outbox_messages: lease, one consent credit each), sends each with
// cgi-bin/message/subscribe/send and template WECHAT_TEMPLATE_<KEY>, then finishes each (finish_outbox_message):
//   errcode 0 → sent; 45009 (rate limit), -1 (busy), HTTP ≥ 500, network error, timeout → retry (backoff);
//   43101 (no subscription) → refused; a token error that a fresh token did not fix → retry; others → failed.
// At-least-once: a sender that dies between WeChat's 0 and finish_outbox_message leaves the message 'sending'
// until its lease runs out; the next claim sends it again (the one duplicate possible, docs/messages.md).
import { env, fail, json } from '../_shared/http.ts'
import { rpc, wechatBase, wechatConfigured, withToken } from '../_shared/wechat.ts'

type Claimed = {
  id: number
  template_key: string
  openid: string
  title: string
  body: string
  link: string | null
  created_at: string
  claim_token: string
}
type Outcome = 'sent' | 'retry' | 'refused' | 'failed'

const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s)

/** The template data: thing1 title, thing2 body (WeChat's thing.DATA holds 20 characters), time3 created. */
function templateData(m: Claimed) {
  const t = new Date(new Date(m.created_at).getTime() + 8 * 3600_000).toISOString()
  return {
    thing1: { value: cut(m.title, 20) },
    thing2: { value: cut(m.body, 20) },
    time3: { value: `${t.slice(0, 10)} ${t.slice(11, 16)}` },
  }
}

async function sendOne(m: Claimed): Promise<[Outcome, string | null]> {
  const templateId = env(`WECHAT_TEMPLATE_${m.template_key.toUpperCase()}`)
  if (!templateId) return ['failed', 'template_not_configured']
  let res: Response
  try {
    res = await withToken((token) =>
      fetch(new URL(`/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, wechatBase()), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          touser: m.openid,
          template_id: templateId,
          page: (m.link ?? '/pages/home/index').replace(/^\//, ''),
          data: templateData(m),
          miniprogram_state: env('WECHAT_MINIPROGRAM_STATE') ?? 'formal',
          lang: 'zh_CN',
        }),
        signal: AbortSignal.timeout(Number(env('WECHAT_TIMEOUT_MS') ?? 5000)),
      }),
    )
  } catch (err) {
    return ['retry', `network: ${err instanceof Error ? err.message : String(err)}`]
  }
  if (res.status >= 500) return ['retry', `http ${res.status}`]
  const data = (await res.json().catch(() => ({ errcode: -2 }))) as { errcode?: number; errmsg?: string }
  const code = data.errcode ?? 0
  if (code === 0) return ['sent', null]
  const why = `errcode ${code}${data.errmsg ? ` ${data.errmsg}` : ''}`
  if (code === 45009 || code === -1 || code === 40001 || code === 42001 || code === 40014) return ['retry', why]
  if (code === 43101) return ['refused', why]
  return ['failed', why]
}

export async function handle(req: Request): Promise<Response> {
  if (req.method !== 'POST') return fail(405, 'method_not_allowed')
  const key = env('SUPABASE_SERVICE_ROLE_KEY')
  if (!key || req.headers.get('authorization') !== `Bearer ${key}`) return fail(401, 'service_role_required')
  if (!wechatConfigured()) return fail(503, 'wechat_not_configured')
  const limit = Math.min(100, Math.max(1, Number(env('SEND_MESSAGES_BATCH') ?? 20) || 20))
  const claim = await rpc<{ messages: Claimed[] | null; skipped: number; dead: number; message?: string }>('claim_outbox_messages', {
    p_limit: limit,
  })
  if (!claim.ok) return fail(502, claim.body.message ?? 'claim_failed')
  const counts = { claimed: 0, sent: 0, retried: 0, refused: 0, failed: 0, skipped: claim.body.skipped, dead: claim.body.dead }
  for (const m of claim.body.messages ?? []) {
    counts.claimed++
    let outcome: Outcome
    let error: string | null
    try {
      ;[outcome, error] = await sendOne(m)
    } catch (err) {
      ;[outcome, error] = ['retry', err instanceof Error ? err.message : String(err)]
    }
    const done = await rpc<{ status: string }>('finish_outbox_message', {
      p_id: m.id,
      p_claim_token: m.claim_token,
      p_outcome: outcome,
      p_error: error,
    })
    if (!done.ok) continue // lease_lost: another sender owns it now
    if (outcome === 'sent') counts.sent++
    else if (outcome === 'refused') counts.refused++
    else if (outcome === 'failed') counts.failed++
    else if (done.body.status === 'dead') counts.dead++
    else counts.retried++
  }
  return json(200, counts)
}
