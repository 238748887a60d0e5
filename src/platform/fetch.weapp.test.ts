import Taro from '@tarojs/taro'

import { platformFetch } from './fetch.weapp'

type RequestOption = Taro.request.Option<string>

let requestMock: jest.SpyInstance

function respond(result: Partial<Taro.request.SuccessCallbackResult<string>>) {
  requestMock.mockImplementation(() =>
    Object.assign(Promise.resolve({ statusCode: 200, header: {}, data: '', errMsg: 'request:ok', ...result }), {
      abort: jest.fn(),
    }),
  )
}

beforeEach(() => {
  requestMock = jest.spyOn(Taro, 'request')
})
afterEach(() => requestMock.mockRestore())

it('maps method, headers and body onto Taro.request', async () => {
  respond({ data: '{}' })
  await platformFetch('https://example.test/rest/v1/rpc/check_in', {
    method: 'post',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' },
    body: '{"a":1}',
  })

  expect(requestMock).toHaveBeenCalledTimes(1)
  const option = requestMock.mock.calls[0][0] as RequestOption
  expect(option).toMatchObject({
    url: 'https://example.test/rest/v1/rpc/check_in',
    method: 'POST',
    header: { 'content-type': 'application/json', authorization: 'Bearer t' },
    data: '{"a":1}',
    dataType: 'text',
    responseType: 'text',
    timeout: 16_000, // a backstop 1 s after the services' 15 s limit (request_timeout)
  })
})

it('accepts a Headers instance and defaults to GET without a body', async () => {
  respond({ data: '[]' })
  await platformFetch(new URL('https://example.test/rest/v1/items?select=*'), {
    headers: new Headers([['Accept', 'application/json']]),
  })
  const option = requestMock.mock.calls[0][0] as RequestOption
  expect(option).toMatchObject({
    url: 'https://example.test/rest/v1/items?select=*',
    method: 'GET',
    header: { accept: 'application/json' },
  })
  expect(option.data).toBeUndefined()
})

it('returns a fetch-like response', async () => {
  respond({ statusCode: 201, data: '{"ok":true}', header: { 'Content-Range': '0-0/1', 'X-Count': 3 } })
  const res = await platformFetch('https://example.test/x', { method: 'POST', body: '{}' })
  expect(res.ok).toBe(true)
  expect(res.status).toBe(201)
  expect(res.headers.get('content-range')).toBe('0-0/1')
  expect(res.headers.get('x-count')).toBe('3')
  expect(await res.text()).toBe('{"ok":true}')
  expect(await res.json()).toEqual({ ok: true })
})

it('reports HTTP errors as not ok and keeps the body', async () => {
  respond({ statusCode: 400, data: '{"message":"already_checked_in"}' })
  const res = await platformFetch('https://example.test/x', { method: 'POST', body: '{}' })
  expect(res.ok).toBe(false)
  expect(res.status).toBe(400)
  expect(await res.json()).toEqual({ message: 'already_checked_in' })
})

it('stringifies an object body if the runtime parsed it anyway', async () => {
  respond({ data: { a: 1 } as unknown as string })
  const res = await platformFetch('https://example.test/x')
  expect(await res.text()).toBe('{"a":1}')
})

it('rejects with a TypeError when the request fails', async () => {
  requestMock.mockImplementation(() => Object.assign(Promise.reject({ errMsg: 'request:fail timeout' }), { abort: jest.fn() }))
  await expect(platformFetch('https://example.test/x')).rejects.toThrow(TypeError)
  await expect(platformFetch('https://example.test/x')).rejects.toThrow('request:fail timeout')
})

it('rejects with an AbortError for an aborted signal', async () => {
  const controller = new AbortController()
  controller.abort()
  await expect(platformFetch('https://example.test/x', { signal: controller.signal })).rejects.toMatchObject({
    name: 'AbortError',
  })
  expect(requestMock).not.toHaveBeenCalled()
})

it('sends binary bodies (storage-js uploading an avatar) as an ArrayBuffer; other bodies not at all', async () => {
  respond({ data: '{"Key":"avatars/x.jpg"}' })
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])
  await platformFetch('https://example.test/storage/v1/object/avatars/x.jpg', { method: 'POST', body: bytes.buffer })
  const sent = (requestMock.mock.calls[0][0] as { data: ArrayBuffer }).data
  expect(sent).toBeInstanceOf(ArrayBuffer)
  expect([...new Uint8Array(sent)]).toEqual([...bytes])

  // a view of part of a buffer sends only that part
  const whole = new Uint8Array([9, 9, 1, 2, 3, 9])
  await platformFetch('https://example.test/storage/v1/object/avatars/y.jpg', { method: 'POST', body: whole.subarray(2, 5) })
  expect([...new Uint8Array((requestMock.mock.calls[1][0] as { data: ArrayBuffer }).data)]).toEqual([1, 2, 3])

  await platformFetch('https://example.test/x', { method: 'POST', body: new URLSearchParams('a=1') })
  expect((requestMock.mock.calls[2][0] as { data?: unknown }).data).toBeUndefined()
})
