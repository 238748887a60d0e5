/**
 * 消息中心 and subscribe messages (订阅消息), pure: the message kinds' labels and glyphs, the unread badge and the
 * bell's accessible name, which links a message may open, and the subscribe template keys the app asks consent for.
 */
import type { Message } from './responses'

export type { Message }

// ------------------------------------------------------------------------------------------------ message kinds

/** The kinds the backend writes today (`list_my_messages`); an unknown kind still shows, as 通知. */
export const MESSAGE_KINDS = [
  'points_expiring_30d',
  'points_expiring_7d',
  'voucher_expiring',
  'voucher_used',
  'tier_up',
  'tier_down',
  'check_in_reminder',
] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

/** A kind's label, the one-character glyph on its tile, and its tone (warn: something is about to be lost). */
export interface KindLook {
  label: string
  glyph: string
  tone: 'brand' | 'warn' | 'success' | 'neutral'
}

const KIND_LOOKS: Record<MessageKind, KindLook> = {
  points_expiring_30d: { label: '积分到期提醒', glyph: '积', tone: 'warn' },
  points_expiring_7d: { label: '积分即将过期', glyph: '积', tone: 'warn' },
  voucher_expiring: { label: '券即将过期', glyph: '券', tone: 'warn' },
  voucher_used: { label: '券已核销', glyph: '券', tone: 'success' },
  tier_up: { label: '等级提升', glyph: '升', tone: 'brand' },
  tier_down: { label: '等级调整', glyph: '级', tone: 'neutral' },
  check_in_reminder: { label: '签到提醒', glyph: '签', tone: 'brand' },
}

const OTHER_KIND: KindLook = { label: '通知', glyph: '信', tone: 'neutral' }

export function kindLook(kind: string): KindLook {
  return (KIND_LOOKS as Record<string, KindLook | undefined>)[kind] ?? OTHER_KIND
}

// ------------------------------------------------------------------------------------------------ unread

export function isUnread(message: Pick<Message, 'read_at'>): boolean {
  return message.read_at === null
}

/** The badge on the bell: nothing at 0, '99+' past 99. */
export function unreadBadge(count: number | null | undefined): string | null {
  if (!count || count <= 0) return null
  return count > 99 ? '99+' : String(count)
}

/**
 * The bell's accessible name: '消息中心，3 条未读', or '消息中心' with none (or not known yet). The count is the
 * badge's text ('99+' past 99): the name holds the visible words in order (axe's label-content-name-mismatch).
 */
export function bellLabel(count: number | null | undefined): string {
  const badge = unreadBadge(count)
  return badge ? `消息中心，${badge} 条未读` : '消息中心'
}

/**
 * What `mark_messages_read` should be called with when the member has seen `messages` (newest first): the
 * newest id shown when any shown message is unread, else null (nothing to mark).
 */
export function markUpToId(messages: readonly Pick<Message, 'id' | 'read_at'>[]): number | null {
  if (!messages.some(isUnread)) return null
  return messages.reduce((max, m) => Math.max(max, m.id), -Infinity)
}

/**
 * The app page a message opens: an absolute path inside the app ('/member/redemptions/index', with a query),
 * or null for anything else (empty, relative, another host `//x`, a scheme `https:`): a message opens nothing
 * outside the app.
 */
export function appLinkOf(link: string | null | undefined): string | null {
  if (!link) return null
  const trimmed = link.trim()
  return /^\/(?!\/)[\w\-./]*(\?[\w\-.~%=&]*)?$/.test(trimmed) ? trimmed : null
}

// ------------------------------------------------------------------------------------------------ subscribe messages

/** The subscribe message templates (one template id each, from the build's configuration). */
export const SUBSCRIBE_KEYS = ['points_expiring', 'voucher_expiring', 'voucher_used', 'tier_changed', 'check_in_reminder'] as const
export type SubscribeKey = (typeof SUBSCRIBE_KEYS)[number]

/** What WeChat answers per template id: accept, reject, ban (the template is banned), filter (filtered by WeChat). */
export const SUBSCRIBE_RESULTS = ['accept', 'reject', 'ban', 'filter'] as const
export type SubscribeResult = (typeof SUBSCRIBE_RESULTS)[number]
export type SubscribeResults = Partial<Record<SubscribeKey, SubscribeResult>>

/** WeChat's limit: at most this many template ids in one `requestSubscribeMessage`. */
export const MAX_TEMPLATES_PER_REQUEST = 3

export function isSubscribeResult(value: unknown): value is SubscribeResult {
  return typeof value === 'string' && (SUBSCRIBE_RESULTS as readonly string[]).includes(value)
}

/** The moments the app asks for consent (each on the member's own tap), and which templates each asks for. */
export const CONSENT_MOMENTS = {
  /** After a successful redemption (item page): the voucher's expiry and its use. */
  redeemed: ['voucher_expiring', 'voucher_used'],
  /** From the expiry notice (积分明细's 过期计划). */
  pointsExpiring: ['points_expiring'],
  /** On the check-in screen: a streak reminder, and points about to expire. */
  checkIn: ['check_in_reminder', 'points_expiring'],
} as const satisfies Record<string, readonly SubscribeKey[]>

/** The toast after the member answered WeChat's dialog, or null when nothing needs saying (dialog not shown). */
export function consentToast(results: SubscribeResults): string | null {
  const values = Object.values(results)
  if (values.length === 0) return null
  return values.includes('accept') ? '已开启提醒' : '未开启提醒'
}
