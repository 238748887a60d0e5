import { avatarUrl } from '../domain/avatar'
import type { Profile, ProfileChanges } from '../domain/profile'
import { supabaseUrl } from './config'
import { memberRpc } from './session'

export type { Profile, ProfileChanges }

/** A profile (or `me`) whose `avatar_url` is what the screens show: a key of the avatars bucket becomes its public URL. */
export function withDisplayAvatar<T extends { avatar_url: string | null }>(profile: T): T {
  return { ...profile, avatar_url: avatarUrl(profile.avatar_url, supabaseUrl) }
}

/**
 * Change nickname / avatar / birthday (RPC `update_profile`); fields left out are kept. The avatar is a key of the
 * member's own folder in the avatars bucket (services/avatar.ts uploads it). Errors: invalid_nickname,
 * invalid_avatar_url, avatar_not_own, invalid_birthday, birthday_change_limited.
 */
export async function updateProfile(changes: ProfileChanges): Promise<Profile> {
  return withDisplayAvatar(await memberRpc('update_profile', changes))
}
