// The operator console (console/, Vite + antd), built for production, in real Chromium at 1280×800 against the
// local API over a seeded database. The seeded operator 运营赵敏 signs in; a clerk is refused the console. The
// operator creates an item with a picture (uploaded to Storage) and publishes it, starts a ×2 check-in
// campaign; a member in a second browser context (the H5 app at phone size) sees the item and gets the campaign
// bonus when she checks in. A large adjustment by operator 1 waits for a second operator, whom operator 1 cannot
// replace; the second one approves and the member's balance changes. The ledger of the month downloads as CSV (once the export RPCs are there). Bad input shows the backend's message and
// changes nothing; a dead API shows an error with 重试; a reload keeps the session; sign-out ends it. Every
// screen, drawer and modal is screenshotted into screenshots/console/.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { addOperator } from '../../stack/operator'
import type { ApiServer } from '../../stack/server'
import { useSeededApi } from '../support/api'
import { launchChromium, PHONE, serveH5, signInByPhone, testH5Build, until } from '../support/browser'
import { expectAccessible } from '../support/axe'
import { CONSOLE_SCREENSHOTS, DESKTOP, shootConsole, testConsoleBuild } from '../support/console'
import { balanceOf, SEEDED } from '../factories/members'
import { expectLedgerInvariants, type TestDb } from '../support/db'

let db: TestDb
let api: ApiServer
let consoleSite: { url: string; close(): Promise<void> }
let h5Site: { url: string; close(): Promise<void> }
let browser: Browser
const contexts: BrowserContext[] = []
const pageErrors: string[] = []
let op: Page

const ITEM_TITLE = 'E2E会员日咖啡券'
const CAMPAIGN_NAME = 'E2E签到双倍'
const MEMBER_PHONE = '13700000777'
const SECOND_OPERATOR_PHONE = '13700000999'

const seededApi = useSeededApi()
beforeAll(async () => {
  ;({ db, api } = seededApi())
  const [consoleDir, h5Dir] = await Promise.all([testConsoleBuild(), testH5Build()])
  consoleSite = await serveH5(consoleDir, api.url)
  h5Site = await serveH5(h5Dir, api.url)
  browser = await launchChromium()
  op = await newPage(DESKTOP)
}, 420_000)

afterAll(async () => {
  await browser?.close()
  await consoleSite?.close()
  await h5Site?.close()
})

afterEach(() => {
  expect(pageErrors).toEqual([])
})

/** A page in its own browser context: its own storage, so its own signed-in account. */
async function newPage(options: typeof DESKTOP | typeof PHONE): Promise<Page> {
  const context = await browser.newContext(options)
  context.setDefaultTimeout(20_000) // a missing element fails the step, not the whole test's time
  contexts.push(context)
  const page = await context.newPage()
  page.on('pageerror', (e) => pageErrors.push(e.message))
  return page
}

async function signIn(page: Page, phone: string): Promise<void> {
  await page.goto(consoleSite.url)
  await page.locator('input[placeholder="请输入手机号"]').fill(phone)
  await page.getByRole('button', { name: '登录' }).click()
}

const menu = (page: Page, label: string) => page.locator('.ant-menu-item', { hasText: label }).click()
/** The open drawer / modal (antd keeps closed ones in the DOM, hidden). */
const drawer = (page: Page) => page.locator('.ant-drawer-open .ant-drawer-section')
const modal = (page: Page) => page.locator('.ant-modal-wrap:visible .ant-modal')
/** Picks an option of the antd Select in the form item labelled `label` of `scope`. */
async function pick(page: Page, scope: ReturnType<typeof drawer>, label: string, option: string): Promise<void> {
  await scope
    .locator('.ant-form-item', { has: page.locator(`label:text-is("${label}")`) })
    .locator('.ant-select')
    .click()
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click()
}

/** A drawer's form sent: its success message shows and the drawer closes (else: the form's problem, if any). */
async function submitted(page: Page, success: string | RegExp): Promise<void> {
  try {
    await page.getByText(success).first().waitFor()
    expect(
      await until(
        page,
        () => page.locator('.ant-drawer-open').count(),
        (n) => n === 0,
      ),
    ).toBe(0)
  } catch (e) {
    const problem = await page.locator('.ant-drawer-open [role=alert]').allInnerTexts()
    throw new Error(`not submitted (${problem.join(' / ') || 'no problem shown'}): ${String(e)}`)
  }
}

