import type { Me } from '../domain/member'
import { REMINDER_DAY_ROWS } from '../domain/responses'
import { shapeProblem } from '../domain/shape'
import { takeEarlyMe } from '../platform/early'
import { rest } from './client'
import { RESULT_SHAPES, type RpcResult } from './contract'
import { withDisplayAvatar } from './profile'
import { expectShape, runQuery } from './rpc'
import { currentSession, memberRpc } from './session'
import { withTimeout } from './timeout'

export type { Me }

/** Everything the home screen shows (RPC `me`); the avatar as a URL to show (withDisplayAvatar). */
export async function fetchMe(): Promise<Me> {
  return withDisplayAvatar((await earlyMe()) ?? (await memberRpc('me')))
}

/**
 * H5: the `me` index.html asked for while the JS downloaded, with the saved token, once, if well-formed; a
 * hung one gives way after REQUEST_TIMEOUT_MS, as any request does.
 */
async function earlyMe(): Promise<RpcResult<'me'> | null> {
  const session = currentSession()
  if (!session) return null
  const answer = await withTimeout(() => takeEarlyMe(session.accessToken)).catch(() => null)
  return answer && !shapeProblem(RESULT_SHAPES.me, answer) ? (answer as RpcResult<'me'>) : null
}

/** Days before an expiry when members are reminded (`point_rules.expiry_reminder_days`, readable by anyone). */
export async function fetchExpiryReminderDays(): Promise<number[]> {
  const rows = expectShape(REMINDER_DAY_ROWS, await runQuery(rest.from('point_rules').select('expiry_reminder_days').limit(1)))
  return rows?.[0]?.expiry_reminder_days ?? []
}
