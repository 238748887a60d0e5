import {
  entryTitle,
  expiryDayLabel,
  expirySchedule,
  historyFilter,
  HISTORY_FILTERS,
  matchesFilter,
  signedPoints,
  SOURCE_LABELS,
} from './history'

it('the tabs and which entries they hold', () => {
  expect(HISTORY_FILTERS.map((f) => f.label)).toEqual(['全部', '获得', '使用', '过期'])
  expect(historyFilter('spend')).toMatchObject({ kinds: ['spend', 'reverse'], sign: -1 })
  expect(historyFilter('nope' as never).key).toBe('all')

  const earn = { kind: 'earn' as const, amount_points: 5 }
  const spend = { kind: 'spend' as const, amount_points: -100 }
  const expire = { kind: 'expire' as const, amount_points: -5 }
  const refund = { kind: 'reverse' as const, amount_points: 100 }
  const voided = { kind: 'reverse' as const, amount_points: -30 }
  const under = (key: Parameters<typeof matchesFilter>[1]) => [earn, spend, expire, refund, voided].filter((e) => matchesFilter(e, key))
  expect(under('all')).toHaveLength(5)
  expect(under('earn')).toEqual([earn, refund])
  expect(under('spend')).toEqual([spend, voided])
  expect(under('expire')).toEqual([expire])
})

it('a row is titled by its description, else by its source', () => {
  expect(entryTitle({ description: '门店消费 ¥128.00', source: 'purchase' })).toBe('门店消费 ¥128.00')
  expect(entryTitle({ description: '', source: 'check_in' })).toBe('每日签到')
  expect(entryTitle({ description: '  ', source: 'expiry' })).toBe('积分过期')
  expect(entryTitle({ description: '', source: 'mystery' as never })).toBe('积分变动')
  expect(Object.keys(SOURCE_LABELS)).toHaveLength(13)
})

it('signed amounts', () => {
  expect(signedPoints(5)).toBe('+5')
  expect(signedPoints(1000)).toBe('+1,000')
  expect(signedPoints(-100)).toBe('-100')
})

it('the expiry schedule: last valid day in Shanghai, summed per day, earliest first', () => {
  // expires_at is midnight Shanghai after the last valid day
  const schedule = expirySchedule([
    { remaining_points: 100, expires_at: '2027-12-01T16:00:00+00:00' },
    { remaining_points: 5, expires_at: '2027-11-12T16:00:00+00:00' },
    { remaining_points: 15, expires_at: '2027-11-12T16:00:00+00:00' },
    { remaining_points: 0, expires_at: '2027-10-01T16:00:00+00:00' },
    { remaining_points: 7, expires_at: 'bad' },
  ])
  expect(schedule).toEqual([
    { date: '2027-11-12', points: 20 },
    { date: '2027-12-01', points: 100 },
  ])
  expect(expiryDayLabel({ date: '2027-11-12', points: 5 })).toBe('2027-11-12 到期 5 积分')
  expect(expiryDayLabel({ date: '2027-11-12', points: 1200 })).toBe('2027-11-12 到期 1,200 积分')
  expect(expirySchedule([])).toEqual([])
})
