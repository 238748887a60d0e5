/**
 * The member's profile (RPC `update_profile`, docs/points-engine.md) and how the profile screen words it.
 * Pure TypeScript.
 */
import type { Me, Profile } from './member'

export type { Profile }
import { parseTimestampMs, shanghaiDate } from './time'

/** `update_profile`'s arguments: an absent field is kept as it is. */
export interface ProfileChanges {
  p_nickname?: string
  p_avatar_url?: string
  p_birthday?: string
}

/** What the profile form holds. */
export interface ProfileForm {
  nickname: string
  avatarUrl: string
  birthday: string
}

export const BIRTHDAY_RULE = '生日每年只能修改一次，生日当月可获得生日礼'

export function profileForm(profile: Pick<Profile, 'nickname' | 'avatar_url' | 'birthday'>): ProfileForm {
  return { nickname: profile.nickname, avatarUrl: profile.avatar_url ?? '', birthday: profile.birthday ?? '' }
}

/**
 * Only the fields the member changed (nickname trimmed). An emptied avatar or birthday is not sent: the RPC
 * cannot clear them (null keeps a field).
 */
export function profileChanges(saved: Pick<Profile, 'nickname' | 'avatar_url' | 'birthday'>, form: ProfileForm): ProfileChanges {
  const changes: ProfileChanges = {}
  const nickname = form.nickname.trim()
  if (nickname !== saved.nickname) changes.p_nickname = nickname
  const avatarUrl = form.avatarUrl.trim()
  if (avatarUrl && avatarUrl !== (saved.avatar_url ?? '')) changes.p_avatar_url = avatarUrl
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
 * The day from which the birthday may be changed again ('YYYY-MM-DD', Shanghai), or null when it may be
 * changed now (never set, or the year has passed).
 */
export function birthdayLockedUntil(profile: Pick<Profile, 'birthday_editable_from'>, nowMs: number): string | null {
  if (!profile.birthday_editable_from) return null
  const ms = parseTimestampMs(profile.birthday_editable_from)
  if (!Number.isFinite(ms) || ms <= nowMs) return null
  return shanghaiDate(profile.birthday_editable_from)
}

/** '可在 2027-11-23 后修改'. */
export function birthdayLockedLabel(date: string): string {
  return `可在 ${date} 后修改`
}

/** The day the member joined, Shanghai: '2026-09-25'. */
export function memberSince(me: Pick<Me, 'created_at'>): string {
  return shanghaiDate(me.created_at)
}
