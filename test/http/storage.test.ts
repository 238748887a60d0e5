// The local Storage API (/storage/v1, stack/storage/) with the real storage client (supabase-js' `storage`, i.e.
// @supabase/storage-js): RLS on storage.objects decides who writes what (operators write item-images; each member
// writes only under their own avatars folder; anon writes nothing), public and signed URLs serve the bytes, list
// and delete work, and a bad image is refused with storage's error shape, leaving no object row and no file.
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import type { SupabaseClient } from '@supabase/supabase-js'
import * as crc32 from 'buffer-crc32'
import { PNG } from 'pngjs'
import { ROOT } from '../../stack/config'
import { localToken } from '../../stack/jwt'
import { client, serviceClient, useSeededApi } from '../support/api'
import { expectLedgerInvariants } from '../support/db'
import { SEEDED } from '../factories/members'

const seeded = useSeededApi()
let anon: SupabaseClient
let operator: SupabaseClient
let memberA: SupabaseClient
let memberB: SupabaseClient
let service: SupabaseClient
const A = SEEDED.lin.id
const B = SEEDED.chen.id

beforeAll(async () => {
  const { api } = seeded()
  anon = client(api)
  operator = client(api, await localToken({ sub: SEEDED.operatorZhao.id }))
  memberA = client(api, await localToken({ sub: A }))
  memberB = client(api, await localToken({ sub: B }))
  service = serviceClient(api)
})
afterEach(() => expectLedgerInvariants(seeded().db))

/** A PNG of w×h px (pngjs). */
function png(w: number, h: number, seed = 0): Buffer {
  const p = new PNG({ width: w, height: h })
  for (let i = 0; i < p.data.length; i += 4) p.data.set([(i / 4 + seed) % 256, seed % 256, 128, 255], i)
  return PNG.sync.write(p)
}
const blob = (bytes: Buffer, type: string) => new Blob([new Uint8Array(bytes)], { type })

/** The storage folder of the test API (stack/storage/handler.ts layout: <root>/<bucket>/<key>/<version>). */
function storageRoot(): string {
  return seeded().api.storageDir
}

async function objectRows(
  bucket: string,
  name: string,
): Promise<{ name: string; version: string; metadata: { mimetype: string; size: number } }[]> {
  const { rows } = await seeded().db.admin.query('select name, version, metadata from storage.objects where bucket_id = $1 and name = $2', [
    bucket,
    name,
  ])
  return rows
}

/** The version files of an object on disk (empty when the object has none). */
function filesOf(root: string, bucket: string, key: string): string[] {
  const dir = path.join(root, bucket, ...key.split('/'))
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => e.name)
    : []
}

async function bytesOf(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(url)
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) }
}

test('an operator uploads an item image; its public URL serves the bytes; the row is written as the operator', async () => {
  const key = `items/${randomUUID()}.png`
  const bytes = png(64, 48)
  const { data, error } = await operator.storage.from('item-images').upload(key, blob(bytes, 'image/png'))
  expect(error).toBeNull()
  expect(data).toMatchObject({ path: key, fullPath: `item-images/${key}` })
  expect(data!.id).toMatch(/^[0-9a-f-]{36}$/)

  const rows = await objectRows('item-images', key)
  expect(rows).toHaveLength(1)
  expect(rows[0].metadata).toMatchObject({ mimetype: 'image/png', size: bytes.length })

  const publicUrl = operator.storage.from('item-images').getPublicUrl(key).data.publicUrl
  expect(publicUrl).toBe(`${seeded().api.url}/storage/v1/object/public/item-images/${key}`)
  const got = await bytesOf(publicUrl)
  expect(got.status).toBe(200)
  expect(got.type).toBe('image/png')
  expect(got.bytes.equals(bytes)).toBe(true)
})

