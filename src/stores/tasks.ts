import { fetchTasks } from '../services/tasks'
import { createResource } from './resource'

/** The task center (`list_tasks`). Reload it after a claim and when the screen shows again. */
export const tasksStore = createResource(fetchTasks)
