import { Picker, Text, View } from '@tarojs/components'
import { useEffect, useMemo, type ReactNode } from 'react'

import Tappable from '../../components/Tappable'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import {
  checkInChart,
  freshnessText,
  hasValues,
  liabilityChart,
  pickRangeEnd,
  pointsDailyChart,
  pointsText,
  RANGE_PRESETS,
  summaryCards,
  topItemBars,
  yuanText,
} from '../../domain/reports'
import { businessToday } from '../../domain/time'
import { type ReportSection, reportSections, reportsStore, useReports } from '../../stores/reports'
import type { ResourceState } from '../../stores/resource'
import Chart from '../components/Chart'

import './index.scss'

/** Answers that mean "not for you": one message for the whole page instead of one per section. */
const ACCESS_ERRORS = new Set(['not_manager', 'not_staff', 'not_authenticated', 'member_not_found'])

/** A section card: its title, then loading / error (重试) / empty / the content. */
function Section<T>(props: {
  title: string
  section: ReportSection
  state: ResourceState<T, any>
  empty: (data: T) => boolean
  emptyText: string
  extra?: ReactNode
  children: (data: T) => ReactNode
}) {
  const { state } = props
  return (
    <View className={`dashboard__card dashboard__card--${props.section}`}>
      <View className="dashboard__card-head">
        <Text className="dashboard__card-title">{props.title}</Text>
        {props.extra}
      </View>
      <StateView
        status={state.status}
        errorCode={state.errorCode}
        onRetry={() => void reportsStore.getState().retry(props.section)}
        hasData={!!state.data}
        empty={!!state.data && props.empty(state.data)}
        emptyText={props.emptyText}
      >
        {state.data && props.children(state.data)}
      </StateView>
    </View>
  )
}

/** 经营看板: the operator figures for a range of business days (managers only). */
function DashboardPage() {
  const { preset, range, load, choosePreset } = useReports()
  const summary = reportSections.summary()
  const daily = reportSections.daily()
  const liability = reportSections.liability()
  const checkIns = reportSections.checkIns()
  const topItems = reportSections.topItems()
  const today = businessToday(Date.now())

  useEffect(() => {
    void choosePreset('7d', businessToday(Date.now()))
  }, [choosePreset])

  const dailySpec = useMemo(() => pointsDailyChart(daily.data), [daily.data])
  const liabilitySpec = useMemo(() => liabilityChart(liability.data), [liability.data])
  const checkInSpec = useMemo(() => checkInChart(checkIns.data), [checkIns.data])

  const accessError = [summary, daily, liability, checkIns, topItems].map((s) => s.errorCode).find((c) => c && ACCESS_ERRORS.has(c))
  if (accessError) {
    return (
      <View className="dashboard">
        <StateView status="error" errorCode={accessError} />
      </View>
    )
  }

  const pickEnd = (end: 'from' | 'to', value: unknown) => {
    if (range) void load(pickRangeEnd(range, end, String(value)), 'custom')
  }

  return (
    <View className="dashboard">
      <View className="dashboard__range">
        <View className="dashboard__presets">
          {RANGE_PRESETS.map((p) => (
            <Tappable
              key={p.key}
              className={`dashboard__preset${preset === p.key ? ' dashboard__preset--active' : ''}`}
              pressed={preset === p.key}
              onTap={() => void choosePreset(p.key, today)}
            >
              <Text>{p.label}</Text>
            </Tappable>
          ))}
          <View className={`dashboard__preset${preset === 'custom' ? ' dashboard__preset--active' : ''}`}>
            <Text>自定义</Text>
          </View>
        </View>
        {range && (
          <View className="dashboard__dates">
            <Picker mode="date" value={range.from} end={today} onChange={(e) => pickEnd('from', e.detail.value)}>
              {/* the Picker opens on a click inside it: a button without its own handler */}
              <Tappable inline className="dashboard__date" label={`开始日期 ${range.from}`}>
                {range.from}
              </Tappable>
            </Picker>
            <Text className="dashboard__date-sep">至</Text>
            <Picker mode="date" value={range.to} end={today} onChange={(e) => pickEnd('to', e.detail.value)}>
              <Tappable inline className="dashboard__date" label={`结束日期 ${range.to}`}>
                {range.to}
              </Tappable>
            </Picker>
          </View>
        )}
      </View>

      {summary.data && <Text className="dashboard__freshness">{freshnessText(summary.data.as_of)}</Text>}

      <Section title="核心指标" section="summary" state={summary} empty={() => false} emptyText="">
        {(data) => (
          <View className="dashboard__cards">
            {summaryCards(data).map((card) => (
              <View key={card.key} className={`dashboard__figure dashboard__figure--${card.key}`}>
                <Text className="dashboard__figure-label">{card.label}</Text>
                <Text className="dashboard__figure-value">{card.value}</Text>
                {card.hint && <Text className="dashboard__figure-hint">{card.hint}</Text>}
              </View>
            ))}
          </View>
        )}
      </Section>

      <Section title="积分趋势" section="daily" state={daily} empty={() => !hasValues(dailySpec)} emptyText="该时段没有积分变动">
        {() => <Chart id="dashboard-daily" spec={dailySpec} />}
      </Section>

      <Section
        title="负债到期分布"
        section="liability"
        state={liability}
        empty={(data) => !data.months?.length}
        emptyText="暂无待到期的积分"
      >
        {(data) => (
          <>
            <Chart id="dashboard-liability" spec={liabilitySpec} height={200} />
            <Text className="dashboard__note">
              合计 {yuanText(data.total_liability_fen)}（{pointsText(data.total_points)} 积分），按到期月份
              {data.due_points ? `；另有 ${pointsText(data.due_points)} 积分已到期待处理` : ''}
            </Text>
          </>
        )}
      </Section>

      <Section title="签到日活" section="checkIns" state={checkIns} empty={() => !hasValues(checkInSpec)} emptyText="该时段没有签到">
        {() => <Chart id="dashboard-checkins" spec={checkInSpec} height={200} />}
      </Section>

      <Section title="热门兑换" section="topItems" state={topItems} empty={(data) => !data.items?.length} emptyText="该时段没有兑换">
        {(data) => (
          <View className="dashboard__top">
            {topItemBars(data).map((item) => (
              <View key={item.id} className="dashboard__top-row">
                <Text className="dashboard__top-rank">{item.rank}</Text>
                <View className="dashboard__top-main">
                  <View className="dashboard__top-line">
                    <Text className="dashboard__top-title">{item.title}</Text>
                    <Text className="dashboard__top-count">{item.redemptions}</Text>
                  </View>
                  <View className="dashboard__top-track">
                    <View className="dashboard__top-bar" style={{ width: `${Math.round(item.share * 100)}%` }} />
                  </View>
                  <Text className="dashboard__top-points">{item.points}</Text>
                </View>
              </View>
            ))}
          </View>
        )}
      </Section>
    </View>
  )
}

export default withSession(DashboardPage)
