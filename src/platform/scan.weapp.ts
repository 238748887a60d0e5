/**
 * Platform seam, mini-program: scan with wx.scanCode. Camera only (`onlyFromCamera`): a member code or voucher
 * picked from the photo album could be a forwarded screenshot. Barcodes too (the member code's Code 128 digits).
Cancel → null; any other failure →
 * `camera_unavailable` (the page then offers typing the code).
 */
import Taro from '@tarojs/taro'

import { AppError } from '../domain/errors'

export async function scanCode(): Promise<string | null> {
  try {
    const res = await Taro.scanCode({ onlyFromCamera: true, scanType: ['barCode', 'qrCode'] })
    return res.result
  } catch (e) {
    const message = (e as { errMsg?: string } | null)?.errMsg ?? ''
    if (message.includes('cancel')) return null
    throw new AppError('camera_unavailable', { cause: e })
  }
}