/** A PNG for the item's picture (480×360), drawn by the browser. */
async function picture(page: Page): Promise<Buffer> {
  const canvas = await page.context().newPage()
  try {
    await canvas.setContent(
      '<div style="width:480px;height:360px;display:flex;align-items:center;justify-content:center;' +
        'background:linear-gradient(135deg,#6f4e37,#c69c6d);color:#fff;font:bold 96px sans-serif">咖啡</div>',
    )
    return await canvas.locator('div').screenshot()
  } finally {
    await canvas.close()
  }
}

async function exportsAreThere(): Promise<boolean> {
  const { rows } = await db.admin.query(`select to_regproc('public.op_export_ledger_entries') is not null as there`)
  return rows[0].there
}

test('a clerk is refused the console (无运营权限) and can sign out', async () => {
  const clerk = await newPage(DESKTOP)
  await clerk.goto(consoleSite.url)
  await clerk.getByText('积分会员 · 运营后台').waitFor()
  await shootConsole(clerk, '01-login')
  await signIn(clerk, SEEDED.staffWang.phone)
  await clerk.getByText('无运营权限').waitFor()
  await shootConsole(clerk, '02-no-access')
  await clerk.getByRole('button', { name: '退出登录' }).click()
  await clerk.locator('input[placeholder="请输入手机号"]').waitFor()
  expect(await clerk.evaluate(() => localStorage.getItem('jifen.session'))).toBeNull()
})

test('the operator signs in; a reload keeps the session; a dead API shows an error with 重试', async () => {
  await signIn(op, SEEDED.operatorZhao.phone)
  await op.getByTestId('operator-name').waitFor()
  await op.getByText('¥10无门槛券').waitFor()
  await shootConsole(op, '03-catalog')

  await op.reload()
  await op.getByTestId('operator-name').waitFor()
  expect(await op.getByTestId('operator-name').innerText()).toContain('运营赵敏')

  // the API unreachable: an error with 重试, never a blank page; once it is back, 重试 gets in
  await op.route(`${api.url}/**`, (route) => route.abort('connectionrefused'))
  await op.reload()
  await op.getByText('无法连接服务').waitFor()
  await shootConsole(op, '04-network-error')
  await op.unroute(`${api.url}/**`)
  await op.getByRole('button', { name: '重试' }).click()
  await op.getByTestId('operator-name').waitFor()
})

let itemId = ''
let imageKey = ''

test('the operator creates an item with its picture (Storage) and publishes it', async () => {
  await menu(op, '商品')
  await op.getByRole('button', { name: '新建商品' }).click()
  const d = drawer(op)
  await d.getByText('商品名称').waitFor()
  await pick(op, d, '分类', '精选好礼')
  await pick(op, d, '类型', '实物礼品')
  await d.getByLabel('商品名称').fill(ITEM_TITLE)
  await d.getByLabel('商品说明').fill('会员日限定，到店出示券码领取一杯咖啡')
  await d.getByLabel('所需积分').fill('50')
  await d.getByLabel('初始库存').fill('20')
  // not a picture, whatever its name: refused before anything is stored
  await d.locator('input[type=file]').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') })
  await op.getByText('图片「fake.png」未上传：只能上传 JPEG、PNG 或 WebP 图片（invalid_image_type）').waitFor()
  await d.locator('.ant-upload-list-item-error').waitFor()
  await d.locator('input[type=file]').setInputFiles({ name: 'coffee.png', mimeType: 'image/png', buffer: await picture(op) })
  await d.locator('.ant-upload-list-item-done').waitFor()
  await shootConsole(op, '05-item-drawer')
  await d.getByRole('button', { name: '保存' }).click()
  await op.getByText(`已保存「${ITEM_TITLE}」`).waitFor()

  const { rows } = await db.admin.query('select id, active, stock_remaining, image_urls from public.mall_items where title = $1', [
    ITEM_TITLE,
  ])
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({ active: false, stock_remaining: 20 })
  // one object key (the refused file stored nothing), publicly readable
  expect(rows[0].image_urls).toEqual([expect.stringMatching(/^items\/[0-9a-f-]{36}\.png$/)])
  const objects = await db.admin.query(
    `select name from storage.objects where bucket_id = 'item-images' and name like 'items/%' and owner_id = $1`,
    [SEEDED.operatorZhao.id],
  )
  expect(objects.rows).toEqual([{ name: rows[0].image_urls[0] }])
  const image = await fetch(`${api.url}/storage/v1/object/public/item-images/${rows[0].image_urls[0]}`)
  expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png'])
  itemId = rows[0].id
  imageKey = rows[0].image_urls[0]

  const row = op.locator('.ant-table-row', { hasText: ITEM_TITLE })
  await row.getByText('未上架').waitFor()
  await row.getByRole('button', { name: '上架' }).click()
  await row.getByText('已上架').waitFor()
  expect((await db.admin.query('select active from public.mall_items where id = $1', [itemId])).rows).toEqual([{ active: true }])
  await shootConsole(op, '06-catalog-published')

  // editing: the drawer with the item's values
  await row.getByRole('button', { name: '编辑' }).click()
  await drawer(op).getByLabel('商品名称').waitFor()
  expect(await drawer(op).getByLabel('商品名称').inputValue()).toBe(ITEM_TITLE)
  await drawer(op).locator(`.ant-upload-list-item-done img[src$="${imageKey}"]`).waitFor() // its picture
  await shootConsole(op, '07-item-edit-drawer')
  await drawer(op).getByRole('button', { name: '取消' }).click()
})

