// Storage (supabase/schemas/storage.sql, docs/storage.md) in the database: the buckets the migration creates (and
// supabase/config.toml declares), and the RLS policies on storage.objects, exercised through the role switch and
// JWT claims the Storage API uses — item-images: anyone reads, only active operators write; avatars: each member
// reads and writes only under their own folder. And the object keys mall_items.image_urls may hold.
import { randomUUID } from 'node:crypto'
import { bucketConfigs } from '../../stack/storage/seed'
import { useSeededDb } from '../../test/support/db'
import { aMember, SEEDED } from '../../test/factories/members'

const db = useSeededDb()
const OPERATOR = { sub: SEEDED.operatorZhao.id }
const A = { sub: SEEDED.lin.id }
const B = { sub: SEEDED.chen.id }
type Caller = Parameters<ReturnType<typeof db>['sqlAs']>[0]

const insert = (bucket: string, name: string) =>
  `insert into storage.objects (bucket_id, name, version) values ('${bucket}', '${name}', '${randomUUID()}') returning name`
/** Rows an object statement touched as `caller` (rolled back), or the error code it raised. */
async function as(caller: Caller, sql: string): Promise<number | string> {
  try {
    return (await db().sqlAs(caller, sql)).length
  } catch (err) {
    return (err as { code: string }).code
  }
}
async function anObject(bucket: string, name: string): Promise<void> {
  await db().admin.query('insert into storage.objects (bucket_id, name, version) values ($1, $2, $3)', [bucket, name, randomUUID()])
}

test('the migrations create the image buckets that supabase/config.toml declares', async () => {
  const { rows } = await db().admin.query(
    'select id, name, public, file_size_limit::int as size, allowed_mime_types from storage.buckets order by id',
  )
  expect(rows).toEqual([
    { id: 'avatars', name: 'avatars', public: true, size: 2 * 1024 * 1024, allowed_mime_types: ['image/jpeg', 'image/png', 'image/webp'] },
    { id: 'item-images', name: 'item-images', public: true, size: 2 * 1024 * 1024, allowed_mime_types: ['image/jpeg', 'image/png', 'image/webp'] },
    // members' 小程序码 (the wxacode function, docs/messages.md): private, only service_role reads and writes it
    { id: 'wxacodes', name: 'wxacodes', public: false, size: 2 * 1024 * 1024, allowed_mime_types: ['image/jpeg', 'image/png'] },
  ])
  const declared = bucketConfigs().map((b) => ({ id: b.id, public: b.public, size: b.file_size_limit, types: b.allowed_mime_types }))
  expect(declared.sort((x, y) => x.id.localeCompare(y.id))).toEqual(
    rows.map((r) => ({ id: r.id, public: r.public, size: '2MiB', types: r.allowed_mime_types })),
  )
})

test('item-images: only an active operator inserts, updates and deletes; members, staff and anon cannot', async () => {
  const name = `items/${randomUUID()}.png`
  expect(await as(OPERATOR, insert('item-images', name))).toBe(1)
  for (const caller of [A, { sub: SEEDED.staffWang.id }, { sub: SEEDED.managerLi.id }, 'anon'] as Caller[]) {
    expect(await as(caller, insert('item-images', name))).toBe('42501')
  }
  await anObject('item-images', name)
  const update = `update storage.objects set version = 'v2' where bucket_id = 'item-images' and name = '${name}' returning name`
  const del = `delete from storage.objects where bucket_id = 'item-images' and name = '${name}' returning name`
  expect(await as(OPERATOR, update)).toBe(1)
  expect(await as(OPERATOR, del)).toBe(1)
  expect(await as(A, update)).toBe(0)
  expect(await as(A, del)).toBe(0)
  expect(await as('anon', del)).toBe(0)
  // a deactivated operator is a member again
  await db().admin.query('update public.operators set active = false where member_id = $1', [OPERATOR.sub])
  try {
    expect(await as(OPERATOR, insert('item-images', `items/${randomUUID()}.png`))).toBe('42501')
    expect(await as(OPERATOR, del)).toBe(0)
  } finally {
    await db().admin.query('update public.operators set active = true where member_id = $1', [OPERATOR.sub])
  }
})

test('item-images rows are readable by anyone (the bucket is public); avatars rows only by their member', async () => {
  const item = `items/${randomUUID()}.png`
  await anObject('item-images', item)
  await anObject('avatars', `${A.sub}/a.png`)
  await anObject('avatars', `${B.sub}/b.png`)
  const read = (bucket: string) => `select name from storage.objects where bucket_id = '${bucket}'`
  for (const caller of ['anon', A, OPERATOR] as Caller[]) expect(await as(caller, `${read('item-images')} and name = '${item}'`)).toBe(1)
  expect(await as('anon', read('avatars'))).toBe(0)
  expect((await db().sqlAs(A, read('avatars'))).map((r) => r.name)).toEqual([`${A.sub}/a.png`])
  expect((await db().sqlAs(B, read('avatars'))).map((r) => r.name)).toEqual([`${B.sub}/b.png`])
  expect(await as(OPERATOR, read('avatars'))).toBe(0)
})

