import { businessDayLabel } from './program'

it('labels the business day with its time zone', () => {
  expect(businessDayLabel({ business_date: '2025-03-14', time_zone: 'Asia/Shanghai' })).toBe('今天 2025-03-14（Asia/Shanghai 营业日）')
})
