import {
  addDays,
  businessDate,
  businessDateTime,
  businessToday,
  daysBetween,
  DEFAULT_TIME_ZONE,
  lastValidDay,
  parseTimestampMs,
  programTimeZone,
  setProgramTimeZone,
  shiftMonth,
  weekdayIndex,
} from './time'

afterEach(() => setProgramTimeZone(null))

it('parses Postgres and ISO timestamps by hand', () => {
  const utc = Date.UTC(2026, 10, 24, 4, 0, 0, 250)
  expect(parseTimestampMs('2026-11-24T04:00:00.250123+00:00')).toBe(utc)
  expect(parseTimestampMs('2026-11-24T12:00:00.25+08:00')).toBe(utc)
  expect(parseTimestampMs('2026-11-24 12:00:00.25+08')).toBe(utc)
  expect(parseTimestampMs('2026-11-24T04:00:00.25Z')).toBe(utc)
  expect(parseTimestampMs('2026-11-24T04:00:00')).toBe(Date.UTC(2026, 10, 24, 4, 0, 0))
  expect(parseTimestampMs('2026-11-23T23:30:00-04:30')).toBe(Date.UTC(2026, 10, 24, 4, 0, 0))
  expect(parseTimestampMs('yesterday')).toBeNaN()
  expect(parseTimestampMs(null)).toBeNaN()
})

it('business dates and times in the default zone (Shanghai), whatever the offset or precision', () => {
  expect(programTimeZone()).toBe(DEFAULT_TIME_ZONE)
  expect(businessDate('2026-11-23T16:00:00Z')).toBe('2026-11-24')
  expect(businessDate('2026-11-23T15:59:59.999999+00:00')).toBe('2026-11-23')
  // 23:30 UTC is the next morning in Shanghai
  expect(businessDate('2026-11-23T23:30:00.123456+00:00')).toBe('2026-11-24')
  expect(businessDate('nope')).toBe('')
  expect(businessDate('garbage')).toBe('')
  expect(businessDateTime('2026-11-23T23:30:00.123456+00:00')).toBe('2026-11-24 07:30')
  expect(businessDateTime('2026-11-24 04:05:06+08')).toBe('2026-11-24 04:05')
  expect(businessDateTime('2026-12-01T10:30:00+08:00')).toBe('2026-12-01 10:30')
  expect(businessDateTime('garbage')).toBe('')
  expect(businessDateTime(null)).toBe('')
})

it('the last valid day before an exclusive end (expires_at is midnight Shanghai after it)', () => {
  expect(lastValidDay('2027-11-12T16:00:00+00:00')).toBe('2027-11-12')
  expect(lastValidDay('2027-11-12T16:00:00.5+00:00')).toBe('2027-11-13')
  expect(lastValidDay('2026-12-23T16:00:00+00:00')).toBe('2026-12-23')
  expect(lastValidDay('bad')).toBe('')
  expect(lastValidDay(undefined)).toBe('')
})

it('the business day at an instant: the Shanghai date (UTC+8) by default, not the UTC one', () => {
  expect(businessToday(Date.parse('2026-11-22T15:59:59Z'))).toBe('2026-11-22')
  expect(businessToday(Date.parse('2026-11-22T16:00:00Z'))).toBe('2026-11-23')
  expect(businessToday(Date.parse('2026-12-31T16:00:00Z'))).toBe('2027-01-01') // a new year in Shanghai only
})

it("the program's zone, once set, counts the days: Tokyo (UTC+9)", () => {
  setProgramTimeZone('Asia/Tokyo')
  expect(programTimeZone()).toBe('Asia/Tokyo')
  expect(businessToday(Date.parse('2026-11-22T14:59:59Z'))).toBe('2026-11-22')
  expect(businessToday(Date.parse('2026-11-22T15:00:00Z'))).toBe('2026-11-23')
  expect(businessDate('2026-11-22T15:30:00+00:00')).toBe('2026-11-23')
  expect(businessDateTime('2026-11-22T15:30:00+00:00')).toBe('2026-11-23 00:30')
  // Tokyo midnight after 2027-11-12 is 15:00 UTC
  expect(lastValidDay('2027-11-12T15:00:00+00:00')).toBe('2027-11-12')
})

