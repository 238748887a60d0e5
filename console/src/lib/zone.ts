/**
 * Date-time pickers show wall-clock time; the program counts time in its own zone (get_program's time_zone,
 * src/domain/time.ts), which need not be the browser's. These convert between a picker's wall-clock value and
 * the instant it means in the program's zone. Pure (dayjs with its utc and timezone plugins).
 */
import dayjs, { type Dayjs } from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'

import { programTimeZone } from '../../../src/domain/time'

dayjs.extend(utc)
dayjs.extend(timezone)

const WALL = 'YYYY-MM-DDTHH:mm:ss'

/** The instant (ISO, UTC) of a picked wall-clock time read in `zone`. */
export function wallToIso(wall: Dayjs, zone: string = programTimeZone()): string {
  return dayjs.tz(wall.format(WALL), zone).toISOString()
}

/** The wall-clock time in `zone` of an instant, as a picker value. */
export function isoToWall(iso: string, zone: string = programTimeZone()): Dayjs {
  return dayjs(dayjs(iso).tz(zone).format(WALL))
}
