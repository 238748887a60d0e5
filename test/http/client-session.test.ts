// The client's session layer (src/services/session) against the real local API and `auth` function: dev
// sign-in, RPCs as the member, silent renewal before expiry and after the API refuses a token.
import { SignJWT } from 'jose'
import { LOCAL_JWT_SECRET } from '../../stack/config'
import { useSeededApi } from '../support/api'
import { SEEDED } from '../factories/members'

let session: typeof import('../../src/services/session')
let storage: typeof import('../../src/platform/storage')
let rpc: typeof import('../../src/services/rpc')

useSeededApi()
beforeAll(() => {
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    storage = require('../../src/platform/storage')
    rpc = require('../../src/services/rpc')
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
  await expect(session.staffRpc('staff_recent_actions')).rejects.toMatchObject({ name: 'AppError', code: 'not_staff' })
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

/** A token for `sub` signed with the local stack's secret, which expired a minute ago. */
function expiredToken(sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(now - 3600)
    .setExpirationTime(now - 60)
    .sign(new TextEncoder().encode(LOCAL_JWT_SECRET))
}

/** Counts the calls to the `auth` function (each renewal is one) while `fn` runs. */
async function countingSignIns<T>(fn: () => Promise<T>): Promise<{ result: T; signIns: number }> {
  const realFetch = globalThis.fetch
  let signIns = 0
  const spy = jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/functions/v1/auth')) signIns += 1
    return realFetch(input, init)
  })
  try {
    return { result: await fn(), signIns }
  } finally {
    spy.mockRestore()
  }
}

const PARALLEL = 8

test('parallel calls with an expired session: one renewal for all of them, and every call succeeds', async () => {
  const first = await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  localStorageLike({ ...first, accessToken: await expiredToken(SEEDED.lin.id), expiresAt: Math.floor(Date.now() / 1000) - 60 })
  const { result, signIns } = await countingSignIns(() => Promise.all(Array.from({ length: PARALLEL }, () => session.memberRpc('me'))))
  expect(result.map((me) => me.id)).toEqual(Array(PARALLEL).fill(SEEDED.lin.id))
  expect(signIns).toBe(1)
})

test('parallel calls with a token the API refuses as expired (the device clock is behind): one renewal, every call repeated once', async () => {
  const first = await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  // the device believes it is good for an hour; the API says it expired
  localStorageLike({ ...first, accessToken: await expiredToken(SEEDED.lin.id), expiresAt: Math.floor(Date.now() / 1000) + 3600 })
  const { result, signIns } = await countingSignIns(() => Promise.all(Array.from({ length: PARALLEL }, () => session.memberRpc('me'))))
  expect(result.map((me) => me.id)).toEqual(Array(PARALLEL).fill(SEEDED.lin.id))
  expect(signIns).toBe(1)
})

test('a call refused after another call already renewed the token repeats with that token: no second renewal', async () => {
  const first = await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  localStorageLike({ ...first, accessToken: await expiredToken(SEEDED.lin.id), expiresAt: Math.floor(Date.now() / 1000) + 3600 })
  let attempts = 0
  const { result, signIns } = await countingSignIns(() =>
    session.asMember(async (client) => {
      attempts += 1
      // the first attempt is answered only after a parallel call was refused and renewed the token
      if (attempts === 1) await session.memberRpc('me')
      return rpc.callRpc(client, 'me')
    }),
  )
  expect(result.id).toBe(SEEDED.lin.id)
  expect(attempts).toBe(2)
  expect(signIns).toBe(1)
})

test('signing out while a renewal is under way: the session does not come back', async () => {
  const first = await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  localStorageLike({ ...first, expiresAt: Math.floor(Date.now() / 1000) - 60 })
  const call = session.memberRpc('me')
  session.signOut()
  await expect(call).rejects.toMatchObject({ code: 'not_authenticated' })
  expect(session.currentSession()).toBeNull()
})

/** The stored session as a device that slept for a while would have it. */
function localStorageLike(value: object) {
  storage.setItem('jifen.session', JSON.stringify(value))
}
