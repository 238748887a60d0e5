import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'

import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import ItemImage from '../../components/ItemImage'
import { offerReminders } from '../../components/RemindMe'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf, mayHaveReachedServer, messageFor } from '../../domain/errors'
import { formatPoints } from '../../domain/format'
import { newRequestId } from '../../domain/id'
import {
  costLabel,
  faceValueLabel,
  itemBadges,
  kindLabel,
  limitText,
  redeemConfirmText,
  refusalHint,
  saleWindowText,
  stockText,
  voucherValidityText,
} from '../../domain/mall'
import { CONSENT_MOMENTS } from '../../domain/messages'
import { ROUTES } from '../../routes'
import { mallStore, redeemItem, useMall } from '../../stores/mall'

import './index.scss'
import { COLORS } from '../../styles/colors'

function InfoRow({ label, value }: { label: string; value: string }) {
  return (
    <View className="item__row">
      <Text className="item__row-label">{label}</Text>
      <Text className="item__row-value">{value}</Text>
    </View>
  )
}

function Item() {
  const id = useRouter().params.id ?? ''
  const mall = useMall()
  const [redeeming, setRedeeming] = useState(false)
  /** The request id of a redemption that may have reached the server: a retry reuses it (no double spend). */
  const pendingRequestId = useRef<string | null>(null)

  // the listing is the item's source (there is no single-item RPC): show what the mall loaded, refresh it
  useEffect(() => {
    void mallStore.getState().load()
  }, [])
  useDidShow(() => void mallStore.getState().refresh())

  const data = mall.data
  const item = data?.items.find((i) => i.id === id)
  // loaded, but this item is not (or no longer) listed
  const missing = !!data && !item && mall.status !== 'loading'

  async function onRedeem() {
    if (!item || !item.redeemable || redeeming) return
    const { confirm } = await Taro.showModal({
      title: '确认兑换',
      content: redeemConfirmText(item),
      confirmColor: COLORS.brand,
    })
    if (!confirm) return
    setRedeeming(true)
    pendingRequestId.current ??= newRequestId()
    try {
      // me, 我的兑换 and the listing follow from the answer (stores/mall)
      await redeemItem(item.id, pendingRequestId.current)
      pendingRequestId.current = null
      // the mini-program offers reminders of the voucher's expiry and use (on the modal's tap); elsewhere a toast
      const offered = await offerReminders(CONSENT_MOMENTS.redeemed, '兑换成功', '券快到期和核销时，通过微信通知提醒你？')
      if (!offered) void Taro.showToast({ title: '兑换成功', icon: 'success' })
      void Taro.navigateTo({ url: ROUTES.redemptions })
    } catch (e) {
      const code = errorCodeOf(e)
      showErrorToast(code)
      // a refusal stored nothing: the next try is a new request; after a network error keep the id
      if (!mayHaveReachedServer(code)) pendingRequestId.current = null
    } finally {
      setRedeeming(false)
    }
  }

  return (
    <View className="item">
      <StateView
        status={missing ? 'error' : mall.status}
        errorCode={missing ? 'item_not_found' : mall.errorCode}
        onRetry={() => void mall.load()}
        hasData={!!item}
      >
        {data && item && (
          <>
            <ItemImage kind={item.kind} imageUrl={item.image_urls[0]} faceValueFen={item.face_value_fen} size="hero" />

            <View className="item__card item__head">
              <Text className="item__title">{item.title}</Text>
              <View className="item__price">
                <Text className="item__cost">{costLabel(item.cost_points)}</Text>
                {faceValueLabel(item.face_value_fen) && <Text className="item__face">{faceValueLabel(item.face_value_fen)}</Text>}
              </View>
              <View className="item__badges">
                <Text className="item__badge item__badge--kind">{kindLabel(item.kind)}</Text>
                {itemBadges(item).map((b) => (
                  <Text key={b.text} className={`item__badge item__badge--${b.tone}`}>
                    {b.text}
                  </Text>
                ))}
              </View>
            </View>

            {!item.redeemable && item.reason && (
              <View className="item__card item__notice">
                <Text className="item__notice-title">{messageFor(item.reason)}</Text>
                {refusalHint(item, data.balance_points) && refusalHint(item, data.balance_points) !== messageFor(item.reason) && (
                  <Text className="item__notice-hint">{refusalHint(item, data.balance_points)}</Text>
                )}
              </View>
            )}

            <View className="item__card">
              <InfoRow label="剩余库存" value={stockText(item.stock_remaining)} />
              <InfoRow label="兑换限制" value={limitText(item) ?? '不限次数'} />
              <InfoRow label="兑换时间" value={saleWindowText(item) ?? '长期有效'} />
              <InfoRow label="券有效期" value={voucherValidityText(item.voucher_valid_days)} />
            </View>

            {item.description !== '' && (
              <View className="item__card">
                <Text className="item__section">商品说明</Text>
                <Text className="item__description">{item.description}</Text>
              </View>
            )}

            <View className="item__card">
              <Text className="item__section">兑换须知</Text>
              <Text className="item__description">
                兑换成功后可在「我的兑换」查看券码，到店出示券码由店员扫码核销。未使用且未过期的券可取消兑换，积分原路退回。
              </Text>
            </View>

            <View className="item__bar">
              <View className="item__bar-text">
                <Text className="item__bar-cost">{costLabel(item.cost_points)}</Text>
                <Text className="item__bar-balance">可用 {formatPoints(data.balance_points)} 积分</Text>
              </View>
              <Button
                className={`item__redeem${item.redeemable ? '' : ' item__redeem--disabled'}`}
                // undefined rather than false: Taro's H5 button reflects false as disabled="false", which its CSS
                // ([disabled]) styles as disabled
                disabled={!item.redeemable || redeeming || undefined}
                loading={redeeming}
                onClick={() => void onRedeem()}
              >
                立即兑换
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  )
}

export default withSession(Item)
