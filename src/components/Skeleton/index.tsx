import { Text, View } from '@tarojs/components'

import './index.scss'

interface Props {
  /** How many placeholder cards (default 3). */
  rows?: number
}

/**
 * Loading placeholders: grey cards in the shape of what is coming, gently pulsing, instead of a bare 加载中….
 * The words stay for screen readers (and tests): the block is `aria-busy` and says 加载中… off screen.
 */
export default function Skeleton({ rows = 3 }: Props) {
  return (
    <View className="skeleton" aria-busy="true" role="status">
      <Text className="skeleton__label">加载中…</Text>
      {Array.from({ length: rows }, (_, i) => (
        <View key={i} className="skeleton__card" aria-hidden="true">
          <View className="skeleton__line skeleton__line--title" />
          <View className="skeleton__line" />
          <View className="skeleton__line skeleton__line--short" />
        </View>
      ))}
    </View>
  )
}
