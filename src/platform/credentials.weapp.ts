/**
 * Platform seam (WeChat mini-program): a fresh wx.login code is all the `auth` function needs, so the
 * member is signed in (and signed in again) without any input.
 */
import Taro from '@tarojs/taro'

import type { Credentials } from '../domain/session'

export async function silentCredentials(): Promise<Credentials | null> {
  const { code } = await Taro.login()
  return code ? { provider: 'wechat', code } : null
}

export const signsInSilently = true
