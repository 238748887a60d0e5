// The client's session layer (src/services/session) against the real local API and `auth` function: dev
// sign-in, RPCs as the member, silent renewal before expiry and after the API refuses a token.
import { useSeededApi } from '../support/api'
import { SEEDED } from '../factories/members'

let session: typeof import('../../src/services/session')
let storage: typeof import('../../src/platform/storage')

useSeededApi()
beforeAll(() => {
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    storage = require('../../src/platform/storage')
  })
})
afterEach(() => session.signOut())

test('dev sign-in, then RPCs as that member', async () => {
  const s = await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  expect(s.member).toMatchObject({ id: SEEDED.lin.id, nickname: '林小满' })
  expect(s.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3000)
  expect(session.currentSession()).toEqual(s)
  const me = await session.memberRpc('me')
  expect(me).toMatchObject({ id: SEEDED.lin.id, nickname: '林小满' })
})

test('a backend refusal is an AppError with its code', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.chen.phone })
  await expect(session.memberRpc('staff_recent_actions')).rejects.toMatchObject({ name: 'AppError', code: 'not_staff' })
  await expect(session.signIn({ provider: 'dev', phone: '12345' })).rejects.toMatchObject({ code: 'invalid_phone' })
})

test('without a session there is nothing to renew: not_authenticated', async () => {
  await expect(session.memberRpc('me')).rejects.toMatchObject({ code: 'not_authenticated' })
})

test('a token about to expire is renewed before the call', async () => {
  const first = await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  // pretend it expires in 30 s (the layer renews 60 s ahead)
  const stored = { ...first, accessToken: 'not-a-jwt', expiresAt: Math.floor(Date.now() / 1000) + 30 }
  localStorageLike(stored)
  const me = await session.memberRpc('me')
  expect(me.id).toBe(SEEDED.lin.id)
  expect(session.currentSession()!.accessToken).not.toBe('not-a-jwt')
})

test('a token the API refuses is renewed once and the call repeated', async () => {
  const first = await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  localStorageLike({ ...first, accessToken: `${first.accessToken.slice(0, -4)}AAAA` })
  const me = await session.memberRpc('me')
  expect(me.id).toBe(SEEDED.lin.id)
  expect(session.currentSession()!.accessToken).not.toBe(first.accessToken.slice(0, -4) + 'AAAA')
})

/** The stored session as a device that slept for a while would have it. */
function localStorageLike(value: object) {
  storage.setItem('jifen.session', JSON.stringify(value))
}
