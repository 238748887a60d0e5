// A hung API: the client's services give up after REQUEST_TIMEOUT_MS (15 s) with `request_timeout` and
// abort the request, instead of waiting forever. A tiny HTTP server on 127.0.0.1 takes every request and
// never answers; jest's fake timers stand in for the 15 s.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

let server: http.Server
/** Requests the server holds, and whether the client has closed each. */
const held: { url: string; closed: boolean }[] = []
let arrived: () => void = () => undefined

let program: typeof import('../../src/services/program')
let session: typeof import('../../src/services/session')
let timeout: typeof import('../../src/services/timeout')

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const entry = { url: req.url ?? '', closed: false }
    held.push(entry)
    res.on('close', () => (entry.closed = true))
    arrived()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  process.env.TARO_APP_SUPABASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  jest.isolateModules(() => {
    program = require('../../src/services/program')
    session = require('../../src/services/session')
    timeout = require('../../src/services/timeout')
  })
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})
beforeEach(() => {
  held.length = 0
  // only the timers: sockets, nextTick and microtasks stay real
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'performance', 'Date', 'hrtime'] })
})
afterEach(() => jest.useRealTimers())

/** Resolves once the hung server holds one more request. */
function nextArrival(): Promise<void> {
  return new Promise((resolve) => (arrived = resolve))
}

async function settled<T>(promise: Promise<T>) {
  return promise.then(
    (value) => ({ value, error: undefined as unknown }),
    (error: unknown) => ({ value: undefined, error }),
  )
}

test('the limit is 15 s', () => {
  expect(timeout.REQUEST_TIMEOUT_MS).toBe(15_000)
})

test('an RPC to an API that never answers ends in request_timeout after 15 s, and the request is aborted', async () => {
  const arrival = nextArrival()
  const outcome = settled(program.fetchProgram())
  await arrival
  expect(held).toEqual([{ url: '/rest/v1/rpc/get_program', closed: false }])

  let done = false
  void outcome.then(() => (done = true))
  await jest.advanceTimersByTimeAsync(14_900)
  expect(done).toBe(false) // still waiting just before the limit
  await jest.advanceTimersByTimeAsync(100)
  const { error } = await outcome
  expect(error).toMatchObject({ name: 'AppError', code: 'request_timeout' })
  await jest.runOnlyPendingTimersAsync()
  await waitFor(() => held[0].closed)
})

test('a table read (GET, which postgrest-js would retry on network errors) also gives up once, after 15 s', async () => {
  const { fetchExpiryReminderDays } = require('../../src/services/member') as typeof import('../../src/services/member')
  const arrival = nextArrival()
  const outcome = settled(fetchExpiryReminderDays())
  await arrival
  await jest.advanceTimersByTimeAsync(15_000)
  expect((await outcome).error).toMatchObject({ code: 'request_timeout' })
  expect(held.map((r) => r.url.split('?')[0])).toEqual(['/rest/v1/point_rules'])
})

test('signing in against an auth function that never answers ends in request_timeout', async () => {
  const arrival = nextArrival()
  const outcome = settled(session.signIn({ provider: 'dev', phone: '13800000001' }))
  await arrival
  expect(held[0].url).toBe('/functions/v1/auth')
  await jest.advanceTimersByTimeAsync(15_000)
  expect((await outcome).error).toMatchObject({ code: 'request_timeout' })
  await waitFor(() => held[0].closed)
  expect(session.currentSession()).toBeNull()
})

/** Polls real I/O (the socket close) while jest's timers are fake. */
async function waitFor(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setImmediate(resolve))
  expect(check()).toBe(true)
}
