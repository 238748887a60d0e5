import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf } from '../../domain/errors'
import {
  ACTION_LABELS,
  capPercent,
  claimToast,
  groupTasks,
  progressLabel,
  progressPercent,
  rewardLabel,
  taskAction,
  type Task,
} from '../../domain/tasks'
import { openRoute } from '../../navigation'
import { ROUTES, type Route } from '../../routes'
import { claimTask, tasksStore, useTasks } from '../../stores/tasks'

import './index.scss'

/** Where the member does what a task counts (task event → screen). */
const EVENT_ROUTES: Readonly<Record<string, Route>> = {
  checked_in: ROUTES.checkIn,
  profile_completed: ROUTES.profile,
  phone_bound: ROUTES.profile,
  item_redeemed: ROUTES.mall,
  purchase_awarded: ROUTES.memberCode,
}

const PERIOD_HINTS: Readonly<Record<Task['kind'], string>> = { one_time: '', daily: '今日', weekly: '本周' }

function Tasks() {
  const list = useTasks()
  const [claiming, setClaiming] = useState<string | null>(null)

  useEffect(() => {
    void tasksStore.getState().load()
  }, [])
  // back from doing a task: its progress has moved
  useDidShow(() => void tasksStore.getState().refresh())

  async function onClaim(task: Task) {
    if (claiming) return
    setClaiming(task.code)
    try {
      // the list and me follow from the answer; a refusal reloads the list (stores/tasks)
      const result = await claimTask(task.code)
      void Taro.showToast({ title: claimToast(result), icon: 'success' })
    } catch (e) {
      showErrorToast(errorCodeOf(e))
    } finally {
      setClaiming(null)
    }
  }

  function onAction(task: Task) {
    const action = taskAction(task)
    if (action === 'claim') void onClaim(task)
    else if (action === 'go' && EVENT_ROUTES[task.event]) openRoute(EVENT_ROUTES[task.event])
  }

  const data = list.data
  const groups = data ? groupTasks(data.tasks) : []
  return (
    <View className="tasks">
      <View className="tasks__band">
        <Text className="tasks__title">做任务 赚积分</Text>
        <Text className="tasks__subtitle">完成任务后点击“领取”，奖励积分立即到账</Text>
      </View>

      <StateView status={list.status} errorCode={list.errorCode} onRetry={() => void tasksStore.getState().load()} hasData={!!data}>
        {data && (
          <>
            <View className="tasks__card tasks__caps">
              <Text className="tasks__caps-title">今日奖励上限</Text>
              <View className="tasks__caps-row">
                <Cap label="领取次数" used={data.daily.rewards_used} max={data.daily.rewards_max} />
                <Cap label="任务积分" used={data.daily.points_used} max={data.daily.points_max} />
              </View>
            </View>

            {groups.length === 0 ? (
              <StateView status="ready" empty emptyText="暂无任务，敬请期待" />
            ) : (
              groups.map((group) => (
                <View key={group.kind} className="tasks__card tasks__group">
                  <Text className="tasks__group-title">{group.label}</Text>
                  {group.tasks.map((task) => {
                    const action = taskAction(task)
                    const canGo = action === 'go' && !!EVENT_ROUTES[task.event]
                    return (
                      <View key={task.code} className="tasks__task" data-code={task.code}>
                        <View className="tasks__task-main">
                          <View className="tasks__task-head">
                            <Text className="tasks__task-title">{task.title}</Text>
                            <Text className="tasks__reward">{rewardLabel(task)}</Text>
                          </View>
                          <Text className="tasks__task-desc">{task.description}</Text>
                          <View className="tasks__progress">
                            <View className="tasks__bar tasks__bar--task">
                              <View className="tasks__bar-fill" style={{ width: `${progressPercent(task)}%` }} />
                            </View>
                            <Text className="tasks__progress-text">
                              {PERIOD_HINTS[task.kind]}
                              {progressLabel(task)}
                            </Text>
                          </View>
                        </View>
                        <Button
                          className={`tasks__action tasks__action--${action}`}
                          size="mini"
                          disabled={
                            action === 'done' || (action === 'go' && !canGo) || (action === 'claim' && claiming !== null) || undefined
                          }
                          loading={claiming === task.code}
                          onClick={() => onAction(task)}
                        >
                          {ACTION_LABELS[action]}
                        </Button>
                      </View>
                    )
                  })}
                </View>
              ))
            )}
          </>
        )}
      </StateView>
    </View>
  )
}

/** One of today's caps: label, used/max and a bar. */
function Cap({ label, used, max }: { label: string; used: number; max: number }) {
  return (
    <View className="tasks__cap">
      <View className="tasks__cap-head">
        <Text className="tasks__cap-label">{label}</Text>
        <Text className="tasks__cap-value">
          {used}/{max}
        </Text>
      </View>
      <View className="tasks__bar">
        <View className="tasks__bar-fill" style={{ width: `${capPercent(used, max)}%` }} />
      </View>
    </View>
  )
}

export default withSession(Tasks)
