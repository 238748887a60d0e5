import { Text, View } from '@tarojs/components'

import './Row.scss'

/** A label / value line of a staff card. */
export default function Row({ label, value }: { label: string; value: string }) {
  return (
    <View className="staff-row">
      <Text className="staff-row__label">{label}</Text>
      <Text className="staff-row__value">{value}</Text>
    </View>
  )
}
