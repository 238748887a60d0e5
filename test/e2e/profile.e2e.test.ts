// 个人资料 in real Chromium at phone size (issue 17): a new member picks a non-square photo (the file picker, a
// 600×400 PNG), the device crops it square and resizes it to 256×256 before the upload into their avatars folder,
// and the screen shows it; a file that is not an image is refused with a message; a nickname is saved; the
// 完善个人资料 task is done; the birthday picker starts empty and asks before saving (it locks for a year); a reload
// keeps everything. axe-core on every screen; screenshots in screenshots/profile-*.png.
import type { Browser, Page } from 'playwright-core'
import { PNG } from 'pngjs'
import type { ApiServer } from '../../stack/server'
import { useSeededApi } from '../support/api'
import { expectAccessible } from '../support/axe'
import { launchChromium, PHONE, serveH5, shoot as shootPage, signInByPhone, testH5Build, until } from '../support/browser'
import { expectLedgerInvariants, type TestDb } from '../support/db'

let db: TestDb
let api: ApiServer
let site: { url: string; close(): Promise<void> }
let browser: Browser
let page: Page
const pageErrors: string[] = []
const PHONE_NUMBER = '13900171717'

const seededApi = useSeededApi()
beforeAll(async () => {
  ;({ db, api } = seededApi())
  site = await serveH5(process.env.PROFILE_H5_TMP ?? (await testH5Build()), api.url) // TEMP
  browser = await launchChromium()
  page = await browser.newPage(PHONE)
  page.on('pageerror', (e) => pageErrors.push(e.message))
}, 420_000)

afterAll(async () => {
  await browser?.close()
  await site?.close()
})

afterEach(() => expectLedgerInvariants(db))

const shoot = (name: string) => shootPage(page, `profile-${name}`)
const goto = (route: string) => page.goto(`${site.url}#${route}`)

/** A 600×400 PNG: left third red, middle green, right third blue (the centred square is the green middle plus some). */
function landscapePng(): Buffer {
  const p = new PNG({ width: 600, height: 400 })
  for (let y = 0; y < 400; y += 1)
    for (let x = 0; x < 600; x += 1) {
      const i = (y * 600 + x) * 4
      const colour = x < 100 ? [220, 40, 40] : x >= 500 ? [40, 40, 220] : [40, 170, 90]
      p.data.set([...colour, 255], i)
    }
  return PNG.sync.write(p)
}

const taskRow = () => page.locator('[data-code="complete_profile"]')

