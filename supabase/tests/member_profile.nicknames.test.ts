// A nickname holds visible characters only (SPEC "Visible names"). Format
// characters (Cf), Hangul fillers and blanks are refused alone and among letters with 400 invalid_nickname and
// change nothing; a ZERO WIDTH JOINER between emoji (family emoji) and an emoji tag sequence (flag of England)
// stay; such a nickname never completes the profile task.
import { useSeededDb } from '../../test/support/db'
import { aMember } from '../../test/factories/members'

const db = useSeededDb()

const hex = (s: string) => Array.from(s).map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')

/** Format characters (Unicode Cf), always refused outside an emoji sequence. */
const formatChars = [
  '\u00ad', // SOFT HYPHEN
  '\u061c', // ARABIC LETTER MARK
  '\u180e', // MONGOLIAN VOWEL SEPARATOR
  '\u200b', // ZERO WIDTH SPACE
  '\u200c', // ZERO WIDTH NON-JOINER
  '\u200d', // ZERO WIDTH JOINER
  '\u200e', // LEFT-TO-RIGHT MARK
  '\u200f', // RIGHT-TO-LEFT MARK
  '\u202a', // LEFT-TO-RIGHT EMBEDDING
  '\u202d', // LEFT-TO-RIGHT OVERRIDE
  '\u202e', // RIGHT-TO-LEFT OVERRIDE
  '\u2060', // WORD JOINER
  '\u2063', // INVISIBLE SEPARATOR
  '\u2066', // LEFT-TO-RIGHT ISOLATE
  '\u2067', // RIGHT-TO-LEFT ISOLATE
  '\u2068', // FIRST STRONG ISOLATE
  '\u2069', // POP DIRECTIONAL ISOLATE
  '\ufeff', // ZERO WIDTH NO-BREAK SPACE (BOM)
  '\ufff9', // INTERLINEAR ANNOTATION ANCHOR
  '\u{1d173}', // MUSICAL SYMBOL BEGIN BEAM
  '\u{e0001}', // LANGUAGE TAG
  '\u{e0041}', // TAG LATIN CAPITAL LETTER A
]

/** Fillers and blanks that render as nothing. */
const blanks = [
  '\u115f', // HANGUL CHOSEONG FILLER
  '\u1160', // HANGUL JUNGSEONG FILLER
  '\u3164', // HANGUL FILLER
  '\uffa0', // HALFWIDTH HANGUL FILLER
  '\u2800', // BRAILLE PATTERN BLANK
  '\u17b4', // KHMER VOWEL INHERENT AQ
  '\u2028', // LINE SEPARATOR
]

/** Not visible on their own (refused alone, fine after a letter). */
const invisibleAlone = ['\u3000', '\ufe0f', '\u034f', '\u0301', '\u200a', '\u3000\u3164\u3000']

async function refused(nickname: string) {
  const m = await aMember(db())
  const before = (await db().admin.query('select nickname, avatar_url, birthday from public.members where id = $1', [m])).rows[0]
  const res = await db().call('update_profile', { p_nickname: nickname }, { sub: m })
  expect([res.status, res.body.message, hex(nickname)]).toEqual([400, 'invalid_nickname', hex(nickname)])
  expect((await db().admin.query('select nickname, avatar_url, birthday from public.members where id = $1', [m])).rows[0]).toEqual(before)
}

async function accepted(nickname: string, stored = nickname) {
  const m = await aMember(db())
  const res = await db().call('update_profile', { p_nickname: nickname }, { sub: m })
  expect([res.status, res.body.nickname, hex(nickname)]).toEqual([200, stored, hex(nickname)])
}

test.each(formatChars.map((c) => [hex(c), c]))('format character %s alone: 400 invalid_nickname, nothing changed', async (_, c) => {
  await refused(c)
})

test.each(formatChars.map((c) => [hex(c), c]))('format character %s among letters: 400 invalid_nickname', async (_, c) => {
  await refused(`林${c}小满`)
  await refused(`Lily${c}Lin`)
})

