// Real Chromium (Debian's package) driven by playwright-core, the H5 test build, and its static server (stack/h5-site.ts).
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import jsQR from 'jsqr'
import { chromium, type Browser, type Page } from 'playwright-core'
import { ROOT } from '../../stack/config'
import { buildLocalH5, serveH5 } from '../../stack/h5-site'
import { expectAccessible } from './axe'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOTS = path.join(ROOT, 'screenshots')
/** A phone viewport (iPhone 12-ish) for every screenshot. */
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

/**
 * Headless Chromium. `fakeCamera`: a .y4m video file every page's camera (getUserMedia) shows instead of a
 * device, without asking for permission — Chromium opens it when a page starts the camera, so the test may
 * write it just before.
 */
export async function launchChromium(opts: { fakeCamera?: string } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`)
  mkdirSync(SCREENSHOTS, { recursive: true })
  const camera = opts.fakeCamera
    ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${opts.fakeCamera}`]
    : []
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...camera,
    ],
  })
}

/**
 * Screenshot `page` as screenshots/<name>.png, check nothing is wider than the phone, and run axe-core on it
 * (`expectAccessible`: no serious or critical violation): every screen a test shows is checked (issue 17).
 */
export async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300) // let fonts and the last layout settle
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.viewport.width)
  await expectAccessible(page, name)
}

/** The QR code on screen (the first visible `selector`, by default `.qr-code`), as pixels, decoded with jsQR in Node. */
export async function decodeQr(page: Page, selector = '.qr-code'): Promise<string> {
  // the one on screen: tab pages (会员码) stay in the document, hidden, once opened
  const qr = page.locator(selector).locator('visible=true').first()
  await qr.waitFor()
  await page.waitForTimeout(500) // the page may still be settling (router transition, first refresh)
  return decodeQrPng(page, await qr.screenshot())
}

/** The QR code in a PNG (a screenshot, a downloaded file), decoded with jsQR in Node; the page decodes the PNG. */
export async function decodeQrPng(page: Page, png: Buffer): Promise<string> {
  const img = await page.evaluate(async (b64) => {
    const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob()
    const bmp = await createImageBitmap(blob)
    const canvas = new OffscreenCanvas(bmp.width, bmp.height)
    const ctx = canvas.getContext('2d')!
    ctx.drawImage(bmp, 0, 0)
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height)
    // the pixels back as base64, not as a JSON array of a million numbers (that took over a minute on a
    // loaded machine, longer than the member code it was reading lives)
    let binary = ''
    for (let i = 0; i < d.data.length; i += 0x8000) binary += String.fromCharCode(...d.data.subarray(i, i + 0x8000))
    return { width: d.width, height: d.height, rgba: btoa(binary) }
  }, png.toString('base64'))
  const result = jsQR(new Uint8ClampedArray(Buffer.from(img.rgba, 'base64')), img.width, img.height)
  if (!result) throw new Error('the QR code on screen does not decode')
  return result.data
}

/** Wait until `read()` satisfies `ok` (a page updates after its request answers); the last value either way. */
export async function until<T>(page: Page, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (ok(value) || Date.now() > deadline) return value
    await page.waitForTimeout(100)
  }
}

/** The H5 app's dev sign-in (the local stack) with a seeded phone; resolves on the member home. */
export async function signInByPhone(page: Page, siteUrl: string, phone: string): Promise<void> {
  await page.goto(siteUrl)
  await page.locator('input[placeholder="请输入手机号"]').fill(phone)
  await page.getByText('登录', { exact: true }).click()
  await page.locator('.home__points').waitFor()
}

/**
 * The H5 app, built for production once per test run and shared by the e2e files (a build takes about a
 * minute): `<run temp dir>/h5`, made by whichever file asks first; the others wait for it.
 */
export async function testH5Build(): Promise<string> {
  const runDir = process.env.JIFEN_TEST_RUN_DIR
  if (!runDir) throw new Error('JIFEN_TEST_RUN_DIR is not set: run through jest (globalSetup creates it)')
  const out = path.join(runDir, 'h5')
  const lock = `${out}.building`
  const built = () => existsSync(path.join(out, 'index.html'))
  if (built()) return out
  try {
    mkdirSync(lock) // atomic: one builder
  } catch {
    while (existsSync(lock)) await new Promise((r) => setTimeout(r, 500))
    if (!built()) throw new Error('the shared H5 build failed in another test file')
    return out
  }
  try {
    // the placeholder API address that serveH5 swaps (stack/h5-site.ts)
    buildLocalH5(out, { TARO_APP_SERVICE_PHONE: '400-820-0000' }) // 联系客服's tel: link (screens.e2e.test.ts)
    return out
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

export { serveH5 }
