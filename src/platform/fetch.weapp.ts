/**
 * Platform seam (WeChat mini-program): a WHATWG-fetch-compatible function on Taro.request.
 * Taro resolves `./fetch` to this file in the weapp build.
 *
 * `Headers` comes from the `headers-polyfill` package: the mini-program has none. The weapp build
 * also provides it to @supabase/postgrest-js (webpack ProvidePlugin, config/index.ts).
 *
 * Limits: string bodies only (what postgrest-js sends); wx.request has no PATCH, so callers use
 * POST RPCs for writes.
 */
import Taro from '@tarojs/taro'
import { Headers as HeadersPolyfill } from 'headers-polyfill'

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
      data: typeof init.body === 'string' ? init.body : undefined,
      // keep the raw text: Response.json()/text() parse it like fetch does
      dataType: 'text',
      responseType: 'text',
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
