/**
 * 积分明细: the entries under the chosen tab, loaded a page at a time (keyset on created_at, id), and the expiry schedule.
 */
import { HISTORY_PAGE_SIZE, type HistoryFilter, type PointEntry } from '../domain/history'
import { fetchEntries, fetchExpirySchedule } from '../services/history'
import { createPagedList } from './paged'
import { createResource, selectorHook } from './resource'

/** The entries of one tab (`load(tab)` switches), newest first (ties by id); the next page starts after the last row. */
export const historyStore = createPagedList<PointEntry, HistoryFilter>({
  filter: 'all',
  pageSize: HISTORY_PAGE_SIZE,
  fetchPage: (filter, last) => fetchEntries(filter, last ? { created_at: last.created_at, id: last.id } : undefined),
  keyOf: (entry) => entry.id,
})
export const useHistory = selectorHook(historyStore)

/** Points per last valid day (the 过期计划 card). */
export const expiryStore = createResource(fetchExpirySchedule)
export const useExpirySchedule = selectorHook(expiryStore)
