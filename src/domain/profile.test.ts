import {
  birthdayLockedLabel,
  birthdayLockedUntil,
  hasChanges,
  maskPhone,
  memberSince,
  profileChanges,
  profileForm,
} from './profile'

const saved = { nickname: '林小满', avatar_url: null, birthday: '1996-05-20' }

it('only changed fields are sent', () => {
  const form = profileForm(saved)
  expect(form).toEqual({ nickname: '林小满', avatarUrl: '', birthday: '1996-05-20' })
  expect(profileChanges(saved, form)).toEqual({})
  expect(hasChanges(profileChanges(saved, form))).toBe(false)
  expect(profileChanges(saved, { ...form, nickname: ' 小满 ' })).toEqual({ p_nickname: '小满' })
  expect(profileChanges(saved, { ...form, nickname: '林小满 ' })).toEqual({})
  expect(profileChanges(saved, { ...form, nickname: '  ' })).toEqual({ p_nickname: '' })
  expect(profileChanges(saved, { ...form, avatarUrl: 'https://example.com/a.png', birthday: '1996-06-01' })).toEqual({
    p_avatar_url: 'https://example.com/a.png',
    p_birthday: '1996-06-01',
  })
  // cannot be cleared: not sent
  const withAvatar = { ...saved, avatar_url: 'https://example.com/a.png' }
  expect(profileChanges(withAvatar, { ...profileForm(withAvatar), avatarUrl: '', birthday: '' })).toEqual({})
  expect(hasChanges({ p_birthday: '1996-06-01' })).toBe(true)
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