async function pickFile(file: { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent('filechooser')
  await page.getByRole('button', { name: '更换头像' }).click()
  await (await chooser).setFiles(file)
}

test('avatar from a picked photo (cropped and resized on the device), nickname, the task done, birthday confirmed; a reload keeps it', async () => {
  await signInByPhone(page, site.url, PHONE_NUMBER)
  const [{ id }] = (await db.admin.query('select id from public.members where phone = $1', [PHONE_NUMBER])).rows

  await goto('/member/tasks/index')
  await taskRow().getByText('设置头像和昵称').waitFor()
  await taskRow().getByText('去完成').waitFor()
  await shoot('tasks-before')
  await expectAccessible(page, '每日任务')

  await goto('/member/profile/index')
  await page.getByText('请选择生日').waitFor()
  await expectAccessible(page, '个人资料')
  await shoot('start')

  // not an image: refused on the device, nothing uploaded
  await pickFile({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just some text, not a picture') })
  await page.getByText('只能上传 JPEG、PNG 或 WebP 图片').waitFor()
  await shoot('not-an-image')
  expect(
    (await db.admin.query(`select count(*)::int n from storage.objects where bucket_id = 'avatars' and name like $1 || '/%'`, [id])).rows[0]
      .n,
  ).toBe(0)

  // a 600×400 photo: uploaded as a 256×256 JPEG of its centre
  await pickFile({ name: 'photo.png', mimeType: 'image/png', buffer: landscapePng() })
  const img = page.locator('.profile__avatar img')
  await img.waitFor()
  const shown = await until(
    page,
    () =>
      img.evaluate((el) => ({
        src: (el as HTMLImageElement).src,
        w: (el as HTMLImageElement).naturalWidth,
        h: (el as HTMLImageElement).naturalHeight,
      })),
    (v) => v.w > 0,
  )
  expect(shown.src).toMatch(new RegExp(`/storage/v1/object/public/avatars/${id}/avatar-[0-9a-f]+\\.jpg$`))
  expect([shown.w, shown.h]).toEqual([256, 256])
  // the crop is the centre: its left and right edges are green (the red and blue thirds are cut off)
  // (the stored file, fetched here: the image on the page is cross-origin, so its pixels cannot be read there)
  const jpeg = Buffer.from(await (await fetch(shown.src)).arrayBuffer()).toString('base64')
  const edges = await page.evaluate(async (b64) => {
    const bmp = await createImageBitmap(await (await fetch(`data:image/jpeg;base64,${b64}`)).blob())
    const c = document.createElement('canvas')
    c.width = 256
    c.height = 256
    const ctx = c.getContext('2d')!
    ctx.drawImage(bmp, 0, 0)
    return [ctx.getImageData(3, 128, 1, 1).data, ctx.getImageData(252, 128, 1, 1).data].map((d) => [d[0], d[1], d[2]])
  }, jpeg)
  for (const [r, g, b] of edges) expect(g > r + 60 && g > b + 60).toBe(true)
  const [{ avatar_url: stored, type }] = (
    await db.admin.query(
      `select m.avatar_url, o.metadata->>'mimetype' as type from public.members m join storage.objects o on o.bucket_id = 'avatars' and o.name = m.avatar_url where m.id = $1`,
      [id],
    )
  ).rows
  expect(stored).toMatch(new RegExp(`^${id}/avatar-[0-9a-f]+\\.jpg$`))
  expect(type).toBe('image/jpeg')
  await shoot('avatar')

  // nickname
  const nickname = page.locator('input[placeholder="1–32 个字"]')
  await nickname.fill('小满同学')
  await nickname.blur()
  await page.getByText('保存', { exact: true }).click()
  await page.getByText('已保存').waitFor()
  await page.locator('.profile__nickname', { hasText: '小满同学' }).waitFor()

  // the birthday: starts empty, asks before saving
  await page.getByText('请选择生日').click()
  await page.getByText('确定', { exact: true }).click()
  const picked = await page.locator('.profile__picker .profile__value').innerText()
  expect(picked).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  await page.getByText('保存', { exact: true }).click()
  await page.getByText(`生日将设为 ${picked}。保存后一年内不能修改，确定保存吗？`).waitFor()
  await expectAccessible(page, '个人资料 · 确认生日')
  await shoot('birthday-confirm')
  await page.getByText('再想想', { exact: true }).click()
  expect((await db.admin.query('select birthday from public.members where id = $1', [id])).rows[0].birthday).toBeNull()
  await page.getByText('保存', { exact: true }).click()
  await page.getByText('确定保存', { exact: true }).click()
  await page.getByText(/^可在 \d{4}-\d{2}-\d{2} 后修改$/).waitFor()
  await shoot('saved')

  // the task: done once
  expect(
    (await db.admin.query(`select count(*)::int n from public.task_events where member_id = $1 and event = 'profile_completed'`, [id]))
      .rows[0].n,
  ).toBe(1)
  await goto('/member/tasks/index')
  await taskRow().getByText('领取').click()
  await taskRow().getByText('已完成').waitFor()
  await shoot('tasks-done')
  await expectAccessible(page, '每日任务（已完成）')

  // a reload keeps it all
  await goto('/member/profile/index')
  await page.reload()
  await page.locator('.profile__nickname', { hasText: '小满同学' }).waitFor()
  expect(
    await until(
      page,
      () => page.locator('.profile__avatar img').evaluate((el) => (el as HTMLImageElement).naturalWidth),
      (w) => w > 0,
    ),
  ).toBe(256)
  // the birthday's row (注册时间 can show the same date: the picker opens on today)
  await page.locator('.profile__row--birthday .profile__value', { hasText: picked }).waitFor()
  await expectAccessible(page, '个人资料（重新打开）')
  await shoot('reloaded')
  // no horizontal overflow at phone width
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  expect(pageErrors).toEqual([])
})
