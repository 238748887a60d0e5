/**
 * 消息中心 (`list_my_messages`, `mark_messages_read`, `count_unread_messages`) and the subscribe-message consent
 * the member gave in WeChat's dialog (`record_subscribe_consent`). Answers are checked against their shapes in
 * src/domain/responses.ts (memberRpc).
 */
import type { SubscribeResults } from '../domain/messages'
import type { ConsentRecorded, Message, UnreadCount } from '../domain/responses'
import { memberRpc } from './session'

export type { ConsentRecorded, Message, UnreadCount }

export const MESSAGES_PAGE_SIZE = 20

/** One page of my messages, newest first; the next page starts before the last id shown. */
export function listMyMessages(options: { beforeId?: number | null; limit?: number } = {}): Promise<Message[]> {
  return memberRpc('list_my_messages', {
    p_before_id: options.beforeId ?? undefined,
    p_limit: options.limit ?? MESSAGES_PAGE_SIZE,
  })
}

/** Mark my messages read up to `upToId` (null: all of them); answers how many stay unread. */
export function markMessagesRead(upToId: number | null = null): Promise<UnreadCount> {
  return memberRpc('mark_messages_read', { p_up_to_id: upToId ?? undefined })
}

/** How many of my messages are unread. */
export function countUnreadMessages(): Promise<UnreadCount> {
  return memberRpc('count_unread_messages', {})
}

/** Record what the member answered in WeChat's subscribe dialog, per template key; answers how many were accepted. */
export function recordSubscribeConsent(results: SubscribeResults): Promise<ConsentRecorded> {
  return memberRpc('record_subscribe_consent', { p_results: results })
}