test('avatars: a member writes only under the folder named by their own id', async () => {
  const member = { sub: await aMember(db()) }
  expect(await as(member, insert('avatars', `${member.sub}/avatar.png`))).toBe(1)
  expect(await as(member, insert('avatars', `${member.sub}/2026/avatar.png`))).toBe(1)
  for (const name of [`${A.sub}/avatar.png`, 'avatar.png', `x/${member.sub}/avatar.png`, `${member.sub.toUpperCase()}/avatar.png`]) {
    expect(await as(member, insert('avatars', name))).toBe('42501')
  }
  expect(await as('anon', insert('avatars', `${member.sub}/avatar.png`))).toBe('42501')
  expect(await as(OPERATOR, insert('avatars', `${member.sub}/avatar.png`))).toBe('42501')

  await anObject('avatars', `${A.sub}/avatar.png`)
  const update = (who: string) => `update storage.objects set version = 'v2' where bucket_id = 'avatars' and name = '${who}/avatar.png' returning name`
  const del = (who: string) => `delete from storage.objects where bucket_id = 'avatars' and name = '${who}/avatar.png' returning name`
  expect(await as(A, update(A.sub))).toBe(1)
  expect(await as(A, del(A.sub))).toBe(1)
  expect(await as(B, update(A.sub))).toBe(0)
  expect(await as(B, del(A.sub))).toBe(0)
  // moving one's own object into someone else's folder is refused too
  expect(await as(A, `update storage.objects set name = '${B.sub}/x.png' where bucket_id = 'avatars' and name = '${A.sub}/avatar.png'`)).toBe('42501')
})

test('public.is_operator answers for the caller only, to signed-in callers only', async () => {
  expect(await db().sqlAs(OPERATOR, 'select public.is_operator() as yes')).toEqual([{ yes: true }])
  expect(await db().sqlAs(A, 'select public.is_operator() as yes')).toEqual([{ yes: false }])
  expect(await as('anon', 'select public.is_operator()')).toBe('42501')
  expect((await db().call('is_operator', {}, OPERATOR)).body).toBe(true)
  expect((await db().call('is_operator', {}, A)).body).toBe(false)
})

test('image_urls may hold item-images object keys besides http(s) URLs and app paths', async () => {
  const ok = async (urls: string[]) =>
    (await db().admin.query('select private.is_image_url_list($1::text[]) as ok', [urls])).rows[0].ok as boolean
  for (const good of [
    ['items/3f2c9a1e-0000-4000-8000-0000000000e1.png'],
    ['items/a_b-c.d.webp', 'https://cdn.example.com/x.png', '/static/x.png'],
    ['seed.png'],
  ]) {
    expect([good, await ok(good)]).toEqual([good, true])
  }
  for (const bad of [
    ['items/x.png '],
    ['//evil.example.com/x.png'],
    ['javascript:alert(1)'],
    ['items//x.png'],
    ['items/../secret.png'],
    ['.hidden/x.png'],
    ['items/x.png/'],
    ['ftp://example.com/x.png'],
    [''],
  ]) {
    expect([bad, await ok(bad)]).toEqual([bad, false])
  }
  const saved = await db().call(
    'op_save_mall_item',
    { p_kind: 'gift', p_title: '带图礼品', p_category_code: 'gifts', p_cost_points: 10, p_stock: 1, p_image_urls: ['items/gift.png'] },
    OPERATOR,
  )
  expect(saved.status).toBe(200)
  expect(saved.body.image_urls).toEqual(['items/gift.png'])
  const refused = await db().call(
    'op_save_mall_item',
    { p_kind: 'gift', p_title: '坏图礼品', p_category_code: 'gifts', p_cost_points: 10, p_stock: 1, p_image_urls: ['../x.png'] },
    OPERATOR,
  )
  expect([refused.status, refused.body.message]).toEqual([400, 'invalid_image_urls'])
})

test('the seeded mall items with pictures name item-images keys; two have none', async () => {
  const { rows } = await db().admin.query(`select image_urls from public.mall_items where id::text like '00000000-0000-4000-b000-%' order by sort_order`)
  const keys = rows.map((r) => r.image_urls[0] ?? null)
  expect(keys.filter((k) => k === null)).toHaveLength(2)
  for (const k of keys.filter(Boolean)) expect(k).toMatch(/^items\/[a-z0-9-]+\.png$/)
})
