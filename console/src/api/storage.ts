/**
 * Item images in Supabase Storage (bucket `item-images`, operators write, anyone reads): uploaded with the real
 * storage client (@supabase/storage-js, the one inside supabase-js) as the signed-in operator; the item stores
 * the object KEY (`items/<uuid>.<ext>`), never a URL, so the same row works against any project.
 */
import { StorageClient } from '@supabase/storage-js'

import { freshSession } from '../../../src/services/session'
import { AppError, isErrorCode } from '../../../src/domain/errors'
import { anonKey, apiUrl } from '../config'
import { itemImageUrl } from '../lib/format'

export const ITEM_IMAGES_BUCKET = 'item-images'
/** What the bucket accepts (the server checks the bytes too). */
export const IMAGE_TYPES: Readonly<Record<string, string>> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024

/** Uploads an image for an item; answers its object key. AppError with the storage server's code on failure. */
export async function uploadItemImage(file: File): Promise<string> {
  const ext = IMAGE_TYPES[file.type]
  if (!ext) throw new AppError('invalid_image_type')
  if (file.size > MAX_IMAGE_BYTES) throw new AppError('image_too_large')
  const session = await freshSession()
  const storage = new StorageClient(`${apiUrl}/storage/v1`, { apikey: anonKey, Authorization: `Bearer ${session.accessToken}` })
  const key = `items/${crypto.randomUUID()}.${ext}`
  const { error } = await storage.from(ITEM_IMAGES_BUCKET).upload(key, file, { contentType: file.type, upsert: false })
  if (error) {
    const code = (error as { error?: unknown }).error ?? error.message
    throw new AppError(isErrorCode(code) ? code : 'upload_failed', { cause: error })
  }
  return key
}

/** Where an image entry of an item is shown from (a key of the bucket, or an absolute URL as it is). */
export function imageSrc(entry: string): string {
  return itemImageUrl(entry, apiUrl)
}
