/** 邀请有礼: my invite code, stats and rules (the first page's head) and my invitees, a page at a time. */
import type { BindReferrerResult, InviteSummary, Invitee } from '../domain/referral'
import { bindReferrer, INVITEES_PAGE_SIZE, listInvitees } from '../services/referral'
import { createPagedList } from './paged'

/** `list_invitees` without its page of rows: the same on every page. */
export type InviteHead = Omit<InviteSummary, 'invitees'>

/** Newest first; the next page starts before the last `bound_at` (no filter). */
export const invitesStore = createPagedList<Invitee, null, InviteHead>({
  filter: null,
  pageSize: INVITEES_PAGE_SIZE,
  fetchPage: async (_filter, last) => {
    const { invitees, ...head } = await listInvitees({ before: last?.bound_at })
    return { rows: invitees, head }
  },
  keyOf: (invitee) => `${invitee.bound_at}|${invitee.nickname}`,
})

/** The invite page's data: the summary with every invitee loaded so far (undefined until the first page). */
export function useInvites() {
  const head = invitesStore((s) => s.head)
  const invitees = invitesStore((s) => s.items)
  const status = invitesStore((s) => s.status)
  const errorCode = invitesStore((s) => s.errorCode)
  const hasMore = invitesStore((s) => s.hasMore)
  const loadingMore = invitesStore((s) => s.loadingMore)
  const data: InviteSummary | undefined = head ? { ...head, invitees } : undefined
  return { data, status, errorCode, hasMore, loadingMore }
}

/**
 * The invite code the app was opened with (`?inviter=CODE`), kept on the device until the member is signed in,
 * and binding it then: the services' functions (src/services/referral.ts), which keep it in platform storage,
 * not in a store. Screens reach them here.
 */
export { bindRememberedInviter, rememberInviter } from '../services/referral'

/**
 * Bind the owner of a typed invite code (checked with `checkInviteCodeInput` first) as my referrer: 我的邀请人
 * shows them and the code field goes (no more binding). AppError with the backend's code on a refusal
 * (`invite_code_not_found`, `self_referral`, `referral_window_closed`, `referrer_already_bound`, …).
 */
export async function bindTypedInviteCode(code: string): Promise<BindReferrerResult> {
  const answer = await bindReferrer(code, 'code')
  invitesStore.setState((s) =>
    s.head
      ? {
          head: {
            ...s.head,
            referrer: {
              nickname: answer.referrer.nickname,
              avatar_url: answer.referrer.avatar_url,
              status: answer.status,
              bound_at: answer.bound_at,
            },
            bind_until: null,
          },
        }
      : {},
  )
  return answer
}

/** The member's 小程序码 for the poster (WeChat): the `wxacode` function's image URL, scene and page. */
export { getInviteWxacode } from '../services/wxacode'
