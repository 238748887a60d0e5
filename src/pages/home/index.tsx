import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter, useShareAppMessage, useShareTimeline } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import Button from '../../components/Button'
import LoginCard from '../../components/LoginCard'
import MessageBell from '../../components/MessageBell'
import StateView from '../../components/StateView'
import Tappable from '../../components/Tappable'
import { showErrorToast } from '../../components/toast'
import {
  checkInToast,
  expiringLabel,
  expiringTone,
  isNewMember,
  nextTierLabel,
  reminderWindowDays,
  roleLabel,
  tierProgressPercent,
  welcomeSeenKey,
} from '../../domain/member'
import { openRoute } from '../../navigation'
import { getItem, setItem } from '../../platform/storage'
import { ROUTES } from '../../routes'
import { checkIn } from '../../stores/checkin'
import { meStore, reminderDaysStore, useMe, useReminderDays } from '../../stores/member'
import { programStore, useProgram } from '../../stores/program'
import { rulesStore, useRules } from '../../stores/rules'
import { inviteCodeFromScene, shareTitle } from '../../domain/referral'
import { bindRememberedInviter, invitesStore, rememberInviter } from '../../stores/referral'
import { useSession } from '../../stores/session'

import './index.scss'

const ENTRIES = [
  { label: '签到日历', glyph: '签', url: ROUTES.checkIn },
  { label: '任务中心', glyph: '任', url: ROUTES.tasks },
  { label: '积分商城', glyph: '商', url: ROUTES.mall },
  { label: '我的兑换', glyph: '券', url: ROUTES.redemptions },
  { label: '积分明细', glyph: '明', url: ROUTES.history },
  { label: '邀请有礼', glyph: '邀', url: ROUTES.invite },
  { label: '我的消费', glyph: '消', url: ROUTES.purchases },
  { label: '积分规则', glyph: '规', url: ROUTES.rules },
]

/**
 * The welcome a new member sees on home (registered within WELCOME_DAYS): the registration bonus from the live
 * rules; 知道了 dismisses it for good on this device.
 */
function Welcome({ memberId }: { memberId: string }) {
  const rules = useRules((s) => s.data)
  const [dismissed, setDismissed] = useState(() => getItem(welcomeSeenKey(memberId)) === '1')
  useEffect(() => {
    if (!dismissed && rulesStore.getState().status === 'idle') void rulesStore.getState().load()
  }, [dismissed])
  const bonus = rules?.pointRules.registration_bonus_points
  if (dismissed || !bonus) return null
  function onDismiss() {
    setItem(welcomeSeenKey(memberId), '1')
    setDismissed(true)
  }
  return (
    <View className="home__card home__welcome" role="region" aria-label="欢迎">
      <Text className="home__welcome-title">欢迎加入，新人礼 {bonus} 积分已到账</Text>
      <Text className="home__welcome-text">每天签到、完成任务、到店消费都能赚积分，积分可在商城兑换好礼。</Text>
      <View className="home__welcome-actions">
        <Button className="home__welcome-rules" size="mini" onClick={() => openRoute(ROUTES.rules)}>
          看看积分规则
        </Button>
        <Button className="home__welcome-close" size="mini" onClick={onDismiss}>
          知道了
        </Button>
      </View>
    </View>
  )
}

