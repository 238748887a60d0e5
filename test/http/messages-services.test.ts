// The 消息中心 and consent services (src/services/messages) and the 小程序码 service (src/services/wxacode) against
// the real local API: list / mark read / count of the member's own messages, consent results, error codes.
import type { TestDb } from '../support/db'
import { useSeededApi } from '../support/api'

let db: TestDb
let session: typeof import('../../src/services/session')
let messages: typeof import('../../src/services/messages')
let wxacode: typeof import('../../src/services/wxacode')

const clientApi = useSeededApi()
beforeAll(() => {
  ;({ db } = clientApi())
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    messages = require('../../src/services/messages')
    wxacode = require('../../src/services/wxacode')
  })
})
afterEach(() => session.signOut())

const MESSAGE_KEYS = ['body', 'created_at', 'id', 'kind', 'link', 'read_at', 'title']

test('my messages newest first, paged by id; mark read up to an id and all; the unread count', async () => {
  const { member } = await session.signIn({ provider: 'dev', phone: '13700009901' })
  const { member: other } = await session.signIn({ provider: 'dev', phone: '13700009902' })
  await session.signIn({ provider: 'dev', phone: '13700009901' })
  const ids: number[] = []
  for (let i = 1; i <= 3; i++) {
    const [{ id }] = await db.sqlAt(
      null,
      `select private.enqueue_message($1::uuid, 'voucher_used', 'svc:' || $1::text || ':' || $2::text, '券已使用', '第' || $2::text || '条', '/member/redemptions/index') as id`,
      [member.id, i],
    )
    ids.push(Number(id))
  }
  await db.sqlAt(null, `select private.enqueue_message($1::uuid, 'tier_up', 'svc:' || $1::text, '会员升级', '别人的', null)`, [other.id])

  const first = await messages.listMyMessages({ limit: 2 })
  expect(first.map((m) => m.id)).toEqual([ids[2], ids[1]])
  expect(Object.keys(first[0]).sort()).toEqual(MESSAGE_KEYS)
  expect(first[0]).toMatchObject({
    kind: 'voucher_used',
    title: '券已使用',
    body: '第3条',
    link: '/member/redemptions/index',
    read_at: null,
  })
  expect((await messages.listMyMessages({ beforeId: ids[1] })).map((m) => m.id)).toEqual([ids[0]])
  expect(await messages.countUnreadMessages()).toEqual({ unread_count: 3 })
  expect(await messages.markMessagesRead(ids[1])).toEqual({ unread_count: 1 })
  expect(await messages.markMessagesRead()).toEqual({ unread_count: 0 })
  expect((await messages.listMyMessages()).every((m) => typeof m.read_at === 'string')).toBe(true)
  await expect(messages.listMyMessages({ limit: 51 })).rejects.toMatchObject({ code: 'invalid_limit' })
})

test('consent: accepted templates count, a bad result is invalid_subscribe_result', async () => {
  const { member } = await session.signIn({ provider: 'dev', phone: '13700009903' })
  expect(await messages.recordSubscribeConsent({ points_expiring: 'accept', voucher_used: 'reject', tier_changed: 'accept' })).toEqual({
    accepted: 2,
  })
  const rows = await db.sqlAt(null, 'select template_key, credits from private.subscribe_consents where member_id = $1 order by 1', [
    member.id,
  ])
  expect(rows).toEqual([
    { template_key: 'points_expiring', credits: 1 },
    { template_key: 'tier_changed', credits: 1 },
    { template_key: 'voucher_used', credits: 0 },
  ])
  await expect(messages.recordSubscribeConsent({ birthday: 'accept' } as never)).rejects.toMatchObject({ code: 'invalid_subscribe_result' })
})

test('小程序码 without WeChat configured: wechat_not_configured', async () => {
  await session.signIn({ provider: 'dev', phone: '13700009904' })
  await expect(wxacode.getInviteWxacode()).rejects.toMatchObject({ code: 'wechat_not_configured' })
})
