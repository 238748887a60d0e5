// The H5 seam that hands index.html's early `me` answer to the app (src/platform/early.ts). How long the app
// waits for it: src/services/member.test.ts.
import { EARLY_ME_GLOBAL, takeEarlyMe } from './early'

const holder = globalThis as unknown as Record<string, unknown>
afterEach(() => {
  delete holder[EARLY_ME_GLOBAL]
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

test('none, or a failed request: null', async () => {
  await expect(takeEarlyMe('tok')).resolves.toBeNull()
  holder[EARLY_ME_GLOBAL] = { token: 'tok', answer: Promise.reject(new Error('offline')) }
  await expect(takeEarlyMe('tok')).resolves.toBeNull()
})
