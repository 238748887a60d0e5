/**
 * Platform seam (WeChat mini-program): see poster.ts. The poster carries the member's 小程序码 (the `wxacode`
 * function) and is saved to the photo album with `saveImageToPhotosAlbum`, asking for `scope.writePhotosAlbum`
 * first. WeChat asks the member only once; after a
 * refusal `authorize` fails at once, so a dialog explains and leads to the settings page (`openSetting`, from
 * the dialog's tap) where the member can switch it on.
 */
import Taro from '@tarojs/taro'

import { COLORS } from '../styles/colors'
import type { SaveOutcome } from './poster'

export type { SaveOutcome }

export const posterCode: 'qr' | 'wxacode' = 'wxacode'
export const posterCodeHint = '长按识别小程序码，加入会员'

export const saveImageLabel = '保存到相册'
export const saveImageHint = '保存海报后分享到朋友圈或发给好友'
export const showsPosterAsImage = false

const SCOPE = 'scope.writePhotosAlbum'

const errMsg = (e: unknown) => String((e as { errMsg?: string } | null)?.errMsg ?? e)

/** Whether the album may be written, asking (or leading to the settings) when needed. */
async function albumPermission(): Promise<SaveOutcome | 'granted'> {
  const { authSetting } = await Taro.getSetting()
  const state = (authSetting as Record<string, boolean | undefined>)[SCOPE]
  if (state === true) return 'granted'
  if (state === undefined) {
    // never asked: WeChat's own prompt
    try {
      await Taro.authorize({ scope: SCOPE })
      return 'granted'
    } catch {
      return 'denied'
    }
  }
  // refused earlier: WeChat will not ask again, only the settings page can allow it
  const { confirm } = await Taro.showModal({
    title: '需要相册权限',
    content: '保存海报需要允许“添加到相册”，请在设置中打开',
    confirmText: '去设置',
    cancelText: '取消',
    confirmColor: COLORS.brand,
  })
  if (!confirm) return 'cancelled'
  const after = await Taro.openSetting()
  return (after.authSetting as Record<string, boolean | undefined>)[SCOPE] ? 'granted' : 'denied'
}

/** Saves the image at `src` (a temporary file of the canvas) to the album. */
export async function saveImage(src: string, _fileName: string): Promise<SaveOutcome> {
  const permission = await albumPermission()
  if (permission !== 'granted') return permission
  try {
    await Taro.saveImageToPhotosAlbum({ filePath: src })
    return 'saved'
  } catch (e) {
    const message = errMsg(e)
    if (/cancel/i.test(message)) return 'cancelled'
    if (/auth|deny|denied/i.test(message)) return 'denied'
    throw e
  }
}
