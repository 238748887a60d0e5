import { lastValidDay, parseTimestampMs, shanghaiDate, shanghaiDateTime } from './time'

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

it('Shanghai dates and times, whatever the offset or precision', () => {
  expect(shanghaiDate('2026-11-23T16:00:00Z')).toBe('2026-11-24')
  expect(shanghaiDate('2026-11-23T15:59:59.999999+00:00')).toBe('2026-11-23')
  // 23:30 UTC is the next morning in Shanghai
  expect(shanghaiDate('2026-11-23T23:30:00.123456+00:00')).toBe('2026-11-24')
  expect(shanghaiDate('nope')).toBe('')
  expect(shanghaiDate('garbage')).toBe('')
  expect(shanghaiDateTime('2026-11-23T23:30:00.123456+00:00')).toBe('2026-11-24 07:30')
  expect(shanghaiDateTime('2026-11-24 04:05:06+08')).toBe('2026-11-24 04:05')
  expect(shanghaiDateTime('2026-12-01T10:30:00+08:00')).toBe('2026-12-01 10:30')
  expect(shanghaiDateTime('garbage')).toBe('')
  expect(shanghaiDateTime(null)).toBe('')
})

it('the last valid day before an exclusive end (expires_at is midnight Shanghai after it)', () => {
  expect(lastValidDay('2027-11-12T16:00:00+00:00')).toBe('2027-11-12')
  expect(lastValidDay('2027-11-12T16:00:00.5+00:00')).toBe('2027-11-13')
  expect(lastValidDay('2026-12-23T16:00:00+00:00')).toBe('2026-12-23')
  expect(lastValidDay('bad')).toBe('')
  expect(lastValidDay(undefined)).toBe('')
})
