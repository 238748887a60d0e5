// The program row, business days in the program's time zone, get_program.
import { SEEDED } from '../../test/factories/members'
import { useSeededDb } from '../../test/support/db'

const seeded = useSeededDb()

const businessDate = async (at: string) =>
  (await seeded().admin.query(`select private.business_date($1::timestamptz)::text as d`, [at])).rows[0].d

test('the server runs in UTC, business days follow Asia/Shanghai', async () => {
  expect((await seeded().admin.query('show timezone')).rows[0].TimeZone).toBe('UTC')
  expect(await businessDate('2026-11-23T15:59:59Z')).toBe('2026-11-23') // 23:59:59 in Shanghai
  expect(await businessDate('2026-11-23T16:00:00Z')).toBe('2026-11-24') // 00:00:00 in Shanghai
  expect(await businessDate('2026-12-31T16:00:00Z')).toBe('2027-01-01')
})

test('business days move with the configured time zone', async () => {
  await seeded().admin.query(`update public.program set time_zone = 'Europe/Berlin'`)
  try {
    expect(await businessDate('2026-11-23T22:59:59Z')).toBe('2026-11-23')
    expect(await businessDate('2026-11-23T23:00:00Z')).toBe('2026-11-24')
  } finally {
    await seeded().admin.query(`update public.program set time_zone = 'Asia/Shanghai'`)
  }
})

test('get_program answers anon and members with today in the program time zone', async () => {
  const { status, body } = await seeded().call('get_program')
  expect(status).toBe(200)
  const shanghaiToday = (await seeded().admin.query(`select (now() at time zone 'Asia/Shanghai')::date::text as d`)).rows[0].d
  expect(body).toMatchObject({ name: '悦享咖啡会员', time_zone: 'Asia/Shanghai', point_value_fen: 1, business_date: shanghaiToday })
  expect((await seeded().call('get_program', {}, { sub: SEEDED.lin.id })).status).toBe(200)
})

test('the program is one row with a valid time zone', async () => {
  await expect(seeded().admin.query(`insert into public.program (id, name) values (false, 'x')`)).rejects.toThrow(/check/)
  await expect(seeded().admin.query(`insert into public.program (name) values ('second')`)).rejects.toThrow(/duplicate key/)
  await expect(seeded().admin.query(`update public.program set time_zone = 'Mars/Olympus'`)).rejects.toThrow(/check/)
})

test('API roles read the program but cannot change it', async () => {
  expect((await seeded().read('program', 'select=name')).body).toEqual([{ name: '悦享咖啡会员' }])
  for (const caller of ['anon', { sub: SEEDED.lin.id }, 'service_role'] as const) {
    for (const sql of [`update public.program set name = 'hacked'`, `delete from public.program`, `insert into public.program (name) values ('x')`]) {
      await expect(seeded().sqlAs(caller, sql)).rejects.toThrow(/permission denied/)
    }
  }
  expect((await seeded().admin.query('select name from public.program')).rows).toEqual([{ name: '悦享咖啡会员' }])
})
