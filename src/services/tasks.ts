import { newRequestId } from '../domain/id'
import type { ClaimResult, TaskList } from '../domain/tasks'
import { memberRpc } from './session'

export type { ClaimResult, TaskList }

/** Today's caps and every active task with the member's progress (RPC `list_tasks`). */
export function fetchTasks(): Promise<TaskList> {
  return memberRpc('list_tasks')
}

/** Claim the next completion of a task (RPC `claim_task`), retry-safe with a request id. */
export function claimTask(taskCode: string, requestId = newRequestId()): Promise<ClaimResult> {
  return memberRpc('claim_task', { p_task_code: taskCode, p_request_id: requestId })
}
