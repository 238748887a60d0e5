// The counter (issue 16), built for H5, in real Chromium against the local API (a seeded database), two browser
// contexts side by side: the member 林小满 opens her member code (phone size): a Code 128 barcode of 18 digits,
// the digits in groups, the token QR. The bars drawn in the browser decode (ZXing) to the digits shown. The clerk
// 店员王芳 has the award page open, waiting; a keyboard-wedge barcode scanner "types" the digits a few ms apart
// and Enter — no tap — and the member appears (staff_check_member_code, then staff_preview_member); the award
// goes through and the member's balance grows. Also measured: what the extra check costs (check + preview with
// digits against a preview with the token, through the HTTP API). Screenshots: counter-*.png.
import type { Browser, Page } from 'playwright-core'
import type { ApiServer } from '../../stack/server'
import { client, useSeededApi } from '../support/api'
import { decodeCode128, modulesFromRuns } from '../support/barcode'
import { decodeQr, launchChromium, PHONE, serveH5, testH5Build, shoot, signInByPhone, until } from '../support/browser'
import { expectLedgerInvariants, type TestDb } from '../support/db'
import { SEEDED } from '../factories/members'

let db: TestDb
let api: ApiServer
let site: { url: string; close(): Promise<void> }
let browser: Browser
let member: Page
let clerk: Page
const pageErrors: string[] = []

const seededApi = useSeededApi()
beforeAll(async () => {
  ;({ db, api } = seededApi())
  site = await serveH5(await testH5Build(), api.url)
  browser = await launchChromium()
  member = await newPhonePage()
  clerk = await newPhonePage()
}, 420_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

async function newPhonePage(): Promise<Page> {
  const page = await (await browser.newContext(PHONE)).newPage()
  page.on('pageerror', (e) => pageErrors.push(e.message))
  return page
}

const goto = (page: Page, route: string) => page.goto(`${site.url}#${route}`)
const balance = (page: Page) => async () => Number(await page.locator('.home__points').innerText())
const accessToken = (page: Page): Promise<string> =>
  page.evaluate(() => JSON.parse(localStorage.getItem('jifen.session') ?? 'null')?.accessToken)

/** The barcode as the browser laid it out: each block's rendered width and colour → modules → ZXing. */
async function decodeBarcodeOnScreen(page: Page): Promise<string> {
  const { runs, modulePx } = await page.locator('.barcode').evaluate((root) => ({
    modulePx: Number(root.getAttribute('data-module-px')),
    runs: [...root.children].map((el) => ({
      dark: getComputedStyle(el).backgroundColor === 'rgb(0, 0, 0)',
      widthPx: el.getBoundingClientRect().width,
    })),
  }))
  return decodeCode128(modulesFromRuns(runs, modulePx))
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

test('a keyboard-wedge scan of the digits on the member’s screen opens the member on the waiting award page; the award goes through', async () => {
  await signInByPhone(member, site.url, SEEDED.lin.phone)
  const before = await balance(member)()
  await signInByPhone(clerk, site.url, SEEDED.staffWang.phone)
  await goto(clerk, '/staff/award/index')
  await clerk.getByText('请扫描顾客会员码').waitFor()
  await shoot(clerk, 'counter-waiting')

  await goto(member, '/pages/code/index')
  const shown = member.locator('.member-code__digits')
  await shown.waitFor()
  const grouped = await shown.innerText()
  expect(grouped).toMatch(/^9\d{3} \d{4} \d{4} \d{4} \d{2}$/)
  const digits = grouped.replace(/ /g, '')
  expect(await decodeBarcodeOnScreen(member)).toBe(digits)
  expect(await member.locator('.barcode').getAttribute('data-barcode')).toBe(digits)
  expect(await decodeQr(member)).toMatch(/^M1\./) // the token QR is still there
  await shoot(member, 'counter-member-code')

  // the scanner: 18 digits 5 ms apart, then Enter; nothing has the focus, no tap
  const started = Date.now()
  await clerk.keyboard.type(digits, { delay: 5 })
  await clerk.keyboard.press('Enter')
  await clerk.getByText('林小满').waitFor()
  const scanToMemberMs = Date.now() - started
  await clerk.locator('.staff-award__balances').waitFor()
  await shoot(clerk, 'counter-award-member')

  await clerk.locator('input[placeholder="实付金额（元）"]').fill('42')
  await clerk.locator('input[placeholder="小票上的订单号"]').fill('E2E-WEDGE-1')
  await clerk.getByText('确认发放').click()
  await clerk.locator('.taro-model__confirm:visible').click()
  await clerk.locator('.staff-award__result-title', { hasText: '积分已发放' }).waitFor()
  const awarded = Number((await clerk.locator('.staff-award__points').innerText()).replace(/\D/g, ''))
  expect(awarded).toBeGreaterThanOrEqual(42)
  await shoot(clerk, 'counter-award-result')

  const { rows } = await db.admin.query(
    `select p.member_id, a.member_id as checked from public.purchases p
     join private.member_code_attempts a on a.staff_member_id = p.staff_member_id
     where p.order_ref = 'E2E-WEDGE-1'`,
  )
  expect(rows).toEqual([{ member_id: SEEDED.lin.id, checked: SEEDED.lin.id }])
  await goto(member, '/pages/home/index')
  expect(await until(member, balance(member), (b) => b === before + awarded)).toBe(before + awarded)
  // eslint-disable-next-line no-console
  console.log(`counter: wedge scan (18 keys at 5 ms + Enter) → member on screen in ${scanToMemberMs} ms`)
  expect(pageErrors).toEqual([])
  await expectLedgerInvariants(db)
}, 180_000)

test('the extra round trip: check + preview with digits against a preview with the token (HTTP API, median of 15)', async () => {
  const sbMember = client(api, await accessToken(member))
  const sbClerk = client(api, await accessToken(clerk))
  const token: number[] = []
  const digits: number[] = []
  for (let i = 0; i < 15; i++) {
    const { data: code, error } = await sbMember.rpc('issue_member_code')
    expect(error).toBeNull()
    let t = performance.now()
    expect((await sbClerk.rpc('staff_preview_member', { p_member_code: code.token })).error).toBeNull()
    token.push(performance.now() - t)
    t = performance.now()
    expect((await sbClerk.rpc('staff_check_member_code', { p_code: code.digits })).error).toBeNull()
    expect((await sbClerk.rpc('staff_preview_member', { p_member_code: code.digits })).error).toBeNull()
    digits.push(performance.now() - t)
  }
  // eslint-disable-next-line no-console
  console.log(
    `counter: preview with the token ${median(token).toFixed(1)} ms, check + preview with digits ${median(digits).toFixed(1)} ms (medians of 15, local API)`,
  )
  expect(median(digits)).toBeLessThan(median(token) * 4 + 50)
}, 60_000)
