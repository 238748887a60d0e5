import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import Tappable from '../../components/Tappable'
import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import RemindMe from '../../components/RemindMe'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import {
  canShowNextMonth,
  dayLabel,
  makeUpQuestion,
  makeUpsLabel,
  makeUpToast,
  monthGrid,
  monthTitle,
  rulesText,
  shiftMonth,
  WEEKDAYS,
  type DayCell,
} from '../../domain/checkin'
import { errorCodeOf } from '../../domain/errors'
import { checkInToast } from '../../domain/member'
import { CONSENT_MOMENTS } from '../../domain/messages'
import { checkIn, checkInStore, makeUpCheckIn, useCheckInCalendar } from '../../stores/checkin'

import './index.scss'
import { COLORS } from '../../styles/colors'

function toastError(e: unknown) {
  showErrorToast(errorCodeOf(e))
}

function cellClass(cell: DayCell): string {
  const classes = ['checkin__day', `checkin__day--${cell.status}`]
  if (cell.isToday) classes.push('checkin__day--is-today')
  if (cell.canMakeUp) classes.push('checkin__day--can-make-up')
  return classes.join(' ')
}

/** A day of the calendar; a day that can be made up (补签) is a button. */
function DayView({ cell, onMakeUp }: { cell: DayCell; onMakeUp: () => void }) {
  const content = (
    <>
      <View className="checkin__day-circle">
        <Text className="checkin__day-number">{cell.day}</Text>
      </View>
      <Text className="checkin__day-label">{dayLabel(cell)}</Text>
      {cell.bonusPoints > 0 && (
        <Text className={`checkin__bonus${cell.bonusProjected ? ' checkin__bonus--projected' : ''}`}>+{cell.bonusPoints}</Text>
      )}
    </>
  )
  return cell.canMakeUp ? (
    <Tappable className={cellClass(cell)} data={{ date: cell.date }} onTap={onMakeUp}>
      {content}
    </Tappable>
  ) : (
    <View data-date={cell.date} className={cellClass(cell)}>
      {content}
    </View>
  )
}

function CheckIn() {
  const view = useCheckInCalendar()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    void checkInStore.getState().load()
  }, [])
  // back on this screen (e.g. from the task center): today may have changed
  useDidShow(() => {
    const state = checkInStore.getState()
    void state.refresh(state.data?.calendar.month)
  })

  const data = view.data
  const calendar = data?.calendar
  async function onCheckIn() {
    setBusy(true)
    try {
      // the calendar and me follow from the answer (stores/checkin)
      const result = await checkIn()
      void Taro.showToast({ title: checkInToast(result), icon: 'none' })
    } catch (e) {
      toastError(e)
    } finally {
      setBusy(false)
    }
  }

  async function onMakeUp(cell: DayCell) {
    if (!calendar || busy) return
    const answer = await Taro.showModal({
      title: '补签确认',
      content: makeUpQuestion(cell.date, calendar.make_up_cost_points),
      confirmText: '确认补签',
      confirmColor: COLORS.brand,
    })
    if (!answer.confirm) return
    setBusy(true)
    try {
      const result = await makeUpCheckIn(cell.date)
      void Taro.showToast({ title: makeUpToast(result), icon: 'none' })
    } catch (e) {
      toastError(e) // a stale calendar (made up elsewhere, the limit reached) is loaded again (stores/checkin)
    } finally {
      setBusy(false)
    }
  }

  const loading = view.status === 'loading'
  function goMonth(delta: number) {
    if (calendar && !loading) void checkInStore.getState().load(shiftMonth(calendar.month, delta))
  }

  const rows = calendar ? monthGrid(calendar, data?.rules) : []
  return (
    <View className="checkin">
      <View className="checkin__band">
        <View className="checkin__streak">
          <Text className="checkin__streak-label">已连续签到</Text>
          <View className="checkin__streak-value">
            <Text className="checkin__streak-days">{calendar ? calendar.streak_days : '-'}</Text>
            <Text className="checkin__streak-unit">天</Text>
          </View>
        </View>
        {calendar && (
          <Button
            className={`checkin__button${calendar.checked_in_today ? ' checkin__button--done' : ''}`}
            size="mini"
            disabled={calendar.checked_in_today || busy || undefined}
            loading={busy && !calendar.checked_in_today}
            onClick={() => void onCheckIn()}
          >
            {calendar.checked_in_today ? '今日已签到' : '今日签到'}
          </Button>
        )}
      </View>

      <StateView
        status={view.status}
        errorCode={view.errorCode}
        onRetry={() => void checkInStore.getState().load(calendar?.month)}
        hasData={!!data}
      >
        {calendar && data && (
          <>
            <View className="checkin__card checkin__calendar">
              <View className="checkin__nav">
                <Tappable
                  inline
                  className={`checkin__nav-arrow${loading ? ' checkin__nav-arrow--off' : ''}`}
                  label="上月"
                  disabled={loading}
                  onTap={() => goMonth(-1)}
                >
                  ‹ 上月
                </Tappable>
                <Text className="checkin__month">{monthTitle(calendar.month)}</Text>
                {canShowNextMonth(calendar) ? (
                  <Tappable
                    inline
                    className={`checkin__nav-arrow${loading ? ' checkin__nav-arrow--off' : ''}`}
                    label="下月"
                    disabled={loading}
                    onTap={() => goMonth(1)}
                  >
                    下月 ›
                  </Tappable>
                ) : (
                  <Tappable inline className="checkin__nav-arrow checkin__nav-arrow--off" label="下月" disabled>
                    下月 ›
                  </Tappable>
                )}
              </View>

              <View className="checkin__row checkin__weekdays">
                {WEEKDAYS.map((w) => (
                  <Text key={w} className="checkin__weekday">
                    {w}
                  </Text>
                ))}
              </View>
              {rows.map((row, i) => (
                <View key={i} className="checkin__row">
                  {row.map((cell, j) =>
                    cell ? (
                      <DayView key={cell.date} cell={cell} onMakeUp={() => void onMakeUp(cell)} />
                    ) : (
                      <View key={`blank-${j}`} className="checkin__day checkin__day--blank" />
                    ),
                  )}
                </View>
              ))}

              <View className="checkin__legend">
                <View className="checkin__legend-item">
                  <View className="checkin__dot checkin__dot--checked" />
                  <Text>已签到</Text>
                </View>
                <View className="checkin__legend-item">
                  <View className="checkin__dot checkin__dot--made-up" />
                  <Text>已补签</Text>
                </View>
                <View className="checkin__legend-item">
                  <View className="checkin__dot checkin__dot--can-make-up" />
                  <Text>可补签</Text>
                </View>
                <View className="checkin__legend-item">
                  <Text className="checkin__legend-bonus">+10</Text>
                  <Text>连签奖励</Text>
                </View>
              </View>
            </View>

            <View className="checkin__card checkin__makeup">
              <Text className="checkin__makeup-title">补签</Text>
              <Text className="checkin__makeup-text">{makeUpsLabel(calendar)}</Text>
              <Text className="checkin__hint">点击日历中标有“补签”的日期即可补签</Text>
            </View>

            <RemindMe className="checkin__remind" keys={CONSENT_MOMENTS.checkIn} text="签到提醒：连签快断和积分过期前，通过微信通知你" />

            <View className="checkin__card checkin__rules">
              <Text className="checkin__rules-title">签到规则</Text>
              <Text className="checkin__rules-text">{rulesText(data.rules)}</Text>
            </View>
          </>
        )}
      </StateView>
    </View>
  )
}

export default withSession(CheckIn)
