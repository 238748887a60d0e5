/**
 * The profile screen's avatar write, apart from stores/member so that only the member subpackage (个人资料) carries
 * the storage client (services/avatar.ts, @supabase/storage-js): the home screen in the main package imports
 * stores/member.
 */
import type { Profile } from '../domain/profile'
import { saveAvatar, type AvatarImage } from '../services/avatar'
import { meStore, updateMe } from './member'

/** A new avatar (uploaded to Storage, then saved with `update_profile`); `me` takes the saved profile from the answer. */
export async function changeAvatar(image: AvatarImage): Promise<Profile> {
  const profile = await saveAvatar(image, meStore.getState().data?.avatar_url ?? null)
  updateMe((me) => ({ ...me, ...profile }))
  return profile
}
