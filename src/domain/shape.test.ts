import { any, arr, bool, nullable, num, numeric, obj, optional, shapeProblem, str } from './shape'

const tier = obj({ code: str, name: str, multiplier: numeric })
const me = obj({
  nickname: str,
  tier,
  balance_points: num,
  expiring: nullable(obj({ points: num, expires_on: str })),
  staff: optional(any),
  ok: optional(bool),
})

it('an answer that fits has no problem; extra fields are fine', () => {
  expect(
    shapeProblem(me, {
      nickname: '林',
      tier: { code: 'basic', name: '普通会员', multiplier: 1 },
      balance_points: 5,
      expiring: null,
      extra: 1,
    }),
  ).toBeNull()
  expect(
    shapeProblem(me, {
      nickname: '林',
      tier: { code: 'basic', name: '普通会员', multiplier: '1.20' },
      balance_points: 5,
      expiring: { points: 1, expires_on: '2027-01-01' },
    }),
  ).toBeNull()
})

it.each([
  [null, '$: expected an object, got null'],
  [{}, '$.nickname: expected a string, got undefined'],
  [[], '$: expected an object, got an array'],
  ['oops', '$: expected an object, got "oops"'],
  [{ nickname: '林', tier: null, balance_points: 5, expiring: null }, '$.tier: expected an object, got null'],
  [
    { nickname: '林', tier: { code: 'b', name: 7, multiplier: 1 }, balance_points: 5, expiring: null },
    '$.tier.name: expected a string, got 7',
  ],
  [
    { nickname: '林', tier: { code: 'b', name: 'n', multiplier: 'x' }, balance_points: 5, expiring: null },
    '$.tier.multiplier: expected a number, got "x"',
  ],
  [
    { nickname: '林', tier: { code: 'b', name: 'n', multiplier: 1 }, balance_points: '5', expiring: null },
    '$.balance_points: expected a number, got "5"',
  ],
  [
    { nickname: '林', tier: { code: 'b', name: 'n', multiplier: 1 }, balance_points: NaN, expiring: null },
    '$.balance_points: expected a number, got NaN',
  ],
])('%j → %s', (value, problem) => {
  expect(shapeProblem(me, value)).toBe(problem)
})

it('arrays check every element', () => {
  expect(shapeProblem(arr(obj({ id: num })), [{ id: 1 }, { id: 2 }])).toBeNull()
  expect(shapeProblem(arr(obj({ id: num })), [{ id: 1 }, {}])).toBe('$[1].id: expected a number, got undefined')
  expect(shapeProblem(arr(num), null)).toBe('$: expected an array, got null')
})
