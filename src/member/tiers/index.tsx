import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useEffect } from 'react'

import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { formatPoints } from '../../domain/format'
import { nextTierLabel, tierProgressPercent } from '../../domain/member'
import { tierRuleLines, tierSteps } from '../../domain/rules'
import { businessDate } from '../../domain/time'
import { meStore, useMe } from '../../stores/member'
import { rulesStore, useRules } from '../../stores/rules'

import './index.scss'

/**
 * 会员等级: the member's tier and progress to the next, a downgrade notice while one is pending, and the ladder of
 * tiers (thresholds, purchase multipliers, upgrade bonuses) and how tiers are kept, from the live rules.
 */
function Tiers() {
  const me = useMe()
  const rules = useRules()

  useEffect(() => {
    void meStore.getState().load()
    void rulesStore.getState().load()
  }, [])
  useDidShow(() => void meStore.getState().refresh())

  const status = me.status === 'error' || rules.status === 'error' ? 'error' : me.data && rules.data ? 'ready' : 'loading'
  const retry = () => {
    if (meStore.getState().status === 'error') void meStore.getState().load()
    if (rulesStore.getState().status === 'error') void rulesStore.getState().load()
  }
  const m = me.data
  const r = rules.data
  return (
    <View className="tiers">
      <StateView status={status} errorCode={me.errorCode ?? rules.errorCode} onRetry={retry} hasData={!!(m && r)}>
        {m && r && (
          <>
            <View className="tiers__band">
              <Text className="tiers__label">当前等级</Text>
              <Text className="tiers__name">{m.tier.name}</Text>
              <Text className="tiers__note">
                近 {r.pointRules.tier_window_months} 个月已获得 {formatPoints(m.qualifying_points)} 积分 · 消费积分 ×
                {Number(m.tier.multiplier)}
              </Text>
              <View
                className="tiers__progress"
                role="progressbar"
                aria-label="升级进度"
                aria-valuenow={tierProgressPercent(m)}
                aria-valuemin={0}
                aria-valuemax={100}
              >
                <View className="tiers__progress-bar" style={{ width: `${tierProgressPercent(m)}%` }} />
              </View>
              <Text className="tiers__note">{nextTierLabel(m)}</Text>
            </View>

            {m.downgrade && (
              <View className="tiers__card tiers__downgrade">
                <Text className="tiers__downgrade-title">等级调整提醒</Text>
                <Text className="tiers__downgrade-text">
                  近期获得的积分不足以保持{m.tier.name}，等级将于 {businessDate(m.downgrade.due_at)} 调整为{m.downgrade.to_tier_name}
                  。在此之前继续消费、签到即可保级。
                </Text>
              </View>
            )}

            <View className="tiers__card">
              <Text className="tiers__title">等级权益</Text>
              {tierSteps(r.tiers, m.tier.rank).map((t) => (
                <View key={t.code} className={`tiers__step${t.current ? ' tiers__step--current' : ''}`} data-tier={t.code}>
                  <View className="tiers__step-head">
                    <Text className="tiers__step-name">{t.name}</Text>
                    {t.current && <Text className="tiers__step-badge">当前</Text>}
                  </View>
                  <Text className="tiers__step-line">
                    {t.minEarnedPoints === 0 ? '注册即享' : `近期获得 ${formatPoints(t.minEarnedPoints)} 积分`}
                  </Text>
                  <Text className="tiers__step-line">
                    消费积分 ×{t.multiplier}
                    {t.upgradeBonusPoints > 0 ? ` · 升级奖励 ${formatPoints(t.upgradeBonusPoints)} 积分` : ''}
                  </Text>
                </View>
              ))}
            </View>

            <View className="tiers__card">
              <Text className="tiers__title">等级规则</Text>
              {tierRuleLines(r.pointRules).map((line) => (
                <Text key={line} className="tiers__rule">
                  {line}
                </Text>
              ))}
            </View>
          </>
        )}
      </StateView>
    </View>
  )
}

export default withSession(Tiers)
