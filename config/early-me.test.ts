// index.html's early `me` (config/early-me.ts): the inline script, run as a browser would run it.
// It repeats three of the app's names (Taro cannot import src/ from config/): the app's values are used here.
import vm from 'node:vm'
import { RENEW_BEFORE_SECONDS, SESSION_STORAGE_KEY } from '../src/domain/session'
import { EARLY_ME_GLOBAL } from '../src/platform/early'
import { earlyMeScript } from './early-me'

const NOW_S = 1_800_000_000

function run(saved: unknown, fetchAnswer: () => Promise<unknown> = async () => ({ ok: true, json: async () => ({ balance: 1 }) })) {
  const calls: { url: string; init: any }[] = []
  const storage = new Map<string, string>()
  if (saved !== undefined) storage.set(SESSION_STORAGE_KEY, typeof saved === 'string' ? saved : JSON.stringify(saved))
  const window: Record<string, any> = {}
  const context = vm.createContext({
    window,
    localStorage: { getItem: (k: string) => storage.get(k) ?? null },
    fetch: (url: string, init: unknown) => {
      calls.push({ url, init })
      return fetchAnswer()
    },
    Date: { now: () => NOW_S * 1000 },
    JSON,
  })
  vm.runInContext(earlyMeScript('https://api.example.com/', 'anon-key'), context)
  return { calls, early: window[EARLY_ME_GLOBAL] }
}

test('a saved, fresh session: POST /rest/v1/rpc/me with its token, as the app sends it; the answer is left for the app', async () => {
  const { calls, early } = run({ accessToken: 'tok', expiresAt: NOW_S + 3600 })
  expect(calls).toEqual([
    {
      url: 'https://api.example.com/rest/v1/rpc/me',
      init: {
        method: 'POST',
        headers: { apikey: 'anon-key', Authorization: 'Bearer tok', 'Content-Type': 'application/json' },
        body: '{}',
      },
    },
  ])
  expect(early.token).toBe('tok')
  await expect(early.answer).resolves.toEqual({ balance: 1 })
})

test('a refused or failed request leaves null (the app then asks itself)', async () => {
  const fresh = { accessToken: 'tok', expiresAt: NOW_S + 3600 }
  await expect(run(fresh, async () => ({ ok: false, json: async () => ({ message: 'jwt_expired' }) })).early.answer).resolves.toBeNull()
  await expect(run(fresh, () => Promise.reject(new TypeError('Failed to fetch'))).early.answer).resolves.toBeNull()
})

test('no session, a token about to expire (within RENEW_BEFORE_SECONDS), or garbage: no request', () => {
  const dying = { accessToken: 'tok', expiresAt: NOW_S + RENEW_BEFORE_SECONDS }
  expect(run({ ...dying, expiresAt: dying.expiresAt + 1 }).calls).toHaveLength(1)
  for (const saved of [undefined, dying, { expiresAt: NOW_S + 3600 }, '{not json', 'null']) {
    const { calls, early } = run(saved)
    expect([saved, calls, early]).toEqual([saved, [], undefined])
  }
})
