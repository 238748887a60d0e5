import type { MemberCode } from '../domain/membercode'
import { memberRpc } from './session'

export type { MemberCode }

/**
 * The member code for the code screen: the token (QR) and the 18 digits (barcode), RPC `issue_member_code`. A
 * write (POST: the digits are stored), but safe to call as often as needed: the current digits are reused while
 * more than half their lifetime is left.
 */
export function issueMemberCode(): Promise<MemberCode> {
  return memberRpc('issue_member_code')
}
