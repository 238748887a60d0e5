/**
 * Platform seam: credentials for signing in again without asking the user (a silent re-login when the
 * token expired). H5 (local stack): the dev phone the member signed in with, kept with the session.
 * The mini-program build picks credentials.weapp.ts (wx.login) instead.
 */
import type { Credentials } from '../domain/session'

export async function silentCredentials(saved: { devPhone?: string } | null): Promise<Credentials | null> {
  return saved?.devPhone ? { provider: 'dev', phone: saved.devPhone } : null
}

/** Whether this platform signs in without any input (WeChat: yes; H5: the member types a phone). */
export const signsInSilently = false
