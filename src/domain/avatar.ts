/**
 * Member avatars (bucket `avatars`, docs/storage.md): the square crop and the size the device makes before
 * uploading, the object key layout, the image format from the bytes, and the URL an avatar is shown from.
 * Pure TypeScript.
 */

/** The Storage bucket that holds member avatars: public read, each member writes only under `<own id>/`. */
export const AVATARS_BUCKET = 'avatars'

/** The side of the square JPEG the device uploads (px). */
export const AVATAR_SIDE = 256

/** JPEG quality of the uploaded avatar (0–1). */
export const AVATAR_JPEG_QUALITY = 0.85

/** The bucket's limit (file_size_limit): 2 MiB. */
export const MAX_AVATAR_BYTES = 2 * 1024 * 1024

/** The formats the bucket takes (allowed_mime_types). */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp'

/** A square avatar made on the device: the bytes to upload and their format. */
export interface AvatarImage {
  bytes: ArrayBuffer
  type: ImageType
}

export const IMAGE_EXTENSIONS: Readonly<Record<ImageType, string>> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' }

/** The image format from a file's first bytes (magic numbers), whatever its name or declared type; null: none of ours. */
export function sniffImageType(head: Uint8Array): ImageType | null {
  const at = (i: number, bytes: number[]) => bytes.every((b, n) => head[i + n] === b)
  if (at(0, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return 'image/webp'
  return null
}

/** A rectangle in source pixels. */
export interface CropRect {
  sx: number
  sy: number
  side: number
}

/**
 * The centred square of a `width`×`height` image (the largest one: its side is the shorter side), in whole
 * pixels. A 640×480 photo → { sx: 80, sy: 0, side: 480 }. Throws on a side that is not a positive number.
 */
export function centreSquare(width: number, height: number): CropRect {
  if (!(width > 0 && height > 0) || !Number.isFinite(width) || !Number.isFinite(height)) throw new RangeError('image has no size')
  const side = Math.floor(Math.min(width, height))
  return { sx: Math.floor((width - side) / 2), sy: Math.floor((height - side) / 2), side }
}

/**
 * The side of the uploaded square: AVATAR_SIDE, or the crop's own side when the picture is smaller (never scaled
 * up: a 100×80 picture uploads as 80×80).
 */
export function outputSide(crop: CropRect, target = AVATAR_SIDE): number {
  return Math.max(1, Math.min(target, crop.side))
}

/** Where a new avatar of the member goes: `<member id>/<unique>.<ext>` (a new name per upload, so caches never show the old one). */
export function avatarKey(memberId: string, unique: string, type: ImageType = 'image/jpeg'): string {
  return `${memberId}/avatar-${unique}.${IMAGE_EXTENSIONS[type]}`
}

/** An object key of the avatars bucket as update_profile accepts it: `<uuid>/<file>.<jpg|jpeg|png|webp>`. */
const AVATAR_KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.(jpg|jpeg|png|webp)$/

/** Whether `entry` is a key of the avatars bucket (not a URL). */
export function isAvatarKey(entry: string): boolean {
  return AVATAR_KEY.test(entry)
}

/** Whether `entry` is a key under the member's own folder (the only keys update_profile takes from them). */
export function isOwnAvatarKey(entry: string, memberId: string): boolean {
  const m = AVATAR_KEY.exec(entry)
  return !!m && m[1] === memberId.toLowerCase()
}

/**
 * What an avatar shows (`members.avatar_url`): an absolute http(s) URL as stored (set before avatars were
 * uploaded); a key of the avatars bucket ('<member id>/avatar-….jpg') as the bucket's public URL under `apiUrl`
 * (`${apiUrl}/storage/v1/object/public/avatars/<key>`), like itemImageUrl for item pictures. Anything else, or a
 * key without an API URL: null (the initial shows instead).
 */
export function avatarUrl(entry: string | null | undefined, apiUrl: string): string | null {
  if (!entry) return null
  if (/^https?:\/\/\S+$/.test(entry)) return entry
  if (!isAvatarKey(entry) || !apiUrl) return null
  return `${apiUrl.replace(/\/+$/, '')}/storage/v1/object/public/${AVATARS_BUCKET}/${entry.split('/').map(encodeURIComponent).join('/')}`
}

/** The key an avatar URL of the avatars bucket was made from (to delete the old object), or null. */
export function avatarKeyOf(url: string | null | undefined, apiUrl: string): string | null {
  if (!url) return null
  if (isAvatarKey(url)) return url
  const prefix = `${apiUrl.replace(/\/+$/, '')}/storage/v1/object/public/${AVATARS_BUCKET}/`
  if (!apiUrl || !url.startsWith(prefix)) return null
  const key = url.slice(prefix.length).split('/').map(decodeURIComponent).join('/')
  return isAvatarKey(key) ? key : null
}

/** Why a picked file cannot become an avatar, as an error code (null: it can). */
export function avatarFileProblem(file: { type: ImageType | null; size: number }): 'invalid_image_type' | 'image_too_large' | null {
  if (!file.type) return 'invalid_image_type'
  // the bucket's limit applies to what is uploaded (the 256 px JPEG); a source this large is refused before decoding
  if (file.size > 20 * MAX_AVATAR_BYTES) return 'image_too_large'
  return null
}
