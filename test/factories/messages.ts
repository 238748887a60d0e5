import type { Message } from '../../src/domain/messages'

/** A `list_my_messages` row as the backend gives it (override what a test needs). */
export function aMessage(overrides: Partial<Message> = {}): Message {
  return {
    id: 100,
    kind: 'voucher_expiring',
    title: '兑换券即将过期',
    body: '你的「¥10无门槛券」将于 2026-12-23 过期，请尽快到店使用。',
    link: '/member/redemptions/index',
    created_at: '2026-11-24T02:00:00.000001+00:00',
    read_at: null,
    ...overrides,
  }
}

/** `n` messages, newest first, ids from `first` down. */
export function someMessages(n: number, first: number, overrides: Partial<Message> = {}): Message[] {
  return Array.from({ length: n }, (_, i) => aMessage({ id: first - i, title: `消息 ${first - i}`, ...overrides }))
}
