// The screens members expect (issue 17 part 4), built for H5, in real Chromium at phone size against the local API
// (a seeded database): the tab bar (首页 / 商城 / 会员码 / 我的) both ways, with back and reload; 我的消费 with a
// voided purchase; 会员等级 from the tier badge; 积分规则 following a rule changed in the database; the welcome of
// a new member, once. axe-core checks every screen (test/support/axe.ts); screenshots land in screenshots/.
import { randomUUID } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import type { ApiServer } from '../../stack/server'
import { useSeededApi } from '../support/api'
import { expectAccessible } from '../support/axe'
import { launchChromium, PHONE, serveH5, shoot as shootPage, signInByPhone, testH5Build } from '../support/browser'
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
}, 900_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

afterEach(async () => {
  expect(pageErrors).toEqual([])
})

const shoot = (name: string) => shootPage(page, `screens-${name}`)
const tab = (label: string) => page.locator('.weui-tabbar__item', { hasText: label })
/** The page shown now (H5 keeps earlier pages in the document, hidden). */
const shown = (selector: string) => page.locator(`.taro_page:not([style*="display: none"]) ${selector}`).first()

test('a new member: the welcome with the registration bonus, once (dismissed, then reloaded)', async () => {
  await signInByPhone(page, site.url, '13700009901')
  await page.getByText('欢迎加入，新人礼 100 积分已到账').waitFor()
  await shoot('welcome')
  await expectAccessible(page, 'home with the welcome')
  await page.getByText('知道了', { exact: true }).click()
  expect(await page.getByText(/欢迎加入/).count()).toBe(0)
  await page.reload()
  await page.locator('.home__points').waitFor()
  expect(await page.getByText(/欢迎加入/).count()).toBe(0)
})