test('bad input shows the backend message and changes nothing (stock below zero, a refused category code)', async () => {
  const row = op.locator('.ant-table-row', { hasText: ITEM_TITLE })
  await row.getByRole('button', { name: '库存调整' }).click()
  const m = modal(op)
  await m.getByLabel('增减数量').fill('-500')
  await m.getByLabel('原因').fill('盘点')
  await m.getByRole('button', { name: '确认调整' }).click()
  await m.getByText('库存不足，无法减少这么多').waitFor()
  await shootConsole(op, '08-stock-modal-refused')
  expect((await db.admin.query('select stock_remaining from public.mall_items where id = $1', [itemId])).rows).toEqual([
    { stock_remaining: 20 },
  ])
  await m.getByLabel('增减数量').fill('5')
  await m.getByRole('button', { name: '确认调整' }).click()
  await op.getByText(`「${ITEM_TITLE}」库存现为 25`).waitFor()
  expect((await db.admin.query('select stock_remaining from public.mall_items where id = $1', [itemId])).rows).toEqual([
    { stock_remaining: 25 },
  ])

  await op.getByRole('button', { name: '分类管理' }).click()
  const c = modal(op)
  await c.getByPlaceholder('编码，如 drinks').fill('Bad Code!')
  await c.getByPlaceholder('名称，如 饮品').fill('坏分类')
  await c.getByRole('button', { name: '保存' }).click()
  await c.getByRole('alert').waitFor()
  expect(await c.getByRole('alert').innerText()).toContain('invalid_category_code')
  await shootConsole(op, '09-categories-modal')
  expect((await db.admin.query(`select count(*)::int as n from public.mall_categories where name = '坏分类'`)).rows).toEqual([{ n: 0 }])
  await c.locator('.ant-modal-close').click()
})

let campaignId = ''

test('the operator starts a ×2 check-in campaign now; the overlap rule is shown', async () => {
  await menu(op, '活动')
  await op.getByText('会员日消费双倍积分').waitFor()
  await op.getByRole('button', { name: '新建活动' }).click()
  const d = drawer(op)
  await d.getByLabel('活动名称').fill(CAMPAIGN_NAME)
  await d.getByLabel('活动预算（加赠积分，不填：不限）').fill('10000')
  await shootConsole(op, '10-campaign-drawer')
  await d.getByRole('button', { name: '保存' }).click()
  const m = modal(op)
  await m.getByText(`已保存「${CAMPAIGN_NAME}」`).waitFor()
  await shootConsole(op, '11-campaign-saved-overlaps')
  await m.getByRole('button', { name: '知道了' }).click()
  const { rows } = await db.admin.query(
    'select id, multiplier::float as multiplier, sources, starts_at <= now() as started from public.campaigns where name = $1',
    [CAMPAIGN_NAME],
  )
  expect(rows).toEqual([{ id: expect.any(String), multiplier: 2, sources: ['check_in'], started: true }])
  campaignId = rows[0].id
  await op.locator('.ant-table-row', { hasText: CAMPAIGN_NAME }).getByText('进行中').waitFor()
  await shootConsole(op, '12-campaigns')

  // a second campaign on the same source: the overlap is listed, with the rule
  await op.getByRole('button', { name: '新建活动' }).click()
  await drawer(op).getByLabel('活动名称').fill('E2E周末三倍')
  await drawer(op).getByLabel('积分倍数（大于 1，最多 10，两位小数）').fill('3')
  await drawer(op).getByRole('button', { name: '保存' }).click()
  await modal(op).getByText(`${CAMPAIGN_NAME} ×2`).waitFor()
  await modal(op).getByText('倍数最高的生效').waitFor()
  await shootConsole(op, '13-campaign-overlap')
  await modal(op).getByRole('button', { name: '知道了' }).click()
  // …ended at once (so the member's check-in meets only the ×2 one): end early with a reason
  await op.locator('.ant-table-row', { hasText: 'E2E周末三倍' }).getByRole('button', { name: '提前结束' }).click()
  await modal(op).getByRole('button', { name: '确认结束' }).click()
  await modal(op).getByText('请填写原因').waitFor() // the reason is required
  await modal(op).getByLabel('原因').fill('测试用，立即结束')
  await shootConsole(op, '14-campaign-end-modal')
  await modal(op).getByRole('button', { name: '确认结束' }).click()
  await op.getByText('活动「E2E周末三倍」已结束').waitFor()
  await op.locator('.ant-table-row', { hasText: 'E2E周末三倍' }).getByText('已结束').waitFor()
})

