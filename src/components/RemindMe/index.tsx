import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'

import Button from '../Button'
import { consentToast, type SubscribeKey, type SubscribeResults } from '../../domain/messages'
import { canAskForReminders } from '../../platform/subscribe'
import { askForReminders } from '../../stores/messages'
import { COLORS } from '../../styles/colors'

import './index.scss'

function toastAnswer(results: SubscribeResults) {
  const text = consentToast(results)
  if (text) void Taro.showToast({ title: text, icon: 'none' })
}

interface Props {
  /** The subscribe templates this moment asks for (src/domain/messages.ts CONSENT_MOMENTS). */
  keys: readonly SubscribeKey[]
  /** What the member is reminded of, next to the button. */
  text: string
  label?: string
  className?: string
}

/**
 * 提醒我: asks for subscribe-message consent on the member's tap (WeChat shows its dialog only from a tap) and
 * records the answer. Renders nothing where no dialog can be shown: on H5 (no subscribe messages there) and in a
 * mini-program build without these templates configured.
 */
export default function RemindMe({ keys, text, label = '提醒我', className }: Props) {
  if (!canAskForReminders(keys)) return null
  return (
    <View className={`remind-me${className ? ` ${className}` : ''}`}>
      <Text className="remind-me__text">{text}</Text>
      <Button
        className="remind-me__button"
        size="mini"
        // askForReminders calls WeChat before its first await: still inside this tap
        onClick={() => void askForReminders(keys).then(toastAnswer)}
      >
        {label}
      </Button>
    </View>
  )
}

/**
 * Right after an action the member completed with a tap (a redemption): a modal offering 提醒我, whose confirm tap
 * shows WeChat's dialog (asked from the modal's own callback, inside that tap). Resolves once it is all answered:
 * true when the modal was shown, false (at once) where no dialog can be shown (H5, templates not configured).
 */
export function offerReminders(keys: readonly SubscribeKey[], title: string, content: string): Promise<boolean> {
  if (!canAskForReminders(keys)) return Promise.resolve(false)
  return new Promise((resolve) => {
    void Taro.showModal({
      title,
      content,
      confirmText: '提醒我',
      cancelText: '不用了',
      confirmColor: COLORS.brand,
      success: ({ confirm }) => {
        if (!confirm) return resolve(true)
        void askForReminders(keys)
          .then(toastAnswer)
          .finally(() => resolve(true))
      },
      fail: () => resolve(true),
    }).catch(() => resolve(true))
  })
}
