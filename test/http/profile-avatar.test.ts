// The avatar upload of 个人资料 (issue 17) against the real local API: the app's own services (src/services/avatar:
// @supabase/storage-js on the platform fetch, then update_profile with the object key) as member A; the key is in
// A's folder, the public URL the app shows serves the bytes, the 完善个人资料 event is recorded once, a replaced
// upload is removed; member B can neither write into A's folder with the storage client nor save A's key.
import { PNG } from 'pngjs'
import type { TestDb } from '../support/db'
import { expectLedgerInvariants } from '../support/db'
import { useSeededApi } from '../support/api'

let db: TestDb
let apiUrl: string
let session: typeof import('../../src/services/session')
let avatar: typeof import('../../src/services/avatar')
let member: typeof import('../../src/services/member')
let profile: typeof import('../../src/services/profile')

const clientApi = useSeededApi()
beforeAll(() => {
  const { db: d, api } = clientApi()
  db = d
  apiUrl = api.url
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    avatar = require('../../src/services/avatar')
    member = require('../../src/services/member')
    profile = require('../../src/services/profile')
  })
})
afterEach(async () => {
  session.signOut()
  await expectLedgerInvariants(db)
})

/** A w×h PNG (what a device would upload is a JPEG; the bucket takes both). */
function png(w: number, h: number, seed = 0): ArrayBuffer {
  const p = new PNG({ width: w, height: h })
  for (let i = 0; i < p.data.length; i += 4) p.data.set([(i / 4 + seed) % 256, 90, 200, 255], i)
  const buf = PNG.sync.write(p)
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer
}

const objects = async (prefix: string) =>
  (
    await db.admin.query(`select name from storage.objects where bucket_id = 'avatars' and name like $1 || '%' order by name`, [prefix])
  ).rows.map((r) => r.name as string)
const events = async (id: string) =>
  (await db.admin.query(`select count(*)::int as n from public.task_events where member_id = $1 and event = 'profile_completed'`, [id]))
    .rows[0].n

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 50; i += 1) {
    const v = await read()
    if (ok(v)) return v
    await new Promise((r) => setTimeout(r, 50))
  }
  return read()
}

test('member A uploads an avatar into their own folder; the app shows its public URL; the task event once; a replaced one is removed', async () => {
  const { member: a } = await session.signIn({ provider: 'dev', phone: '13900170001' })
  const bytes = png(64, 64, 1)
  const saved = await avatar.saveAvatar({ bytes, type: 'image/png' }, null)

  const prefix = `${apiUrl}/storage/v1/object/public/avatars/${a.id}/avatar-`
  expect(saved.avatar_url!.startsWith(prefix)).toBe(true)
  const [key] = await objects(`${a.id}/`)
  expect(saved.avatar_url).toBe(`${apiUrl}/storage/v1/object/public/avatars/${key}`)
  // the member row holds the key, not a URL (any host serves it)
  expect((await db.admin.query('select avatar_url from public.members where id = $1', [a.id])).rows[0].avatar_url).toBe(key)
  const res = await fetch(saved.avatar_url!)
  expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/png'])
  expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
  expect((await member.fetchMe()).avatar_url).toBe(saved.avatar_url)

  // the dev sign-in's nickname is visible: nickname + avatar complete 完善个人资料
  expect(await events(a.id)).toBe(1)

  const again = await avatar.saveAvatar({ bytes: png(48, 48, 2), type: 'image/png' }, saved.avatar_url)
  expect(again.avatar_url).not.toBe(saved.avatar_url)
  // the replaced upload is removed (best effort, after the save)
  const left = await until(
    () => objects(`${a.id}/`),
    (names) => names.length === 1,
  )
  expect(left).toEqual([again.avatar_url!.slice(`${apiUrl}/storage/v1/object/public/avatars/`.length)])
  expect(await events(a.id)).toBe(1)
})

test('member B cannot write into A’s folder with the storage client, nor save A’s key', async () => {
  const { member: a } = await session.signIn({ provider: 'dev', phone: '13900170002' })
  await avatar.saveAvatar({ bytes: png(32, 32, 3), type: 'image/png' }, null)
  const [aKey] = await objects(`${a.id}/`)
  session.signOut()

  const { member: b, accessToken } = await session.signIn({ provider: 'dev', phone: '13900170003' })
  const storage = avatar.storageFor(accessToken)
  const intoA = `${a.id}/avatar-from-b.png`
  const write = await storage.from('avatars').upload(intoA, png(32, 32, 4), { contentType: 'image/png' })
  expect(write.error).toMatchObject({ statusCode: '403' })
  expect(avatar.storageErrorCode(write.error)).toBe('forbidden')
  const overwrite = await storage.from('avatars').upload(aKey, png(32, 32, 4), { contentType: 'image/png', upsert: true })
  expect(overwrite.error).toMatchObject({ statusCode: '403' })
  expect(await objects(`${a.id}/`)).toEqual([aKey])

  await expect(profile.updateProfile({ p_avatar_url: aKey })).rejects.toMatchObject({ code: 'avatar_not_own' })
  expect((await db.admin.query('select avatar_url from public.members where id = $1', [b.id])).rows[0].avatar_url).toBeNull()
  expect(await events(b.id)).toBe(0)
})

test('bytes that are not an image are refused by Storage: invalid_image_type, nothing stored or saved', async () => {
  const { member: a } = await session.signIn({ provider: 'dev', phone: '13900170004' })
  const text = new TextEncoder().encode('not a picture at all').buffer as ArrayBuffer
  await expect(avatar.saveAvatar({ bytes: text, type: 'image/jpeg' }, null)).rejects.toMatchObject({ code: 'invalid_image_type' })
  expect(await objects(`${a.id}/`)).toEqual([])
  expect((await db.admin.query('select avatar_url from public.members where id = $1', [a.id])).rows[0].avatar_url).toBeNull()
})
