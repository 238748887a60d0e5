import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { useEffect } from 'react'

import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { fenToYuan, formatPoints } from '../../domain/format'
import {
  expiresSoon,
  expiringText,
  purchaseMeta,
  purchasePointsText,
  visitRange,
  voidText,
  type StoreMemberDetail,
  type StoreMemberPurchase,
} from '../../domain/manager'
import { nicknameInitial } from '../../domain/member'
import { businessDate, businessToday } from '../../domain/time'
import { storeMemberStore, useStoreMember } from '../../stores/manager'
import Row from '../../staff/Row'

import './index.scss'

function PurchaseRow({ purchase: p }: { purchase: StoreMemberPurchase }) {
  const voided = voidText(p)
  return (
    <View className="mgr-member__purchase">
      <View className="mgr-member__purchase-main">
        <Text className="mgr-member__purchase-ref">订单 {p.order_ref}</Text>
        <Text className="mgr-member__purchase-meta">{purchaseMeta(p)}</Text>
        {voided && <Text className="mgr-member__purchase-void">{voided}</Text>}
      </View>
      <Text className={`mgr-member__purchase-points${voided ? ' mgr-member__purchase-points--voided' : ''}`}>{purchasePointsText(p)}</Text>
    </View>
  )
}

function Detail({ detail: d }: { detail: StoreMemberDetail }) {
  const m = d.member
  const expiring = expiringText(d.expiring)
  return (
    <>
      <View className="mgr-member__card">
        <View className="mgr-member__who">
          <View className="mgr-member__avatar">
            <Text>{nicknameInitial(m.nickname)}</Text>
          </View>
          <View className="mgr-member__who-main">
            <Text className="mgr-member__name">{m.nickname}</Text>
            <Text className="mgr-member__phone">{m.phone ?? '未绑定手机号'}</Text>
          </View>
          <Text className="mgr-member__tier">
            {m.tier_name}
            {Number(d.tier_multiplier) !== 1 ? ` ×${Number(d.tier_multiplier)}` : ''}
          </Text>
        </View>
        <View className="mgr-member__figures">
          <View className="mgr-member__figure">
            <Text className="mgr-member__figure-value">{formatPoints(m.balance_points)}</Text>
            <Text className="mgr-member__figure-label">可用积分</Text>
          </View>
          <View className="mgr-member__figure">
            <Text className="mgr-member__figure-value">{formatPoints(d.pending_points)}</Text>
            <Text className="mgr-member__figure-label">待生效</Text>
          </View>
        </View>
        {expiring && (
          <Text
            className={`mgr-member__expiring${expiresSoon(d.expiring, businessToday(Date.now())) ? ' mgr-member__expiring--soon' : ''}`}
          >
            {expiring}
          </Text>
        )}
        <Text className="mgr-member__since">{businessDate(d.member_since)} 注册</Text>
      </View>

      <View className="mgr-member__card">
        <Text className="mgr-member__card-title">在本店</Text>
        <Row label="消费笔数" value={`${m.purchase_count} 笔`} />
        <Row label="消费金额" value={fenToYuan(m.purchase_amount_fen)} />
        <Row label="获得积分" value={formatPoints(d.purchase_points)} />
        {d.voided_count > 0 && <Row label="已撤销" value={`${d.voided_count} 笔`} />}
        <Row label="到店" value={visitRange(m)} />
      </View>

      <View className="mgr-member__card">
        <Text className="mgr-member__card-title">本店消费记录</Text>
        {d.purchases.map((p) => (
          <PurchaseRow key={p.purchase_id} purchase={p} />
        ))}
        {d.purchases.length >= 50 && <Text className="mgr-member__note">仅显示最近50笔</Text>}
      </View>
    </>
  )
}

/** 会员详情 (managers): one member of his store — profile summary, points, and the purchases at his store. */
function StoreMemberPage() {
  const id = decodeURIComponent(useRouter().params.id ?? '')
  const state = useStoreMember()

  useEffect(() => {
    void storeMemberStore.getState().load(id)
  }, [id])

  // another member's detail (an earlier visit) counts as still loading
  const data = state.data?.id === id && state.status !== 'error' ? state.data.detail : undefined
  const status = data || state.status !== 'ready' ? state.status : 'loading'
  return (
    <View className="mgr-member">
      <StateView status={status} errorCode={state.errorCode} onRetry={() => void storeMemberStore.getState().load(id)} hasData={!!data}>
        {data && <Detail detail={data} />}
      </StateView>
    </View>
  )
}

export default withSession(StoreMemberPage)
