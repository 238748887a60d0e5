import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'

import Button from '../../components/Button'
import { ROUTES } from '../../routes'

import './index.scss'

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** 404 (H5): an address the app does not have (a mistyped or outdated link), with the way home. */
export default function NotFound() {
  const path = safeDecode(useRouter().params.path ?? '')
  return (
    <View className="not-found">
      <Text className="not-found__code">404</Text>
      <Text className="not-found__title">页面不存在</Text>
      <Text className="not-found__hint">链接可能有误或已失效{path ? `：${path}` : ''}</Text>
      <Button className="not-found__home" onClick={() => void Taro.reLaunch({ url: ROUTES.home })}>
        返回首页
      </Button>
    </View>
  )
}
