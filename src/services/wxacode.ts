/**
 * The member's invite 小程序码 (the `wxacode` Edge Function, docs/messages.md): a signed URL of the image (valid
 * 7 days; the mini-program downloads it for the share poster), its `scene` (the invite code) and `page`.
 * Errors are AppErrors with the function's codes (wechat_not_configured, wechat_unavailable, …).
 */
import { AppError, isErrorCode } from '../domain/errors'
import { INVITE_WXACODE, type InviteWxacode } from '../domain/responses'
import { platformFetch } from '../platform/fetch'
import { anonKey, supabaseUrl } from './config'
import { expectShape } from './rpc'
import { freshSession } from './session'
import { withTimeout } from './timeout'

export type { InviteWxacode }

export async function getInviteWxacode(): Promise<InviteWxacode> {
  const session = await freshSession()
  let res: Response
  let body: Record<string, unknown>
  try {
    ;[res, body] = await withTimeout(async (signal) => {
      const answer = await platformFetch(`${supabaseUrl}/functions/v1/wxacode`, {
        method: 'POST',
        headers: { apikey: anonKey, Authorization: `Bearer ${session.accessToken}`, 'Content-Type': 'application/json' },
        body: '{}',
        signal,
      })
      return [answer, (await answer.json().catch(() => ({}))) as Record<string, unknown>] as const
    })
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('network_error', { cause: e })
  }
  if (!res.ok) throw new AppError(isErrorCode(body.message) ? body.message : 'unknown', { cause: body })
  return expectShape(INVITE_WXACODE, body)
}
