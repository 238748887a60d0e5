import { platformFetch } from '../platform/fetch'
import { setItem } from '../platform/storage'
import { getInviteWxacode } from './wxacode'

jest.mock('../platform/fetch', () => ({ ...jest.requireActual('../platform/fetch'), platformFetch: jest.fn() }))

/** What platformFetch answers (jsdom has no Response): the parts the functions client reads. */
const json = (status: number, body: unknown) =>
  ({ ok: status >= 200 && status < 300, status, json: async () => body }) as unknown as Response

beforeEach(() => {
  jest.resetAllMocks()
  localStorage.clear()
  // a fresh session: no renewal before the call
  setItem(
    'jifen.session',
    JSON.stringify({ accessToken: 'member-jwt', expiresAt: Math.floor(Date.now() / 1000) + 3600, member: { id: 'm' } }),
  )
})

it('POST /functions/v1/wxacode with the member token and {}; the answer as it is', async () => {
  const answer = { url: 'https://x.test/storage/v1/object/sign/wxacode/a.png?token=t', scene: 'ABCD2345', page: 'pages/home/index' }
  jest.mocked(platformFetch).mockResolvedValue(json(200, answer))
  await expect(getInviteWxacode()).resolves.toEqual(answer)
  const [url, init] = jest.mocked(platformFetch).mock.calls[0]
  expect(url).toMatch(/\/functions\/v1\/wxacode$/)
  expect(init).toMatchObject({ method: 'POST', body: '{}' })
  expect((init!.headers as Record<string, string>).Authorization).toBe('Bearer member-jwt')
})

it('a refusal is its code; an answer of another shape is bad_response', async () => {
  jest.mocked(platformFetch).mockResolvedValueOnce(json(502, { message: 'wechat_unavailable' }))
  await expect(getInviteWxacode()).rejects.toMatchObject({ code: 'wechat_unavailable' })
  jest.mocked(platformFetch).mockResolvedValueOnce(json(200, { url: 42 }))
  await expect(getInviteWxacode()).rejects.toMatchObject({ code: 'bad_response' })
})
