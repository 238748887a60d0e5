// Sharing and invitations (issue 17 part 3) in real Chromium at phone size, H5 build against the local API:
// member A opens the invite poster (drawn on a canvas), its QR code decodes to the H5 invite link with A's code,
// and the poster downloads as a PNG carrying the same code; a brand-new member B types A's code on the invite
// page and is bound (a `referrals` row, channel `code`), after a wrong code showed the backend's message.
// axe-core checks every screen; screenshots go to screenshots/sharing-*.png.
import { readFileSync } from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { ApiServer } from '../../stack/server'
import { useSeededApi } from '../support/api'
import { expectAccessible } from '../support/axe'
import { decodeQr, decodeQrPng, launchChromium, PHONE, serveH5, shoot, signInByPhone, testH5Build } from '../support/browser'
import { expectLedgerInvariants, type TestDb } from '../support/db'
import { SEEDED } from '../factories/members'

let db: TestDb
let api: ApiServer
let site: { url: string; close(): Promise<void> }
let browser: Browser
const pageErrors: string[] = []

const seededApi = useSeededApi()
beforeAll(async () => {
  ;({ db, api } = seededApi())
  site = await serveH5(await testH5Build(), api.url)
  browser = await launchChromium()
}, 420_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

async function phonePage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...PHONE, acceptDownloads: true })
  const page = await context.newPage()
  page.on('pageerror', (e) => pageErrors.push(e.message))
  return { context, page }
}

const inviteCodeOf = async (id: string) =>
  (await db.admin.query('select invite_code from public.members where id = $1', [id])).rows[0].invite_code as string

test('member A: the poster carries the H5 invite link with her code, and downloads', async () => {
  const { context, page } = await phonePage()
  try {
    const code = await inviteCodeOf(SEEDED.lin.id)
    await signInByPhone(page, site.url, SEEDED.lin.phone)
    await page.goto(`${site.url}#/member/invite/index`)
    await page.locator('.invite__code').getByText(code).waitFor()
    await shoot(page, 'sharing-invite')
    await expectAccessible(page, 'invite (A)')

    await page.getByText('生成邀请海报', { exact: true }).click()
    const dialog = page.getByRole('dialog', { name: '邀请海报' })
    await dialog.waitFor()
    const image = dialog.locator('img[alt="邀请海报"]')
    await image.waitFor()
    expect(await image.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThanOrEqual(300)
    await dialog.getByText('长按图片保存，或点击下载海报').waitFor()
    await shoot(page, 'sharing-poster')
    await expectAccessible(page, 'poster')

    // the poster's QR code (the image on screen) opens home with A's code, on this site
    const link = await decodeQr(page, '.poster__image')
    expect(link).toBe(`${site.url}#/pages/home/index?inviter=${code}`)

    // 下载海报: a PNG named after the code, whose QR code is the same link
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByText('下载海报', { exact: true }).click()])
    expect(download.suggestedFilename()).toBe(`邀请海报-${code}.png`)
    const png = readFileSync((await download.path())!)
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(await decodeQrPng(page, png)).toBe(link)

    await dialog.getByText('关闭', { exact: true }).click()
    await dialog.waitFor({ state: 'detached' })
    // A was registered long ago: no field to type a code
    expect(await page.getByPlaceholder('输入好友的8位邀请码').count()).toBe(0)
  } finally {
    await context.close()
  }
  expect(pageErrors).toEqual([])
})

test("a brand-new member B types A's code: a wrong one is refused, the right one binds", async () => {
  const { context, page } = await phonePage()
  const phone = `136${String(Date.now()).slice(-8)}`
  try {
    const code = await inviteCodeOf(SEEDED.lin.id)
    const aName = (await db.admin.query('select nickname from public.members where id = $1', [SEEDED.lin.id])).rows[0].nickname as string
    await signInByPhone(page, site.url, phone)
    const b = (await db.admin.query('select id from public.members where phone = $1', [phone])).rows[0].id as string
    await page.goto(`${site.url}#/member/invite/index`)
    const field = page.getByRole('textbox', { name: '好友的邀请码' })
    await field.waitFor()
    await page.getByText(/^请在 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前填写$/).waitFor()
    await shoot(page, 'sharing-bind-field')
    await expectAccessible(page, 'invite (B, may bind)')

    // checked before the call
    await field.fill('abc')
    await page.getByText('确定', { exact: true }).click()
    await page.getByRole('alert').getByText('邀请码为8位，还差5位').waitFor()
    // a well-formed code nobody has: the backend's answer
    await field.fill('ZZZZ2345')
    await page.getByText('确定', { exact: true }).click()
    await page.getByRole('alert').getByText('邀请码不存在，请核对后重试').waitFor()
    await shoot(page, 'sharing-bind-wrong')
    await expectAccessible(page, 'invite (B, wrong code)')
    expect((await db.admin.query('select count(*)::int as n from public.referrals where invitee_id = $1', [b])).rows[0].n).toBe(0)

    // A's code, typed in lower case with a space
    await field.fill(`${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`)
    await page.getByText('确定', { exact: true }).click()
    await page.getByText(`我的邀请人：${aName}`).waitFor()
    expect(await page.getByRole('textbox', { name: '好友的邀请码' }).count()).toBe(0)
    await page.getByText(`已绑定邀请人：${aName}`).waitFor({ state: 'hidden' }) // Taro's toast (its own grey) has gone
    await shoot(page, 'sharing-bound')
    await expectAccessible(page, 'invite (B, bound)')

    const { rows } = await db.admin.query('select referrer_id, channel, status from public.referrals where invitee_id = $1', [b])
    expect(rows).toEqual([{ referrer_id: SEEDED.lin.id, channel: 'code', status: 'pending' }])

    // reloaded, the page still shows the referrer and no field (list_invitees: bind_until is null once bound)
    await page.reload()
    await page.getByText(`我的邀请人：${aName}`).waitFor()
    expect(await page.getByRole('textbox', { name: '好友的邀请码' }).count()).toBe(0)
  } finally {
    await context.close()
  }
  await expectLedgerInvariants(db)
  expect(pageErrors).toEqual([])
})
