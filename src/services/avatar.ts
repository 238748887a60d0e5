/**
 * The member's avatar in Supabase Storage (bucket `avatars`, docs/storage.md): the device makes a square JPEG
 * (src/platform/avatar*.ts), this uploads it with the real storage client under the member's own folder
 * (`<member id>/avatar-<unique>.jpg`: the bucket's policies let a member write only there) and answers the object
 * key, which `update_profile` stores (stores/avatar `changeAvatar`). The same code runs on both platforms: the
 * bytes go as the raw request body (an ArrayBuffer: no Blob or FormData, which the mini-program lacks) through the
 * platform fetch.
 */
import { StorageClient } from '@supabase/storage-js'

import { AVATARS_BUCKET, avatarKey, avatarKeyOf, type AvatarImage } from '../domain/avatar'
import { AppError } from '../domain/errors'
import { newRequestId } from '../domain/id'
import { platformFetch } from '../platform/fetch'
import { anonKey, supabaseUrl } from './config'
import { updateProfile, type Profile } from './profile'
import { freshSession } from './session'
import { withTimeout } from './timeout'

export type { AvatarImage }

/**
 * The real storage client (@supabase/storage-js, the one inside supabase-js) as the signed-in member, on the
 * platform fetch (Taro.request in the mini-program, which sends an ArrayBuffer body as it is). `fetchImpl` lets a
 * caller add a time limit. Only this module imports storage-js: the profile screen's store (stores/avatar.ts) is
 * its only user, so the mini-program's main package does not carry it.
 */
export function storageFor(accessToken: string, fetchImpl: typeof fetch = platformFetch): StorageClient {
  return new StorageClient(`${supabaseUrl}/storage/v1`, { apikey: anonKey, Authorization: `Bearer ${accessToken}` }, fetchImpl)
}

/** Storage's refusal (its body's `statusCode`, or the HTTP status) as the app's error code. */
export function storageErrorCode(error: unknown): string {
  const e = error as { name?: string; statusCode?: string; status?: number } | null
  if (!e || e.name === 'StorageUnknownError') return 'network_error'
  switch (String(e.statusCode ?? e.status ?? '')) {
    case '413':
      return 'image_too_large'
    case '415':
      return 'invalid_image_type'
    case '400':
      return 'invalid_image_size'
    case '401':
    case '403':
      return 'forbidden'
    default:
      return 'upload_failed'
  }
}

/** Runs `op` with a storage client whose requests share one time limit (request_timeout past it). */
function withStorage<T>(accessToken: string, op: (storage: ReturnType<typeof storageFor>) => Promise<T>): Promise<T> {
  return withTimeout((signal) =>
    op(storageFor(accessToken, (input, init) => platformFetch(input, { ...init, signal: signal ?? init?.signal }))),
  )
}

/** Uploads the avatar under the member's own folder; answers its object key. AppError on failure. */
export async function uploadAvatar(image: AvatarImage): Promise<string> {
  const session = await freshSession()
  const key = avatarKey(session.member.id, newRequestId().replace(/-/g, '').slice(0, 16), image.type)
  const { error } = await withStorage(session.accessToken, (storage) =>
    storage.from(AVATARS_BUCKET).upload(key, image.bytes, { contentType: image.type, upsert: false, cacheControl: '31536000' }),
  )
  if (error) throw new AppError(storageErrorCode(error), { cause: error })
  return key
}

/** Removes an avatar object of the member (a replaced one); failures are ignored (it only takes space). */
export async function removeAvatar(key: string): Promise<void> {
  try {
    const session = await freshSession()
    await withStorage(session.accessToken, (storage) => storage.from(AVATARS_BUCKET).remove([key]))
  } catch {
    // the new avatar is saved; an orphaned old file is harmless
  }
}

/**
 * A new avatar: uploaded (uploadAvatar), saved as the member's avatar (`update_profile` with the key: a visible
 * nickname and an avatar complete 完善个人资料), then the replaced upload (`previous`, the avatar URL shown so far)
 * removed. Answers the saved profile.
 */
export async function saveAvatar(image: AvatarImage, previous: string | null): Promise<Profile> {
  const key = await uploadAvatar(image)
  let profile: Profile
  try {
    profile = await updateProfile({ p_avatar_url: key })
  } catch (e) {
    void removeAvatar(key)
    throw e
  }
  const old = avatarKeyOf(previous, supabaseUrl)
  if (old && old !== key) void removeAvatar(old)
  return profile
}