export default function Home() {
  const program = useProgram()
  const session = useSession()
  const me = useMe()
  const reminderDays = useReminderDays((s) => s.data)
  const [checkingIn, setCheckingIn] = useState(false)
  const { params } = useRouter()

  // a share card or invite link (?inviter=CODE), or a friend's 小程序码 (?scene=CODE)
  const inviter = params.inviter ?? inviteCodeFromScene(params.scene) ?? undefined
  const [loadProgram, restoreSession, loadMe] = [program.load, session.restore, me.load]
  useEffect(() => {
    // opened from a friend's share card, invite link or 小程序码: bind that friend once signed in
    if (inviter) rememberInviter(inviter)
    void loadProgram()
    void restoreSession()
  }, [inviter, loadProgram, restoreSession])

  const signedIn = session.status === 'signed_in'
  useEffect(() => {
    if (!signedIn) return
    void loadMe()
    if (reminderDaysStore.getState().status !== 'ready') void reminderDaysStore.getState().load()
    void bindRememberedInviter().then((outcome) => {
      if (outcome === 'bound') void Taro.showToast({ title: '已接受好友邀请', icon: 'none' })
    })
  }, [signedIn, loadMe])
  // sharing home: my invite code when the invite page has loaded it (home does not load it for this)
  function share() {
    const head = invitesStore.getState().head
    const title = program.program?.name ?? '积分会员'
    return head ? { title: shareTitle(head.bonus_points), code: head.invite_code } : { title, code: null }
  }
  useShareAppMessage(() => {
    const { title, code } = share()
    return { title, path: code ? `${ROUTES.home}?inviter=${code}` : ROUTES.home }
  })
  useShareTimeline(() => {
    const { title, code } = share()
    return code ? { title, query: `inviter=${code}` } : { title }
  })
  // back from another screen: points may have changed
  useDidShow(() => void meStore.getState().refresh())

  // 重试 after a network failure: the member and, if it failed too, the program (its name in the band)
  function onRetry() {
    if (programStore.getState().status === 'error') void programStore.getState().load()
    void meStore.getState().load()
  }

  async function onCheckIn() {
    setCheckingIn(true)
    try {
      // me (balance, streak, 今日已签到) follows from the answer; already_checked_in reloads it (stores/checkin)
      const result = await checkIn()
      void Taro.showToast({ title: checkInToast(result), icon: 'none' })
    } catch (e) {
      showErrorToast(e)
    } finally {
      setCheckingIn(false)
    }
  }

  const data = me.data
  const tone = data ? expiringTone(data, reminderWindowDays(reminderDays)) : null
  return (
    <View className="home">
      <View className="home__band">
        <Text className="home__name">{program.program?.name ?? '积分会员'}</Text>
        {signedIn && <MessageBell />}
        {signedIn && data ? (
          <View className="home__who">
            <Text className="home__nickname">{data.nickname}</Text>
            <Button className="home__tier" size="mini" onClick={() => openRoute(ROUTES.tiers)}>
              {data.tier.name} ›
            </Button>
          </View>
        ) : (
          <Text className="home__date">签到、任务、消费都能赚积分</Text>
        )}
      </View>

      {session.status === 'checking' ? (
        <StateView status="loading" />
      ) : !signedIn ? (
        <LoginCard />
      ) : (
        <StateView status={me.status} errorCode={me.errorCode} onRetry={onRetry} hasData={!!data}>
          {data && (
            <View className="home__cards">
              {data.staff && (
                <View className="home__card home__staff">
                  <Tappable className="home__staff-open" onTap={() => openRoute(ROUTES.staff)}>
                    <View className="home__staff-text">
                      <Text className="home__staff-title">门店工作台</Text>
                      <Text className="home__staff-store">
                        {data.staff.store_name} · {roleLabel(data.staff.role)}
                      </Text>
                    </View>
                    <Text className="home__staff-go">扫码发积分 ›</Text>
                  </Tappable>
                  {data.staff.role === 'manager' && (
                    <Button className="home__staff-dashboard" size="mini" onClick={() => openRoute(ROUTES.dashboard)}>
                      经营看板
                    </Button>
                  )}
                </View>
              )}

              {isNewMember(data) && <Welcome memberId={data.id} />}

              <View className="home__card home__balance">
                <Text className="home__label">可用积分</Text>
                <Text className="home__points">{data.balance_points}</Text>
                <View className="home__meta">
                  {data.pending_points > 0 && <Text className="home__pending">待生效 {data.pending_points}</Text>}
                  {tone && <Text className={`home__expiring${tone === 'warn' ? ' home__expiring--warn' : ''}`}>{expiringLabel(data)}</Text>}
                </View>
                <View className="home__progress">
                  <View className="home__progress-bar" style={{ width: `${tierProgressPercent(data)}%` }} />
                </View>
                <Text className="home__next">{nextTierLabel(data)}</Text>
                {data.downgrade && (
                  <Text className="home__downgrade">
                    等级将于 {data.downgrade.due_at.slice(0, 10)} 调整为{data.downgrade.to_tier_name}，继续消费可保级
                  </Text>
                )}
              </View>

              <View className="home__card home__checkin">
                <View className="home__checkin-text">
                  <Text className="home__checkin-title">每日签到</Text>
                  <Text className="home__checkin-streak">已连续签到 {data.streak_days} 天</Text>
                </View>
                <Button
                  className={`home__checkin-button${data.checked_in_today ? ' home__checkin-button--done' : ''}`}
                  size="mini"
                  disabled={data.checked_in_today || checkingIn || undefined}
                  loading={checkingIn}
                  onClick={() => void onCheckIn()}
                >
                  {data.checked_in_today ? '今日已签到' : '签到领积分'}
                </Button>
              </View>

              <View className="home__card home__grid">
                {ENTRIES.map((entry) => (
                  <Tappable key={entry.url} className="home__entry" onTap={() => openRoute(entry.url)}>
                    {/* the glyph only decorates: the button's name is its label */}
                    <Text className="home__entry-glyph" aria-hidden="true">
                      {entry.glyph}
                    </Text>
                    <Text className="home__entry-label">{entry.label}</Text>
                  </Tappable>
                ))}
              </View>
            </View>
          )}
        </StateView>
      )}
    </View>
  )
}
