import { tasksAfterClaim, type ClaimResult } from '../domain/tasks'
import { claimTask as claimTaskRpc, fetchTasks } from '../services/tasks'
import { applyPointsAnswer } from './member'
import { createResource, selectorHook, writeOr } from './resource'

/** The task center (`list_tasks`). Claims update it from their answers; reloaded when the screen shows again. */
export const tasksStore = createResource(fetchTasks)
export const useTasks = selectorHook(tasksStore)

/**
 * Claim a task's reward. The list takes the answer (the task's claims, today's caps: `tasksAfterClaim`), and
 * `me` the balance and tier points (`meAfter`). A refusal (already claimed, a cap reached elsewhere) means the
 * list was stale: it is loaded again (not after a network error: nothing is known to have changed).
 */
export async function claimTask(taskCode: string): Promise<ClaimResult> {
  const result = await writeOr(claimTaskRpc(taskCode), (code) => (code !== 'network_error' ? tasksStore.getState().load() : undefined))
  const list = tasksStore.getState().data
  const after = list && tasksAfterClaim(list, result)
  // another period than the list shows (a new day or week began): the list is loaded again
  if (after) tasksStore.getState().set(after)
  else if (list) void tasksStore.getState().load()
  applyPointsAnswer({ balance_points: result.balance_points, ledgerSum: true, earned: result.points + result.campaign_points })
  return result
}
