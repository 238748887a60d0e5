import { Image, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { confirmSignOut } from '../../components/signOut'
import { formatPoints } from '../../domain/format'
import { nicknameInitial } from '../../domain/member'
import { openRoute } from '../../navigation'
import { contactsByWeChat, servicePhone } from '../../platform/ui'
import { ROUTES } from '../../routes'
import { meStore, useMe } from '../../stores/member'
import { useSession } from '../../stores/session'

import './index.scss'

const LINKS = [
  { label: '积分明细', url: ROUTES.history },
  { label: '我的兑换', url: ROUTES.redemptions },
  { label: '我的消费', url: ROUTES.purchases },
  { label: '会员等级', url: ROUTES.tiers },
  { label: '积分规则', url: ROUTES.rules },
  { label: '邀请好友', url: ROUTES.invite },
  { label: '个人资料', url: ROUTES.profile },
]

/** 联系客服: WeChat's service chat in the mini-program; the service phone (tel:) on H5, when one is configured. */
function ContactEntry() {
  if (contactsByWeChat) {
    return (
      <Button className="me__row me__contact" openType="contact">
        <Text className="me__row-label">联系客服</Text>
        <Text className="me__row-go">›</Text>
      </Button>
    )
  }
  if (!servicePhone) return null
  return (
    <Button className="me__row me__contact" onClick={() => void Taro.makePhoneCall({ phoneNumber: servicePhone }).catch(() => undefined)}>
      <Text className="me__row-label">联系客服</Text>
      <Text className="me__row-value">{servicePhone} ›</Text>
    </Button>
  )
}

/** 我的 (tab): who the member is (avatar, nickname, tier), the links to their records and settings, 客服, sign out. */
function MePage() {
  const me = useMe()
  const signOut = useSession((s) => s.signOut)
  const [failedAvatar, setFailedAvatar] = useState<string | null>(null)

  useEffect(() => {
    if (meStore.getState().status === 'idle') void meStore.getState().load()
  }, [])
  useDidShow(() => void meStore.getState().refresh())

  const data = me.data
  return (
    <View className="me">
      <StateView status={me.status} errorCode={me.errorCode} onRetry={() => void me.load()} hasData={!!data} skeletonRows={2}>
        {data && (
          <>
            <View className="me__band">
              {data.avatar_url && failedAvatar !== data.avatar_url ? (
                <Image
                  className="me__avatar"
                  src={data.avatar_url}
                  mode="aspectFill"
                  nativeProps={{ alt: '头像' }}
                  onError={() => setFailedAvatar(data.avatar_url)}
                />
              ) : (
                <View className="me__avatar me__avatar--initial" aria-hidden="true">
                  <Text>{nicknameInitial(data.nickname, '我')}</Text>
                </View>
              )}
              <View className="me__who">
                <Text className="me__nickname">{data.nickname}</Text>
                <Button className="me__tier" size="mini" onClick={() => openRoute(ROUTES.tiers)}>
                  {data.tier.name} ›
                </Button>
              </View>
              <View className="me__points">
                <Text className="me__points-value">{formatPoints(data.balance_points)}</Text>
                <Text className="me__points-label">可用积分</Text>
              </View>
            </View>

            <View className="me__card">
              {LINKS.map((link) => (
                <Button key={link.url} className="me__row" onClick={() => openRoute(link.url)}>
                  <Text className="me__row-label">{link.label}</Text>
                  <Text className="me__row-go">›</Text>
                </Button>
              ))}
              <ContactEntry />
            </View>

            <View className="me__footer">
              <Button className="me__signout" onClick={() => void confirmSignOut(signOut)}>
                退出登录
              </Button>
            </View>
          </>
        )}
      </StateView>
    </View>
  )
}

export default withSession(MePage)
