import {
  birthdayConfirmation,
  birthdayLockedLabel,
  birthdayLockedUntil,
  hasChanges,
  maskPhone,
  memberSince,
  nicknameError,
  nicknameIsVisible,
  profileChanges,
  profileForm,
  trimNickname,
} from './profile'
import { messageFor } from './errors'

const saved = { nickname: '林小满', avatar_url: null, birthday: '1996-05-20' }

it('only changed fields are sent', () => {
  const form = profileForm(saved)
  expect(form).toEqual({ nickname: '林小满', birthday: '1996-05-20' })
  expect(profileChanges(saved, form)).toEqual({})
  expect(hasChanges(profileChanges(saved, form))).toBe(false)
  expect(profileChanges(saved, { ...form, nickname: ' 小满 ' })).toEqual({ p_nickname: '小满' })
  expect(profileChanges(saved, { ...form, nickname: '林小满 ' })).toEqual({})
  expect(profileChanges(saved, { ...form, nickname: '  ' })).toEqual({ p_nickname: '' })
  expect(profileChanges(saved, { ...form, birthday: '1996-06-01' })).toEqual({ p_birthday: '1996-06-01' })
  // the birthday cannot be cleared: not sent
  expect(profileChanges(saved, { ...form, birthday: '' })).toEqual({})
  // no birthday yet: the form starts empty
  expect(profileForm({ nickname: 'x', birthday: null })).toEqual({ nickname: 'x', birthday: '' })
  expect(hasChanges({ p_birthday: '1996-06-01' })).toBe(true)
})

it('the birthday confirmation says it locks for a year', () => {
  expect(birthdayConfirmation('1996-06-01')).toEqual({
    title: '确认生日',
    content: '生日将设为 1996-06-01。保存后一年内不能修改，确定保存吗？',
  })
})

it('phone and member since', () => {
  expect(maskPhone('13800000001')).toBe('138****0001')
  expect(maskPhone(null)).toBe('未绑定')
  expect(maskPhone('12345')).toBe('12345')
  expect(memberSince({ created_at: '2026-09-24T19:42:52Z' })).toBe('2026-09-25')
})

it('the birthday is locked until a year after it was set', () => {
  const now = Date.parse('2026-11-24T04:00:00Z')
  expect(birthdayLockedUntil({ birthday_editable_from: null }, now)).toBeNull()
  expect(birthdayLockedUntil({ birthday_editable_from: '2026-11-01T00:00:00+00:00' }, now)).toBeNull()
  expect(birthdayLockedUntil({ birthday_editable_from: '2027-11-23T17:30:00.123456+00:00' }, now)).toBe('2027-11-24')
  expect(birthdayLockedLabel('2027-11-24')).toBe('可在 2027-11-24 后修改')
})

describe('nicknames hold visible characters only (private.is_visible_name, supabase/tests/member_profile.nicknames.test.ts)', () => {
  const formatChars = [
    '\u00ad',
    '\u061c',
    '\u180e',
    '\u200b',
    '\u200c',
    '\u200d',
    '\u200e',
    '\u200f',
    '\u202a',
    '\u202d',
    '\u202e',
    '\u2060',
    '\u2063',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\ufeff',
    '\ufff9',
    '\u{1d173}',
    '\u{e0001}',
    '\u{e0041}',
  ]
  const blanks = ['\u115f', '\u1160', '\u3164', '\uffa0', '\u2800', '\u17b4', '\u2028']

  it.each(formatChars)('format character %j is refused alone and among letters', (c) => {
    expect(nicknameError(c)).toBe('invalid_nickname')
    expect(nicknameError(`林${c}小满`)).toBe('invalid_nickname')
    expect(nicknameError(`Lily${c}Lin`)).toBe('invalid_nickname')
  })

  it.each(blanks)('filler / blank %j is refused alone and among letters', (c) => {
    expect(nicknameError(c)).toBe('invalid_nickname')
    expect(nicknameError(`${c}${c}`)).toBe('invalid_nickname')
    expect(nicknameError(`小${c}满`)).toBe('invalid_nickname')
  })

  it.each(['\u3000', '\ufe0f', '\u034f', '\u0301', '\u200a', '\u3000\u3164\u3000', '', '   '])('%j has nothing visible', (c) => {
    expect(nicknameError(c)).toBe('invalid_nickname')
  })

  it('ZWJ only between emoji; tags only in a flag sequence', () => {
    for (const bad of [
      '林\u200d小满',
      '😀\u200d',
      '\u200d😀',
      'a\u200d😀',
      '😀\u200da',
      '😀\u200d\u200d😀',
      'a\ufe0f\u200d😀',
      '小满\u{e0067}\u{e0062}',
      '\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}',
    ]) {
      expect([bad, nicknameIsVisible(bad)]).toEqual([bad, false])
    }
    for (const good of [
      '👨\u200d👩\u200d👧',
      '👩🏽\u200d👩🏻\u200d👦🏿',
      '🧑\u200d💻小满',
      '🏳\ufe0f\u200d🌈',
      '❤\ufe0f\u200d🔥',
      '🐈\u200d⬛',
      '\u{1f3f4}\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}',
      '🏴',
      '林小满👨\u200d👩\u200d👧',
      '林 小满 Zoë ☺\ufe0f',
      'e\u0301',
      '林\u3000小满',
    ]) {
      expect([good, nicknameError(good)]).toEqual([good, null])
    }
  })

  it('edges are trimmed as update_profile trims them (U+200B, BOM, ideographic space), then checked', () => {
    expect(trimNickname('\u3000林小满\u200b ')).toBe('林小满')
    expect(trimNickname('\ufeff林小满\u2028')).toBe('林小满')
    expect(nicknameError('\u3000林小满\u200b ')).toBeNull()
    expect(nicknameError('\u3164小满')).toBe('invalid_nickname')
    expect(nicknameError('\u202e小满')).toBe('invalid_nickname')
    expect(profileChanges(saved, { ...profileForm(saved), nickname: '林小满\u200b' })).toEqual({})
  })

  it('length and control characters as before; the message is the one invalid_nickname maps to', () => {
    expect(nicknameError('满'.repeat(32))).toBeNull()
    expect(nicknameError('满'.repeat(33))).toBe('invalid_nickname')
    expect(nicknameError('😀'.repeat(32))).toBeNull() // code points, as char_length counts
    expect(nicknameError('小\u0007满')).toBe('invalid_nickname')
    expect(messageFor('invalid_nickname')).toBe('昵称需为1–32个可见字符')
  })
})
