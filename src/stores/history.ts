/**
 * 积分明细: the entries under the chosen tab, loaded a page at a time (keyset on id), and the expiry schedule.
 */
import { create } from 'zustand'

import { errorCodeOf } from '../domain/errors'
import { HISTORY_PAGE_SIZE, type HistoryFilter, type PointEntry } from '../domain/history'
import { fetchEntries, fetchExpirySchedule } from '../services/history'
import type { ResourceStatus } from './resource'
import { createResource } from './resource'

export interface HistoryState {
  filter: HistoryFilter
  /** The first page's state (StateView). */
  status: ResourceStatus
  errorCode?: string
  entries: PointEntry[]
  hasMore: boolean
  loadingMore: boolean
  /** The last "next page" failed (the list stays; the footer offers a retry). */
  moreErrorCode?: string
  /** First page of the current tab (again). */
  reload: () => Promise<void>
  /** Switch tab and load its first page. */
  setFilter: (filter: HistoryFilter) => Promise<void>
  /** The next page, unless one is loading or there is no more. */
  loadMore: () => Promise<void>
}

export const historyStore = create<HistoryState>()((set, get) => {
  // answers for an earlier tab or reload are dropped
  let generation = 0

  async function loadFirst() {
    const call = ++generation
    set({ status: 'loading', errorCode: undefined, entries: [], hasMore: false, loadingMore: false, moreErrorCode: undefined })
    try {
      const rows = await fetchEntries(get().filter)
      if (call === generation) set({ status: 'ready', entries: rows, hasMore: rows.length >= HISTORY_PAGE_SIZE })
    } catch (e) {
      if (call === generation) set({ status: 'error', errorCode: errorCodeOf(e) })
    }
  }

  return {
    filter: 'all',
    status: 'idle',
    entries: [],
    hasMore: false,
    loadingMore: false,
    reload: loadFirst,
    setFilter: async (filter) => {
      set({ filter })
      await loadFirst()
    },
    loadMore: async () => {
      const { status, hasMore, loadingMore, entries, filter } = get()
      if (status !== 'ready' || !hasMore || loadingMore || entries.length === 0) return
      const call = generation
      set({ loadingMore: true, moreErrorCode: undefined })
      try {
        const rows = await fetchEntries(filter, entries[entries.length - 1].id)
        if (call !== generation) return
        set((s) => ({ entries: [...s.entries, ...rows], hasMore: rows.length >= HISTORY_PAGE_SIZE, loadingMore: false }))
      } catch (e) {
        if (call === generation) set({ loadingMore: false, moreErrorCode: errorCodeOf(e) })
      }
    },
  }
})

export function useHistory(): HistoryState
export function useHistory<T>(selector: (state: HistoryState) => T): T
export function useHistory<T>(selector?: (state: HistoryState) => T) {
  return historyStore(selector ?? ((s: HistoryState) => s as unknown as T))
}

/** Points per last valid day (the 过期计划 card). */
export const expiryStore = createResource(fetchExpirySchedule)
