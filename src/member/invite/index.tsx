import { Input, Text, View } from '@tarojs/components'
import Taro, { useRouter, useShareAppMessage, useShareTimeline } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import Tappable from '../../components/Tappable'
import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import QrCode from '../../components/QrCode'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf, messageFor } from '../../domain/errors'
import {
  bindDeadlineLabel,
  boundDateLabel,
  canBindReferrer,
  checkInviteCodeInput,
  inviteCodeFromScene,
  inviteRulesText,
  inviteStats,
  inviteeRewardLabel,
  inviteeStatusLabel,
  shareTitle,
} from '../../domain/referral'
import { nicknameInitial } from '../../domain/member'
import { invitesByShareCard } from '../../platform/ui'
import { ROUTES } from '../../routes'
import { meStore } from '../../stores/member'
import { programStore } from '../../stores/program'
import { bindRememberedInviter, bindTypedInviteCode, invitesStore, rememberInviter, useInvites } from '../../stores/referral'
import Poster from './Poster'

import './index.scss'

/** The path a shared card opens: home, which remembers the code and binds it after sign-in. */
export function sharePath(code: string): string {
  return ROUTES.home + '?inviter=' + code
}

/** Refusals after which the field goes: the member can no longer bind anyone. */
const BIND_CLOSED = new Set(['referral_window_closed', 'referrer_already_bound'])

/** H5: the same entry as a link to this site (hash router), for the poster's QR. */
function h5InviteLink(code: string): string {
  const loc = typeof window !== 'undefined' ? window.location : undefined
  return loc ? `${loc.origin}${loc.pathname}#${sharePath(code)}` : sharePath(code)
}

/** The poster's texts and picture, once the member and the program are loaded. */
interface PosterOpen {
  nickname: string
  avatarUrl: string | null
  programName: string
}

/**
 * 邀请有礼: my invite code (share card, poster, copy), the rules, my stats, who invited me, a field to type a
 * friend's code while I may still bind one, and my invitees.
 */
function InvitePage() {
  const state = useInvites()
  const { params } = useRouter()
  const [poster, setPoster] = useState<PosterOpen | null>(null)
  const [opening, setOpening] = useState(false)
  const [typed, setTyped] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [binding, setBinding] = useState(false)

  async function loadMore() {
    const list = invitesStore.getState()
    if (list.loadingMore) return
    await list.loadMore()
    // the rows shown stay; the member is told and may tap 加载更多 again
    const failed = invitesStore.getState().moreErrorCode
    if (failed) showErrorToast(failed)
  }

  // opened from a share to 朋友圈 (this page with ?inviter=CODE) or a 小程序码 (?scene=CODE): bind that friend
  const opener = params.inviter ?? inviteCodeFromScene(params.scene) ?? undefined
  useEffect(() => {
    const shared = opener && rememberInviter(opener)
    void (async () => {
      if (shared && (await bindRememberedInviter()) === 'bound') void Taro.showToast({ title: '已接受好友邀请', icon: 'none' })
      await invitesStore.getState().load()
    })()
  }, [opener])

  // the share card (menu or the 邀请好友 button): a welcome gift for the friend; sharing itself earns nothing
  useShareAppMessage(() => {
    const data = state.data
    return data ? { title: shareTitle(data.bonus_points), path: sharePath(data.invite_code) } : { title: '一起来赚积分', path: ROUTES.home }
  })
  // 分享到朋友圈 opens this page with the query: it remembers the code like home does
  useShareTimeline(() => {
    const data = state.data
    return data ? { title: shareTitle(data.bonus_points), query: `inviter=${data.invite_code}` } : { title: '一起来赚积分' }
  })

  async function openPoster() {
    if (opening) return
    setOpening(true)
    try {
      if (meStore.getState().status !== 'ready') await meStore.getState().load()
      if (programStore.getState().status !== 'ready') await programStore.getState().load()
      const me = meStore.getState()
      if (!me.data) return showErrorToast(me.errorCode ?? 'unknown')
      setPoster({
        nickname: me.data.nickname,
        avatarUrl: me.data.avatar_url,
        programName: programStore.getState().program?.name ?? '积分会员',
      })
    } finally {
      setOpening(false)
    }
  }

  async function submitCode() {
    if (binding) return
    const checked = checkInviteCodeInput(typed)
    if ('problem' in checked) return setProblem(checked.problem)
    setBinding(true)
    setProblem(null)
    try {
      const answer = await bindTypedInviteCode(checked.code)
      setTyped('')
      void Taro.showToast({ title: `已绑定邀请人：${answer.referrer.nickname}`, icon: 'none' })
    } catch (e) {
      const code = errorCodeOf(e)
      if (BIND_CLOSED.has(code)) {
        // the field goes with the reload: say why in a toast
        showErrorToast(code)
        void invitesStore.getState().load()
      } else {
        setProblem(messageFor(code))
      }
    } finally {
      setBinding(false)
    }
  }

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
              <Button
                className="invite__button invite__button--poster"
                loading={opening}
                disabled={opening || undefined}
                onClick={() => void openPoster()}
              >
                生成邀请海报
              </Button>
            </View>

            {canBindReferrer(data, Date.now()) && (
              <View className="invite__card invite__bind">
                <Text className="invite__title">填写邀请码</Text>
                <Text className="invite__rule">新用户填写好友的邀请码，完成任务后双方各得 {data.bonus_points} 积分</Text>
                <View className="invite__bind-row">
                  {/* a text field without maxlength: the check says what is wrong instead of cutting */}
                  <Input
                    className={`invite__bind-input${problem ? ' invite__bind-input--invalid' : ''}`}
                    type="text"
                    placeholder="输入好友的8位邀请码"
                    nativeProps={{ 'aria-label': '好友的邀请码', autocomplete: 'off', autocapitalize: 'characters', spellcheck: false }}
                    value={typed}
                    onInput={(e) => {
                      setTyped(e.detail.value)
                      setProblem(null)
                    }}
                    onConfirm={() => void submitCode()}
                  />
                  <Button
                    className="invite__bind-button"
                    loading={binding}
                    disabled={binding || undefined}
                    onClick={() => void submitCode()}
                  >
                    确定
                  </Button>
                </View>
                {problem ? (
                  <View className="invite__bind-problem" role="alert">
                    <Text>{problem}</Text>
                  </View>
                ) : (
                  <Text className="invite__bind-deadline">{bindDeadlineLabel(data.bind_until)}</Text>
                )}
              </View>
            )}

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

      {poster && data && (
        <Poster
          content={{
            nickname: poster.nickname,
            initial: nicknameInitial(poster.nickname),
            programName: poster.programName,
            title: shareTitle(data.bonus_points),
            rules: inviteRulesText(data),
            inviteCode: data.invite_code,
          }}
          avatarUrl={poster.avatarUrl}
          qrText={h5InviteLink(data.invite_code)}
          onClose={() => setPoster(null)}
        />
      )}
    </View>
  )
}

export default withSession(InvitePage)
