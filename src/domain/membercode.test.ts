import {
  codeLifetimeMs,
  codeRemainingMs,
  groupMemberCodeDigits,
  numericMemberCode,
  refreshCountdownLabel,
  refreshCountdownSeconds,
  refreshDelayMs,
  type MemberCode,
} from './membercode'

/** As the backend answers: expires_at = floor(now) + TTL, server_time with microseconds. */
function aCode(overrides: Partial<MemberCode> = {}): MemberCode {
  return {
    token: 'M1.00000000000040008000000000000001.1795489260.0123456789ABCDEF0123456789ABCDEF',
    expires_at: '2026-11-24T04:01:00+00:00',
    ttl_seconds: 60,
    server_time: '2026-11-24T04:00:00.250123+00:00',
    digits: '912345678901234567',
    ...overrides,
  }
}

it('the lifetime comes from the server timestamps, capped by the TTL', () => {
  expect(codeLifetimeMs(aCode())).toBe(59_750)
  // nonsense timestamps fall back to the TTL
  expect(codeLifetimeMs(aCode({ expires_at: 'x' }))).toBe(60_000)
  expect(codeLifetimeMs(aCode({ expires_at: '2026-11-24T03:59:00+00:00' }))).toBe(60_000)
  expect(codeLifetimeMs(aCode({ expires_at: '2026-11-24T05:00:00+00:00' }))).toBe(60_000)
})

it('the refresh is 10 s before expiry, whatever the phone clock says', () => {
  const code = aCode()
  // the phone is a day behind, or 3 hours ahead: same delay
  const behind = Date.UTC(2026, 10, 23, 4, 0, 0)
  const ahead = Date.UTC(2026, 10, 24, 7, 0, 0)
  expect(refreshDelayMs(code, behind)).toBe(49_750)
  expect(refreshDelayMs(code, ahead)).toBe(49_750)
  // a timer that fires 2 s after arrival aims at the same moment
  expect(refreshDelayMs(code, ahead + 2_000, ahead)).toBe(47_750)
  expect(codeRemainingMs(code, ahead, ahead + 2_000)).toBe(57_750)
  expect(codeRemainingMs(code, ahead, ahead + 90_000)).toBe(0)
  // the clock jumped backwards: elapsed time is never negative
  expect(codeRemainingMs(code, ahead, ahead - 90_000)).toBe(59_750)
})

it('never refreshes sooner than 5 s', () => {
  const short = aCode({ expires_at: '2026-11-24T04:00:10+00:00', ttl_seconds: 10 })
  expect(refreshDelayMs(short, 0)).toBe(5_000)
  expect(refreshDelayMs(aCode(), 58_000, 0)).toBe(5_000)
})

it('counts down to the refresh', () => {
  const code = aCode()
  expect(refreshCountdownSeconds(code, 1_000, 1_000)).toBe(50)
  expect(refreshCountdownSeconds(code, 1_000, 2_000)).toBe(49)
  expect(refreshCountdownSeconds(code, 1_000, 60_000)).toBe(0)
  expect(refreshCountdownSeconds(code, 1_000, -5_000)).toBe(50)
  expect(refreshCountdownLabel(49)).toBe('49 秒后自动刷新')
  expect(refreshCountdownLabel(0)).toBe('正在刷新…')
})

describe('numeric member code', () => {
  it('numericMemberCode: 18 digits starting with 9, with or without the groups', () => {
    expect(numericMemberCode('912345678901234567')).toBe('912345678901234567')
    expect(numericMemberCode(' 9123 4567 8901 2345 67\n')).toBe('912345678901234567')
    expect(numericMemberCode('9123-4567-8901-2345-67')).toBe('912345678901234567')
    for (const bad of ['12345678901234567', '812345678901234567', '9123456789012345678', '91234567890123456a', '', null, undefined]) {
      expect(numericMemberCode(bad)).toBeNull()
    }
  })

  it('groupMemberCodeDigits: fours for reading aloud', () => {
    expect(groupMemberCodeDigits('912345678901234567')).toBe('9123 4567 8901 2345 67')
    expect(groupMemberCodeDigits('')).toBe('')
    expect(numericMemberCode(groupMemberCodeDigits('912345678901234567'))).toBe('912345678901234567')
  })
})
