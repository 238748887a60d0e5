import { Text, View } from '@tarojs/components'
import { useDidShow, useReachBottom } from '@tarojs/taro'
import { useEffect } from 'react'

import Button from '../../components/Button'
import { usePullRefresh } from '../../components/pullRefresh'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { messageFor } from '../../domain/errors'
import { fenToYuan } from '../../domain/format'
import { purchasePointsLabel, purchaseStatus, type MyPurchase } from '../../domain/purchases'
import { businessDateTime } from '../../domain/time'
import { openRoute } from '../../navigation'
import { ROUTES } from '../../routes'
import { purchasesStore, usePurchases } from '../../stores/purchases'

import './index.scss'

function PurchaseCard({ purchase }: { purchase: MyPurchase }) {
  const status = purchaseStatus(purchase)
  return (
    <View className={`purchases__card${purchase.status === 'voided' ? ' purchases__card--voided' : ''}`} data-purchase={purchase.id}>
      <View className="purchases__row">
        <Text className="purchases__store">{purchase.store.name}</Text>
        <Text className={`purchases__status purchases__status--${status.tone}`}>{status.text}</Text>
      </View>
      <View className="purchases__row">
        <Text className="purchases__amount">{fenToYuan(purchase.amount_fen)}</Text>
        <Text className="purchases__points">{purchasePointsLabel(purchase)}</Text>
      </View>
      <Text className="purchases__meta">
        {businessDateTime(purchase.created_at)} · 订单 {purchase.order_ref}
        {Number(purchase.multiplier) > 1 ? ` · 等级 ×${Number(purchase.multiplier)}` : ''}
      </Text>
      {status.tone === 'pending' && <Text className="purchases__meta">{businessDateTime(purchase.available_at)} 起可用</Text>}
    </View>
  )
}

/** 我的消费: purchases in store, newest first, a page at a time; pull down to refresh. */
function Purchases() {
  const list = usePurchases()

  useEffect(() => {
    void purchasesStore.getState().load()
  }, [])
  useDidShow(() => void purchasesStore.getState().refresh())
  useReachBottom(() => void purchasesStore.getState().loadMore())
  usePullRefresh(() => purchasesStore.getState().load())

  const empty = list.status === 'ready' && list.items.length === 0
  return (
    <View className="purchases">
      <StateView status={list.status} errorCode={list.errorCode} onRetry={() => void list.load()} hasData={list.items.length > 0}>
        {empty ? (
          <View className="purchases__empty">
            <Text className="purchases__empty-text">还没有消费记录</Text>
            <Text className="purchases__empty-hint">到店消费时出示会员码，即可累积积分</Text>
            <Button className="purchases__to-code" size="mini" onClick={() => openRoute(ROUTES.memberCode)}>
              出示会员码
            </Button>
          </View>
        ) : (
          <View className="purchases__list">
            {list.items.map((p) => (
              <PurchaseCard key={p.id} purchase={p} />
            ))}
            <View className="purchases__footer">
              {list.loadingMore ? (
                <Text className="purchases__more">加载中…</Text>
              ) : list.moreErrorCode ? (
                <Button className="purchases__more-button" size="mini" onClick={() => void list.loadMore()}>
                  {messageFor(list.moreErrorCode)}，点击重试
                </Button>
              ) : list.hasMore ? (
                <Button className="purchases__more-button" size="mini" onClick={() => void list.loadMore()}>
                  加载更多
                </Button>
              ) : (
                <Text className="purchases__more">没有更多了</Text>
              )}
            </View>
          </View>
        )}
      </StateView>
    </View>
  )
}

export default withSession(Purchases)