test.each(blanks.map((c) => [hex(c), c]))('filler / blank %s alone and among letters: 400 invalid_nickname', async (_, c) => {
  await refused(c)
  await refused(`${c}${c}`)
  await refused(`小${c}满`)
})

test.each(invisibleAlone.map((c) => [hex(c), c]))('%s alone has nothing visible: 400 invalid_nickname', async (_, c) => {
  await refused(c)
})

test('bidi override that reverses a name is refused', async () => {
  await refused('\u202e满小林')
  await refused('abc\u2066def\u2069')
})

test('a ZERO WIDTH JOINER outside an emoji sequence is refused', async () => {
  await refused('林\u200d小满')
  await refused('😀\u200d') // dangling
  await refused('\u200d😀')
  await refused('a\u200d😀')
  await refused('😀\u200da')
  await refused('😀\u200d\u200d😀')
})

test.each([
  ['family', '👨\u200d👩\u200d👧'],
  ['family with skin tones', '👩🏽\u200d👩🏻\u200d👦🏿'],
  ['profession', '🧑\u200d💻小满'],
  ['rainbow flag (VS16 before ZWJ)', '🏳\ufe0f\u200d🌈'],
  ['heart on fire', '❤\ufe0f\u200d🔥'],
  ['black cat', '🐈\u200d⬛'],
  ['flag of England (tag sequence)', '\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}'],
  ['letters and a family', '林小满👨\u200d👩\u200d👧'],
  ['CJK, inner spaces, accents, VS16', '林 小满 Zoë ☺\ufe0f'],
  ['combining accent after a letter', 'e\u0301'],
  ['an ideographic space inside', '林\u3000小满'],
])('%s is a visible nickname', async (_, nickname) => {
  await accepted(nickname)
})

test('a tag outside a flag sequence, or a flag sequence without CANCEL TAG, is refused', async () => {
  await refused('小满\u{e0067}\u{e0062}')
  await refused('\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}')
})

test.each(['\u3000林小满\u200b ', '\ufeff林小满', '\u2028林小满\u2029'])(
  'edge white space (and a ZERO WIDTH SPACE / BOM / line separator at an edge) is trimmed, as before: %j',
  async (nickname) => {
    await accepted(nickname, '林小满')
  },
)

test.each(['\u3164小满', '小满\u2800', '\u202e小满', '小满\u2066', '\u200d小满'])('an edge filler or format character that is not white space is refused: %j', async (nickname) => {
  await refused(nickname)
})

test('an invisible nickname never completes the profile task; a visible one does', async () => {
  const m = await aMember(db())
  const events = async () =>
    (await db().admin.query(`select count(*)::int as n from public.task_events where member_id = $1 and event = 'profile_completed'`, [m])).rows[0].n
  await db().admin.query(`update public.members set nickname = '' where id = $1`, [m])
  await db().call('update_profile', { p_avatar_url: 'https://example.com/a.png', p_birthday: '1990-01-01' }, { sub: m })
  for (const nickname of ['\u3164', '\u2800', '\u115f', '\u200d', '\u202e', '\u3164\u200b\u3164']) {
    expect((await db().call('update_profile', { p_nickname: nickname }, { sub: m })).body.message).toBe('invalid_nickname')
  }
  expect(await events()).toBe(0)
  // a nickname stored before this migration (written by the owner here) does not count either
  await db().admin.query(`update public.members set nickname = $2 where id = $1`, [m, '\u3164'])
  expect((await db().call('update_profile', { p_birthday: '1990-01-01' }, { sub: m })).status).toBe(200)
  expect(await events()).toBe(0)
  expect((await db().call('update_profile', { p_nickname: '👨\u200d👩\u200d👧' }, { sub: m })).status).toBe(200)
  expect(await events()).toBe(1)
})

test('private.is_visible_name is not callable by API roles', async () => {
  for (const caller of ['anon', 'service_role'] as const) {
    await expect(db().sqlAs(caller, `select private.is_visible_name('a')`)).rejects.toThrow(/permission denied/)
  }
})
