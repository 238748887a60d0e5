// The store manager's screens, built for H5, in real Chromium at phone size (390×844) against the local API (a
// seeded database): 店长李强 (静安寺店) opens 店员管理 from the workbench, is told what is wrong with a bad phone and
// with a phone that is not his to add, adds a member as a clerk, changes the clerk's cap, deactivates him, invites a
// phone nobody signed in with; then 会员查询: 林小满 (who bought at his store in the seed) by phone, her detail with
// the store's purchases (the seed's void included); 陈一一 (never bought there) is not found. Reload and back
// navigation on each new page. The clerk 店员王芳 sees no manager entries and is refused the screens. Every screen
// is screenshotted (screenshots/manager-*.png).
import type { Browser, Page } from 'playwright-core'
import type { ApiServer } from '../../stack/server'
import { useSeededApi } from '../support/api'
import { launchChromium, PHONE, serveH5, testH5Build, shoot, signInByPhone } from '../support/browser'
import { expectLedgerInvariants, type TestDb } from '../support/db'
import { aMember, phoneOf, SEEDED } from '../factories/members'

let db: TestDb
let api: ApiServer
let site: { url: string; close(): Promise<void> }
let browser: Browser
let manager: Page
const pageErrors: string[] = []

const seededApi = useSeededApi()
beforeAll(async () => {
  ;({ db, api } = seededApi())
  site = await serveH5(await testH5Build(), api.url)
  browser = await launchChromium()
  manager = await newPhonePage()
}, 420_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

async function newPhonePage(): Promise<Page> {
  const context = await browser.newContext(PHONE)
  const page = await context.newPage()
  page.on('pageerror', (e) => pageErrors.push(e.message))
  return page
}

const goto = (page: Page, route: string) => page.goto(`${site.url}#${route}`)
/** Taro's H5 modal: its confirm button. */
const confirmModal = (page: Page) => page.locator('.taro-model__confirm:visible').click()
const staffRow = (page: Page, name: string) => page.locator('.mgr-staff__row', { hasText: name })
const staffOf = async (member: string) =>
  (await db.admin.query('select store_id, role, daily_award_cap_points, active from public.staff where member_id = $1', [member])).rows[0]

let clerkPhone = ''
let clerkId = ''

test('the manager opens 店员管理 from the workbench: himself and his clerk, with today’s awarded points against the cap', async () => {
  await signInByPhone(manager, site.url, SEEDED.managerLi.phone)
  await manager.getByText('门店工作台').click()
  await manager.getByText('店员管理').waitFor()
  await manager.getByText('会员查询').waitFor()
  await shoot(manager, 'manager-staff-home')
  await manager.getByText('店员管理').click()
  await manager.locator('.mgr-staff__store', { hasText: '悦享咖啡·静安寺店' }).waitFor()
  await staffRow(manager, '店长李强（我）').waitFor()
  await staffRow(manager, '店员王芳').getByText('0 / 20,000').waitFor()
  expect(await staffRow(manager, '店长李强').getByText('停用').count()).toBe(0)
  await shoot(manager, 'manager-staff')
})

test('bad input: a wrong phone, and a phone that is a manager, are explained and change nothing', async () => {
  const phone = manager.locator('input[placeholder="店员登录用的手机号"]')
  await phone.fill('1380000')
  await manager.getByText('添加', { exact: true }).click()
  await manager.locator('.mgr-staff__refusal', { hasText: '请输入11位手机号' }).waitFor()
  await phone.fill('12800000001')
  await manager.locator('.mgr-staff__field-problem', { hasText: '请输入正确的手机号' }).waitFor()
  await shoot(manager, 'manager-staff-bad-phone')
  await phone.fill(SEEDED.managerLi.phone)
  await manager.getByText('添加', { exact: true }).click()
  await manager.locator('.mgr-staff__refusal', { hasText: '该手机号已是其他门店员工或店长，请联系总部' }).waitFor()
  await shoot(manager, 'manager-staff-elsewhere')
  expect(await staffOf(SEEDED.managerLi.id)).toMatchObject({ role: 'manager', active: true })
})

test('the manager adds a member as a clerk, changes his cap, and deactivates him (reason, confirm)', async () => {
  clerkId = await aMember(db)
  clerkPhone = await phoneOf(db, clerkId)
  await manager.locator('input[placeholder="店员登录用的手机号"]').fill(clerkPhone)
  await manager.locator('input[placeholder="每日最多发放积分"]').fill('5000')
  await manager.getByText('添加', { exact: true }).click()
  const row = manager.locator('.mgr-staff__row:not(.mgr-staff__row--inactive)', {
    hasText: `${clerkPhone.slice(0, 3)}****${clerkPhone.slice(-4)}`,
  })
  await row.getByText('0 / 5,000').waitFor()
  expect(await staffOf(clerkId)).toEqual({
    store_id: '00000000-0000-4000-9000-000000000001',
    role: 'clerk',
    daily_award_cap_points: 5000,
    active: true,
  })
  expect(await manager.locator('input[placeholder="店员登录用的手机号"]').inputValue()).toBe('')
  await shoot(manager, 'manager-staff-added')

  await row.getByText('修改上限').click()
  await row.locator('input[placeholder="新的每日上限"]').fill('8000')
  await shoot(manager, 'manager-staff-edit-cap')
  await row.getByText('保存').click()
  await row.getByText('0 / 8,000').waitFor()
  expect((await staffOf(clerkId)).daily_award_cap_points).toBe(8000)

  await row.getByText('停用', { exact: true }).click()
  await manager.locator('.taro-actionsheet__cell:visible', { hasText: '离职' }).click()
  await manager.getByText(/^停用店员「.+」（.+）？原因：离职。/).waitFor()
  await shoot(manager, 'manager-staff-deactivate-confirm')
  await confirmModal(manager)
  await manager.locator('.mgr-staff__row--inactive', { hasText: '已停用' }).waitFor()
  expect((await staffOf(clerkId)).active).toBe(false)
  const audit = await db.admin.query('select action from public.operator_audit where target_id = $1 order by id', [clerkId])
  expect(audit.rows.map((r) => r.action)).toEqual(['set_staff', 'set_staff_cap', 'deactivate_staff'])
  await shoot(manager, 'manager-staff-deactivated')
})

test('a phone nobody signed in with is invited; the list survives a reload; back goes to the workbench', async () => {
  await manager.locator('input[placeholder="店员登录用的手机号"]').fill('13655508888')
  await manager.getByText('添加', { exact: true }).click()
  await manager.locator('.mgr-staff__row', { hasText: '136****8888' }).waitFor()
  await manager.getByText('待接受的邀请').waitFor()
  await manager.reload()
  await manager.locator('.mgr-staff__row', { hasText: '136****8888' }).waitFor()
  await manager.locator('.mgr-staff__row--inactive').first().waitFor()
  await manager.locator('.mgr-staff__card', { hasText: '待接受的邀请' }).scrollIntoViewIfNeeded()
  await shoot(manager, 'manager-staff-invited')
  await manager.goBack()
  await manager.getByText('扫一扫').waitFor()
})

test('会员查询: a member of his store by phone, her detail with the purchases at this store; reload and back', async () => {
  await manager.getByText('会员查询').click()
  await manager.getByText(/查询在本店消费过的会员/).waitFor()
  await shoot(manager, 'manager-members')
  const box = manager.locator('input[placeholder="手机号 / 会员码 / 会员编号"]')
  await box.fill('0001')
  await manager.getByText('查询', { exact: true }).click()
  await manager.locator('.mgr-members__problem', { hasText: '请输入完整的11位手机号' }).waitFor()
  await box.fill(SEEDED.chen.phone) // never bought at this store
  await manager.getByText('查询', { exact: true }).click()
  await manager.getByText('本店没有找到该会员（仅可查询在本店消费过的会员）').waitFor()
  await shoot(manager, 'manager-members-not-found')

  await box.fill(SEEDED.lin.phone)
  await manager.getByText('查询', { exact: true }).click()
  const row = manager.locator('.mgr-members__row', { hasText: '林小满' })
  await row.getByText('138****0001').waitFor()
  await row.getByText('消费 1 笔 · 共 ¥68.00').waitFor()
  await shoot(manager, 'manager-members-found')

  await row.click()
  await manager.locator('.mgr-member__name', { hasText: '林小满' }).waitFor()
  await manager.locator('.mgr-member__purchase', { hasText: 'DEMO-0001' }).waitFor()
  await manager
    .locator('.mgr-member__purchase', { hasText: 'DEMO-0002' })
    .getByText(/已撤销 · 顾客退货/)
    .waitFor()
  await shoot(manager, 'manager-member')
  await manager.locator('.mgr-member__purchase').last().scrollIntoViewIfNeeded()
  await shoot(manager, 'manager-member-purchases')
  expect(manager.url()).toContain(`id=${SEEDED.lin.id}`)
  await manager.reload()
  await manager.locator('.mgr-member__purchase', { hasText: 'DEMO-0001' }).waitFor()
  await manager.goBack()
  await manager.locator('input[placeholder="手机号 / 会员码 / 会员编号"]').waitFor()
  await manager.reload()
  await manager.getByText(/查询在本店消费过的会员/).waitFor()
})

test('the clerk sees no manager entries and is refused the manager screens', async () => {
  const clerk = await newPhonePage()
  await signInByPhone(clerk, site.url, SEEDED.staffWang.phone)
  await clerk.getByText('门店工作台').click()
  await clerk.getByText('扫一扫').waitFor()
  expect(await clerk.getByText('店员管理').count()).toBe(0)
  expect(await clerk.getByText('会员查询').count()).toBe(0)
  await goto(clerk, '/manager/staff/index')
  await clerk.getByText('仅限店长查看').waitFor()
  await shoot(clerk, 'manager-staff-clerk-refused')
  await goto(clerk, '/manager/members/index')
  await clerk.locator('input[placeholder="手机号 / 会员码 / 会员编号"]').fill(SEEDED.lin.phone)
  await clerk.getByText('查询', { exact: true }).click()
  await clerk.getByText('仅限店长查看').waitFor()
  await goto(clerk, `/manager/member/index?id=${SEEDED.lin.id}`)
  await clerk.getByText('仅限店长查看').waitFor()
})

test('no page errors, and the ledger is intact', async () => {
  expect(pageErrors).toEqual([])
  await expectLedgerInvariants(db)
  void api
})
