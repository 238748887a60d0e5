/**
 * The member's profile (RPC `update_profile`, docs/points-engine.md) and how the profile screen words it.
 * Pure TypeScript.
 */
import type { Me, Profile } from './member'
import { businessDate, parseTimestampMs } from './time'

export type { Profile }

/** `update_profile`'s arguments: an absent field is kept as it is. */
export interface ProfileChanges {
  p_nickname?: string
  p_avatar_url?: string
  p_birthday?: string
}

/** What the profile form holds (the avatar is saved as soon as it is picked: services/avatar.ts). */
export interface ProfileForm {
  nickname: string
  birthday: string
}

export const BIRTHDAY_RULE = '生日每年只能修改一次，生日当月可获得生日礼'

export function profileForm(profile: Pick<Profile, 'nickname' | 'birthday'>): ProfileForm {
  return { nickname: profile.nickname, birthday: profile.birthday ?? '' }
}

/** The question asked before a birthday is saved: it cannot be changed again for a year (update_profile). */
export function birthdayConfirmation(birthday: string): { title: string; content: string } {
  return { title: '确认生日', content: `生日将设为 ${birthday}。保存后一年内不能修改，确定保存吗？` }
}

type Range = readonly [number, number]

const inRanges = (cp: number, ranges: readonly Range[]) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi)

/** White space `update_profile` trims (private.trim_space: JavaScript's trim set plus U+200B ZERO WIDTH SPACE). */
const TRIM: readonly Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200b],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
]

/** Unicode 15.1 category Cf (format characters), as private.is_visible_name lists them. */
const FORMAT: readonly Range[] = [
  [0xad, 0xad],
  [0x600, 0x605],
  [0x61c, 0x61c],
  [0x6dd, 0x6dd],
  [0x70f, 0x70f],
  [0x890, 0x891],
  [0x8e2, 0x8e2],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
]

/** Fillers and blanks that render as nothing: Hangul fillers, Braille blank, Khmer inherent vowels, line separators. */
const BLANK: readonly Range[] = [
  [0x115f, 0x1160],
  [0x3164, 0x3164],
  [0xffa0, 0xffa0],
  [0x2800, 0x2800],
  [0x17b4, 0x17b5],
  [0x2028, 0x2029],
]

/** Not visible on their own: white space, ZWJ, variation selectors, combining marks. */
const NOT_VISIBLE_ALONE: readonly Range[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0x85, 0x85],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0x200d, 0x200d],
  [0xfe00, 0xfe0f],
  [0x34f, 0x34f],
  [0x300, 0x36f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
  [0x180b, 0x180f],
  [0xe0100, 0xe01ef],
]

/** Emoji that may stand on either side of a ZERO WIDTH JOINER (👨‍👩‍👧, 🧑‍💻, 🏳️‍🌈, ❤️‍🔥, 🐈‍⬛). */
const EMOJI: readonly Range[] = [
  [0x1f000, 0x1faff],
  [0x2190, 0x21ff],
  [0x2300, 0x23ff],
  [0x2600, 0x27bf],
  [0x2b00, 0x2bff],
  [0xa9, 0xa9],
  [0xae, 0xae],
  [0x203c, 0x203c],
  [0x2049, 0x2049],
  [0x2122, 0x2122],
  [0x2139, 0x2139],
  [0x3030, 0x3030],
  [0x303d, 0x303d],
  [0x3297, 0x3297],
  [0x3299, 0x3299],
]

const ZWJ = 0x200d
const VS16 = 0xfe0f
const BLACK_FLAG = 0x1f3f4
const CANCEL_TAG = 0xe007f

/** A nickname as `update_profile` stores it: Unicode white space (and U+200B) trimmed from both ends. */
export function trimNickname(nickname: string): string {
  const cps = Array.from(nickname)
  let start = 0
  let end = cps.length
  while (start < end && inRanges(cps[start].codePointAt(0)!, TRIM)) start += 1
  while (end > start && inRanges(cps[end - 1].codePointAt(0)!, TRIM)) end -= 1
  return cps.slice(start, end).join('')
}

