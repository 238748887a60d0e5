import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useReachBottom } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import Tappable from '../../components/Tappable'
import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf, messageFor } from '../../domain/errors'
import { formatPoints } from '../../domain/format'
import {
  actionDetail,
  actionFigure,
  actionLabel,
  VOID_REASONS,
  voidConfirmText,
  voidOffer,
  type StaffAction,
  type VoidOffer,
} from '../../domain/staff'
import { businessDateTime, businessToday } from '../../domain/time'
import { meStore, useMe } from '../../stores/member'
import { staffActionsStore, useStaffActions, voidPurchase } from '../../stores/staff'

import './index.scss'
import { COLORS } from '../../styles/colors'

function figureClass(a: StaffAction): string {
  if (a.action === 'verify_redemption') return 'staff-actions__figure staff-actions__figure--item'
  if (isVoidedAward(a)) return 'staff-actions__figure staff-actions__figure--voided'
  return `staff-actions__figure${(a.points ?? 0) < 0 ? ' staff-actions__figure--minus' : ''}`
}

/** 撤销, or why this caller may not (a clerk's earlier-day award), or nothing. */
function VoidControl(props: { offer: VoidOffer; busy: boolean; loading: boolean; onVoid: () => void }) {
  if (props.offer.kind === 'refused') return <Text className="staff-actions__no-void">{props.offer.text}</Text>
  if (props.offer.kind !== 'button') return null
  return (
    <Button className="staff-actions__void" size="mini" loading={props.loading} disabled={props.busy || undefined} onClick={props.onVoid}>
      撤销
    </Button>
  )
}

const isVoidedAward = (a: StaffAction) => a.action === 'award_purchase' && a.purchase?.status === 'voided'

/**
 * 最近操作: awards, voids and verifications (a manager: the whole store's), newest first; 撤销 on a standing award
 * this caller may void (`voidOffer`), or why not.
 */
function StaffActions() {
  const list = useStaffActions()
  const me = useMe()
  const [voidingId, setVoidingId] = useState<number | null>(null)

  useEffect(() => {
    void staffActionsStore.getState().load()
    if (meStore.getState().status === 'idle') void meStore.getState().load()
  }, [])
  useDidShow(() => void staffActionsStore.getState().refresh())
  useReachBottom(() => void staffActionsStore.getState().loadMore())

  async function onVoid(a: StaffAction) {
    if (voidingId !== null || !a.purchase) return
    let reason: string
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: [...VOID_REASONS] })
      reason = VOID_REASONS[tapIndex]
    } catch {
      return // the sheet was dismissed
    }
    const { confirm } = await Taro.showModal({
      title: '撤销积分',
      content: voidConfirmText(a),
      confirmText: '确认撤销',
      confirmColor: COLORS.brand,
    })
    if (!confirm) return
    setVoidingId(a.id)
    try {
      // the award reads 已撤销 from the answer, and the list is loaded again to show the void (stores/staff)
      const result = await voidPurchase(a.purchase.order_ref, reason)
      void Taro.showToast({ title: `已撤销 ${formatPoints(result.reversed_points + result.reversed_campaign_points)} 积分`, icon: 'none' })
    } catch (e) {
      showErrorToast(errorCodeOf(e))
    } finally {
      setVoidingId(null)
    }
  }

  const role = me.data?.staff?.role
  const isManager = role === 'manager'
  const today = businessToday(Date.now())
  const empty = list.status === 'ready' && list.items.length === 0
  return (
    <View className="staff-actions">
      <StateView
        status={list.status}
        errorCode={list.errorCode}
        onRetry={() => void list.load()}
        hasData={list.items.length > 0}
        empty={empty}
        emptyText="还没有操作记录"
      >
        {list.items.map((a) => (
          <View key={a.id} className="staff-actions__row">
            <View className="staff-actions__main">
              <Text className="staff-actions__title">
                {actionLabel(a.action)} · {a.member_nickname ?? '会员'} {a.member_phone ?? ''}
              </Text>
              <Text className="staff-actions__meta">{actionDetail(a)}</Text>
              <Text className="staff-actions__meta">
                {businessDateTime(a.created_at)}
                {isManager ? ` · ${a.staff_nickname}` : ''}
              </Text>
            </View>
            <View className="staff-actions__side">
              <Text className={figureClass(a)}>{actionFigure(a)}</Text>
              {isVoidedAward(a) && <Text className="staff-actions__voided">已撤销</Text>}
              <VoidControl
                offer={voidOffer(a, role, today)}
                busy={voidingId !== null}
                loading={voidingId === a.id}
                onVoid={() => void onVoid(a)}
              />
            </View>
          </View>
        ))}
        {list.loadingMore && <View className="staff-actions__footer">加载中…</View>}
        {list.moreErrorCode && (
          <Tappable className="staff-actions__footer staff-actions__footer--error" onTap={() => void list.loadMore()}>
            {messageFor(list.moreErrorCode)}，点击重试
          </Tappable>
        )}
        {!list.hasMore && list.items.length > 0 && <View className="staff-actions__footer">没有更多了</View>}
      </StateView>
    </View>
  )
}

export default withSession(StaffActions)