test('a member (H5, phone size) sees the new item in the mall and gets the campaign bonus on check-in', async () => {
  const member = await newPage(PHONE)
  await signInByPhone(member, h5Site.url, MEMBER_PHONE)
  const memberId: string = (await db.admin.query('select id from public.members where phone = $1', [MEMBER_PHONE])).rows[0].id
  const before = await balanceOf(db, memberId)
  await member.getByText('签到领积分').click()
  await member.getByText('今日已签到').waitFor()
  const { rows } = await db.admin.query(
    `select amount_points from public.point_entries where member_id = $1 and source = 'campaign' and campaign_id = $2`,
    [memberId, campaignId],
  )
  expect(rows).toEqual([{ amount_points: 5 }]) // 5 for the check-in, ×2
  expect(
    await until(
      member,
      () => balanceOf(db, memberId),
      (b) => b === before + 10,
    ),
  ).toBe(before + 10)

  await member.getByText('积分商城').click()
  await member.getByText(ITEM_TITLE).first().waitFor()
  await member.waitForTimeout(500)
  await member.screenshot({ path: path.join(CONSOLE_SCREENSHOTS, 'member-mall-new-item.png') })
  await expectAccessible(member, 'member mall with the new item')
  // the new item's card shows its picture from the bucket's public URL
  await member.locator(`img[src$="${imageKey}"]`).first().waitFor()
  const src = await member.locator(`img[src$="${imageKey}"]`).first().getAttribute('src')
  expect(src).toBe(`${api.url}/storage/v1/object/public/item-images/${imageKey}`)
  await expectLedgerInvariants(db)
})

let adjustmentId = ''

