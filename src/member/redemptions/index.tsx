import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useReachBottom } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import { usePullRefresh } from '../../components/pullRefresh'
import Tappable from '../../components/Tappable'
import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import ItemImage from '../../components/ItemImage'
import QrCode from '../../components/QrCode'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf, messageFor } from '../../domain/errors'
import {
  cancelConfirmText,
  costLabel,
  formatVoucherCode,
  isUsable,
  REDEMPTION_TABS,
  redemptionDateText,
  redemptionStatusLabel,
  refundToast,
  voucherDigits,
  type Redemption,
} from '../../domain/mall'
import { openRoute } from '../../navigation'
import { ROUTES } from '../../routes'
import { cancelRedemption, redemptionsStore, useRedemptions } from '../../stores/mall'

import './index.scss'
import { COLORS } from '../../styles/colors'

interface CardProps {
  redemption: Redemption
  expanded: boolean
  cancelling: boolean
  onToggle: () => void
  onCancel: () => void
}

function RedemptionCard({ redemption: r, expanded, cancelling, onToggle, onCancel }: CardProps) {
  const usable = isUsable(r)
  const main = (
    <>
      <ItemImage kind={r.item.kind} imageUrl={r.item.image_url} faceValueFen={r.item.face_value_fen} size="thumb" />
      <View className="voucher__text">
        <Text className="voucher__title">{r.item.title}</Text>
        <Text className="voucher__cost">{costLabel(r.cost_points)}</Text>
        <Text className="voucher__date">{redemptionDateText(r)}</Text>
      </View>
      <View className="voucher__side">
        <Text className={`voucher__status voucher__status--${r.status}`}>{redemptionStatusLabel(r.status)}</Text>
        {usable && <Text className="voucher__toggle">{expanded ? '收起' : '查看券码'}</Text>}
      </View>
    </>
  )
  return (
    <View className={`redemptions__card voucher voucher--${r.status}`} data-redemption={r.id}>
      {usable ? (
        <Tappable className="voucher__main" expanded={expanded} onTap={onToggle}>
          {main}
        </Tappable>
      ) : (
        <View className="voucher__main">{main}</View>
      )}

      {usable && expanded && (
        <View className="voucher__detail">
          <Text className="voucher__code-label">券码</Text>
          <Text className="voucher__code">{formatVoucherCode(r.voucher_code)}</Text>
          <View className="voucher__qr">
            <QrCode value={voucherDigits(r.voucher_code)} size={180} />
          </View>
          <Text className="voucher__hint">到店出示券码，由店员扫码核销</Text>
          <Button className="voucher__cancel" size="mini" loading={cancelling} disabled={cancelling || undefined} onClick={onCancel}>
            取消兑换
          </Button>
        </View>
      )}
    </View>
  )
}

function Redemptions() {
  const list = useRedemptions()
  const [expandedId, setExpandedId] = useState<string | null>(null)
  const [cancellingId, setCancellingId] = useState<string | null>(null)

  useEffect(() => {
    void redemptionsStore.getState().load(null)
  }, [])
  // back from the mall or a redemption: the list may have changed
  useDidShow(() => void redemptionsStore.getState().refresh())
  useReachBottom(() => {
    void redemptionsStore.getState().loadMore()
  })
  usePullRefresh(() => redemptionsStore.getState().load())

  function selectTab(status: (typeof REDEMPTION_TABS)[number]['status']) {
    if (status === list.filter && list.status !== 'error') return
    setExpandedId(null)
    void list.load(status)
  }

  async function onCancel(r: Redemption) {
    const { confirm } = await Taro.showModal({
      title: '取消兑换',
      content: cancelConfirmText(r),
      confirmText: '确认取消',
      cancelText: '再想想',
      confirmColor: COLORS.brand,
    })
    if (!confirm) return
    setCancellingId(r.id)
    try {
      // the list, me and the listing follow from the answer; a refusal reloads the list (stores/mall)
      const result = await cancelRedemption(r.id)
      void Taro.showToast({ title: refundToast(result.refunded_points), icon: 'none' })
      setExpandedId(null)
    } catch (e) {
      showErrorToast(errorCodeOf(e))
    } finally {
      setCancellingId(null)
    }
  }

  const tab = REDEMPTION_TABS.find((t) => t.status === list.filter) ?? REDEMPTION_TABS[0]
  const empty = list.status === 'ready' && list.items.length === 0

  return (
    <View className="redemptions">
      <View className="redemptions__tabs">
        {REDEMPTION_TABS.map((t) => (
          <Tappable
            key={t.label}
            className={`redemptions__tab${t.status === list.filter ? ' redemptions__tab--active' : ''}`}
            pressed={t.status === list.filter}
            onTap={() => selectTab(t.status)}
          >
            <Text>{t.label}</Text>
          </Tappable>
        ))}
      </View>

      <StateView status={list.status} errorCode={list.errorCode} onRetry={() => void list.load()} hasData={list.items.length > 0}>
        {empty ? (
          <View className="redemptions__empty">
            <Text className="redemptions__empty-glyph">券</Text>
            <Text className="redemptions__empty-text">{tab.status ? `没有${tab.label}的兑换记录` : '还没有兑换记录'}</Text>
            <Button className="redemptions__to-mall" size="mini" onClick={() => openRoute(ROUTES.mall)}>
              去积分商城逛逛
            </Button>
          </View>
        ) : (
          <View className="redemptions__list">
            {list.items.map((r) => (
              <RedemptionCard
                key={r.id}
                redemption={r}
                expanded={expandedId === r.id}
                cancelling={cancellingId === r.id}
                onToggle={() => setExpandedId(expandedId === r.id ? null : r.id)}
                onCancel={() => void onCancel(r)}
              />
            ))}
            <View className="redemptions__footer">
              {list.loadingMore ? (
                <Text className="redemptions__more">加载中…</Text>
              ) : list.moreErrorCode ? (
                <Tappable inline className="redemptions__more redemptions__more--error" onTap={() => void list.loadMore()}>
                  {messageFor(list.moreErrorCode)}，点击重试
                </Tappable>
              ) : list.hasMore ? (
                <Tappable inline className="redemptions__more" onTap={() => void list.loadMore()}>
                  上拉加载更多
                </Tappable>
              ) : (
                list.items.length > 0 && <Text className="redemptions__more">没有更多了</Text>
              )}
            </View>
          </View>
        )}
      </StateView>
    </View>
  )
}

export default withSession(Redemptions)
