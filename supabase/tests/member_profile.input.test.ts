// update_profile trims every Unicode white space from a nickname (as the
// client's trim does) and refuses control characters in it and white space / control characters in an
// avatar URL (found by the fuzz test: '\t\n', U+3000 or U+200B passed as a nickname and completed the profile).
import { useSeededDb } from '../../test/support/db'
import { aMember } from '../../test/factories/members'

const db = useSeededDb()

test.each(['\t\n\r', '\u3000', '\u200b', '\u00a0\ufeff', ' \u2028 '])('nickname %j is blank: 400 invalid_nickname', async (nickname) => {
  const m = await aMember(db())
  const res = await db().call('update_profile', { p_nickname: nickname }, { sub: m })
  expect([res.status, res.body.message]).toEqual([400, 'invalid_nickname'])
})

test.each(['小\u0007满', 'a\nb', 'x\u0085y'])('nickname %j has a control character: 400 invalid_nickname', async (nickname) => {
  const m = await aMember(db())
  expect((await db().call('update_profile', { p_nickname: nickname }, { sub: m })).body.message).toBe('invalid_nickname')
})

test('a nickname is trimmed of Unicode spaces; emoji, CJK and inner spaces stay', async () => {
  const m = await aMember(db())
  const res = await db().call('update_profile', { p_nickname: '\u3000林 小满😀\u200b ' }, { sub: m })
  expect([res.status, res.body.nickname]).toEqual([200, '林 小满😀'])
})

test.each(['https://a b', 'https://x\u0001', 'http://\u3000', 'https://', 'https://a\tb'])('avatar URL %j: 400 invalid_avatar_url', async (url) => {
  const m = await aMember(db())
  expect((await db().call('update_profile', { p_avatar_url: url }, { sub: m })).body.message).toBe('invalid_avatar_url')
})

test('a blank nickname does not complete the profile task', async () => {
  const m = await aMember(db())
  await db().admin.query(`update public.members set nickname = '' where id = $1`, [m])
  await db().call('update_profile', { p_avatar_url: 'https://example.com/a.png', p_birthday: '1990-01-01' }, { sub: m })
  const events = async () =>
    (await db().admin.query(`select count(*)::int as n from public.task_events where member_id = $1 and event = 'profile_completed'`, [m])).rows[0].n
  expect(await events()).toBe(0)
  for (const blank of ['\t', '\u3000']) expect((await db().call('update_profile', { p_nickname: blank }, { sub: m })).body.message).toBe('invalid_nickname')
  expect(await events()).toBe(0)
  expect((await db().call('update_profile', { p_nickname: '小满' }, { sub: m })).status).toBe(200)
  expect(await events()).toBe(1)
})
