/**
 * What an item picture must be before it is uploaded (bucket item-images: JPEG, PNG or WebP, ≤ 2 MiB, 16–4096 px a
 * side; docs/storage.md). The local Storage checks the bytes itself; hosted Supabase only checks the declared type
 * and the size, so the console checks the bytes and the dimensions first. Pure.
 */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp'

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024
export const MIN_IMAGE_SIDE = 16
export const MAX_IMAGE_SIDE = 4096
export const IMAGE_EXTENSIONS: Readonly<Record<ImageType, string>> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }

/** The image format from the file's first bytes (magic numbers), whatever its name or declared type; null: none of ours. */
export function sniffImageType(head: Uint8Array): ImageType | null {
  const at = (i: number, bytes: number[]) => bytes.every((b, n) => head[i + n] === b)
  if (at(0, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp'
  return null
}

/** Why a picture cannot be uploaded, as an error code (null: it can). */
export function imageProblem(file: { size: number; type: ImageType | null; width?: number; height?: number }): string | null {
  if (!file.type) return 'invalid_image_type'
  if (file.size > MAX_IMAGE_BYTES) return 'image_too_large'
  const sides = [file.width, file.height]
  if (sides.some((s) => s !== undefined && (s < MIN_IMAGE_SIDE || s > MAX_IMAGE_SIDE))) return 'invalid_image_size'
  return null
}

/** Storage's error names (`EntityTooLarge`…) as the console's codes. */
export function storageErrorCode(name: string | undefined): string {
  switch (name) {
    case 'EntityTooLarge':
      return 'image_too_large'
    case 'InvalidMimeType':
      return 'invalid_image_type'
    case 'InvalidRequest':
      return 'invalid_image_size'
    case 'AccessDenied':
    case 'Unauthorized':
      return 'forbidden'
    default:
      return 'upload_failed'
  }
}
