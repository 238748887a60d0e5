import { Text, View } from '@tarojs/components'
import Taro, { useShareAppMessage } from '@tarojs/taro'
import { useEffect } from 'react'

import Tappable from '../../components/Tappable'
import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import QrCode from '../../components/QrCode'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import { boundDateLabel, inviteRulesText, inviteStats, inviteeRewardLabel, inviteeStatusLabel, shareTitle } from '../../domain/referral'
import { nicknameInitial } from '../../domain/member'
import { invitesByShareCard } from '../../platform/ui'
import { ROUTES } from '../../routes'
import { invitesStore, useInvites } from '../../stores/referral'

import './index.scss'

/** The path a shared card opens: home, which remembers the code and binds it after sign-in. */
function sharePath(code: string): string {
  return ROUTES.home + '?inviter=' + code
}

/** H5: the same entry as a link to this site (hash router), for the poster's QR. */
function h5InviteLink(code: string): string {
  const loc = typeof window !== 'undefined' ? window.location : undefined
  return loc ? `${loc.origin}${loc.pathname}#${sharePath(code)}` : sharePath(code)
}

/** 邀请有礼: my invite code (share card / copy), the rules, my stats, who invited me and my invitees. */
function InvitePage() {
  const state = useInvites()

  async function loadMore() {
    const list = invitesStore.getState()
    if (list.loadingMore) return
    await list.loadMore()
    // the rows shown stay; the member is told and may tap 加载更多 again
    const failed = invitesStore.getState().moreErrorCode
    if (failed) showErrorToast(failed)
  }

  useEffect(() => {
    void invitesStore.getState().load()
  }, [])

  // the share card (menu or the 邀请好友 button): a welcome gift for the friend; sharing itself earns nothing
  useShareAppMessage(() => {
    const data = state.data
    return data ? { title: shareTitle(data.bonus_points), path: sharePath(data.invite_code) } : { title: '一起来赚积分', path: ROUTES.home }
  })

  async function copyCode(code: string) {
    try {
      await Taro.setClipboardData({ data: code })
      void Taro.showToast({ title: '已复制', icon: 'success' })
    } catch {
      showErrorToast('复制失败，请长按邀请码手动复制')
    }
  }

  const data = state.data
  return (
    <View className="invite">
      <View className="invite__band">
        <Text className="invite__headline">邀请好友 一起赚积分</Text>
        {data && <Text className="invite__subline">好友完成任务后，双方各得 {data.bonus_points} 积分</Text>}
      </View>

      <StateView status={state.status} errorCode={state.errorCode} onRetry={() => void invitesStore.getState().load()} hasData={!!data}>
        {data && (
          <>
            <View className="invite__card invite__code-card">
              <Text className="invite__label">我的邀请码</Text>
              <Text className="invite__code" userSelect>
                {data.invite_code}
              </Text>
              {!invitesByShareCard && (
                <View className="invite__poster">
                  <QrCode value={h5InviteLink(data.invite_code)} size={128} className="invite__poster-qr" />
                  <View className="invite__poster-text">
                    <Text className="invite__poster-title">{shareTitle(data.bonus_points)}</Text>
                    <Text className="invite__poster-hint">截图发给好友，扫码注册或填写邀请码即可加入</Text>
                  </View>
                </View>
              )}
              <View className="invite__actions">
                <Button className="invite__button invite__button--ghost" onClick={() => void copyCode(data.invite_code)}>
                  复制邀请码
                </Button>
                {invitesByShareCard && (
                  <Button className="invite__button invite__button--primary" openType="share">
                    邀请好友
                  </Button>
                )}
              </View>
            </View>

            <View className="invite__card invite__stats">
              {inviteStats(data).map((stat) => (
                <View key={stat.key} className="invite__stat">
                  <Text className="invite__stat-value">{stat.value}</Text>
                  <Text className="invite__stat-label">{stat.label}</Text>
                </View>
              ))}
            </View>

            <View className="invite__card">
              <Text className="invite__title">活动规则</Text>
              <Text className="invite__rule">{inviteRulesText(data)}</Text>
              <Text className="invite__rule invite__rule--note">分享本身不获得积分；好友完成任务后，积分自动发放</Text>
            </View>

            {data.referrer && (
              <View className="invite__card invite__referrer">
                <Text className="invite__avatar invite__avatar--small">{nicknameInitial(data.referrer.nickname)}</Text>
                <Text className="invite__referrer-text">我的邀请人：{data.referrer.nickname}</Text>
              </View>
            )}

            <View className="invite__card invite__list">
              <Text className="invite__title">我邀请的好友</Text>
              <StateView status="ready" empty={data.invitees.length === 0} emptyText="还没有邀请记录，快去邀请好友吧">
                {data.invitees.map((invitee, i) => {
                  const reward = inviteeRewardLabel(invitee)
                  return (
                    <View key={`${invitee.bound_at}-${i}`} className="invite__row">
                      <Text className="invite__avatar">{nicknameInitial(invitee.nickname)}</Text>
                      <View className="invite__row-main">
                        <Text className="invite__row-name">{invitee.nickname}</Text>
                        <Text className="invite__row-date">{boundDateLabel(invitee.bound_at)}</Text>
                      </View>
                      <View className="invite__row-side">
                        <Text className={`invite__tag invite__tag--${invitee.status === 'rewarded' ? 'rewarded' : 'pending'}`}>
                          {inviteeStatusLabel(invitee.status)}
                        </Text>
                        {reward && (
                          <Text className={`invite__reward${invitee.referrer_skipped ? ' invite__reward--capped' : ''}`}>{reward}</Text>
                        )}
                      </View>
                    </View>
                  )
                })}
                {state.hasMore ? (
                  <Tappable className="invite__more" busy={state.loadingMore} onTap={() => void loadMore()}>
                    <Text>{state.loadingMore ? '加载中…' : '加载更多'}</Text>
                  </Tappable>
                ) : (
                  <View className="invite__more invite__more--end">
                    <Text>没有更多了</Text>
                  </View>
                )}
              </StateView>
            </View>
          </>
        )}
      </StateView>
    </View>
  )
}

export default withSession(InvitePage)
