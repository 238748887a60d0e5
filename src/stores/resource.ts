/**
 * The one store shape most screens need: something loaded from the backend, with loading / ready / error
 * states and the error's code. `createResource(load)` makes a small zustand store; `useResource(store)`
 * reads it in a component.
 */
import { create, type StoreApi, type UseBoundStore } from 'zustand'

import { errorCodeOf } from '../domain/errors'

export type ResourceStatus = 'idle' | 'loading' | 'ready' | 'error'

export interface ResourceState<T, A extends unknown[]> {
  status: ResourceStatus
  data?: T
  errorCode?: string
  /** Load (again). Keeps the previous data visible while reloading. */
  load: (...args: A) => Promise<void>
  /** Replace the data after a write that returned it (e.g. a check-in result). */
  set: (data: T) => void
}

export type Resource<T, A extends unknown[] = []> = UseBoundStore<StoreApi<ResourceState<T, A>>>

export function createResource<T, A extends unknown[] = []>(fetcher: (...args: A) => Promise<T>): Resource<T, A> {
  let latest = 0
  return create<ResourceState<T, A>>()((set) => ({
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
    set: (data: T) => set({ status: 'ready', data, errorCode: undefined }),
  }))
}
