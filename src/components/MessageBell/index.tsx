import { Text } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect } from 'react'

import Button from '../Button'
import { bellLabel, unreadBadge } from '../../domain/messages'
import { ROUTES } from '../../routes'
import { unreadStore, useUnreadCount } from '../../stores/messages'

import './index.scss'

const BUTTON_ROLE = { role: 'button' } as object

/**
 * 消息中心's entry on the home screen (signed in only), the unread count as a badge. Its accessible name starts with
 * the visible text and says the count ('消息中心，3 条未读'; axe's label-content-name-mismatch: the visible words
 * 消息中心 3 in that order). The count loads on mount and again whenever home is shown (back from a screen
 * that may have read or added messages). It sits in the top right corner of the screen's band.
 */
export default function MessageBell() {
  const count = useUnreadCount((s) => s.data?.unread_count)
  useEffect(() => {
    void unreadStore.getState().load()
  }, [])
  useDidShow(() => void unreadStore.getState().refresh())

  const badge = unreadBadge(count)
  return (
    <Button
      className="message-bell"
      // Taro's H5 button element has no role of its own; the name says the count
      {...BUTTON_ROLE}
      aria-label={bellLabel(count)}
      onClick={() => void Taro.navigateTo({ url: ROUTES.messages })}
    >
      <Text className="message-bell__text">消息中心</Text>
      {badge && <Text className="message-bell__badge">{badge}</Text>}
    </Button>
  )
}
