/**
 * @jest-environment node
 */
// fetchMe and index.html's early `me` (src/platform/early.ts): which answer home gets. Node's fetch stands in
// for the browser's; the network is stubbed.
import { SESSION_STORAGE_KEY } from '../domain/session'
import { EARLY_ME_GLOBAL } from '../platform/early'
import { removeItem, setItem } from '../platform/storage'
import { fetchMe } from './member'
import { REQUEST_TIMEOUT_MS } from './timeout'
import { aMe, aSession } from '../../test/factories/me'

const holder = globalThis as unknown as Record<string, unknown>
const asked = aMe({ nickname: '网络来的' })
const early = aMe({ nickname: '提前问到的' })
let fetchMock: jest.SpyInstance

beforeEach(() => {
  setItem(SESSION_STORAGE_KEY, JSON.stringify(aSession({ accessToken: 'tok' })))
  fetchMock = jest
    .spyOn(globalThis, 'fetch')
    .mockImplementation(async () => new Response(JSON.stringify(asked), { status: 200, headers: { 'Content-Type': 'application/json' } }))
})
afterEach(() => {
  fetchMock.mockRestore()
  delete holder[EARLY_ME_GLOBAL]
  removeItem(SESSION_STORAGE_KEY)
  jest.useRealTimers()
})

test('the early answer for the saved token is used, and nothing is asked', async () => {
  holder[EARLY_ME_GLOBAL] = { token: 'tok', answer: Promise.resolve(early) }
  await expect(fetchMe()).resolves.toMatchObject({ nickname: '提前问到的' })
  expect(fetchMock).not.toHaveBeenCalled()
  // once: the next fetchMe asks
  await expect(fetchMe()).resolves.toMatchObject({ nickname: '网络来的' })
  expect(fetchMock).toHaveBeenCalledTimes(1)
})

test('an answer of the wrong shape, for another token, or a failed one: the app asks', async () => {
  for (const ahead of [
    { token: 'tok', answer: Promise.resolve({ balance_points: 'many' }) },
    { token: 'someone else', answer: Promise.resolve(early) },
    { token: 'tok', answer: Promise.resolve(null) },
  ]) {
    holder[EARLY_ME_GLOBAL] = ahead
    await expect(fetchMe()).resolves.toMatchObject({ nickname: '网络来的' })
  }
  expect(fetchMock).toHaveBeenCalledTimes(3)
})

test('an early request still unanswered after REQUEST_TIMEOUT_MS gives way: the app asks', async () => {
  jest.useFakeTimers()
  holder[EARLY_ME_GLOBAL] = { token: 'tok', answer: new Promise(() => {}) }
  const me = fetchMe()
  await jest.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 1)
  expect(fetchMock).not.toHaveBeenCalled()
  await jest.advanceTimersByTimeAsync(1)
  await expect(me).resolves.toMatchObject({ nickname: '网络来的' })
  expect(fetchMock).toHaveBeenCalledTimes(1)
})
