/**
 * Screenshots of the main screens at phone size, for comparing two H5 builds by eye and by pixel (the theme
 * work: the default theme must look as before, another `$brand` must change only the brand colour).
 *
 *   tsx test/theme-screens.ts shoot <h5 build dir> <name> <api url>   → screenshots/theme/<name>/<screen>.png
 *   tsx test/theme-screens.ts diff <name a> <name b>                   → screenshots/theme/diff-<a>-<b>/<screen>.png
 *
 * The build: `taro build --type h5` with `TARO_OUTPUT_ROOT=<dir>`, the browser tests' placeholder API URL
 * (`serveH5` swaps it for <api url>) and `ALLOW_UNCONFIGURED_BUILD=1`; `THEME_BRAND=#0a7cff` builds the app with
 * another brand colour (config/index.ts). The API: a local stack with the seed data (`npm run stack`).
 * Not part of `npm test`: a tool for a person who then looks at the pictures.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchChromium, PHONE, SCREENSHOTS, serveH5, signInByPhone } from './support/browser'

const OUT = path.join(SCREENSHOTS, 'theme')

type Screen = { name: string; phone: string; open: (page: Page, url: string) => Promise<void>; ready: string }

const go = (hash: string) => async (page: Page, url: string) => {
  await page.goto(`${url}#/${hash}`)
}

const SCREENS: Screen[] = [
  { name: 'home', phone: '13800000001', open: go('pages/home/index'), ready: '.home__points' },
  { name: 'checkin', phone: '13800000001', open: go('member/checkin/index'), ready: '.checkin__day-number' },
  { name: 'tasks', phone: '13800000001', open: go('member/tasks/index'), ready: '.tasks__task' },
  { name: 'mall', phone: '13800000001', open: go('pages/mall/index'), ready: '.mall-card' },
  {
    name: 'item',
    phone: '13800000001',
    open: async (page, url) => {
      await page.goto(`${url}#/pages/mall/index`)
      await page.locator('.mall-card').first().click()
    },
    ready: '.item__title',
  },
  { name: 'redemptions', phone: '13800000001', open: go('member/redemptions/index'), ready: '.voucher' },
  { name: 'history', phone: '13800000001', open: go('member/history/index'), ready: '.history__row' },
  { name: 'invite', phone: '13800000001', open: go('member/invite/index'), ready: '.invite__code' },
  { name: 'code', phone: '13800000001', open: go('pages/code/index'), ready: '.member-code__qr' },
  { name: 'profile', phone: '13800000001', open: go('member/profile/index'), ready: '.profile__nickname' },
  { name: 'staff-home', phone: '13900000001', open: go('staff/home/index'), ready: '.staff-home__store' },
  { name: 'staff-actions', phone: '13900000001', open: go('staff/actions/index'), ready: '.staff-actions__row' },
  { name: 'dashboard', phone: '13900000002', open: go('manager/dashboard/index'), ready: '.dashboard__top-row' },
  { name: 'signed-out', phone: '', open: go('pages/home/index'), ready: '.login-card__input' },
]

async function signIn(browser: Browser, url: string, phone: string) {
  const page = await (await browser.newContext(PHONE)).newPage()
  if (phone) await signInByPhone(page, url, phone)
  else await page.goto(url)
  return page
}

async function shootAll(dir: string, name: string, apiUrl: string) {
  const site = await serveH5(path.resolve(dir), apiUrl)
  const browser = await launchChromium()
  mkdirSync(path.join(OUT, name), { recursive: true })
  const pages = new Map<string, Page>()
  try {
    for (const screen of SCREENS) {
      let page = pages.get(screen.phone)
      if (!page) pages.set(screen.phone, (page = await signIn(browser, site.url, screen.phone)))
      await screen.open(page, site.url)
      await page.locator(screen.ready).first().waitFor({ timeout: 15_000 })
      await page.waitForLoadState('networkidle')
      await page.waitForTimeout(800) // page transition, charts
      // no blinking caret, no running transition in the picture
      await page.addStyleTag({ content: '*{caret-color:transparent!important;transition:none!important;animation:none!important}' })
      const file = path.join(OUT, name, `${screen.name}.png`)
      await page.screenshot({ path: file })
      console.log(file)
    }
  } finally {
    await browser.close()
    await site.close()
  }
}

/** Compares two sets of screenshots pixel by pixel in Chromium's canvas (no image package needed). */
async function diffAll(a: string, b: string) {
  const out = path.join(OUT, `diff-${a}-${b}`)
  mkdirSync(out, { recursive: true })
  const browser = await launchChromium()
  const page = await browser.newPage()
  // tsx compiles the function below with esbuild's name-keeping helper, which the page does not have
  await page.evaluate('window.__name = (f) => f')
  try {
    for (const file of readdirSync(path.join(OUT, a)).filter((f) => f.endsWith('.png'))) {
      const url = (name: string) => `data:image/png;base64,${readFileSync(path.join(OUT, name, file)).toString('base64')}`
      const res = await page.evaluate(
        async ([ua, ub]) => {
          const load = (src: string) =>
            new Promise<HTMLImageElement>((resolve, reject) => {
              const img = new Image()
              img.onload = () => resolve(img)
              img.onerror = reject
              img.src = src
            })
          const [ia, ib] = await Promise.all([load(ua), load(ub)])
          if (ia.width !== ib.width || ia.height !== ib.height) return { sizes: `${ia.width}x${ia.height} vs ${ib.width}x${ib.height}` }
          const pixels = (img: HTMLImageElement) => {
            const c = document.createElement('canvas')
            c.width = img.width
            c.height = img.height
            const ctx = c.getContext('2d')!
            ctx.drawImage(img, 0, 0)
            return ctx.getImageData(0, 0, c.width, c.height)
          }
          const pa = pixels(ia)
          const pb = pixels(ib)
          const c = document.createElement('canvas')
          c.width = ia.width
          c.height = ia.height
          const ctx = c.getContext('2d')!
          const diff = ctx.createImageData(c.width, c.height)
          let changed = 0
          let maxDelta = 0
          for (let i = 0; i < pa.data.length; i += 4) {
            let d = 0
            for (let k = 0; k < 3; k++) d = Math.max(d, Math.abs(pa.data[i + k] - pb.data[i + k]))
            maxDelta = Math.max(maxDelta, d)
            // changed pixels red, the rest a faint copy of the first picture
            const grey = 255 - (255 - pa.data[i + 1]) / 4
            diff.data.set(d ? [255, 0, 0, 255] : [grey, grey, grey, 255], i)
            if (d) changed++
          }
          ctx.putImageData(diff, 0, 0)
          return { changed, maxDelta, png: c.toDataURL('image/png') }
        },
        [url(a), url(b)] as const,
      )
      if ('sizes' in res) {
        console.log(`${file}: sizes differ (${res.sizes})`)
        continue
      }
      writeFileSync(path.join(out, file), Buffer.from(res.png!.split(',')[1], 'base64'))
      console.log(`${file}: ${res.changed} pixels differ (largest channel difference ${res.maxDelta})`)
    }
  } finally {
    await browser.close()
  }
}

const [cmd, ...args] = process.argv.slice(2)
if (cmd === 'shoot' && args.length === 3) {
  shootAll(args[0], args[1], args[2]).catch((err) => {
    console.error(err)
    process.exit(1)
  })
} else if (cmd === 'diff' && args.length === 2) {
  diffAll(args[0], args[1]).catch((err) => {
    console.error(err)
    process.exit(1)
  })
} else {
  console.error('usage: tsx test/theme-screens.ts shoot <h5 dir> <name> <api url> | diff <name a> <name b>')
  process.exit(2)
}
