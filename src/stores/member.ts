import { meAfter, type Me, type PointsAnswer } from '../domain/member'
import type { Profile, ProfileChanges } from '../domain/profile'
import { fetchExpiryReminderDays, fetchMe } from '../services/member'
import { updateProfile as updateProfileRpc } from '../services/profile'
import { createResource, selectorHook } from './resource'

/** The `me` summary: home, and every screen that shows the balance. Writes update it from their answers. */
export const meStore = createResource(fetchMe)
export const useMe = selectorHook(meStore)

/** `point_rules.expiry_reminder_days`: the window in which home warns about expiring points. */
export const reminderDaysStore = createResource(fetchExpiryReminderDays)
export const useReminderDays = selectorHook(reminderDaysStore)

/**
 * Put a write's effect on `me`: `update(me)` is `me` from the write's answer, or null when the answer cannot
 * tell (the domain function says why); then, and only then, `me` is loaded again (a targeted re-fetch). Nothing
 * to do while `me` was never loaded (a screen that shows it loads it).
 */
export function updateMe(update: (me: Me) => Me | null): void {
  const { data, status, set, load } = meStore.getState()
  if (!data || status === 'idle') return
  const after = update(data)
  if (after) set(after)
  else void load()
}

/** A points write's answer on `me` (`meAfter`). */
export function applyPointsAnswer(answer: PointsAnswer): void {
  updateMe((me) => meAfter(me, answer))
}

/** Save profile changes (RPC `update_profile`); `me` takes the saved profile from the answer. */
export async function updateProfile(changes: ProfileChanges): Promise<Profile> {
  const profile = await updateProfileRpc(changes)
  updateMe((me) => ({ ...me, ...profile }))
  return profile
}
