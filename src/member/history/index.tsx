import { Text, View } from '@tarojs/components'
import { useReachBottom } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import { usePullRefresh } from '../../components/pullRefresh'
import { withSession } from '../../components/SessionGate'
import RemindMe from '../../components/RemindMe'
import StateView from '../../components/StateView'
import Tappable from '../../components/Tappable'
import { messageFor } from '../../domain/errors'
import { formatPoints } from '../../domain/format'
import { CONSENT_MOMENTS } from '../../domain/messages'
import { entryTitle, expiryDayLabel, HISTORY_FILTERS, signedPoints } from '../../domain/history'
import { businessDateTime } from '../../domain/time'
import { useMe } from '../../stores/member'
import { useExpirySchedule, useHistory } from '../../stores/history'

import './index.scss'

/** Expiry days shown before 查看全部 (a member who checks in daily has one per day). */
const SCHEDULE_PREVIEW = 3

const EMPTY_TEXT = {
  all: '还没有积分记录',
  earn: '还没有获得积分的记录',
  spend: '还没有使用积分的记录',
  expire: '没有过期的积分',
} as const

/** 积分明细: balance, the expiry schedule, then every points movement by tab, a page at a time. */
function HistoryPage() {
  const me = useMe()
  const expiry = useExpirySchedule()
  const history = useHistory()
  const [showAllExpiry, setShowAllExpiry] = useState(false)

  const [loadMe, loadExpiry, loadHistory] = [me.load, expiry.load, history.load]
  useEffect(() => {
    void loadMe()
    void loadExpiry()
    void loadHistory('all')
  }, [loadMe, loadExpiry, loadHistory])

  useReachBottom(() => {
    void history.loadMore()
  })
  usePullRefresh(() => Promise.all([me.load(), expiry.load(), history.load()]))

  const schedule = expiry.data ?? []
  const shownSchedule = showAllExpiry ? schedule : schedule.slice(0, SCHEDULE_PREVIEW)

  return (
    <View className="history">
      <View className="history__band">
        <Text className="history__label">可用积分</Text>
        <Text className="history__balance">{me.data ? formatPoints(me.data.balance_points) : '--'}</Text>
        {!!me.data?.pending_points && <Text className="history__pending">待生效 {formatPoints(me.data.pending_points)}</Text>}
      </View>

      <View className="history__card history__expiry">
        <Text className="history__card-title">过期计划</Text>
        <StateView
          status={expiry.status}
          errorCode={expiry.errorCode}
          onRetry={() => void expiry.load()}
          hasData={!!expiry.data}
          empty={schedule.length === 0}
          emptyText="暂无即将过期的积分"
        >
          {shownSchedule.map((day) => (
            <View key={day.date} className="history__expiry-row">
              <View className="history__expiry-dot" />
              <Text className="history__expiry-text">{expiryDayLabel(day)}</Text>
            </View>
          ))}
          {schedule.length > SCHEDULE_PREVIEW && (
            <Tappable inline className="history__expiry-toggle" onTap={() => setShowAllExpiry(!showAllExpiry)}>
              {showAllExpiry ? '收起' : `查看全部（${schedule.length} 天）`}
            </Tappable>
          )}
          {schedule.length > 0 && (
            <RemindMe className="history__remind" keys={CONSENT_MOMENTS.pointsExpiring} text="积分过期前，通过微信通知提醒你" />
          )}
        </StateView>
      </View>

      <View className="history__tabs">
        {HISTORY_FILTERS.map((f) => (
          <Tappable
            key={f.key}
            className={`history__tab${history.filter === f.key ? ' history__tab--active' : ''}`}
            pressed={history.filter === f.key}
            onTap={() => {
              if (history.filter !== f.key) void history.load(f.key)
            }}
          >
            <Text className="history__tab-text">{f.label}</Text>
          </Tappable>
        ))}
      </View>

      <View className="history__card history__list">
        <StateView
          status={history.status}
          errorCode={history.errorCode}
          onRetry={() => void history.load()}
          empty={history.items.length === 0}
          emptyText={EMPTY_TEXT[history.filter]}
        >
          {history.items.map((entry) => (
            <View key={entry.id} className="history__row">
              <View className="history__row-main">
                <Text className="history__row-title">{entryTitle(entry)}</Text>
                <Text className="history__row-time">{businessDateTime(entry.created_at)}</Text>
              </View>
              <Text className={`history__amount${entry.amount_points > 0 ? ' history__amount--plus' : ''}`}>
                {signedPoints(entry.amount_points)}
              </Text>
            </View>
          ))}
        </StateView>
      </View>

      {history.status === 'ready' && history.items.length > 0 && (
        <View className="history__footer">
          {history.loadingMore ? (
            <Text>加载中…</Text>
          ) : history.moreErrorCode ? (
            <Tappable inline className="history__more-error" onTap={() => void history.loadMore()}>
              {messageFor(history.moreErrorCode)}，点击重试
            </Tappable>
          ) : history.hasMore ? (
            <Tappable inline onTap={() => void history.loadMore()}>
              上拉加载更多
            </Tappable>
          ) : (
            <Text>没有更多了</Text>
          )}
        </View>
      )}
    </View>
  )
}

export default withSession(HistoryPage)
