/** Who is signed in: restored from storage at start, silently on WeChat, by phone (dev login) on H5. */
import { create } from 'zustand'

import { errorCodeOf } from '../domain/errors'
import type { SessionMember } from '../domain/session'
import { signsInSilently } from '../platform/credentials'
import { currentSession, freshSession, signIn, signOut } from '../services/session'
import { resetMemberStores } from './reset'

export type SessionStatus = 'checking' | 'signed_out' | 'signing_in' | 'signed_in'

export interface SessionState {
  status: SessionStatus
  member?: SessionMember
  errorCode?: string
  /** At start: a saved session, or a silent sign-in where the platform can (WeChat). */
  restore: () => Promise<void>
  signInWithPhone: (phone: string) => Promise<void>
  signOut: () => void
}

export const sessionStore = create<SessionState>()((set) => ({
  status: 'checking',
  restore: async () => {
    const saved = currentSession()
    if (saved) return set({ status: 'signed_in', member: saved.member, errorCode: undefined })
    if (!signsInSilently) return set({ status: 'signed_out' })
    set({ status: 'signing_in', errorCode: undefined })
    try {
      const session = await freshSession()
      set({ status: 'signed_in', member: session.member })
    } catch (e) {
      set({ status: 'signed_out', errorCode: errorCodeOf(e) })
    }
  },
  signInWithPhone: async (phone: string) => {
    set({ status: 'signing_in', errorCode: undefined })
    try {
      const session = await signIn({ provider: 'dev', phone })
      set({ status: 'signed_in', member: session.member })
    } catch (e) {
      set({ status: 'signed_out', errorCode: errorCodeOf(e) })
    }
  },
  /** Forget the session and every member store (no screen may show this member's data afterwards). */
  signOut: () => {
    signOut()
    resetMemberStores()
    set({ status: 'signed_out', member: undefined, errorCode: undefined })
  },
}))

export function useSession(): SessionState
export function useSession<T>(selector: (state: SessionState) => T): T
export function useSession<T>(selector?: (state: SessionState) => T) {
  return sessionStore(selector ?? ((s: SessionState) => s as unknown as T))
}
