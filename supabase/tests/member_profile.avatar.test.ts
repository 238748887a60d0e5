// update_profile's avatar (issue 17): an object key of the avatars bucket under the caller's own folder, or an
// absolute URL as before; a key of another member's folder is 400 avatar_not_own with nothing changed. A visible
// nickname and an avatar complete the 完善个人资料 task (no birthday needed), and its event is recorded once.
import { randomUUID } from 'node:crypto'
import { useSeededDb } from '../../test/support/db'
import { aMember } from '../../test/factories/members'

const db = useSeededDb()

const profileRow = async (m: string) =>
  (await db().admin.query('select nickname, avatar_url, birthday from public.members where id = $1', [m])).rows[0]
const events = async (m: string) =>
  (await db().admin.query(`select count(*)::int as n from public.task_events where member_id = $1 and event = 'profile_completed'`, [m])).rows[0].n

test('a key under the caller’s own folder is stored as the key; me answers it', async () => {
  const m = await aMember(db())
  const key = `${m}/avatar-k1.jpg`
  const res = await db().call('update_profile', { p_avatar_url: key }, { sub: m })
  expect([res.status, res.body.avatar_url, res.body.message]).toEqual([200, key, undefined])
  expect((await db().call('me', {}, { sub: m })).body.avatar_url).toBe(key)
  for (const ext of ['jpeg', 'png', 'webp']) {
    expect((await db().call('update_profile', { p_avatar_url: `${m}/a_b-c.${ext}` }, { sub: m })).status).toBe(200)
  }
})

test('a key of another member’s folder: 400 avatar_not_own, nothing changed', async () => {
  const m = await aMember(db())
  const other = await aMember(db())
  await db().call('update_profile', { p_nickname: '阿满', p_avatar_url: `${m}/avatar-mine.jpg` }, { sub: m })
  const before = await profileRow(m)
  for (const key of [`${other}/avatar-x.jpg`, `${randomUUID()}/avatar.png`]) {
    const res = await db().call('update_profile', { p_nickname: '改名', p_avatar_url: key }, { sub: m })
    expect([res.status, res.body.message]).toEqual([400, 'avatar_not_own'])
  }
  expect(await profileRow(m)).toEqual(before)
})

test.each([
  ['a nested path', (m: string) => `${m}/x/avatar.jpg`],
  ['no folder', () => 'avatar.jpg'],
  ['another extension', (m: string) => `${m}/avatar.gif`],
  ['a climb out of the folder', (m: string) => `${m}/../avatar.jpg`],
  ['an upper-case id', (m: string) => `${m.toUpperCase()}/avatar.jpg`],
  ['a leading slash', (m: string) => `/${m}/avatar.jpg`],
  ['white space', (m: string) => `${m}/avatar 1.jpg`],
])('not a key, not a URL (%s): 400 invalid_avatar_url', async (_what, make) => {
  const m = await aMember(db())
  const res = await db().call('update_profile', { p_avatar_url: make(m) }, { sub: m })
  expect([res.status, res.body.message]).toEqual([400, 'invalid_avatar_url'])
  expect((await profileRow(m)).avatar_url).toBeNull()
})

test('a visible nickname and an avatar complete the profile task without a birthday; the event once', async () => {
  const m = await aMember(db())
  // the dev sign-in's default nickname is visible: an avatar alone completes it
  expect(await events(m)).toBe(0)
  await db().call('update_profile', { p_nickname: '阿满' }, { sub: m })
  expect(await events(m)).toBe(0)
  expect((await db().call('update_profile', { p_avatar_url: `${m}/avatar-1.jpg` }, { sub: m })).status).toBe(200)
  expect(await events(m)).toBe(1)
  // changing either again, or setting the birthday, records nothing more
  await db().call('update_profile', { p_avatar_url: `${m}/avatar-2.jpg` }, { sub: m })
  await db().call('update_profile', { p_nickname: '小满' }, { sub: m })
  await db().call('update_profile', { p_birthday: '1990-01-01' }, { sub: m })
  expect(await events(m)).toBe(1)
  expect((await db().admin.query(`select event, ref from public.task_events where member_id = $1 and event = 'profile_completed'`, [m])).rows).toEqual([
    { event: 'profile_completed', ref: 'profile' },
  ])
})

test('a refused avatar does not complete the task', async () => {
  const m = await aMember(db())
  const other = await aMember(db())
  await db().call('update_profile', { p_nickname: '阿满', p_avatar_url: `${other}/avatar.jpg` }, { sub: m })
  expect(await events(m)).toBe(0)
})

test('parallel saves of a complete profile record the event once', async () => {
  const m = await aMember(db())
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, i) => db().call('update_profile', { p_nickname: `阿满${i}`, p_avatar_url: `${m}/avatar-${i}.jpg` }, { sub: m })),
  )
  expect(results.every((r) => r.status === 200)).toBe(true)
  expect(await events(m)).toBe(1)
})

test('the default task says what completes it', async () => {
  const { rows } = await db().admin.query(`select title, description, event from public.tasks where code = 'complete_profile'`)
  expect(rows).toEqual([{ title: '完善个人资料', description: '设置头像和昵称', event: 'profile_completed' }])
})