describe('林小满', () => {
  beforeAll(async () => {
    await page.context().clearCookies()
    await page.evaluate(() => localStorage.clear())
    await signInByPhone(page, site.url, SEEDED.lin.phone)
  })

  test('the tab bar: 首页 → 商城 → 会员码 → 我的 → 首页; reload keeps the tab; back from a screen returns to its tab', async () => {
    expect(await tab('首页').getAttribute('class')).toContain('weui-bar__item_on')
    await expectAccessible(page, 'home')
    await shoot('tab-home')

    await tab('商城').click()
    await shown('.mall__points').waitFor()
    expect(page.url()).toContain('#/pages/mall/index')
    expect(await tab('商城').getAttribute('class')).toContain('weui-bar__item_on')
    await expectAccessible(page, 'mall')
    await shoot('tab-mall')

    await tab('会员码').click()
    await shown('.member-code__nickname').waitFor()
    expect(page.url()).toContain('#/pages/code/index')
    await expectAccessible(page, 'member code')
    await shoot('tab-code')

    await tab('我的').click()
    await shown('.me__nickname').waitFor()
    expect(page.url()).toContain('#/pages/me/index')
    expect(await shown('.me__nickname').innerText()).toBe('林小满')
    await page.getByText('联系客服').waitFor() // H5: the service phone (tel:)
    await expectAccessible(page, 'me')
    await shoot('tab-me')

    // reload on a tab: the same tab, its data, the bar with it selected
    await page.reload()
    await shown('.me__nickname').waitFor()
    expect(await tab('我的').getAttribute('class')).toContain('weui-bar__item_on')

    // a screen opened from a tab has no tab bar; back returns to the tab
    await shown('.me__row:has-text("积分规则")').click()
    await shown('.rules__card').waitFor()
    expect(await page.locator('.taro-tabbar__tabbar').isHidden()).toBe(true)
    await page.goBack()
    await shown('.me__nickname').waitFor()
    expect(await page.locator('.taro-tabbar__tabbar').isVisible()).toBe(true)

    await tab('首页').click()
    await shown('.home__points').waitFor()
    expect(page.url()).toContain('#/pages/home/index')
  })

  test('我的消费: a purchase awarded and one voided, newest first', async () => {
    const code = (await db.call('issue_member_code', {}, { sub: SEEDED.lin.id })).body.token
    const award = (ref: string, fen: number) =>
      db.call(
        'staff_award_purchase',
        { p_member_code: code, p_amount_fen: fen, p_order_ref: ref, p_request_id: randomUUID() },
        { sub: SEEDED.staffWang.id },
      )
    expect((await award('E2E-KEEP-1', 4200)).status).toBe(200)
    expect((await award('E2E-VOID-1', 8800)).status).toBe(200)
    const voided = await db.call(
      'staff_void_purchase',
      { p_order_ref: 'E2E-VOID-1', p_reason: '顾客退货退款' },
      { sub: SEEDED.staffWang.id },
    )
    expect(voided.status).toBe(200)
    await expectLedgerInvariants(db)

    await tab('我的').click()
    await shown('.me__row:has-text("我的消费")').click()
    const voidedCard = shown('.purchases__card:has-text("E2E-VOID-1")')
    await voidedCard.waitFor()
    expect(await voidedCard.innerText()).toContain('已撤销')
    expect(await voidedCard.innerText()).toContain('¥88.00')
    const kept = shown('.purchases__card:has-text("E2E-KEEP-1")')
    expect(await kept.innerText()).toContain('已到账')
    // newest first: the voided one was awarded last
    const refs = await page.locator('.purchases__card').allInnerTexts()
    expect(refs.findIndex((t) => t.includes('E2E-VOID-1'))).toBeLessThan(refs.findIndex((t) => t.includes('E2E-KEEP-1')))
    await expectAccessible(page, '我的消费')
    await shoot('purchases')
    await page.goBack()
    await shown('.me__nickname').waitFor()
  })

  test('会员等级 from the tier badge on home', async () => {
    await tab('首页').click()
    await shown('.home__tier').click()
    await shown('.tiers__step').waitFor()
    expect(await page.locator('.tiers__step').count()).toBe(4)
    expect(await shown('.tiers__step--current').innerText()).toContain('当前')
    await page.getByText('等级规则').waitFor()
    await expectAccessible(page, '会员等级')
    await shoot('tiers')
    await page.goBack()
    await shown('.home__points').waitFor()
  })

  test('消息中心: the bell counts unread messages; opening it shows them newest first and marks them read; a link opens its screen', async () => {
    const enqueue = (kind: string, title: string, body: string, link: string) =>
      db.admin.query(`select private.enqueue_message($1, $2, $3, $4, $5, $6)`, [
        SEEDED.lin.id,
        kind,
        `e2e:${randomUUID()}`,
        title,
        body,
        link,
      ])
    await db.admin.query(`update public.member_messages set read_at = now() where member_id = $1 and read_at is null`, [SEEDED.lin.id])
    await enqueue('voucher_used', '兑换券已核销', '「¥10无门槛券」已在悦享咖啡·静安寺店核销', '/member/redemptions/index')
    await enqueue('points_expiring_7d', '积分即将过期', '您有 5 积分将于 2027-11-25 过期，快去积分商城兑换吧', '/member/history/index')
    await tab('首页').click()
    await page.reload()
    const bell = shown('.message-bell')
    await bell.getByText('2').waitFor()
    expect(await bell.getAttribute('aria-label')).toBe('消息中心，2 条未读')
    await bell.click()
    await shown('.messages__row').waitFor()
    const titles = await page.locator('.taro_page:not([style*="display: none"]) .messages__title').allInnerTexts()
    expect(titles.slice(0, 2)).toEqual(['积分即将过期', '兑换券已核销'])
    expect(await page.locator('.taro_page:not([style*="display: none"]) .messages__unread').count()).toBe(2)
    await expectAccessible(page, '消息中心')
    await shoot('messages')
    expect(
      (
        await db.admin.query(`select count(*)::int as n from public.member_messages where member_id = $1 and read_at is null`, [
          SEEDED.lin.id,
        ])
      ).rows[0].n,
    ).toBe(0)
    await shown('.messages__row--link').click() // the newest: 积分即将过期 → 积分明细
    await shown('.history').waitFor()
    await page.goBack()
    await shown('.messages__row').waitFor()
    await page.goBack()
    await shown('.home__points').waitFor()
    expect(await shown('.message-bell__badge').count()).toBe(0)
  })

  test('积分规则 follows a rule changed in the database', async () => {
    const { rows } = await db.admin.query('select check_in_points from public.point_rules')
    await db.admin.query('update public.point_rules set check_in_points = 7')
    try {
      await page.goto(`${site.url}#/member/rules/index`)
      await page.getByText('每天签到得 7 积分').waitFor()
      await page.getByText('会员日消费双倍积分', { exact: false }).first().waitFor() // the seeded campaign
      await expectAccessible(page, '积分规则')
      await shoot('rules')
    } finally {
      await db.admin.query('update public.point_rules set check_in_points = $1', [rows[0].check_in_points])
    }
  })
})
