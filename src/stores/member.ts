import { fetchExpiryReminderDays, fetchMe } from '../services/member'
import { createResource } from './resource'

/** The `me` summary: home, and every screen that shows the balance. Reload it after any point change. */
export const meStore = createResource(fetchMe)

/** `point_rules.expiry_reminder_days`: the window in which home warns about expiring points. */
export const reminderDaysStore = createResource(fetchExpiryReminderDays)