test('a large adjustment waits; its requester cannot approve it; a second operator does and the balance changes', async () => {
  const memberId: string = (await db.admin.query('select id from public.members where phone = $1', [MEMBER_PHONE])).rows[0].id
  const before = await balanceOf(db, memberId)
  await menu(op, '会员服务')
  await op.getByPlaceholder('手机号（11位或后4位）、会员码 M1.… 或会员编号').fill('123')
  await op.getByRole('button', { name: '查找' }).click()
  await op.getByText('请输入完整手机号、手机号后4位、会员码或会员编号').waitFor() // the backend's invalid_query
  await op.getByPlaceholder('手机号（11位或后4位）、会员码 M1.… 或会员编号').fill(MEMBER_PHONE)
  await op.getByRole('button', { name: '查找' }).click()
  const d = drawer(op) // one match opens at once
  await d.getByText('积分余额').waitFor()
  await d.getByText(MEMBER_PHONE).first().waitFor()
  await shootConsole(op, '15-member-detail')
  await d.getByRole('tab', { name: '积分明细' }).click()
  await d.getByText('活动加赠').first().waitFor()
  await shootConsole(op, '16-member-ledger')

  await d.getByRole('button', { name: '积分调整' }).click()
  const m = modal(op)
  await m.getByLabel('调整积分').fill('1500')
  await pick(op, m as ReturnType<typeof drawer>, '原因', '服务补偿')
  await m.getByLabel('备注').fill('工单 E2E-1：补偿')
  await shootConsole(op, '17-adjust-modal')
  await m.getByRole('button', { name: '提交调整' }).click()
  await op.getByText(/超过审批额度，已提交/).waitFor()
  const pending = await db.admin.query(`select id, status, requested_by from public.point_adjustments where member_id = $1`, [memberId])
  expect(pending.rows).toEqual([{ id: expect.any(String), status: 'pending', requested_by: SEEDED.operatorZhao.id }])
  adjustmentId = pending.rows[0].id
  expect(await balanceOf(db, memberId)).toBe(before)
  await drawer(op).locator('.ant-drawer-close').click()

  // operator 1's queue: his own request is not approvable
  await op.getByRole('tab', { name: '待审批调整' }).click()
  const mine = op.locator('.ant-table-row', { hasText: '工单 E2E-1' })
  await mine.getByText('不能审批自己提交的调整').waitFor()
  expect(await mine.getByRole('button', { name: '批准' }).count()).toBe(0)
  await shootConsole(op, '18-pending-own')

  // a second operator: a member who signed in once, made an operator as `npm run operator:add` does
  const res = await fetch(`${api.url}/functions/v1/auth`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', apikey: 'anon' },
    body: JSON.stringify({ provider: 'dev', phone: SECOND_OPERATOR_PHONE }),
  })
  expect(res.status).toBe(200)
  await addOperator(db.admin, SECOND_OPERATOR_PHONE)
  const op2 = await newPage(DESKTOP)
  await signIn(op2, SECOND_OPERATOR_PHONE)
  await op2.getByTestId('operator-name').waitFor()
  await menu(op2, '会员服务')
  await op2.getByRole('tab', { name: '待审批调整' }).click()
  const row = op2.locator('.ant-table-row', { hasText: '工单 E2E-1' })
  await row.getByText('运营赵敏').waitFor() // the requester, by name
  await shootConsole(op2, '19-pending-second-operator')
  await row.getByRole('button', { name: '批准' }).click()
  await op2.getByText(/已批准，\+1,500 积分已到账/).waitFor()
  expect((await db.admin.query('select status, decided_by from public.point_adjustments where id = $1', [adjustmentId])).rows).toEqual([
    { status: 'applied', decided_by: expect.any(String) },
  ])
  // the adjustment is an earn: 1,500 points, which may bring a tier upgrade and its bonus (docs/operators.md)
  const entries = await db.admin.query(
    `select source, amount_points from public.point_entries where member_id = $1 and source in ('adjustment', 'tier_upgrade') order by id`,
    [memberId],
  )
  expect(entries.rows[0]).toEqual({ source: 'adjustment', amount_points: 1500 })
  const upgrade = entries.rows.filter((e) => e.source === 'tier_upgrade').reduce((sum, e) => sum + e.amount_points, 0)
  expect(await balanceOf(db, memberId)).toBe(before + 1500 + upgrade)
  await expectLedgerInvariants(db)
})

test('rules: an immediate task change applies; a scheduled one is listed and cancelled', async () => {
  await menu(op, '规则与任务')
  await op.getByText('每日签到积分').waitFor()
  await shootConsole(op, '20-rules')
  await op.getByRole('tab', { name: '任务' }).click()
  await op.locator('.ant-table-row', { hasText: '本周签到5天' }).getByRole('button', { name: '修改' }).click()
  const d = drawer(op)
  await d.getByLabel('奖励（积分）').fill('60')
  await d.getByText('50 积分').waitFor() // old → new
  await d.getByText('60 积分').waitFor()
  await d.getByLabel('原因').fill('提高周任务奖励')
  await shootConsole(op, '21-rule-change-drawer')
  await d.getByRole('button', { name: '提交变更' }).click()
  await submitted(op, '规则已生效')
  expect((await db.admin.query(`select reward_points from public.tasks where code = 'weekly_check_in'`)).rows).toEqual([
    { reward_points: 60 },
  ])

  // scheduled: check-in points from a future instant, then cancelled
  await op.getByRole('tab', { name: '积分规则' }).click()
  await op.locator('.ant-card', { hasText: '每日签到积分' }).getByRole('button', { name: '修改' }).click()
  await drawer(op).getByLabel('每日签到积分（积分）').fill('8')
  await drawer(op).getByText('指定时间').click()
  await drawer(op).locator('.ant-picker').click()
  const when = new Date(Date.now() + 3 * 86_400_000)
  const text = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')} 10:00`
  await drawer(op).locator('.ant-picker input').fill(text)
  await drawer(op).locator('.ant-picker input').press('Enter')
  expect(await drawer(op).locator('.ant-picker input').inputValue()).toBe(text)
  await drawer(op).getByLabel('原因').fill('下周起提高签到积分')
  await drawer(op).getByRole('button', { name: '提交变更' }).click()
  await submitted(op, /规则变更已安排/)
  await op.getByRole('tab', { name: /变更记录/ }).click()
  const pendingRow = op.locator('.ant-table-row', { hasText: '下周起提高签到积分' })
  await pendingRow.getByText('待生效').waitFor()
  expect((await db.admin.query('select check_in_points from public.point_rules')).rows).toEqual([{ check_in_points: 5 }])
  await shootConsole(op, '22-rule-changes')
  await pendingRow.getByRole('button', { name: '取消' }).click()
  await modal(op).getByLabel('原因').fill('计划有变')
  await modal(op).getByRole('button', { name: '确认取消' }).click()
  await pendingRow.getByText('已取消').waitFor()
  await op.getByRole('tab', { name: '等级' }).click()
  await op.getByText('铂金会员（platinum）').waitFor()
  await shootConsole(op, '23-rules-tiers')
  await op.getByRole('tab', { name: '连签奖励' }).click()
  await op.getByText('第 7 天').waitFor()
  await shootConsole(op, '24-rules-streak')
})

