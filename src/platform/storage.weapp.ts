/** Platform seam (WeChat mini-program): Taro storage (wx.setStorageSync…). */
import Taro from '@tarojs/taro'

export function getItem(key: string): string | null {
  const value = Taro.getStorageSync(key)
  return typeof value === 'string' && value !== '' ? value : null
}

export function setItem(key: string, value: string): void {
  Taro.setStorageSync(key, value)
}

export function removeItem(key: string): void {
  Taro.removeStorageSync(key)
}
