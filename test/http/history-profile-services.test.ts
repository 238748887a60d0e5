// The 积分明细 and 个人资料 services (src/services/history, src/services/profile) against the real local API:
// the member's own point_entries / point_lots through PostgREST (RLS, filters, keyset paging) and update_profile.
import type { TestDb } from '../support/db'
import { useSeededApi } from '../support/api'
import { SEEDED } from '../factories/members'

let db: TestDb
let session: typeof import('../../src/services/session')
let history: typeof import('../../src/services/history')
let profile: typeof import('../../src/services/profile')
let storage: typeof import('../../src/platform/storage')

type PointEntryRow = Awaited<ReturnType<typeof import('../../src/services/history').fetchEntries>>[number]
const byTimeDesc = (a: PointEntryRow, b: PointEntryRow) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id

const ENTRY_KEYS = ['amount_points', 'business_date', 'created_at', 'description', 'id', 'kind', 'source']
const PROFILE_KEYS = ['avatar_url', 'birthday', 'birthday_editable_from', 'created_at', 'id', 'nickname', 'phone']

const clientApi = useSeededApi()
beforeAll(() => {
  ;({ db } = clientApi())
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    history = require('../../src/services/history')
    profile = require('../../src/services/profile')
    storage = require('../../src/platform/storage')
  })
})
afterEach(() => session.signOut())

/** A member who signs up now by phone (100 points), with a history written through the ledger primitives. */
async function aMemberWithHistory(phone: string): Promise<string> {
  const { member } = await session.signIn({ provider: 'dev', phone })
  // 30 points earned two years ago: long expired; the next write expires them lazily (an `expire` entry)
  await db.sqlAt('2024-06-01T10:00:00+08:00', `select private.award_points($1, 'adjustment', 30, 'old', '')`, [member.id])
  await db.sqlAt(null, `select private.award_points($1, 'adjustment', 2, 'n-' || n, '') from generate_series(1, 25) n`, [member.id])
  const [{ spend }] = await db.sqlAt(null, `select private.spend_points($1, 'redemption', 40, 'r-1', '兑换测试') as spend`, [member.id])
  const [{ earn }] = await db.sqlAt(null, `select id as earn from public.point_entries where member_id = $1 and ref = 'n-25'`, [member.id])
  await db.sqlAt(null, `select private.reverse_entry($1, '退还兑换')`, [spend])
  await db.sqlAt(null, `select private.reverse_entry($1, '')`, [earn])
  return member.id
}

test('entries: my own rows, newest first, with the fields the screen reads', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  const rows = await history.fetchEntries('all')
  expect(rows.length).toBeGreaterThan(5)
  expect(rows.length).toBeLessThanOrEqual(20)
  for (const row of rows) {
    expect(Object.keys(row).sort()).toEqual(ENTRY_KEYS)
    expect(typeof row.id).toBe('number')
    expect(typeof row.amount_points).toBe('number')
    expect(row.business_date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(typeof row.description).toBe('string')
  }
  // time order (newest first, ties by id), not id order: the seed's purchases were awarded after later check-ins
  expect(rows.map((r) => r.id)).toEqual([...rows].sort(byTimeDesc).map((r) => r.id))
  expect(rows.map((r) => r.id)).not.toEqual([...rows.map((r) => r.id)].sort((a, b) => b - a))
  // RLS: none of chen's rows
  const [{ n }] = await db.sqlAt(null, `select count(*)::int as n from public.point_entries where member_id = $1 and id = any($2)`, [
    SEEDED.chen.id,
    rows.map((r) => r.id),
  ])
  expect(n).toBe(0)
  const sources = new Set(rows.map((r) => r.source))
  expect([...sources]).toEqual(expect.arrayContaining(['check_in', 'purchase', 'redemption', 'registration']))
})

test('the tabs filter on the server', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  const earned = await history.fetchEntries('earn')
  expect(earned.length).toBeGreaterThan(0)
  expect(earned.every((r) => r.amount_points > 0 && (r.kind === 'earn' || r.kind === 'reverse'))).toBe(true)
  const used = await history.fetchEntries('spend')
  // the ¥10 coupon redemption and the voided purchase (a negative reversal)
  expect(used.map((r) => r.kind).sort()).toEqual(['reverse', 'spend'])
  expect(used.every((r) => r.amount_points < 0)).toBe(true)
  expect(await history.fetchEntries('expire')).toEqual([])
})

test('keyset paging, expiries, reversals and the expiry schedule', async () => {
  await aMemberWithHistory('13700000777')
  const first = await history.fetchEntries('all')
  expect(first).toHaveLength(20)
  const second = await history.fetchEntries('all', first[first.length - 1])
  // registration + old + expire + 25 + spend + 2 reversals = 31
  expect(second).toHaveLength(11)
  expect(new Set([...first, ...second].map((r) => r.id)).size).toBe(31)
  expect(await history.fetchEntries('all', second[second.length - 1])).toEqual([])

  const expired = await history.fetchEntries('expire')
  expect(expired).toEqual([expect.objectContaining({ kind: 'expire', source: 'expiry', amount_points: -30, description: '积分过期' })])
  const earned = await history.fetchEntries('earn')
  expect(earned.some((r) => r.kind === 'reverse' && r.amount_points === 40)).toBe(true)
  const used = await history.fetchEntries('spend')
  expect(used.map((r) => [r.kind, r.amount_points])).toEqual([
    ['reverse', -2],
    ['spend', -40],
  ])

  const lots = await history.fetchExpiryLots()
  expect(lots.length).toBeGreaterThan(0)
  for (const lot of lots) {
    expect(Object.keys(lot).sort()).toEqual(['expires_at', 'remaining_points'])
    expect(lot.remaining_points).toBeGreaterThan(0)
    expect(Date.parse(lot.expires_at)).toBeGreaterThan(Date.now())
  }
  const schedule = await history.fetchExpirySchedule()
  const me = await session.memberRpc('me')
  // 100 + 25 × 2 − 40 + 40 − 2 = 148, all earned today: one expiry day, which `me` names too
  expect(schedule.reduce((sum, d) => sum + d.points, 0)).toBe(me.balance_points + me.pending_points)
  expect(me.balance_points).toBe(148)
  expect(schedule[0]).toEqual({ date: me.expiring?.expires_on, points: me.expiring?.points })
})