test('the seeded item images are served from the public URL the app builds', async () => {
  const { itemImageUrl } = await import('../../src/domain/mall')
  const { rows } = await seeded().db.admin.query(
    `select image_urls[1] as key from public.mall_items where cardinality(image_urls) > 0 order by sort_order`,
  )
  expect(rows.length).toBeGreaterThanOrEqual(3)
  for (const { key } of rows) {
    const got = await bytesOf(itemImageUrl(key, seeded().api.url)!)
    expect(got.status).toBe(200)
    expect(got.type).toBe('image/png')
    expect(got.bytes.subarray(1, 4).toString()).toBe('PNG')
  }
})

test('a member cannot upload to item-images; anon cannot upload anywhere (403 in storage error shape)', async () => {
  const key = `items/${randomUUID()}.png`
  const member = await memberA.storage.from('item-images').upload(key, blob(png(32, 32), 'image/png'))
  expect(member.error).toMatchObject({ statusCode: '403', status: 400 })
  expect(member.error!.message).toMatch(/row-level security/)
  for (const [bucket, name] of [
    ['item-images', key],
    ['avatars', `${A}/anon.png`],
  ]) {
    const r = await anon.storage.from(bucket).upload(name, blob(png(32, 32), 'image/png'))
    expect(r.error).toMatchObject({ statusCode: '403' })
    expect(await objectRows(bucket, name)).toEqual([])
  }
  expect(await objectRows('item-images', key)).toEqual([])
})

test('member A uploads and overwrites their own avatar; cannot overwrite or delete B’s', async () => {
  const mine = `${A}/avatar.png`
  const first = png(40, 40, 1)
  const second = png(80, 80, 2)
  expect((await memberA.storage.from('avatars').upload(mine, blob(first, 'image/png'))).error).toBeNull()
  // a second upload without upsert: 409; with upsert: replaced
  const again = await memberA.storage.from('avatars').upload(mine, blob(second, 'image/png'))
  expect(again.error).toMatchObject({ statusCode: '409' })
  expect((await memberA.storage.from('avatars').upload(mine, blob(second, 'image/png'), { upsert: true })).error).toBeNull()
  const dl = await memberA.storage.from('avatars').download(mine)
  expect(dl.error).toBeNull()
  expect(Buffer.from(await dl.data!.arrayBuffer()).equals(second)).toBe(true)
  // update (PUT) replaces too; the replaced version's file is gone
  const third = png(20, 30, 3)
  expect((await memberA.storage.from('avatars').update(mine, blob(third, 'image/png'))).error).toBeNull()
  const rows = await objectRows('avatars', mine)
  expect(filesOf(storageRoot(), 'avatars', mine)).toEqual([rows[0].version])
  expect((await bytesOf(memberA.storage.from('avatars').getPublicUrl(mine).data.publicUrl)).bytes.equals(third)).toBe(true)

  const hers = `${B}/avatar.png`
  const herBytes = png(50, 50, 9)
  expect((await memberB.storage.from('avatars').upload(hers, blob(herBytes, 'image/png'))).error).toBeNull()
  const overwrite = await memberA.storage.from('avatars').upload(hers, blob(first, 'image/png'), { upsert: true })
  expect(overwrite.error).toMatchObject({ statusCode: '403' })
  expect((await memberA.storage.from('avatars').update(hers, blob(first, 'image/png'))).error).toMatchObject({ statusCode: '403' })
  // A cannot see B's row: deleting it deletes nothing, and A cannot download or sign it
  expect(await memberA.storage.from('avatars').remove([hers])).toEqual({ data: [], error: null })
  expect((await memberA.storage.from('avatars').download(hers)).error).toMatchObject({ statusCode: '404' })
  expect((await memberA.storage.from('avatars').createSignedUrl(hers, 60)).error).toMatchObject({ statusCode: '404' })
  // B's avatar is intact (public URL: the bucket is public)
  const still = await bytesOf(memberB.storage.from('avatars').getPublicUrl(hers).data.publicUrl)
  expect(still.bytes.equals(herBytes)).toBe(true)
  // nor may A write outside any folder of theirs
  expect((await memberA.storage.from('avatars').upload('avatar.png', blob(first, 'image/png'))).error).toMatchObject({ statusCode: '403' })
})

