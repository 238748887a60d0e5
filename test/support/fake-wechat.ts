// A loopback stand-in for WeChat's server API, recording every request: cgi-bin/stable_token,
// cgi-bin/message/subscribe/send, wxa/getwxacodeunlimit (a small PNG). Scriptable failures: push onto
// `script.<api>` what the next calls answer — an errcode (40001, 42001, 45009, -1, 43101 …), 'http500' or
// 'timeout' (no answer until the server closes).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { PNG } from 'pngjs'

export type FakeFailure = number | 'http500' | 'timeout'
export type FakeRequest = { path: string; query: URLSearchParams; body: Record<string, unknown> }

/** A small (32×32, the Storage stand-in refuses sides under 16 px) black-and-white PNG. */
export const TINY_PNG: Buffer = (() => {
  const png = new PNG({ width: 32, height: 32 })
  for (let i = 0; i < png.data.length; i += 4) png.data.fill((i / 4) % 3 ? 255 : 0, i, i + 3).fill(255, i + 3, i + 4)
  return PNG.sync.write(png)
})()

export type FakeWechat = {
  url: string
  requests: FakeRequest[]
  script: { token: FakeFailure[]; send: FakeFailure[]; wxacode: FakeFailure[] }
  /** tokens handed out so far (the valid one is the last) */
  tokens: string[]
  of(path: string): FakeRequest[]
  close(): Promise<void>
}

export async function startFakeWechat(opts: { appid?: string; secret?: string } = {}): Promise<FakeWechat> {
  const appid = opts.appid ?? 'wx-test-app'
  const secret = opts.secret ?? 'wx-test-secret'
  const requests: FakeRequest[] = []
  const script: FakeWechat['script'] = { token: [], send: [], wxacode: [] }
  const tokens: string[] = []
  const hanging = new Set<http.ServerResponse>()
  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c) => (raw += c))
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x')
      let body: Record<string, unknown> = {}
      try {
        body = raw ? JSON.parse(raw) : {}
      } catch {
        /* recorded as {} */
      }
      requests.push({ path: url.pathname, query: url.searchParams, body })
      const answer = (status: number, data: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify(data))
      }
      const scripted = (list: FakeFailure[]): boolean => {
        const next = list.shift()
        if (next === undefined) return false
        if (next === 'timeout') hanging.add(res)
        else if (next === 'http500') answer(500, { errcode: -1, errmsg: 'internal error' })
        else answer(200, { errcode: next, errmsg: `scripted ${next}` })
        return true
      }
      const tokenOk = () => {
        const t = url.searchParams.get('access_token')
        if (t && t === tokens[tokens.length - 1]) return true
        answer(200, { errcode: 40001, errmsg: 'invalid credential' })
        return false
      }
      if (url.pathname === '/cgi-bin/stable_token') {
        if (scripted(script.token)) return
        if (body.appid !== appid || body.secret !== secret) return answer(200, { errcode: 40013, errmsg: 'invalid appid' })
        tokens.push(`token-${tokens.length + 1}`)
        return answer(200, { access_token: tokens[tokens.length - 1], expires_in: 7200 })
      }
      if (url.pathname === '/cgi-bin/message/subscribe/send') {
        if (!tokenOk() || scripted(script.send)) return
        return answer(200, { errcode: 0, errmsg: 'ok', msgid: requests.length })
      }
      if (url.pathname === '/wxa/getwxacodeunlimit') {
        if (!tokenOk() || scripted(script.wxacode)) return
        res.writeHead(200, { 'Content-Type': 'image/png' })
        return res.end(TINY_PNG)
      }
      answer(404, { errcode: 404, errmsg: 'not found' })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    script,
    tokens,
    of: (path) => requests.filter((r) => r.path === path),
    close: async () => {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    },
  }
}