it('New York: day boundaries move with daylight saving time (EST −5, EDT −4)', () => {
  setProgramTimeZone('America/New_York')
  // winter: midnight is 05:00 UTC
  expect(businessToday(Date.parse('2026-01-15T04:59:59Z'))).toBe('2026-01-14')
  expect(businessToday(Date.parse('2026-01-15T05:00:00Z'))).toBe('2026-01-15')
  // summer: midnight is 04:00 UTC
  expect(businessToday(Date.parse('2026-07-15T03:59:59Z'))).toBe('2026-07-14')
  expect(businessToday(Date.parse('2026-07-15T04:00:00Z'))).toBe('2026-07-15')
  // the night the clocks go forward (2026-03-08 02:00 → 03:00)
  expect(businessDateTime('2026-03-08T06:59:00Z')).toBe('2026-03-08 01:59')
  expect(businessDateTime('2026-03-08T07:00:00Z')).toBe('2026-03-08 03:00')
  // a zone passed explicitly wins over the program's
  expect(businessDate('2026-07-15T03:59:59Z', 'Asia/Shanghai')).toBe('2026-07-15')
})

it('an empty or unknown zone keeps the default', () => {
  setProgramTimeZone('Asia/Tokyo')
  setProgramTimeZone('Mars/Olympus_Mons')
  expect(programTimeZone()).toBe(DEFAULT_TIME_ZONE)
  setProgramTimeZone('')
  expect(programTimeZone()).toBe(DEFAULT_TIME_ZONE)
})

it('without Intl time zones (some mini-program engines), zones without DST still work from a table', () => {
  const realIntl = globalThis.Intl
  // @ts-expect-error: an engine without Intl
  delete globalThis.Intl
  try {
    // a fresh copy of the module and of dayjs: nothing cached from the tests above
    jest.isolateModules(() => {
      const time = require('./time') as typeof import('./time')
      time.setProgramTimeZone('Asia/Tokyo')
      expect(time.programTimeZone()).toBe('Asia/Tokyo')
      expect(time.businessToday(Date.parse('2026-11-22T15:00:00Z'))).toBe('2026-11-23')
      time.setProgramTimeZone('Asia/Shanghai')
      expect(time.businessDateTime('2026-11-23T23:30:00Z')).toBe('2026-11-24 07:30')
      // a zone the table does not know cannot be used there: the default
      time.setProgramTimeZone('America/New_York')
      expect(time.programTimeZone()).toBe(time.DEFAULT_TIME_ZONE)
      expect(time.businessToday(Date.parse('2026-11-22T16:00:00Z'))).toBe('2026-11-23')
    })
  } finally {
    globalThis.Intl = realIntl
  }
})

it('calendar days: differences, adding, weekdays and months, across month, year and leap-day ends', () => {
  expect(daysBetween('2026-11-24', '2026-12-01')).toBe(7)
  expect(daysBetween('2026-03-30', '2026-03-28')).toBe(-2)
  expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1)
  expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2)
  expect(daysBetween('bad', '2027-01-01')).toBeNaN()
  expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
  expect(addDays('2027-01-01', -1)).toBe('2026-12-31')
  expect(addDays('2030-03-01', 6)).toBe('2030-03-07')
  expect(addDays('x', 1)).toBe('')
  expect(weekdayIndex('2026-11-23')).toBe(0) // Monday
  expect(weekdayIndex('2026-11-01')).toBe(6) // Sunday
  expect(shiftMonth('2026-12', 1)).toBe('2027-01')
  expect(shiftMonth('2026-01', -1)).toBe('2025-12')
  expect(shiftMonth('2026-03', -14)).toBe('2025-01')
})

it('calendar days do not depend on the zone', () => {
  setProgramTimeZone('America/New_York')
  expect(addDays('2026-03-07', 1)).toBe('2026-03-08')
  expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2)
  expect(weekdayIndex('2026-03-08')).toBe(6)
})