test('concurrent upserts of one key leave one row and exactly its file', async () => {
  const key = `${A}/race.png`
  const results = await Promise.all(
    [1, 2, 3, 4, 5, 6].map((i) => memberA.storage.from('avatars').upload(key, blob(png(16 + i, 16, i), 'image/png'), { upsert: true })),
  )
  expect(results.map((r) => r.error)).toEqual(results.map(() => null))
  const rows = await objectRows('avatars', key)
  expect(rows).toHaveLength(1)
  expect(filesOf(storageRoot(), 'avatars', key)).toEqual([rows[0].version])
  const served = await bytesOf(memberA.storage.from('avatars').getPublicUrl(key).data.publicUrl)
  expect(served.bytes.length).toBe(rows[0].metadata.size)
})

test('a signed URL downloads the bytes; a forged or other-object token is refused', async () => {
  const key = `${A}/signed.png`
  const bytes = png(24, 24, 5)
  expect((await memberA.storage.from('avatars').upload(key, blob(bytes, 'image/png'))).error).toBeNull()
  const { data, error } = await memberA.storage.from('avatars').createSignedUrl(key, 60)
  expect(error).toBeNull()
  expect(data!.signedUrl).toMatch(new RegExp(`^${seeded().api.url}/storage/v1/object/sign/avatars/${A}/signed\\.png\\?token=`))
  const got = await bytesOf(data!.signedUrl)
  expect(got.status).toBe(200)
  expect(got.bytes.equals(bytes)).toBe(true)

  const forged = data!.signedUrl.replace(/token=([^.]+)\.([^.]+)\.(.+)$/, 'token=$1.$2.AAAA')
  const bad = await fetch(forged)
  expect(bad.status).toBe(400)
  expect(await bad.json()).toMatchObject({ statusCode: '400', code: 'InvalidSignature' })
  // the token of one object does not open another
  const other = data!.signedUrl.replace('/signed.png', '/avatar.png')
  expect((await fetch(other)).status).toBe(400)
})

test('list shows files and folders one level down; remove deletes rows and files', async () => {
  const folder = `items/list-${randomUUID().slice(0, 8)}`
  for (const name of ['a.png', 'b.png', 'sub/c.png']) {
    expect((await operator.storage.from('item-images').upload(`${folder}/${name}`, blob(png(16, 16), 'image/png'))).error).toBeNull()
  }
  const { data, error } = await anon.storage.from('item-images').list(folder)
  expect(error).toBeNull()
  expect(data!.map((e) => [e.name, e.id === null])).toEqual([
    ['sub', true],
    ['a.png', false],
    ['b.png', false],
  ])
  expect(data![1].metadata).toMatchObject({ mimetype: 'image/png', size: expect.any(Number) })
  const search = await anon.storage.from('item-images').list(folder, { search: 'b' })
  expect(search.data!.map((e) => e.name)).toEqual(['b.png'])

  // a member cannot delete the operator's images; the operator can
  expect((await memberA.storage.from('item-images').remove([`${folder}/a.png`])).data).toEqual([])
  const removed = await operator.storage.from('item-images').remove([`${folder}/a.png`, `${folder}/sub/c.png`, `${folder}/missing.png`])
  expect(removed.error).toBeNull()
  expect(removed.data!.map((o) => o.name).sort()).toEqual([`${folder}/a.png`, `${folder}/sub/c.png`])
  expect(await objectRows('item-images', `${folder}/a.png`)).toEqual([])
  expect(filesOf(storageRoot(), 'item-images', `${folder}/a.png`)).toEqual([])
  expect((await anon.storage.from('item-images').list(folder)).data!.map((e) => e.name)).toEqual(['b.png'])
})