test('paging in time order when ids are not: across page boundaries inside a run of equal instants, no row lost or repeated', async () => {
  const { member } = await session.signIn({ provider: 'dev', phone: '13700000666' })
  const day = 24 * 3600_000
  // 15 entries whose times run against their ids (written later, dated earlier), then 30 written in one
  // statement (one instant: 30 ties) dated between them
  for (let i = 1; i <= 15; i++) {
    const at = new Date(Date.now() - ((i * 7) % 15) * day - 3600_000).toISOString()
    await db.sqlAt(at, `select private.award_points($1, 'adjustment', 1, $2, '')`, [member.id, `t-${i}`])
  }
  await db.sqlAt(
    new Date(Date.now() - 6.5 * day).toISOString(),
    `select private.award_points($1, 'adjustment', 1, 'tie-' || n, '') from generate_series(1, 30) n`,
    [member.id],
  )
  const expected = (
    await db.sqlAt(null, `select id::int from public.point_entries where member_id = $1 order by created_at desc, id desc`, [member.id])
  ).map((r: { id: number }) => r.id)
  expect(expected).toHaveLength(46) // + the registration bonus

  const shown: PointEntryRow[] = []
  const pages: number[] = []
  for (let page = await history.fetchEntries('all'); page.length > 0; page = await history.fetchEntries('all', shown[shown.length - 1])) {
    pages.push(page.length)
    shown.push(...page)
    if (pages.length > 5) break
  }
  expect(pages).toEqual([20, 20, 6])
  expect(shown.map((r) => r.id)).toEqual(expected)
  // the page ends fall inside the 30 ties, and the ids are not in time order
  expect(shown[19].created_at).toBe(shown[20].created_at)
  expect(expected).not.toEqual([...expected].sort((a, b) => b - a))
  // a filtered tab pages the same way
  const earned: PointEntryRow[] = []
  for (
    let page = await history.fetchEntries('earn');
    page.length > 0;
    page = await history.fetchEntries('earn', earned[earned.length - 1])
  ) {
    earned.push(...page)
    if (earned.length > 100) break
  }
  expect(earned.map((r) => r.id)).toEqual(expected)
})

test('a refused token is renewed once for a table read', async () => {
  const first = await session.signIn({ provider: 'dev', phone: SEEDED.chen.phone })
  storage.setItem('jifen.session', JSON.stringify({ ...first, accessToken: `${first.accessToken.slice(0, -4)}AAAA` }))
  const rows = await history.fetchEntries('all')
  expect(rows.length).toBeGreaterThan(0)
  expect(session.currentSession()!.accessToken).not.toBe(`${first.accessToken.slice(0, -4)}AAAA`)
})

test('without a session: not_authenticated', async () => {
  await expect(history.fetchEntries('all')).rejects.toMatchObject({ name: 'AppError', code: 'not_authenticated' })
})

test('update_profile: only the fields sent change; the birthday once a year; errors are AppErrors', async () => {
  const { member } = await session.signIn({ provider: 'dev', phone: '13700000888' })
  const saved = await profile.updateProfile({ p_nickname: '  新会员  ', p_birthday: '1995-03-08' })
  expect(Object.keys(saved).sort()).toEqual(PROFILE_KEYS)
  expect(saved).toMatchObject({ id: member.id, nickname: '新会员', avatar_url: null, phone: '13700000888', birthday: '1995-03-08' })
  expect(Date.parse(saved.birthday_editable_from!)).toBeGreaterThan(Date.now() + 360 * 86400_000)

  const withAvatar = await profile.updateProfile({ p_avatar_url: 'https://example.com/a.png' })
  expect(withAvatar).toMatchObject({ nickname: '新会员', birthday: '1995-03-08', avatar_url: 'https://example.com/a.png' })

  await expect(profile.updateProfile({ p_birthday: '1995-03-09' })).rejects.toMatchObject({
    name: 'AppError',
    code: 'birthday_change_limited',
  })
  await expect(profile.updateProfile({ p_nickname: '' })).rejects.toMatchObject({ code: 'invalid_nickname' })
  await expect(profile.updateProfile({ p_avatar_url: 'ftp://x' })).rejects.toMatchObject({ code: 'invalid_avatar_url' })
  await expect(profile.updateProfile({ p_birthday: '2999-01-01' })).rejects.toMatchObject({ code: 'invalid_birthday' })

  // `me` shows the same profile (the screen reloads it after 保存)
  const me = await session.memberRpc('me')
  expect(me).toMatchObject({ nickname: '新会员', birthday: '1995-03-08', birthday_editable_from: saved.birthday_editable_from })
})
