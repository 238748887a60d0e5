import Taro from '@tarojs/taro'

import { isTabRoute } from './routes'

/**
 * Open a screen: a tab page (首页 / 商城 / 会员码 / 我的) by `switchTab` — the mini-program refuses `navigateTo` to a
 * tab page, and a tab switch keeps no back step on either platform — any other page by `navigateTo`.
 */
export function openRoute(url: string): void {
  if (isTabRoute(url)) void Taro.switchTab({ url: url.split('?')[0] })
  else void Taro.navigateTo({ url })
}
