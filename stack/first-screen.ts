// npm run size:3g — how long the H5 app's first screen takes on a slow phone network (issue 17: home rendered
// with the member's data in < 2 s under Chromium's Fast 3G with a cold cache). A figure for
// docs/performance.md, not a timed test.
//
// 1. Builds the H5 app for production into a temp folder (as the e2e tests do: a placeholder API address that
//    the server below swaps for the local one, the local anon key), unless H5_DIR names such a build.
// 2. Starts a throwaway local stack (embedded Postgres in a temp folder, migrations, seed; API on a free port).
// 3. Serves the build gzip-compressed (as any CDN or static host does) from a local server.
// 4. In Chromium at phone size: signs the seeded member 林小满 in (unthrottled), then per run: a cold cache
//    (`Network.clearBrowserCache`, `Network.setCacheDisabled`), DevTools' Fast 3G preset through
//    `Network.emulateNetworkConditions`, a fresh load of the site, and the time until home shows her balance
//    (`.home__points` with a number), from the navigation's start. The session stays in localStorage, as for a
//    member who comes back.
// Prints each run, the median, the bytes transferred (JS, CSS, API, other) and the request waterfall of the
// last run. RUNS (5), H5_DIR (an existing build; H5_API_URL: the API address baked into it, if not the
// placeholder), FIRST_SCREEN_TRACE=1 (every request with its start and end).
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { stackConfig } from './config'
import { buildLocalH5, serveH5 } from './h5-site'
import { freePort } from './net'
import { startStack } from './stack'
import { tempDirForPostgres } from './tmp'

/**
 * Chrome DevTools' "Fast 3G" preset (front_end/core/sdk/NetworkManager.ts, `Fast3GConditions`; Lighthouse's
 * "mobile slow 4G" uses the same numbers): 1.6 Mbit/s down and 750 kbit/s up at 90 %, 150 ms RTT × 3.75 —
 * 180,000 B/s down, 84,375 B/s up, 562.5 ms latency added to every request.
 */
export const FAST_3G = {
  offline: false,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
  latency: 150 * 3.75,
}

const MEMBER_PHONE = '13800000001' // 林小满 (supabase/seed.sql)
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

interface Request {
  url: string
  type: string
  start: number
  end?: number
  bytes: number
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function main() {
  const runs = Number(process.env.RUNS ?? 5)
  const tmp = tempDirForPostgres('jifen-first-screen-')
  let h5Dir = process.env.H5_DIR
  if (!h5Dir) {
    h5Dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'jifen-first-screen-h5-')), 'h5')
    console.log('building H5 (production) …')
    buildLocalH5(h5Dir)
  }
  const cfg = {
    ...stackConfig(),
    dataDir: path.join(tmp, 'db'),
    storageDir: path.join(tmp, 'storage'),
    dbPort: await freePort(),
    apiPort: await freePort(),
    jobsIntervalMs: 0,
  }
  const stack = await startStack(cfg, () => {})
  const site = await serveH5(h5Dir, stack.api.url, { gzip: true, builtWith: process.env.H5_API_URL })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  try {
    const context = await browser.newContext(PHONE)
    const page = await context.newPage()
    await page.goto(site.url)
    await page.locator('input[placeholder="请输入手机号"]').fill(MEMBER_PHONE)
    await page.getByText('登录', { exact: true }).click()
    await page.locator('.home__points').waitFor()

    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    let requests = new Map<string, Request>()
    cdp.on('Network.requestWillBeSent', (e) => {
      requests.set(e.requestId, { url: e.request.url, type: e.type ?? 'Other', start: e.timestamp, bytes: 0 })
    })
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId)
      if (r) Object.assign(r, { end: e.timestamp, bytes: e.encodedDataLength })
    })

    const times: number[] = []
    let last: Request[] = []
    let navStart = 0
    for (let i = 0; i < runs; i++) {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
      await page.goto('about:blank')
      await cdp.send('Network.clearBrowserCache')
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
      await cdp.send('Network.emulateNetworkConditions', FAST_3G)
      requests = new Map()
      const t0 = Date.now()
      await page.goto(site.url, { waitUntil: 'commit' })
      await page.waitForFunction(() => /^\d+$/.test(document.querySelector('.home__points')?.textContent?.trim() ?? ''), null, {
        timeout: 60_000,
        polling: 20,
      })
      const ms = Date.now() - t0
      times.push(ms)
      last = [...requests.values()]
      navStart = Math.min(...last.map((r) => r.start))
      console.log(`run ${i + 1}: home with the balance after ${ms} ms`)
    }

    const origin = new URL(site.url).origin
    const sum = (f: (r: Request) => boolean) => last.filter(f).reduce((n, r) => n + r.bytes, 0)
    const isSite = (r: Request) => r.url.startsWith(origin)
    const js = sum((r) => isSite(r) && r.url.endsWith('.js'))
    const css = sum((r) => isSite(r) && r.url.endsWith('.css'))
    const api = sum((r) => r.url.startsWith(stack.api.url))
    const documentBytes = sum((r) => r.type === 'Document')
    const other = sum((r) => !(isSite(r) && /\.(js|css)$/.test(r.url)) && r.type !== 'Document' && !r.url.startsWith(stack.api.url))
    console.log(
      `\nFast 3G (DevTools preset: ${FAST_3G.downloadThroughput} B/s down, ${FAST_3G.uploadThroughput} B/s up, ` +
        `${FAST_3G.latency} ms latency), cold cache, signed-in member: median ${median(times)} ms over ${runs} runs ` +
        `(${times.join(', ')})`,
    )
    console.log(
      `transferred (last run): index.html ${kb(documentBytes)} (with the inline JS and CSS), JS files ${kb(js)}, CSS files ${kb(css)}, ` +
        `API ${kb(api)}, other ${kb(other)}; ${last.length} requests`,
    )
    if (process.env.FIRST_SCREEN_TRACE) {
      console.log('\nwaterfall (ms from the first request):')
      for (const r of last.sort((a, b) => a.start - b.start)) {
        const from = Math.round((r.start - navStart) * 1000)
        const to = r.end ? Math.round((r.end - navStart) * 1000) : NaN
        console.log(
          `  ${String(from).padStart(5)} → ${String(to).padStart(5)}  ${kb(r.bytes).padStart(9)}  ${r.url.replace(origin, '').replace(stack.api.url, 'API')}`,
        )
      }
    }
  } finally {
    await browser.close()
    await site.close()
    await stack.stop()
    rmSync(tmp, { recursive: true, force: true })
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err)
      process.exit(1)
    },
  )
}
