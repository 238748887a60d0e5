/**
 * A list loaded a page at a time under a filter (newest first, keyset paging): 我的兑换, the staff actions, the
 * invitees (whose first page also carries the invite summary: the list's `head`).
 * `createPagedList` makes the small zustand store, itself the hook a component reads it with.
 */
import { create, type StoreApi, type UseBoundStore } from 'zustand'

import { errorCodeOf } from '../domain/errors'
import type { ResourceStatus } from './resource'
import { onMemberReset } from './reset'

export interface PagedListState<T, F, H = undefined> {
  filter: F
  status: ResourceStatus
  items: T[]
  /** What the first page's answer carries besides its rows (e.g. the invite code and stats); kept with the rows. */
  head?: H
  errorCode?: string
  /** The last page was full: there may be more. */
  hasMore: boolean
  loadingMore: boolean
  /** Loading the next page failed (the rows already shown stay). */
  moreErrorCode?: string
  /** The first page of `filter` (default: the current one); keeps the rows visible when the filter is unchanged. */
  load: (filter?: F) => Promise<void>
  /** The next page (no-op while loading, or when there is no more). */
  loadMore: () => Promise<void>
  /**
   * The first page again once a first load has settled (ready or error), e.g. when the screen is shown again;
   * nothing while idle or loading (as `createResource`'s refresh).
   */
  refresh: () => Promise<void>
}

export type PagedList<T, F, H = undefined> = UseBoundStore<StoreApi<PagedListState<T, F, H>>>

/** A page whose answer carries more than its rows. */
export interface PageWithHead<T, H> {
  rows: T[]
  head: H
}

const split = <T, H>(page: T[] | PageWithHead<T, H>): PageWithHead<T, H | undefined> =>
  Array.isArray(page) ? { rows: page, head: undefined } : page

export function createPagedList<T, F, H = undefined>(options: {
  filter: F
  pageSize: number
  /** A page of `filter` after `last` (null: the first page): its rows, or its rows and a head. */
  fetchPage: (filter: F, last: T | null) => Promise<T[] | PageWithHead<T, H>>
  /** Rows are deduplicated by key when pages overlap. */
  keyOf: (item: T) => string | number
}): PagedList<T, F, H> {
  const { pageSize, fetchPage, keyOf } = options
  // answers for an earlier filter or load are dropped
  let generation = 0
  const store = create<PagedListState<T, F, H>>()((set, get) => ({
    filter: options.filter,
    status: 'idle',
    items: [],
    hasMore: false,
    loadingMore: false,
    load: async (filter = get().filter) => {
      const call = ++generation
      const sameFilter = filter === get().filter
      set({
        filter,
        status: 'loading',
        errorCode: undefined,
        moreErrorCode: undefined,
        loadingMore: false,
        ...(sameFilter ? {} : { items: [], head: undefined, hasMore: false }),
      })
      try {
        const { rows, head } = split(await fetchPage(filter, null))
        if (call === generation) set({ status: 'ready', items: rows, head, hasMore: rows.length >= pageSize })
      } catch (e) {
        if (call === generation) set({ status: 'error', errorCode: errorCodeOf(e), items: [], head: undefined, hasMore: false })
      }
    },
    loadMore: async () => {
      const { status, hasMore, loadingMore, items, filter } = get()
      if (status !== 'ready' || !hasMore || loadingMore || items.length === 0) return
      const call = generation
      set({ loadingMore: true, moreErrorCode: undefined })
      try {
        const { rows } = split(await fetchPage(filter, items[items.length - 1]))
        if (call !== generation) return
        const seen = new Set(items.map(keyOf))
        set({ items: [...items, ...rows.filter((r) => !seen.has(keyOf(r)))], hasMore: rows.length >= pageSize, loadingMore: false })
      } catch (e) {
        if (call === generation) set({ loadingMore: false, moreErrorCode: errorCodeOf(e) })
      }
    },
    refresh: async () => {
      const { status, load } = get()
      if (status === 'ready' || status === 'error') await load()
    },
  }))
  // sign-out: the first filter, no rows; answers still on their way are dropped
  onMemberReset(() => {
    generation += 1
    store.setState({
      filter: options.filter,
      status: 'idle',
      items: [],
      head: undefined,
      hasMore: false,
      loadingMore: false,
      errorCode: undefined,
      moreErrorCode: undefined,
    })
  })
  return store
}
