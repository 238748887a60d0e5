import {
  ACTION_LABELS,
  tasksAfterClaim,
  type TaskList,
  capPercent,
  claimToast,
  dailyCapReached,
  groupTasks,
  progressLabel,
  progressPercent,
  rewardLabel,
  taskAction,
  type Task,
} from './tasks'

function task(over: Partial<Task>): Task {
  return {
    code: 'x',
    title: 'x',
    description: '',
    kind: 'one_time',
    event: 'phone_bound',
    reward_points: 50,
    required_count: 1,
    period_limit: 1,
    period_key: 'once',
    progress: 0,
    completions: 0,
    claimed: 0,
    claimable: 0,
    done: false,
    ...over,
  }
}

it('groups by kind: 新手, 每日, 每周, leaving out empty groups and keeping the order inside', () => {
  const tasks = [task({ code: 'w', kind: 'weekly' }), task({ code: 'a', kind: 'one_time' }), task({ code: 'b', kind: 'one_time' })]
  const groups = groupTasks(tasks)
  expect(groups.map((g) => g.label)).toEqual(['新手任务', '每周任务'])
  expect(groups[0].tasks.map((t) => t.code)).toEqual(['a', 'b'])
  expect(groupTasks([])).toEqual([])
})

it('the action: 领取 before 已完成 before 去完成', () => {
  expect(taskAction({ claimable: 1, done: false })).toBe('claim')
  expect(taskAction({ claimable: 1, done: true })).toBe('claim')
  expect(taskAction({ claimable: 0, done: true })).toBe('done')
  expect(taskAction({ claimable: 0, done: false })).toBe('go')
  expect(ACTION_LABELS).toEqual({ claim: '领取', done: '已完成', go: '去完成' })
})

it('progress, capped at the period target', () => {
  expect(progressLabel({ progress: 3, required_count: 5, period_limit: 1 })).toBe('3/5')
  expect(progressLabel({ progress: 7, required_count: 5, period_limit: 1 })).toBe('5/5')
  expect(progressLabel({ progress: 2, required_count: 1, period_limit: 3 })).toBe('2/3')
  expect(progressPercent({ progress: 3, required_count: 5, period_limit: 1 })).toBe(60)
  expect(progressPercent({ progress: 9, required_count: 5, period_limit: 1 })).toBe(100)
  expect(progressPercent({ progress: 0, required_count: 0, period_limit: 1 })).toBe(100)
})

it('rewards, the claim toast and the daily caps', () => {
  expect(rewardLabel({ reward_points: 50 })).toBe('+50 积分')
  expect(claimToast({ points: 50, campaign_points: 0 })).toBe('+50 积分')
  expect(claimToast({ points: 20, campaign_points: 20 })).toBe('+40 积分')
  expect(capPercent(50, 100)).toBe(50)
  expect(capPercent(120, 100)).toBe(100)
  expect(capPercent(0, 0)).toBe(100)
  expect(dailyCapReached({ rewards_used: 2, rewards_max: 15, points_used: 50, points_max: 100 })).toBe(false)
  expect(dailyCapReached({ rewards_used: 2, rewards_max: 15, points_used: 100, points_max: 100 })).toBe(true)
  expect(dailyCapReached({ rewards_used: 15, rewards_max: 15, points_used: 0, points_max: 100 })).toBe(true)
})

describe('tasksAfterClaim: the list from a claim answer', () => {
  const aTask = (over: Partial<Task>): Task => ({
    code: 'daily_check_in',
    title: '每日签到',
    description: '',
    kind: 'daily',
    event: 'checked_in',
    reward_points: 10,
    required_count: 1,
    period_limit: 2,
    period_key: 'D2026-11-24',
    progress: 2,
    completions: 2,
    claimed: 0,
    claimable: 2,
    done: false,
    ...over,
  })
  const list: TaskList = {
    business_date: '2026-11-24',
    daily: { rewards_used: 1, rewards_max: 15, points_used: 20, points_max: 100 },
    tasks: [aTask({}), aTask({ code: 'other' })],
  }
  const answer = { task_code: 'daily_check_in', period_key: 'D2026-11-24', seq: 1, points: 10, campaign_points: 10, balance_points: 500 }

  test("the task's claims and today's caps (the base reward counts, not the campaign extra)", () => {
    const once = tasksAfterClaim(list, answer)!
    expect(once.daily).toEqual({ rewards_used: 2, rewards_max: 15, points_used: 30, points_max: 100 })
    expect(once.tasks[0]).toMatchObject({ claimed: 1, claimable: 1, done: false })
    expect(once.tasks[1]).toBe(list.tasks[1])
    expect(tasksAfterClaim(once, { ...answer, seq: 2 })!.tasks[0]).toMatchObject({ claimed: 2, claimable: 0, done: true })
  })

  test('null for another period (a new day began) or an unknown task', () => {
    expect(tasksAfterClaim(list, { ...answer, period_key: 'D2026-11-25' })).toBeNull()
    expect(tasksAfterClaim(list, { ...answer, task_code: 'gone' })).toBeNull()
  })
})
