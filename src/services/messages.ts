/**
 * 消息中心 and WeChat subscribe-message consent (docs/messages.md): the member's messages (newest first, paged by
 * id), marking them read, the unread count for the home screen, and recording what `requestSubscribeMessage`
 * answered (one credit per accepted template: WeChat's one-time subscriptions).
 */
import type { MemberMessage, SubscribeConsentResult, UnreadMessages } from '../domain/responses'
import { memberRpc } from './session'

export type { MemberMessage, SubscribeConsentResult, UnreadMessages }

export const MESSAGES_PAGE_SIZE = 20

/** The templates the app may ask consent for (`WECHAT_TEMPLATE_<KEY>` on the sender's side). */
export const SUBSCRIBE_TEMPLATE_KEYS = ['points_expiring', 'voucher_expiring', 'voucher_used', 'tier_changed', 'check_in_reminder'] as const
export type SubscribeTemplateKey = (typeof SUBSCRIBE_TEMPLATE_KEYS)[number]
/** What `requestSubscribeMessage` answers per template id. */
export type SubscribeResult = 'accept' | 'reject' | 'ban' | 'filter'

/** One page of my messages, newest first; `beforeId` = the last id of the page before. */
export function listMyMessages(options: { beforeId?: number | null; limit?: number } = {}): Promise<MemberMessage[]> {
  return memberRpc('list_my_messages', {
    p_before_id: options.beforeId ?? undefined,
    p_limit: options.limit ?? MESSAGES_PAGE_SIZE,
  })
}

/** Mark my messages read, up to and including `upToId` (all when omitted); answers how many stay unread. */
export function markMessagesRead(upToId?: number | null): Promise<UnreadMessages> {
  return memberRpc('mark_messages_read', upToId == null ? {} : { p_up_to_id: upToId })
}

/** How many of my messages are unread (the badge on the home screen). */
export function countUnreadMessages(): Promise<UnreadMessages> {
  return memberRpc('count_unread_messages')
}

/** Record what `requestSubscribeMessage` answered, by template key (not template id). */
export function recordSubscribeConsent(results: Partial<Record<SubscribeTemplateKey, SubscribeResult>>): Promise<SubscribeConsentResult> {
  return memberRpc('record_subscribe_consent', { p_results: results })
}
