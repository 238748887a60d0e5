/**
 * 会员码. The code is not kept in a store: it is valid for 60 s and belongs to the one screen showing it, which
 * times its own refreshes (src/pages/code). Screens reach the RPC here.
 */
export { issueMemberCode } from '../services/membercode'
