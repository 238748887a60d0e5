import type { Profile, ProfileChanges } from '../domain/profile'
import { memberRpc } from './session'

export type { Profile, ProfileChanges }

/**
 * Change nickname / avatar / birthday (RPC `update_profile`); fields left out are kept. Errors:
 * invalid_nickname, invalid_avatar_url, invalid_birthday, birthday_change_limited.
 */
export function updateProfile(changes: ProfileChanges): Promise<Profile> {
  return memberRpc('update_profile', changes)
}