test('stores and staff: a phone nobody signed in with becomes an invitation', async () => {
  await menu(op, '门店与员工')
  await op.getByText('店员王芳').waitFor()
  await shootConsole(op, '25-stores')
  await op.getByRole('button', { name: '添加员工' }).click()
  const m = modal(op)
  await m.getByLabel('手机号').fill('13700000888')
  await m.getByLabel('每日发放上限（积分）').fill('5000')
  await shootConsole(op, '26-staff-modal')
  await m.getByRole('button', { name: '保存' }).click()
  await op.getByText('已邀请 13700000888：对方首次登录后成为员工').waitFor()
  await op.locator('.ant-table-row', { hasText: '13700000888' }).waitFor()
  expect(
    (await db.admin.query(`select role, daily_award_cap_points from public.staff_invitations where phone = '13700000888'`)).rows,
  ).toEqual([{ role: 'clerk', daily_award_cap_points: 5000 }])
  await op.getByRole('button', { name: '新建门店' }).click()
  await shootConsole(op, '27-store-modal')
  await modal(op).getByRole('button', { name: '取消' }).click()
})

test('the audit log shows who did what, before → after', async () => {
  await menu(op, '审计日志')
  await op.locator('.ant-table-row', { hasText: '库存调整' }).first().waitFor()
  await op.locator('.ant-table-row', { hasText: '库存调整' }).first().getByText('20', { exact: true }).waitFor()
  await shootConsole(op, '28-audit')
  await menu(op, '导出')
  await op.getByText('导出内容').waitFor()
  await shootConsole(op, '29-exports')
})

test('导出: the ledger entries of this month as a CSV file, with the member of this walk in it', async () => {
  if (!(await exportsAreThere())) return // the export RPCs come with the exports work (docs/operators.md "Exports")
  const [download] = await Promise.all([op.waitForEvent('download'), op.getByRole('button', { name: '导出 CSV' }).click()])
  await op.getByText(/^已导出 \d+ 行：积分流水_/).waitFor()
  await shootConsole(op, '30-exports-done')
  expect(download.suggestedFilename()).toMatch(/^积分流水_\d{4}-\d{2}-01_\d{4}-\d{2}-\d{2}\.csv$/)
  const csv = readFileSync((await download.path())!, 'utf8')
  const [header, ...lines] = csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\n')
  expect(header.split(',').slice(0, 4)).toEqual(['entry_id', 'created_at', 'business_date', 'member_id'])
  expect(lines.some((l) => l.includes(MEMBER_PHONE) && l.includes(',adjustment,'))).toBe(true)

  await op.getByText('积分负债').click()
  const [liability] = await Promise.all([op.waitForEvent('download'), op.getByRole('button', { name: '导出 CSV' }).click()])
  expect(readFileSync((await liability.path())!, 'utf8')).toMatch(/^\uFEFFbusiness_date,earned_points,/)
})

test('sign-out ends the session; a reload shows the sign-in', async () => {
  await op.getByRole('button', { name: '退出登录' }).click()
  await op.locator('input[placeholder="请输入手机号"]').waitFor()
  await op.reload()
  await op.locator('input[placeholder="请输入手机号"]').waitFor()
  expect(await op.evaluate(() => localStorage.getItem('jifen.session'))).toBeNull()
})
