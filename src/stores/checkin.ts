import {
  calendarAfterCheckIn,
  meAfterCheckIn,
  meAfterMakeUp,
  type CheckInCalendar,
  type CheckInResult,
  type CheckInRules,
  type MakeUpResult,
} from '../domain/checkin'
import { checkIn as checkInRpc, fetchCheckInCalendar, fetchCheckInRules, makeUpCheckIn as makeUpCheckInRpc } from '../services/checkin'
import { meStore, updateMe } from './member'
import { createResource, selectorHook, writeOr } from './resource'

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
export const useCheckInCalendar = selectorHook(checkInStore)

/** Load the month on screen again (after a write whose answer does not describe it). */
function reloadCalendar(): Promise<void> {
  const { data, status, load } = checkInStore.getState()
  return status === 'idle' ? Promise.resolve() : load(data?.calendar.month)
}

/**
 * Today's check-in (home, the calendar). `me` and the calendar take the answer: balance, tier points, streak,
 * 今日已签到 and the day's points (`meAfterCheckIn`, `calendarAfterCheckIn`); `me` is loaded again only when
 * the answer cannot tell. `already_checked_in` (another device, a retry): both are loaded again to show it.
 */
export async function checkIn(): Promise<CheckInResult> {
  const result = await writeOr(checkInRpc(), (code) =>
    code === 'already_checked_in' ? Promise.all([reloadCalendar(), meStore.getState().load()]) : undefined,
  )
  updateMe((me) => meAfterCheckIn(me, result))
  const view = checkInStore.getState().data
  if (view) checkInStore.getState().set({ ...view, calendar: calendarAfterCheckIn(view.calendar, result) })
  return result
}

/**
 * 补签 a missed day. `me` takes the balance, tier points and cost from the answer (`meAfterMakeUp`). The
 * calendar is loaded again (a targeted re-fetch): the answer's `streak_days` is the made-up day's run, not the
 * streak through today, and which other days may still be made up (the month's limit, the window) is the
 * backend's to say; `me.streak_days` then comes from that calendar. A refusal other than a network error means
 * the calendar was stale (made up elsewhere, the limit reached): it is loaded again to show the truth.
 */
export async function makeUpCheckIn(date: string): Promise<MakeUpResult> {
  const result = await writeOr(makeUpCheckInRpc(date), (code) => (code !== 'network_error' ? reloadCalendar() : undefined))
  updateMe((me) => meAfterMakeUp(me, result))
  await reloadCalendar()
  const calendar = checkInStore.getState().data?.calendar
  if (calendar) updateMe((me) => (calendar.today === me.business_date ? { ...me, streak_days: calendar.streak_days } : me))
  return result
}
