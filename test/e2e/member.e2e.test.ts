// The member app, built for H5, in real Chromium against the local API (a seeded database): dev login as
// 林小满 → check in → the balance grows → redeem the ¥10 coupon → the voucher QR on screen decodes to a code
// that staff_verify_redemption accepts; the member-code QR decodes to a token that staff_preview_member
// accepts. Every screen is screenshotted at a phone viewport (screenshots/, git-ignored) and checked for
// horizontal overflow and page errors.
import type { Browser, Page } from 'playwright-core'
import type { ApiServer } from '../../stack/server'
import { useSeededApi } from '../support/api'
import { decodeQr as decodeQrOn, launchChromium, PHONE, serveH5, testH5Build, shoot as shootPage, until } from '../support/browser'
import { expectLedgerInvariants, type TestDb } from '../support/db'
import { SEEDED } from '../factories/members'

let db: TestDb
let api: ApiServer
let site: { url: string; close(): Promise<void> }
let browser: Browser
let page: Page
const pageErrors: string[] = []

const seededApi = useSeededApi()
beforeAll(async () => {
  ;({ db, api } = seededApi())
  site = await serveH5(await testH5Build(), api.url)
  browser = await launchChromium()
  page = await browser.newPage(PHONE)
  page.on('pageerror', (e) => pageErrors.push(e.message))
}, 420_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

const shoot = (name: string) => shootPage(page, `member-${name}`)
const decodeQr = () => decodeQrOn(page)

const goto = async (route: string) => {
  await page.goto(`${site.url}#${route}`)
}

const balance = async () => Number(await page.locator('.home__points').innerText())

test('log in, check in, redeem, and the voucher QR is accepted by staff', async () => {
  await page.goto(site.url)
  await page.getByText('登录会员').waitFor()
  await shoot('login')
  await page.locator('input[placeholder="请输入手机号"]').fill(SEEDED.lin.phone)
  await page.getByText('登录', { exact: true }).click()
  await page.locator('.home__points').waitFor()
  const before = await balance()
  await shoot('home')

  await page.getByText('签到领积分').click()
  await page.getByText('今日已签到').waitFor()
  expect(await until(page, balance, (b) => b >= before + 5)).toBeGreaterThanOrEqual(before + 5)
  const afterCheckIn = await balance()

  await page.getByText('积分商城').click()
  await page.getByText('¥10无门槛券').first().waitFor()
  await shoot('mall')
  await page.getByText('¥10无门槛券').first().click()
  await page.getByText('立即兑换').waitFor()
  await shoot('item')
  await page.getByText('立即兑换').click()
  await page.getByText('确定', { exact: true }).click()
  // 我的兑换: the new voucher is the newest; open it
  await page.locator('.redemptions__card').first().click()
  const voucher = await decodeQr()
  expect(voucher).toMatch(/^\d{12}$/)
  await shoot('redemptions')

  const verify = await db.call('staff_verify_redemption', { p_voucher_code: voucher, p_confirm: true }, { sub: SEEDED.staffWang.id })
  expect(verify.status).toBe(200)
  expect(verify.body).toMatchObject({ status: 'verified', cost_points: 100 })

  await goto('/pages/home/index')
  expect(await until(page, balance, (b) => b === afterCheckIn - 100)).toBe(afterCheckIn - 100)
})

test('the member code QR decodes to a token staff can preview', async () => {
  await goto('/member/code/index')
  const token = await decodeQr()
  expect(token).toMatch(/^M1\./)
  await shoot('code')
  const preview = await db.call('staff_preview_member', { p_member_code: token }, { sub: SEEDED.staffWang.id })
  expect(preview.status).toBe(200)
  expect(preview.body).toMatchObject({ nickname: '林小满', is_self: false })
})

test.each([
  ['checkin', '/member/checkin/index', '已连续签到'],
  ['tasks', '/member/tasks/index', '新手任务'],
  ['history', '/member/history/index', '过期计划'],
  ['invite', '/member/invite/index', '复制邀请码'],
  ['profile', '/member/profile/index', '退出登录'],
])('%s renders with its data', async (name, route, text) => {
  await goto(route)
  await page.getByText(text).first().waitFor()
  await shoot(name)
})

test('个人资料: a nickname of Hangul fillers is refused with the Chinese message and nothing is saved', async () => {
  await goto('/member/profile/index')
  const nickname = page.locator('input[placeholder="1–32 个字"]')
  await nickname.waitFor()
  await nickname.fill('\u3164\u3164')
  await page.getByText('保存', { exact: true }).click()
  await page.getByText('昵称需为1–32个可见字符').waitFor()
  await shoot('profile-invisible-nickname')
  const saved = await db.admin.query('select nickname from public.members where id = $1', [SEEDED.lin.id])
  expect(saved.rows[0].nickname).toBe('林小满')
})

test('no page errors, and the ledger is intact', async () => {
  expect(pageErrors).toEqual([])
  await expectLedgerInvariants(db)
})
