import type { Me } from '../domain/member'
import { REMINDER_DAY_ROWS } from '../domain/responses'
import { rest } from './client'
import { withDisplayAvatar } from './profile'
import { expectShape, runQuery } from './rpc'
import { memberRpc } from './session'

export type { Me }

/** Everything the home screen shows (RPC `me`); the avatar as a URL to show (withDisplayAvatar). */
export async function fetchMe(): Promise<Me> {
  return withDisplayAvatar(await memberRpc('me'))
}

/** Days before an expiry when members are reminded (`point_rules.expiry_reminder_days`, readable by anyone). */
export async function fetchExpiryReminderDays(): Promise<number[]> {
  const rows = expectShape(REMINDER_DAY_ROWS, await runQuery(rest.from('point_rules').select('expiry_reminder_days').limit(1)))
  return rows?.[0]?.expiry_reminder_days ?? []
}
