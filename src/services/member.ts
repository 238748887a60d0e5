import { newRequestId } from '../domain/id'
import type { CheckInResult, Me } from '../domain/member'
import { memberRpc } from './session'

export type { CheckInResult, Me }

/** Everything the home screen shows (RPC `me`). */
export function fetchMe(): Promise<Me> {
  return memberRpc('me')
}

/** Today's check-in (RPC `check_in`), retry-safe with a request id. */
export function checkIn(requestId = newRequestId()): Promise<CheckInResult> {
  return memberRpc('check_in', { p_request_id: requestId })
}
