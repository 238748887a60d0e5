import { create } from 'zustand'

import { errorCodeOf } from '../domain/errors'
import type { Program } from '../domain/program'
import { setProgramTimeZone } from '../domain/time'
import { fetchProgram } from '../services/program'

export type ProgramStatus = 'idle' | 'loading' | 'ready' | 'error'

export interface ProgramState {
  status: ProgramStatus
  program?: Program
  errorCode?: string
  load: () => Promise<void>
}

export const programStore = create<ProgramState>()((set, get) => ({
  status: 'idle',
  load: async () => {
    if (get().status === 'loading') return
    set({ status: 'loading', errorCode: undefined })
    try {
      const program = await fetchProgram()
      // business days and times are counted in the program's zone from now on (until now: the default)
      setProgramTimeZone(program.time_zone)
      set({ status: 'ready', program })
    } catch (e) {
      set({ status: 'error', errorCode: errorCodeOf(e) })
    }
  },
}))

/** The program store as a React hook (whole state, or a selected slice). */
export function useProgram(): ProgramState
export function useProgram<T>(selector: (state: ProgramState) => T): T
export function useProgram<T>(selector?: (state: ProgramState) => T) {
  return programStore(selector ?? ((s: ProgramState) => s as unknown as T))
}
