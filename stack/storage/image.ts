// What an uploaded image is, from its bytes: the format by its magic numbers (never the name or the declared
// Content-Type) and the pixel size from its header, both read by `image-size` (no decoding of the pixels).
import { imageSize } from 'image-size'
import type { ISizeCalculationResult } from 'image-size/dist/types/interface'

/** The formats the image buckets take, by image-size's type name. */
export const IMAGE_MIME_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }

/** Limits of an uploaded picture (docs/storage.md): each side in px. */
export const IMAGE_LIMITS = { minSidePx: 16, maxSidePx: 4096 } as const

export type ImageCheck =
  | { ok: true; mimetype: string; width: number; height: number }
  | { ok: false; reason: 'not_an_image' | 'unsupported_format' | 'bad_dimensions'; message: string }

/** JPEG, PNG or WebP with sane dimensions, judged from the bytes alone. */
export function inspectImage(bytes: Uint8Array): ImageCheck {
  let size: ISizeCalculationResult
  try {
    // a Uint8Array, never a string: image-size would read a string as a file path
    size = imageSize(bytes instanceof Buffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes)
  } catch {
    return { ok: false, reason: 'not_an_image', message: 'the file is not an image (JPEG, PNG or WebP)' }
  }
  const mimetype = size.type ? IMAGE_MIME_TYPES[size.type] : undefined
  if (!mimetype) {
    return { ok: false, reason: 'unsupported_format', message: `images must be JPEG, PNG or WebP (this one is ${size.type ?? 'unknown'})` }
  }
  const { width, height } = size
  const { minSidePx, maxSidePx } = IMAGE_LIMITS
  if (!width || !height || [width, height].some((side) => side < minSidePx || side > maxSidePx)) {
    return {
      ok: false,
      reason: 'bad_dimensions',
      message: `the image is ${width ?? '?'}×${height ?? '?'} px; each side must be ${minSidePx}–${maxSidePx} px`,
    }
  }
  return { ok: true, mimetype, width, height }
}

/** Whether a MIME type is in a bucket's allowed list (entries may end in '/*', as Supabase allows). */
export function mimeAllowed(mimetype: string, allowed: readonly string[] | null): boolean {
  if (!allowed || allowed.length === 0) return true
  const type = mimetype.split(';')[0].trim().toLowerCase()
  return allowed.some((a) => {
    const rule = a.trim().toLowerCase()
    return rule.endsWith('/*') ? type.startsWith(rule.slice(0, -1)) : type === rule
  })
}

/** A bucket that takes images only (every allowed type is image/…): its uploads get the byte checks above. */
export function isImageBucket(allowed: readonly string[] | null): boolean {
  return !!allowed && allowed.length > 0 && allowed.every((a) => a.trim().toLowerCase().startsWith('image/'))
}
