/**
 * 退出登录, offered by 我的 and by 个人资料: asked first; then `signOut` (the session store's: forgets the session
 * and empties every member store) and home.
 */
import Taro from '@tarojs/taro'

import { ROUTES } from '../routes'
import { COLORS } from '../styles/colors'

export async function confirmSignOut(signOut: () => void): Promise<void> {
  const { confirm } = await Taro.showModal({
    title: '退出登录',
    content: '退出后需要重新登录才能使用会员服务',
    confirmColor: COLORS.brand,
  })
  if (!confirm) return
  signOut()
  void Taro.reLaunch({ url: ROUTES.home })
}
