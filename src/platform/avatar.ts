/**
 * Platform seam (H5 and tests): a new avatar from the member's device, ready to upload. H5 opens the file picker
 * (`<input type="file" accept="image/*">`), refuses anything that is not a JPEG, PNG or WebP by its bytes
 * (`invalid_image_type`), decodes it, crops the centred square and draws it at 256×256 (smaller pictures keep
 * their size) on a canvas, and answers that as a JPEG: a photo of several MB uploads as ~20 KB, well within the
 * bucket's 2 MiB. The mini-program build picks avatar.weapp.ts (WeChat's chooseAvatar file) instead.
 */
import { AVATAR_JPEG_QUALITY, avatarFileProblem, centreSquare, outputSide, sniffImageType, type AvatarImage } from '../domain/avatar'
import { AppError } from '../domain/errors'
import { COLORS } from '../styles/colors'

export type { AvatarImage }

/** Opens the file picker; the picked file, or null when the member cancels. */
function pickFile(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = 'image/*'
    input.setAttribute('aria-hidden', 'true')
    input.tabIndex = -1
    input.style.display = 'none'
    const done = (file: File | null) => {
      input.remove()
      resolve(file)
    }
    input.addEventListener('change', () => done(input.files?.[0] ?? null))
    input.addEventListener('cancel', () => done(null))
    document.body.append(input)
    input.click()
  })
}

/** A blob's bytes (FileReader where Blob#arrayBuffer is missing: Safari before 14, jsdom). */
function bytesOf(blob: Blob): Promise<ArrayBuffer> {
  if (typeof blob.arrayBuffer === 'function') return blob.arrayBuffer()
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(reader.result as ArrayBuffer)
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'))
    reader.readAsArrayBuffer(blob)
  })
}

type Drawable = { source: CanvasImageSource; width: number; height: number; close(): void }

/** The picture decoded (EXIF orientation applied), or image_unreadable. */
async function decode(file: Blob): Promise<Drawable> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bitmap = await createImageBitmap(file)
      return { source: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() }
    } catch {
      // fall through to <img>
    }
  }
  const url = URL.createObjectURL(file)
  try {
    const img = new Image()
    img.src = url
    await img.decode()
    return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) }
  } catch {
    URL.revokeObjectURL(url)
    throw new AppError('image_unreadable')
  }
}

/** The centred square of `file`, AVATAR_SIDE px a side, as a JPEG. AppError(invalid_image_type | image_too_large | image_unreadable). */
export async function squareAvatar(file: Blob): Promise<AvatarImage> {
  const type = sniffImageType(new Uint8Array(await bytesOf(file.slice(0, 16))))
  const problem = avatarFileProblem({ type, size: file.size })
  if (problem) throw new AppError(problem)
  const image = await decode(file)
  try {
    if (!(image.width > 0 && image.height > 0)) throw new AppError('image_unreadable')
    const crop = centreSquare(image.width, image.height)
    const side = outputSide(crop)
    const canvas = document.createElement('canvas')
    canvas.width = side
    canvas.height = side
    const context = canvas.getContext('2d')
    if (!context) throw new AppError('image_unreadable')
    // a transparent PNG gets the card's colour (white), not black, as a JPEG
    context.fillStyle = COLORS.surface
    context.fillRect(0, 0, side, side)
    context.imageSmoothingQuality = 'high'
    context.drawImage(image.source, crop.sx, crop.sy, crop.side, crop.side, 0, 0, side, side)
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', AVATAR_JPEG_QUALITY))
    if (!blob) throw new AppError('image_unreadable')
    return { bytes: await bytesOf(blob), type: 'image/jpeg' }
  } finally {
    image.close()
  }
}

/** H5: the file picker, then squareAvatar. Null when the member cancels. */
export async function pickAvatar(): Promise<AvatarImage | null> {
  const file = await pickFile()
  return file ? squareAvatar(file) : null
}

/**
 * The image behind a chooseAvatar answer (a temporary file path in the mini-program). H5 has no chooseAvatar; an
 * address given here is fetched and squared like a picked file.
 */
export async function avatarFromChosen(path: string): Promise<AvatarImage> {
  let blob: Blob
  try {
    blob = await (await fetch(path)).blob()
  } catch {
    throw new AppError('image_unreadable')
  }
  return squareAvatar(blob)
}
