import { fetchMe } from '../services/member'
import { createResource } from './resource'

/** The `me` summary: home, and every screen that shows the balance. Reload it after any point change. */
export const meStore = createResource(fetchMe)
