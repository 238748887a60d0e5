/**
 * Platform seam (WeChat mini-program): a WHATWG-fetch-compatible function on Taro.request.
 * Taro resolves `./fetch` to this file in the weapp build.
 *
 * `Headers` comes from the `headers-polyfill` package: the mini-program has none. The weapp build
 * also provides it to @supabase/postgrest-js (webpack ProvidePlugin, config/index.ts).
 *
 * Timeout: wx.request gets `timeout` (REQUEST_TIMEOUT_MS + 1 s), so a hung request is closed even where no
 * AbortController exists; the services give up at REQUEST_TIMEOUT_MS with `request_timeout`.
 *
 * Limits: string bodies (what postgrest-js sends) and ArrayBuffer / typed-array bodies (storage-js uploading an
 * avatar) only; wx.request has no PATCH, so callers use POST RPCs for writes.
 */
import Taro from '@tarojs/taro'
import { Headers as HeadersPolyfill } from 'headers-polyfill'

/** The same limit as on H5 (fetch.ts); the services' timer gives up on a request at this point. */
export const REQUEST_TIMEOUT_MS = 15_000

type RequestMethod = NonNullable<Taro.request.Option['method']>

function toHeaderRecord(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  new HeadersPolyfill(init as ConstructorParameters<typeof HeadersPolyfill>[0]).forEach((value, key) => {
    out[key] = value
  })
  return out
}

function abortError(): Error {
  const err = new Error('The operation was aborted.')
  err.name = 'AbortError'
  return err
}

/**
 * What wx.request sends: a string as it is (postgrest-js' JSON), binary bodies as an ArrayBuffer (storage-js'
 * avatar upload: the bytes as the raw body, the Content-Type header says what they are). Nothing else is sent.
 */
function requestData(body: RequestInit['body']): string | ArrayBuffer | undefined {
  if (typeof body === 'string') return body
  if (body instanceof ArrayBuffer) return body
  if (ArrayBuffer.isView(body)) return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer
  return undefined
}

export const platformFetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url
  const method = (init.method ?? 'GET').toUpperCase() as RequestMethod
  const signal = init.signal
  if (signal?.aborted) throw abortError()

  let res: Taro.request.SuccessCallbackResult<string>
  try {
    const task = Taro.request<string>({
      url,
      method,
      header: toHeaderRecord(init.headers),
      data: requestData(init.body),
      // keep the raw text: Response.json()/text() parse it like fetch does
      dataType: 'text',
      responseType: 'text',
      // a backstop a little after the services' timer (which answers request_timeout): the mini-program may
      // lack AbortController, and wx.request's own default is 60 s
      timeout: REQUEST_TIMEOUT_MS + 1000,
    })
    signal?.addEventListener?.('abort', () => task.abort?.())
    res = await task
  } catch (e) {
    if (signal?.aborted) throw abortError()
    const errMsg = (e as { errMsg?: string } | undefined)?.errMsg ?? String(e)
    // fetch rejects with a TypeError on network failure
    throw new TypeError(`Network request failed: ${errMsg}`)
  }

  const status = res.statusCode
  const text = typeof res.data === 'string' ? res.data : res.data == null ? '' : JSON.stringify(res.data)
  const headers = new HeadersPolyfill()
  for (const [key, value] of Object.entries(res.header ?? {})) {
    if (value != null) headers.append(key, String(value))
  }

  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: '',
    url,
    headers,
    text: async () => text,
    json: async () => JSON.parse(text) as unknown,
  } as unknown as Response
}) as typeof fetch
