import { AppError, FALLBACK_MESSAGE, errorCodeOf, isErrorCode, errorToastMs, mayHaveReachedServer, messageFor } from './errors'

describe('messageFor', () => {
  it.each([
    ['network_error', '网络连接失败，请检查网络后重试'],
    ['invalid_jwt', '登录已过期，请重新登录'],
    ['jwt_expired', '登录已过期，请重新登录'],
    ['already_checked_in', '今天已经签到过了'],
    ['insufficient_points', '积分不足'],
    ['out_of_stock', '商品已兑完'],
    ['limit_reached', '已达到兑换上限'],
    ['invalid_member_code', '会员码无效或已过期，请刷新后重试'],
    ['not_staff', '仅限门店员工操作'],
    ['not_found', '内容不存在或已下架'],
  ])('maps %s', (code, text) => {
    expect(messageFor(code)).toBe(text)
  })

  it('falls back for unknown codes', () => {
    expect(messageFor('unknown')).toBe(FALLBACK_MESSAGE)
    expect(messageFor('something_new')).toBe(FALLBACK_MESSAGE)
    expect(messageFor('toString')).toBe(FALLBACK_MESSAGE)
    expect(FALLBACK_MESSAGE).toBe('网络开小差了，请稍后再试')
  })
})

describe('isErrorCode', () => {
  it('accepts snake_case codes only', () => {
    expect(isErrorCode('already_checked_in')).toBe(true)
    expect(isErrorCode('not_found')).toBe(true)
    expect(isErrorCode('Could not find the function public.get_program')).toBe(false)
    expect(isErrorCode('TypeError: Failed to fetch')).toBe(false)
    expect(isErrorCode('PGRST202')).toBe(false)
    expect(isErrorCode('')).toBe(false)
    expect(isErrorCode(undefined)).toBe(false)
  })
})

describe('AppError', () => {
  it('carries a code and is an Error', () => {
    const cause = new TypeError('Failed to fetch')
    const err = new AppError('network_error', { cause })
    expect(err).toBeInstanceOf(Error)
    expect(err.code).toBe('network_error')
    expect(err.message).toBe('network_error')
    expect((err as { cause?: unknown }).cause).toBe(cause)
    expect(errorCodeOf(err)).toBe('network_error')
    expect(errorCodeOf(new Error('boom'))).toBe('unknown')
  })
})

it('which failures may have reached the server (a retry keeps the request id)', () => {
  expect(mayHaveReachedServer('network_error')).toBe(true)
  expect(mayHaveReachedServer('unknown')).toBe(true)
  expect(mayHaveReachedServer('request_timeout')).toBe(true)
  expect(mayHaveReachedServer('bad_response')).toBe(true) // the write happened; the answer was unreadable
  expect(messageFor('request_timeout')).toBe('网络超时，请重试')
  expect(mayHaveReachedServer('insufficient_points')).toBe(false)
})

describe('documented codes', () => {
  // docs/backend.md lists every business error code the backend raises; each needs Chinese text.
  const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs')
  const doc = readFileSync(`${__dirname}/../../docs/backend.md`, 'utf8')
  const table = doc.slice(doc.indexOf('## Error codes'), doc.indexOf('Errors of the API layer'))
  const codes = [...table.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1])

  it('finds the table', () => {
    expect(codes.length).toBeGreaterThan(30)
  })

  it.each(codes)('%s has a Chinese message', (code) => {
    expect(messageFor(code)).not.toBe(FALLBACK_MESSAGE)
  })

  it('lists every code the database raises (the fuzz test found two that were not)', () => {
    const { readdirSync } = jest.requireActual<typeof import('node:fs')>('node:fs')
    const dir = `${__dirname}/../../supabase/schemas`
    const raised = readdirSync(dir).flatMap((f) =>
      [...readFileSync(`${dir}/${f}`, 'utf8').matchAll(/raise_error\('([a-z_]+)'/g)].map((m) => m[1]),
    )
    expect([...new Set(raised)].filter((code) => !codes.includes(code))).toEqual([])
  })
})

it('error toasts stay 3 s or longer for long texts, at most 6 s', () => {
  expect(errorToastMs('积分不足')).toBe(3000)
  expect(errorToastMs('一'.repeat(30))).toBe(4500)
  expect(errorToastMs('一'.repeat(100))).toBe(6000)
})
