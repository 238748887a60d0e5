import type { MemberCode } from '../domain/membercode'
import { memberRpc } from './session'

export type { MemberCode }

/** A fresh member code for the QR (RPC `issue_member_code`, read-only: safe to call as often as needed). */
export function issueMemberCode(): Promise<MemberCode> {
  return memberRpc('issue_member_code')
}