/**
 * Whether a (trimmed) nickname holds visible characters only — private.is_visible_name's rule (SPEC "Visible
 * names", docs/points-engine.md): no format character (Cf) except a ZWJ between two emoji and the tags of an
 * emoji flag sequence, no filler or blank, and at least one visible character.
 */
export function nicknameIsVisible(nickname: string): boolean {
  const cps = Array.from(nickname, (c) => c.codePointAt(0)!)
  let visible = false
  for (let i = 0; i < cps.length; i += 1) {
    const cp = cps[i]
    if (cp === ZWJ) {
      const before = cps[i - 1] === VS16 ? cps[i - 2] : cps[i - 1]
      const after = cps[i + 1]
      if (before === undefined || after === undefined || !inRanges(before, EMOJI) || !inRanges(after, EMOJI)) return false
      continue
    }
    if (cp === BLACK_FLAG) {
      // 🏴 + tag characters + CANCEL TAG (the flags of England, Scotland, Wales)
      let j = i + 1
      while (j < cps.length && cps[j] >= 0xe0020 && cps[j] <= 0xe007e) j += 1
      if (j > i + 1 && cps[j] === CANCEL_TAG) i = j
      visible = true
      continue
    }
    if (inRanges(cp, FORMAT) || inRanges(cp, BLANK)) return false
    if (!inRanges(cp, NOT_VISIBLE_ALONE)) visible = true
  }
  return visible
}

/**
 * The error code `update_profile` would answer for this nickname (null when it is fine): 1–32 characters once
 * trimmed, no control character, visible (nicknameIsVisible).
 */
export function nicknameError(nickname: string): 'invalid_nickname' | null {
  const trimmed = trimNickname(nickname)
  const length = Array.from(trimmed).length
  // eslint-disable-next-line no-control-regex
  if (length < 1 || length > 32 || /[\u0001-\u001f\u007f-\u009f]/.test(trimmed) || !nicknameIsVisible(trimmed)) return 'invalid_nickname'
  return null
}

/**
 * Only the fields the member changed (nickname trimmed as the RPC trims it). An emptied birthday is not sent: the
 * RPC cannot clear it (null keeps a field).
 */
export function profileChanges(saved: Pick<Profile, 'nickname' | 'birthday'>, form: ProfileForm): ProfileChanges {
  const changes: ProfileChanges = {}
  const nickname = trimNickname(form.nickname)
  if (nickname !== saved.nickname) changes.p_nickname = nickname
  if (form.birthday && form.birthday !== (saved.birthday ?? '')) changes.p_birthday = form.birthday
  return changes
}

export function hasChanges(changes: ProfileChanges): boolean {
  return Object.keys(changes).length > 0
}

/** '13800000001' → '138****0001'; '未绑定' without a phone. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '未绑定'
  if (phone.length < 7) return phone
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`
}

/**
 * The day from which the birthday may be changed again ('YYYY-MM-DD', the program's zone), or null when it may be
 * changed now (never set, or the year has passed).
 */
export function birthdayLockedUntil(profile: Pick<Profile, 'birthday_editable_from'>, nowMs: number): string | null {
  if (!profile.birthday_editable_from) return null
  const ms = parseTimestampMs(profile.birthday_editable_from)
  if (!Number.isFinite(ms) || ms <= nowMs) return null
  return businessDate(profile.birthday_editable_from)
}

/** '可在 2027-11-23 后修改'. */
export function birthdayLockedLabel(date: string): string {
  return `可在 ${date} 后修改`
}

/** The day the member joined (the program's zone): '2026-09-25'. */
export function memberSince(me: Pick<Me, 'created_at'>): string {
  return businessDate(me.created_at)
}
