/**
 * The one store shape most screens need: something loaded from the backend, with loading / ready / error
 * states and the error's code. `createResource(load)` makes a small zustand store, itself the hook a
 * component reads it with.
 */
import { create, type StoreApi, type UseBoundStore } from 'zustand'

import { errorCodeOf } from '../domain/errors'
import { onMemberReset } from './reset'

export type ResourceStatus = 'idle' | 'loading' | 'ready' | 'error'

export interface ResourceState<T, A extends unknown[]> {
  status: ResourceStatus
  data?: T
  errorCode?: string
  /** Load (again). Keeps the previous data visible while reloading. */
  load: (...args: A) => Promise<void>
  /**
   * Load again once a first load has settled (ready or error), e.g. when a screen is shown again after
   * another one changed points; nothing while idle or loading (the first load is still to come or coming).
   */
  refresh: (...args: A) => Promise<void>
  /** Replace the data after a write that returned it (e.g. a check-in result). */
  set: (data: T) => void
}

export type Resource<T, A extends unknown[] = []> = UseBoundStore<StoreApi<ResourceState<T, A>>>

export function createResource<T, A extends unknown[] = []>(fetcher: (...args: A) => Promise<T>): Resource<T, A> {
  let latest = 0
  const store = create<ResourceState<T, A>>()((set, get) => ({
    status: 'idle',
    load: async (...args: A) => {
      const call = ++latest
      set({ status: 'loading', errorCode: undefined })
      try {
        const data = await fetcher(...args)
        if (call === latest) set({ status: 'ready', data })
      } catch (e) {
        if (call === latest) set({ status: 'error', errorCode: errorCodeOf(e) })
      }
    },
    refresh: async (...args: A) => {
      const { status, load } = get()
      if (status === 'ready' || status === 'error') await load(...args)
    },
    set: (data: T) => set({ status: 'ready', data, errorCode: undefined }),
  }))
  // sign-out: back to idle with nothing, and an answer still on its way is dropped
  onMemberReset(() => {
    latest += 1
    store.setState({ status: 'idle', data: undefined, errorCode: undefined })
  })
  return store
}

/**
 * A store's selector hook, the way screens read a store (`useMe()`, `useMe((s) => s.data?.balance_points)`):
 * the whole state, or the slice a selector picks (the component re-renders only when that slice changes).
 */
export function selectorHook<S>(store: UseBoundStore<StoreApi<S>>) {
  function useStore(): S
  function useStore<T>(selector: (state: S) => T): T
  function useStore<T>(selector?: (state: S) => T) {
    return store(selector ?? ((s: S) => s as unknown as T))
  }
  return useStore
}

/**
 * A write's answer; when the write fails, `onFailure(code)` runs first (e.g. loading again what the refusal shows
 * was stale), then the error goes on to the screen.
 */
export async function writeOr<T>(write: Promise<T>, onFailure: (errorCode: string) => unknown): Promise<T> {
  try {
    return await write
  } catch (e) {
    await onFailure(errorCodeOf(e))
    throw e
  }
}
