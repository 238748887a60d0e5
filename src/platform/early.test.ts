// The H5 seam that hands index.html's early `me` answer to the app (src/platform/early.ts).
import { EARLY_ME_GLOBAL, takeEarlyMe } from './early'
import { REQUEST_TIMEOUT_MS } from './fetch'

const holder = globalThis as unknown as Record<string, unknown>
afterEach(() => {
  delete holder[EARLY_ME_GLOBAL]
  jest.useRealTimers()
})

test('the answer, once, for the token it was asked with', async () => {
  holder[EARLY_ME_GLOBAL] = { token: 'tok', answer: Promise.resolve({ balance: 7 }) }
  await expect(takeEarlyMe('tok')).resolves.toEqual({ balance: 7 })
  await expect(takeEarlyMe('tok')).resolves.toBeNull()
})

test('another token (signed in again since): null, and the answer is dropped', async () => {
  holder[EARLY_ME_GLOBAL] = { token: 'old', answer: Promise.resolve({ balance: 7 }) }
  await expect(takeEarlyMe('new')).resolves.toBeNull()
  expect(holder[EARLY_ME_GLOBAL]).toBeUndefined()
})

test('none, a failed request, or one unanswered after REQUEST_TIMEOUT_MS: null', async () => {
  await expect(takeEarlyMe('tok')).resolves.toBeNull()
  holder[EARLY_ME_GLOBAL] = { token: 'tok', answer: Promise.reject(new Error('offline')) }
  await expect(takeEarlyMe('tok')).resolves.toBeNull()
  jest.useFakeTimers()
  holder[EARLY_ME_GLOBAL] = { token: 'tok', answer: new Promise(() => {}) }
  const taken = takeEarlyMe('tok')
  jest.advanceTimersByTime(REQUEST_TIMEOUT_MS)
  await expect(taken).resolves.toBeNull()
})
