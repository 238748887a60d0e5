import { ScrollView, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import { usePullRefresh } from '../../components/pullRefresh'
import Tappable from '../../components/Tappable'
import { withSession } from '../../components/SessionGate'
import ItemImage from '../../components/ItemImage'
import StateView from '../../components/StateView'
import { formatPoints } from '../../domain/format'
import { costLabel, faceValueLabel, itemBadges, itemsOfCategory, refusalHint, type MallItem } from '../../domain/mall'
import { ROUTES } from '../../routes'
import { mallStore, useMall } from '../../stores/mall'

import './index.scss'

function ItemCard({ item, balance }: { item: MallItem; balance: number }) {
  const face = faceValueLabel(item.face_value_fen)
  const hint = refusalHint(item, balance)
  return (
    <Tappable
      className={`mall-card${item.redeemable ? '' : ' mall-card--muted'}`}
      data={{ item: item.id }}
      onTap={() => void Taro.navigateTo({ url: `${ROUTES.item}?id=${item.id}` })}
    >
      <ItemImage kind={item.kind} imageUrl={item.image_urls[0]} faceValueFen={item.face_value_fen} size="card" />
      <View className="mall-card__body">
        <Text className="mall-card__title">{item.title}</Text>
        {itemBadges(item).length > 0 && (
          <View className="mall-card__badges">
            {itemBadges(item).map((b) => (
              <Text key={b.text} className={`mall-card__badge mall-card__badge--${b.tone}`}>
                {b.text}
              </Text>
            ))}
          </View>
        )}
        <View className="mall-card__price">
          <Text className="mall-card__cost">{costLabel(item.cost_points)}</Text>
          {face && <Text className="mall-card__face">{face}</Text>}
        </View>
        {hint && <Text className="mall-card__reason">{hint}</Text>}
      </View>
    </Tappable>
  )
}

function Mall() {
  const mall = useMall()
  const [category, setCategory] = useState<string | null>(null)

  useEffect(() => {
    void mallStore.getState().load()
  }, [])
  // back from an item: balance, stock and limits may have changed
  useDidShow(() => void mallStore.getState().refresh())
  usePullRefresh(() => mallStore.getState().load())

  const data = mall.data
  const items = data ? itemsOfCategory(data.items, category) : []
  const tabs = [{ code: null as string | null, name: '全部' }, ...(data?.categories ?? [])]

  return (
    <View className="mall">
      <StateView status={mall.status} errorCode={mall.errorCode} onRetry={() => void mall.load()} hasData={!!data}>
        {data && (
          <>
            <View className="mall__band">
              <View className="mall__balance">
                <Text className="mall__label">可用积分</Text>
                <Text className="mall__points">{formatPoints(data.balance_points)}</Text>
              </View>
              <View className="mall__side">
                <Text className="mall__tier">{data.tier.name}</Text>
                <Tappable inline className="mall__mine" label="我的兑换" onTap={() => void Taro.navigateTo({ url: ROUTES.redemptions })}>
                  我的兑换 ›
                </Tappable>
              </View>
            </View>

            <ScrollView className="mall__tabs" scrollX enableFlex>
              {tabs.map((tab) => (
                <Tappable
                  key={tab.code ?? 'all'}
                  className={`mall__tab${tab.code === category ? ' mall__tab--active' : ''}`}
                  pressed={tab.code === category}
                  onTap={() => setCategory(tab.code)}
                >
                  <Text>{tab.name}</Text>
                </Tappable>
              ))}
            </ScrollView>

            {items.length === 0 ? (
              <View className="mall__empty">
                <Text className="mall__empty-text">{category ? '该分类暂无商品' : '商城暂无商品，敬请期待'}</Text>
              </View>
            ) : (
              <View className="mall__grid">
                {items.map((item) => (
                  <ItemCard key={item.id} item={item} balance={data.balance_points} />
                ))}
              </View>
            )}
          </>
        )}
      </StateView>
    </View>
  )
}

export default withSession(Mall)
