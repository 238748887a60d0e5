import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { useEffect } from 'react'

import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import Tappable from '../../components/Tappable'
import { messageFor } from '../../domain/errors'
import { appLinkOf, isUnread, kindLook, type Message } from '../../domain/messages'
import { businessDateTime } from '../../domain/time'
import { messagesStore, openMessages, useMessages } from '../../stores/messages'

import './index.scss'

/** A message's page: navigateTo, or reLaunch where navigateTo cannot go (a tab page, a full page stack). */
function openLink(url: string) {
  Taro.navigateTo({ url }).catch(() => void Taro.reLaunch({ url }))
}

function MessageRow({ message }: { message: Message }) {
  const look = kindLook(message.kind)
  const unread = isUnread(message)
  const link = appLinkOf(message.link)
  const body = (
    <>
      <Text className={`messages__tile messages__tile--${look.tone}`}>{look.glyph}</Text>
      <View className="messages__main">
        <View className="messages__head">
          <Text className={`messages__title${unread ? ' messages__title--unread' : ''}`}>{message.title}</Text>
          {unread && <Text className="messages__unread">未读</Text>}
        </View>
        <Text className="messages__body">{message.body}</Text>
        <View className="messages__meta">
          <Text>
            {look.label} · {businessDateTime(message.created_at)}
          </Text>
          {link && <Text className="messages__go">查看 ›</Text>}
        </View>
      </View>
    </>
  )
  return link ? (
    <Tappable className="messages__row messages__row--link" data={{ message: String(message.id) }} onTap={() => openLink(link)}>
      {body}
    </Tappable>
  ) : (
    <View className="messages__row" data-message={message.id}>
      {body}
    </View>
  )
}

/** 消息中心: my messages newest first, unread ones marked; opening it marks everything shown read. */
function Messages() {
  const list = useMessages()

  useEffect(() => {
    void openMessages()
  }, [])
  usePullDownRefresh(() => {
    void openMessages().finally(() => void Taro.stopPullDownRefresh())
  })
  useReachBottom(() => void messagesStore.getState().loadMore())

  return (
    <View className="messages">
      <StateView
        status={list.status}
        errorCode={list.errorCode}
        onRetry={() => void openMessages()}
        hasData={list.items.length > 0}
        empty={list.items.length === 0}
        emptyText="暂无消息"
      >
        <View className="messages__list">
          {list.items.map((m) => (
            <MessageRow key={m.id} message={m} />
          ))}
        </View>
        <View className="messages__footer">
          {list.loadingMore ? (
            <Text>加载中…</Text>
          ) : list.moreErrorCode ? (
            <Button className="messages__more" onClick={() => void list.loadMore()}>
              {messageFor(list.moreErrorCode)}，点击重试
            </Button>
          ) : list.hasMore ? (
            <Button className="messages__more" onClick={() => void list.loadMore()}>
              加载更多
            </Button>
          ) : (
            <Text>没有更多了</Text>
          )}
        </View>
      </StateView>
    </View>
  )
}

export default withSession(Messages)
