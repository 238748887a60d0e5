import dayjs from 'dayjs'

import { isoToWall, wallToIso } from './zone'

describe('wallToIso / isoToWall', () => {
  it("reads a picked wall-clock time in the program's zone, whatever the browser's zone", () => {
    expect(wallToIso(dayjs('2026-12-24T20:00:00'), 'Asia/Shanghai')).toBe('2026-12-24T12:00:00.000Z')
    expect(wallToIso(dayjs('2026-12-24T20:00:00'), 'UTC')).toBe('2026-12-24T20:00:00.000Z')
    expect(wallToIso(dayjs('2026-12-24T20:00:00'), 'Asia/Tokyo')).toBe('2026-12-24T11:00:00.000Z')
  })

  it('shows an instant as the wall-clock time of the zone, and round-trips', () => {
    expect(isoToWall('2026-12-24T12:00:00Z', 'Asia/Shanghai').format('YYYY-MM-DD HH:mm')).toBe('2026-12-24 20:00')
    expect(isoToWall('2026-12-31T16:30:00+00:00', 'Asia/Shanghai').format('YYYY-MM-DD HH:mm')).toBe('2027-01-01 00:30')
    const iso = '2027-03-01T01:02:00.000Z'
    expect(wallToIso(isoToWall(iso, 'Asia/Shanghai'), 'Asia/Shanghai')).toBe(iso)
  })
})
