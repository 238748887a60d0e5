/**
 * Platform seam (WeChat mini-program): see avatar.ts. The avatar comes from `<Button openType='chooseAvatar'>`
 * (WeChat's review rules): its `chooseavatar` event answers a temporary file path (a WeChat avatar, a photo or a
 * camera shot, already cropped square by WeChat's own picker). A picture wider than 256 px is compressed to a
 * 256 px wide JPEG (`wx.compressImage`); the file is read as an ArrayBuffer (`FileSystemManager.readFile`) and
 * its format taken from its bytes, so storage-js uploads it through the platform fetch like H5 does.
 */
import Taro from '@tarojs/taro'

import { AVATAR_SIDE, MAX_AVATAR_BYTES, sniffImageType, type AvatarImage } from '../domain/avatar'
import { AppError } from '../domain/errors'

export type { AvatarImage }

/** The mini-program has no file picker here: the page uses the chooseAvatar button (ui.weapp.ts avatarPicker). */
export async function pickAvatar(): Promise<AvatarImage | null> {
  return null
}

function readFile(filePath: string): Promise<ArrayBuffer> {
  return new Promise((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath,
      success: (res) => resolve(res.data as ArrayBuffer),
      fail: (err) => reject(err),
    })
  })
}

/** Smaller than AVATAR_SIDE px wide: as it is; else a 256 px wide JPEG. Any failure keeps the original. */
async function compressed(path: string): Promise<string> {
  try {
    const info = await Taro.getImageInfo({ src: path })
    if (info.width <= AVATAR_SIDE) return path
    const out = await Taro.compressImage({ src: path, quality: 85, compressedWidth: AVATAR_SIDE })
    return out.tempFilePath || path
  } catch {
    return path
  }
}

/** The chosen avatar file, compressed and read. AppError(image_unreadable | invalid_image_type | image_too_large). */
export async function avatarFromChosen(path: string): Promise<AvatarImage> {
  if (!path) throw new AppError('image_unreadable')
  let bytes: ArrayBuffer
  try {
    bytes = await readFile(await compressed(path))
  } catch {
    throw new AppError('image_unreadable')
  }
  const type = sniffImageType(new Uint8Array(bytes.slice(0, 16)))
  if (!type) throw new AppError('invalid_image_type')
  if (bytes.byteLength > MAX_AVATAR_BYTES) throw new AppError('image_too_large')
  return { bytes, type }
}