describe('bad images are refused (4xx) and leave no object row and no file', () => {
  const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
  /** A real PNG whose header says 10000×10000 px (a decompression bomb's header; its CRC kept valid). */
  function hugePngHeader(): Buffer {
    const bytes = Buffer.from(png(16, 16))
    bytes.writeUInt32BE(10000, 16)
    bytes.writeUInt32BE(10000, 20)
    bytes.writeUInt32BE(crc32.unsigned(bytes.subarray(12, 29)), 29)
    return bytes
  }
  const cases: [string, () => Buffer, string, string, RegExp][] = [
    ['a text file named .png', () => Buffer.from('just some text, not a picture\n'), 'image/png', '415', /not an image/],
    ['a GIF declared as a GIF', () => GIF, 'image/gif', '415', /mime type image\/gif is not supported/],
    ['a GIF declared as a PNG', () => GIF, 'image/png', '415', /JPEG, PNG or WebP/],
    ['a PNG over 2 MB', () => Buffer.concat([png(16, 16), Buffer.alloc(2 * 1024 * 1024)]), 'image/png', '413', /exceeded/],
    ['a 1×1 PNG', () => png(1, 1), 'image/png', '400', /1×1 px/],
    ['a 10000×10000 PNG', hugePngHeader, 'image/png', '400', /10000×10000 px/],
  ]
  test.each(cases)('%s', async (_label, bytes, type, statusCode, message) => {
    const key = `items/bad-${randomUUID()}.png`
    const { data, error } = await operator.storage.from('item-images').upload(key, blob(bytes(), type))
    expect(data).toBeNull()
    expect(error).toMatchObject({ statusCode, status: 400 })
    expect(error!.message).toMatch(message)
    expect(await objectRows('item-images', key)).toEqual([])
    expect(filesOf(storageRoot(), 'item-images', key)).toEqual([])
  })

  test('a refused overwrite keeps the object as it was', async () => {
    const key = `items/keep-${randomUUID()}.png`
    const good = png(32, 32, 7)
    expect((await operator.storage.from('item-images').upload(key, blob(good, 'image/png'))).error).toBeNull()
    const before = await objectRows('item-images', key)
    const r = await operator.storage.from('item-images').upload(key, blob(Buffer.from('nope'), 'image/png'), { upsert: true })
    expect(r.error).toMatchObject({ statusCode: '415' })
    expect(await objectRows('item-images', key)).toEqual(before)
    expect(filesOf(storageRoot(), 'item-images', key)).toEqual([before[0].version])
  })
})

test('the declared type does not matter: a PNG sent as image/jpeg is stored and served as image/png', async () => {
  const key = `items/${randomUUID()}.jpg`
  const bytes = png(20, 20)
  expect((await operator.storage.from('item-images').upload(key, blob(bytes, 'image/jpeg'))).error).toBeNull()
  expect((await objectRows('item-images', key))[0].metadata.mimetype).toBe('image/png')
  expect((await bytesOf(operator.storage.from('item-images').getPublicUrl(key).data.publicUrl)).type).toBe('image/png')
})

test('raw (non-multipart) bodies work too, and buckets are listed as the caller may see them', async () => {
  const key = `items/${randomUUID()}.png`
  const bytes = png(20, 20)
  const up = await operator.storage.from('item-images').upload(key, new Uint8Array(bytes), { contentType: 'image/png' })
  expect(up.error).toBeNull()
  expect((await bytesOf(operator.storage.from('item-images').getPublicUrl(key).data.publicUrl)).bytes.equals(bytes)).toBe(true)

  const all = await service.storage.listBuckets()
  expect(all.data!.map((b) => [b.id, b.public, b.file_size_limit, b.allowed_mime_types])).toEqual([
    ['avatars', true, 2097152, ['image/jpeg', 'image/png', 'image/webp']],
    ['item-images', true, 2097152, ['image/jpeg', 'image/png', 'image/webp']],
    ['wxacodes', false, 2097152, ['image/jpeg', 'image/png']],
  ])
  // RLS on storage.buckets without policies: API roles other than service_role see none (as on Supabase)
  expect((await memberA.storage.listBuckets()).data).toEqual([])
  expect((await memberA.storage.from('nope').upload('x.png', blob(png(16, 16), 'image/png'))).error).toMatchObject({ statusCode: '404' })
})

test('the bytes of the seed images are the committed files', () => {
  expect(readdirSync(path.join(ROOT, 'supabase', 'seed', 'item-images', 'items')).length).toBeGreaterThanOrEqual(3)
})
