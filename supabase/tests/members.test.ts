// Member rows, private sign-in identities, register_member.
import { useSeededDb } from '../../test/support/db'
import { SEEDED } from '../../test/factories/members'

const seeded = useSeededDb()
const A = SEEDED.lin.id
const B = SEEDED.chen.id

const count = async (sql: string) => (await seeded().admin.query(sql)).rows[0].n as number

test('register_member is for service_role only', async () => {
  expect((await seeded().call('register_member', { p_provider: 'dev', p_subject: '13500000000' })).status).toBe(401)
  expect((await seeded().call('register_member', { p_provider: 'dev', p_subject: '13500000000' }, { sub: A })).status).toBe(403)
  expect(await count(`select count(*)::int as n from public.members where phone = '13500000000'`)).toBe(0)
})

test('register_member creates a member once per identity', async () => {
  const first = await seeded().call('register_member', { p_provider: 'wechat', p_subject: 'openid-x', p_wechat_unionid: 'u-x' }, 'service_role')
  expect(first.status).toBe(200)
  expect(first.body).toMatchObject({ nickname: '微信用户', phone: null, created: true })
  const second = await seeded().call('register_member', { p_provider: 'wechat', p_subject: 'openid-x' }, 'service_role')
  expect(second.body).toMatchObject({ id: first.body.id, created: false })
  const dev = await seeded().call('register_member', { p_provider: 'dev', p_subject: '13800000001' }, 'service_role')
  expect(dev.body).toMatchObject({ id: A, created: false }) // seeded member
})

test('50 parallel first sign-ins of one identity create exactly one member', async () => {
  const results = await Promise.all(
    Array.from({ length: 50 }, () => seeded().call('register_member', { p_provider: 'wechat', p_subject: 'openid-race' }, 'service_role')),
  )
  expect(results.every((r) => r.status === 200)).toBe(true)
  expect(new Set(results.map((r) => r.body.id)).size).toBe(1)
  expect(results.filter((r) => r.body.created)).toHaveLength(1)
  expect(await count(`select count(*)::int as n from private.member_identities where subject = 'openid-race'`)).toBe(1)
})

test('bad input is a 400 with a stable code and creates nothing', async () => {
  const before = await count('select count(*)::int as n from public.members')
  const cases: [Record<string, unknown>, string][] = [
    [{ p_provider: 'github', p_subject: 'x' }, 'invalid_provider'],
    [{ p_provider: 'dev', p_subject: '123' }, 'invalid_phone'],
    [{ p_provider: 'wechat', p_subject: '' }, 'invalid_subject'],
    [{ p_provider: 'wechat', p_subject: 'x'.repeat(129) }, 'invalid_subject'],
  ]
  for (const [args, code] of cases) {
    const res = await seeded().call('register_member', args, 'service_role')
    expect([args, res.status, res.body.message]).toEqual([args, 400, code])
  }
  expect(await count('select count(*)::int as n from public.members')).toBe(before)
})

test('members read only their own row; nobody writes members or identities through the API', async () => {
  expect((await seeded().read('members', 'select=id', { sub: A })).body).toEqual([{ id: A }])
  expect((await seeded().read('members', `select=id&id=eq.${B}`, { sub: A })).body).toEqual([])
  expect((await seeded().read('members', 'select=id')).status).toBe(401)
  for (const caller of ['anon', { sub: A }, 'service_role'] as const) {
    for (const sql of [
      `update public.members set nickname = 'x'`,
      `delete from public.members`,
      `insert into public.members (nickname) values ('x')`,
      `select * from private.member_identities`,
    ]) {
      await expect(seeded().sqlAs(caller, sql)).rejects.toThrow(/permission denied/)
    }
  }
})
