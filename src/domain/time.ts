/**
 * The client's one date module: timestamps from the backend, business days and calendar-day arithmetic.
 * Pure TypeScript on dayjs with its `utc` and `timezone` plugins.
 *
 * - **The zone** is the program's (`get_program`'s `time_zone`): `setProgramTimeZone` is called by the program
 *   store once it has loaded; until then (and for a zone this engine cannot resolve) the default of SPEC,
 *   Asia/Shanghai. A business day is the date in that zone, as Postgres counts it (`private.business_date`).
 * - **Intl.** The timezone plugin asks `Intl.DateTimeFormat` for a zone's UTC offset at an instant; that is the
 *   only Intl use. Some mini-program engines lack Intl or its time-zone data: there the offset comes from a small
 *   table of zones without daylight saving time (Shanghai, Tokyo, …), the default zone's for any other.
 *   Formatting is done on a UTC dayjs shifted by that offset, which needs no Intl.
 * - **Dates** ('YYYY-MM-DD', months 'YYYY-MM') are calendar days: their arithmetic is in UTC, zone-free.
 */
import dayjs, { type Dayjs } from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)
dayjs.extend(timezone)

/** SPEC: every day is a business day in the program's zone, default Asia/Shanghai. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

/** UTC offsets (minutes) of zones without daylight saving time, for engines without Intl time zones. */
const FIXED_OFFSETS: Readonly<Record<string, number>> = {
  'Asia/Shanghai': 480,
  'Asia/Chongqing': 480,
  'Asia/Hong_Kong': 480,
  'Asia/Macau': 480,
  'Asia/Taipei': 480,
  'Asia/Singapore': 480,
  'Asia/Tokyo': 540,
  'Asia/Seoul': 540,
  UTC: 0,
  'Etc/UTC': 0,
}

let programZone = DEFAULT_TIME_ZONE

/** The zone business days are counted in now: the program's once loaded, else the default. */
export function programTimeZone(): string {
  return programZone
}

/** Use the program's zone from now on (`get_program`); an empty or unknown zone keeps the default. */
export function setProgramTimeZone(zone: string | null | undefined): void {
  programZone = zone && zoneOffsetMinutes(Date.now(), zone) !== null ? zone : DEFAULT_TIME_ZONE
}

/** The zone's UTC offset in minutes at an instant; null for a zone neither Intl nor the table knows. */
function zoneOffsetMinutes(ms: number, zone: string): number | null {
  try {
    const offset = dayjs(ms).tz(zone).utcOffset()
    if (Number.isFinite(offset)) return offset
  } catch {
    // no Intl, no time-zone data, or not a zone name: the table below
  }
  return zone in FIXED_OFFSETS ? FIXED_OFFSETS[zone] : null
}

/** The instant as wall-clock time in `zone` (a UTC dayjs shifted by the zone's offset then). */
function inZone(ms: number, zone: string): Dayjs {
  const offset = zoneOffsetMinutes(ms, zone) ?? FIXED_OFFSETS[DEFAULT_TIME_ZONE]
  return dayjs.utc(ms).utcOffset(offset)
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/**
 * Milliseconds since the epoch for a Postgres / ISO timestamp ('2026-11-24T04:00:00.123456+00:00'), NaN when
 * it isn't one. Parsed by hand: some mini-program JS engines reject microseconds or '+00' offsets in Date.parse.
 * A timestamp without an offset is taken as UTC.
 */
export function parseTimestampMs(text: string | null | undefined): number {
  const m = typeof text === 'string' ? ISO_RE.exec(text.trim()) : null
  if (!m) return NaN
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0
  let offsetMin = 0
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'))
  }
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms) - offsetMin * 60_000
}

/** The business day (program zone) at an instant in ms: 'YYYY-MM-DD'. */
export function businessToday(nowMs: number, zone: string = programZone): string {
  return inZone(nowMs, zone).format('YYYY-MM-DD')
}

/** A timestamp's business day (program zone): '2026-11-24'; '' if unreadable. */
export function businessDate(timestamp: string | null | undefined, zone: string = programZone): string {
  const ms = parseTimestampMs(timestamp)
  return Number.isFinite(ms) ? inZone(ms, zone).format('YYYY-MM-DD') : ''
}

/** '2026-11-24 10:30' in the program zone; '' if unreadable. */
export function businessDateTime(timestamp: string | null | undefined, zone: string = programZone): string {
  const ms = parseTimestampMs(timestamp)
  return Number.isFinite(ms) ? inZone(ms, zone).format('YYYY-MM-DD HH:mm') : ''
}

/**
 * The last day an exclusive end instant still covers, as members are told: `expires_at`
 * 2026-12-23T16:00Z (00:00 Shanghai on 12-24) → '2026-12-23'. '' if unreadable.
 */
export function lastValidDay(exclusiveEnd: string | null | undefined, zone: string = programZone): string {
  const ms = parseTimestampMs(exclusiveEnd)
  return Number.isFinite(ms) ? inZone(ms - 1, zone).format('YYYY-MM-DD') : ''
}

// ---- calendar days ('YYYY-MM-DD'): zone-free ------------------------------------------------------------

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/

/** A 'YYYY-MM-DD' day as UTC midnight; null if unreadable. */
function day(date: string | null | undefined): Dayjs | null {
  if (typeof date !== 'string' || !DATE_RE.test(date)) return null
  const d = dayjs.utc(date)
  return d.isValid() ? d : null
}

/** Whole days from `from` to `to` (negative when `to` is earlier), both 'YYYY-MM-DD'; NaN if unreadable. */
export function daysBetween(from: string, to: string): number {
  const a = day(from)
  const b = day(to)
  return a && b ? b.diff(a, 'day') : NaN
}

/** '2030-03-01' + 6 → '2030-03-07' (negative days go back); '' if unreadable. */
export function addDays(date: string, days: number): string {
  return day(date)?.add(days, 'day').format('YYYY-MM-DD') ?? ''
}

/** 0 = Monday … 6 = Sunday (NaN if unreadable). */
export function weekdayIndex(date: string): number {
  const d = day(date)
  return d ? (d.day() + 6) % 7 : NaN
}

/** '2026-11' ± n months → 'YYYY-MM'. */
export function shiftMonth(month: string, delta: number): string {
  return dayjs.utc(`${month}-01`).add(delta, 'month').format('YYYY-MM')
}
