// The built H5 app in real Chromium against the local API: the home page shows the seeded program,
// recovers from a failed request with 重试, and renders Chinese text at a phone viewport.
import { rmSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { LOCAL_ANON_KEY } from '../../stack/config'
import type { ApiServer } from '../../stack/server'
import { startTestApi } from '../support/api'
import { buildH5, launchChromium, PHONE, SCREENSHOTS, serveStatic } from '../support/browser'
import { createTestDb, type TestDb } from '../support/db'

let db: TestDb
let api: ApiServer
let site: { url: string; close(): Promise<void> }
let buildDir: string
let browser: Browser
let page: Page

beforeAll(async () => {
  db = await createTestDb()
  await db.seed()
  api = await startTestApi(db)
  buildDir = buildH5(api.url, LOCAL_ANON_KEY)
  site = await serveStatic(buildDir)
  browser = await launchChromium()
  page = await browser.newPage(PHONE)
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await api?.close()
  await db?.drop()
  if (buildDir) rmSync(buildDir, { recursive: true, force: true })
})

test('home shows the program and today’s business day from the local stack', async () => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(site.url)
  await page.getByText('悦享咖啡会员').waitFor()
  const today = (await db.admin.query(`select (now() at time zone 'Asia/Shanghai')::date::text as d`)).rows[0].d
  await page.getByText(`今天 ${today}（Asia/Shanghai 营业日）`).waitFor()
  await page.screenshot({ path: path.join(SCREENSHOTS, 'h5-home.png') })
  // nothing wider than the phone
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  expect(errors).toEqual([])
})

test('a failed request shows the Chinese error and 重试 recovers', async () => {
  await page.route('**/rest/v1/rpc/get_program', (route) => route.abort('connectionrefused'))
  await page.reload()
  await page.getByText('网络连接失败，请检查网络后重试').waitFor()
  await page.screenshot({ path: path.join(SCREENSHOTS, 'h5-home-error.png') })
  await page.unroute('**/rest/v1/rpc/get_program')
  await page.getByText('重试', { exact: true }).click()
  await page.getByText('悦享咖啡会员').waitFor()
})
