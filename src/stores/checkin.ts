import type { CheckInCalendar, CheckInRules } from '../domain/checkin'
import { fetchCheckInCalendar, fetchCheckInRules } from '../services/checkin'
import { createResource } from './resource'

export interface CheckInView {
  calendar: CheckInCalendar
  rules: CheckInRules
}

/** The rules rarely change: fetched with the first calendar, then kept for this run of the app. */
let rules: Promise<CheckInRules> | null = null

function checkInRules(): Promise<CheckInRules> {
  const pending = (rules ??= fetchCheckInRules())
  pending.catch(() => {
    if (rules === pending) rules = null
  })
  return pending
}

/** Forget the kept rules (tests). */
export function resetCheckInRules(): void {
  rules = null
}

/** The calendar screen: one month ('YYYY-MM'; default this month) with the rules it is explained by. */
export const checkInStore = createResource(async (month?: string): Promise<CheckInView> => {
  const [calendar, loadedRules] = await Promise.all([fetchCheckInCalendar(month), checkInRules()])
  return { calendar, rules: loadedRules }
})
