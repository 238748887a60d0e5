/**
 * 消息中心: my messages a page at a time (newest first), the unread count the home screen's bell shows, marking
 * read, and recording the subscribe-message consent the member gave in WeChat's dialog.
 */
import { markUpToId, type Message, type SubscribeKey, type SubscribeResults } from '../domain/messages'
import { requestSubscribe } from '../platform/subscribe'
import { countUnreadMessages, listMyMessages, markMessagesRead, MESSAGES_PAGE_SIZE, recordSubscribeConsent } from '../services/messages'
import { createPagedList } from './paged'
import { createResource, selectorHook } from './resource'

/** My messages, newest first; the next page starts before the last id shown. */
export const messagesStore = createPagedList<Message, null>({
  filter: null,
  pageSize: MESSAGES_PAGE_SIZE,
  fetchPage: (_filter, last) => listMyMessages({ beforeId: last?.id }),
  keyOf: (m) => m.id,
})
export const useMessages = selectorHook(messagesStore)

/** How many messages are unread (`count_unread_messages`; also every `mark_messages_read` answer). */
export const unreadStore = createResource(() => countUnreadMessages())
export const useUnreadCount = selectorHook(unreadStore)

/**
 * The member opened (or pulled to refresh) 消息中心: the first page, then everything up to the newest message
 * shown is marked read (the unread count follows the answer). The rows keep showing which were unread when
 * loaded. A failed mark changes nothing the member sees but the bell's count; it is tried again on the next load.
 */
export async function openMessages(): Promise<void> {
  await messagesStore.getState().load()
  const { status, items } = messagesStore.getState()
  if (status !== 'ready') return
  const upTo = markUpToId(items)
  if (upTo === null) return
  try {
    unreadStore.getState().set(await markMessagesRead(upTo))
  } catch (e) {
    console.warn('messages: mark_messages_read failed', e)
  }
}

/**
 * Ask for subscribe-message consent (call it from the member's tap, before any await: WeChat shows its dialog
 * only then) and record the answers (`record_subscribe_consent`). Never throws: a failed record is logged and
 * the member's own action goes on. Resolves to what the member chose ({} on H5 and when nothing was asked).
 */
export async function askForReminders(keys: readonly SubscribeKey[]): Promise<SubscribeResults> {
  const results = await requestSubscribe(keys)
  if (Object.keys(results).length > 0) {
    try {
      await recordSubscribeConsent(results)
    } catch (e) {
      console.warn('subscribe: record_subscribe_consent failed', e)
    }
  }
  return results
}
