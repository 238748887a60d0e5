/** The task center (RPCs `list_tasks`, `claim_task`) and how the screen groups and words it. Pure TypeScript. */
import type { Task, TaskDailyUsage, TaskList, ClaimResult, TaskKind } from './responses'

export type { Task, TaskDailyUsage, TaskList, ClaimResult, TaskKind }

/** Facts the backend records (task_events.event); what a task counts. */
export type TaskEvent = 'checked_in' | 'profile_completed' | 'phone_bound' | 'item_redeemed' | 'purchase_awarded'

export const KIND_LABELS: Readonly<Record<TaskKind, string>> = {
  one_time: '新手任务',
  daily: '每日任务',
  weekly: '每周任务',
}

const KIND_ORDER: TaskKind[] = ['one_time', 'daily', 'weekly']

export interface TaskGroup {
  kind: TaskKind
  label: string
  tasks: Task[]
}

/** 新手任务, 每日任务, 每周任务 — in that order, keeping the backend's order inside; empty groups left out. */
export function groupTasks(tasks: Task[]): TaskGroup[] {
  return KIND_ORDER.map((kind) => ({ kind, label: KIND_LABELS[kind], tasks: tasks.filter((t) => t.kind === kind) })).filter(
    (g) => g.tasks.length > 0,
  )
}

export type TaskAction = 'claim' | 'done' | 'go'

/** 领取 while a completion is unclaimed, 已完成 when the period is used up, else 去完成. */
export function taskAction(task: Pick<Task, 'claimable' | 'done'>): TaskAction {
  if (task.claimable > 0) return 'claim'
  return task.done ? 'done' : 'go'
}

export const ACTION_LABELS: Readonly<Record<TaskAction, string>> = { claim: '领取', done: '已完成', go: '去完成' }

/** Progress of the period towards all its rewarded completions, capped: '3/5'. */
export function progressLabel(task: Pick<Task, 'progress' | 'required_count' | 'period_limit'>): string {
  const target = task.required_count * Math.max(task.period_limit, 1)
  return `${Math.min(task.progress, target)}/${target}`
}

/** 0–100 for the progress bar. */
export function progressPercent(task: Pick<Task, 'progress' | 'required_count' | 'period_limit'>): number {
  const target = task.required_count * Math.max(task.period_limit, 1)
  if (target <= 0) return 100
  return Math.max(0, Math.min(100, Math.floor((task.progress / target) * 100)))
}

/** '+50 积分' */
export function rewardLabel(task: Pick<Task, 'reward_points'>): string {
  return `+${task.reward_points} 积分`
}

/** The toast after a claim, campaign extra included: '+50 积分'. */
export function claimToast(result: Pick<ClaimResult, 'points' | 'campaign_points'>): string {
  return `+${result.points + result.campaign_points} 积分`
}

/** Percent of a daily cap used, 0–100. */
export function capPercent(used: number, max: number): number {
  if (max <= 0) return 100
  return Math.max(0, Math.min(100, Math.floor((used / max) * 100)))
}

/** The daily caps reached: a further claim today is refused (daily_task_limit_reached). */
export function dailyCapReached(daily: TaskDailyUsage): boolean {
  return daily.rewards_used >= daily.rewards_max || daily.points_used >= daily.points_max
}

/**
 * The task list after a claim, from `claim_task`'s answer: the task's claimed completions (so 领取 / 已完成) and
 * today's caps; null when the answer is for another period than the list shows (a new day or week began).
 */
export function tasksAfterClaim(list: TaskList, result: ClaimResult): TaskList | null {
  const task = list.tasks.find((t) => t.code === result.task_code)
  if (!task || task.period_key !== result.period_key || typeof task.claimed !== 'number' || typeof task.completions !== 'number')
    return null
  return {
    ...list,
    daily: { ...list.daily, rewards_used: list.daily.rewards_used + 1, points_used: list.daily.points_used + result.points },
    tasks: list.tasks.map((t) => {
      if (t !== task) return t
      const claimed = t.claimed + 1
      return { ...t, claimed, claimable: Math.max(t.completions - claimed, 0), done: claimed >= t.period_limit }
    }),
  }
}
