/**
 * Item images in Supabase Storage (bucket `item-images`: anyone reads, operators write; docs/storage.md), uploaded
 * with the real storage client (@supabase/storage-js, the one inside supabase-js) as the signed-in operator. The
 * item stores the object KEY (`items/<uuid>.<ext>`), never a URL, so the same row works against any project;
 * `itemImageUrl` (src/domain/mall.ts) turns it into the public URL.
 */
import { StorageClient } from '@supabase/storage-js'

import { AppError } from '../../../src/domain/errors'
import { ITEM_IMAGES_BUCKET, itemImageUrl } from '../../../src/domain/mall'
import { freshSession } from '../../../src/services/session'
import { anonKey, apiUrl } from '../config'
import { IMAGE_EXTENSIONS, imageProblem, sniffImageType, storageErrorCode } from '../lib/images'

/** The sides of an image the browser can decode (undefined when it cannot: the server decides). */
async function sidesOf(file: File): Promise<{ width?: number; height?: number }> {
  try {
    const bitmap = await createImageBitmap(file)
    const sides = { width: bitmap.width, height: bitmap.height }
    bitmap.close()
    return sides
  } catch {
    return {}
  }
}

/** Uploads a picture for an item; answers its object key. AppError (invalid_image_type, image_too_large, …) on failure. */
export async function uploadItemImage(file: File): Promise<string> {
  const type = sniffImageType(new Uint8Array(await file.slice(0, 16).arrayBuffer()))
  const problem = imageProblem({ type, size: file.size, ...(type ? await sidesOf(file) : {}) })
  if (problem || !type) throw new AppError(problem ?? 'invalid_image_type')
  const session = await freshSession()
  const storage = new StorageClient(`${apiUrl}/storage/v1`, { apikey: anonKey, Authorization: `Bearer ${session.accessToken}` })
  const key = `items/${crypto.randomUUID()}.${IMAGE_EXTENSIONS[type]}`
  const { error } = await storage.from(ITEM_IMAGES_BUCKET).upload(key, file, { contentType: type, upsert: false })
  if (error) {
    const name = (error as { error?: string; code?: string }).code ?? (error as { error?: string }).error
    throw new AppError(storageErrorCode(name), { cause: error })
  }
  return key
}

/** Where an image entry of an item is shown from (a key of the bucket, or an absolute URL as it is); null: nowhere. */
export function imageSrc(entry: string): string | null {
  return itemImageUrl(entry, apiUrl)
}
