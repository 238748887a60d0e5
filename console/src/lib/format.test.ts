import { setProgramTimeZone } from '../../../src/domain/time'
import { adjustmentReasonLabel, dateTime, fenFromYuan, signedPoints, sourceLabel, yuanFromFen } from './format'

afterEach(() => setProgramTimeZone(null))

it("shows instants in the program's zone, and a dash for none", () => {
  setProgramTimeZone('Asia/Shanghai')
  expect(dateTime('2026-12-24T12:00:00Z')).toBe('2026-12-24 20:00')
  setProgramTimeZone('UTC')
  expect(dateTime('2026-12-24T12:00:00Z')).toBe('2026-12-24 12:00')
  expect(dateTime(null)).toBe('—')
  expect(dateTime('not a time')).toBe('—')
})

it('writes signed points, money both ways, sources and reasons in words', () => {
  expect(signedPoints(1500)).toBe('+1,500')
  expect(signedPoints(-50)).toBe('-50')
  expect(fenFromYuan(10.5)).toBe(1050)
  expect(fenFromYuan(0.1 + 0.2)).toBe(30)
  expect(yuanFromFen(1050)).toBe(10.5)
  expect(sourceLabel('check_in')).toBe('每日签到')
  expect(sourceLabel('something_new')).toBe('something_new')
  expect(adjustmentReasonLabel('service_compensation')).toBe('服务补偿')
})
