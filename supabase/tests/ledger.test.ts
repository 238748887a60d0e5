// The award / spend / reverse primitives, lots and their expiry, FIFO, append-only
// entries, the balance that can never go negative, and all of it under concurrency.
import { Pool } from 'pg'
import { useSeededDb } from '../../test/support/db'
import { aMember, balanceOf } from '../../test/factories/members'

const db = useSeededDb()

const asOf = (at: string | null, sql: string, params: unknown[] = [], pool?: Pool) => db().sqlAt(at, sql, params, pool)

const award = async (at: string | null, member: string, points: number, ref: string, availableAt: string | null = null, pool?: Pool) =>
  Number((await asOf(at, `select entry_id from private.award_points($1, 'adjustment', $2, $3, '', '{}', $4)`, [member, points, ref, availableAt], pool))[0].entry_id)
const spend = async (at: string | null, member: string, points: number, ref: string, pool?: Pool) =>
  Number((await asOf(at, `select private.spend_points($1, 'redemption', $2, $3) as id`, [member, points, ref], pool))[0].id)
const reverse = async (at: string | null, entryId: number, pool?: Pool) =>
  Number((await asOf(at, 'select private.reverse_entry($1) as id', [entryId], pool))[0].id)

const available = async (at: string | null, member: string) =>
  (await asOf(at, 'select private.available_points($1) as n', [member]))[0].n as number
const entry = async (id: number) =>
  (await db().admin.query('select *, business_date::text as business_date from public.point_entries where id = $1', [id])).rows[0]
const lotsOf = async (entryId: number) =>
  (await db().admin.query('select * from public.point_lots where entry_id = $1 order by expires_at, id', [entryId])).rows
/** What a debit took: [crediting entry id, points] in lot order. */
const usagesOf = async (entryId: number) =>
  (await db().admin.query(
    `select l.entry_id::float8 as from_entry, u.points from public.point_lot_usages u join public.point_lots l on l.id = u.lot_id
     where u.entry_id = $1 order by l.expires_at, l.id`, [entryId])).rows.map((r) => [r.from_entry, r.points])
const entryCount = async (member: string) =>
  (await db().admin.query('select count(*)::int as n from public.point_entries where member_id = $1', [member])).rows[0].n
const registrationEntry = async (member: string) =>
  Number((await db().admin.query(`select id from public.point_entries where member_id = $1 and source = 'registration'`, [member])).rows[0].id)
const iso = (at: string) => new Date(at).toISOString()

describe('award_points', () => {
  test('one earn entry and one lot expiring at the start of the Shanghai day after 12 months', async () => {
    const cases = [
      ['2025-02-28T23:30:00+08:00', '2025-02-28', '2026-03-01T00:00:00+08:00'],
      ['2024-02-29T12:00:00+08:00', '2024-02-29', '2025-03-01T00:00:00+08:00'], // leap day
      ['2025-02-28T16:30:00Z', '2025-03-01', '2026-03-02T00:00:00+08:00'], // 00:30 in Shanghai: already the next day
      ['2025-12-31T15:59:59Z', '2025-12-31', '2027-01-01T00:00:00+08:00'],
    ]
    for (const [at, day, expires] of cases) {
      const member = await aMember(db(), { at })
      const id = await award(at, member, 250, 'first')
      expect(await entry(id)).toMatchObject({ member_id: member, kind: 'earn', source: 'adjustment', ref: 'first', amount_points: 250, business_date: day })
      const lots = await lotsOf(id)
      expect(lots).toHaveLength(1)
      expect(lots[0]).toMatchObject({ earned_points: 250, remaining_points: 250 })
      expect([at, lots[0].available_at.toISOString(), lots[0].expires_at.toISOString()]).toEqual([at, iso(at), iso(expires)])
      // the registration bonus earned at the same instant follows the same rule
      expect((await lotsOf(await registrationEntry(member)))[0].expires_at.toISOString()).toBe(iso(expires))
      expect(await balanceOf(db(), member)).toBe(350)
    }
  })

  test('the natural key (member, source, ref) makes it idempotent; the same key with another amount is duplicate_reference', async () => {
    const member = await aMember(db())
    const first = await award(null, member, 50, 'order-1')
    expect(await award(null, member, 50, 'order-1')).toBe(first)
    expect(await balanceOf(db(), member)).toBe(150)
    await expect(award(null, member, 60, 'order-1')).rejects.toMatchObject({ code: 'PT409', message: 'duplicate_reference' })
    // the same ref under another source is another key
    await asOf(null, `select private.award_points($1, 'purchase', 50, 'order-1')`, [member])
    expect(await balanceOf(db(), member)).toBe(200)
    const spent = await spend(null, member, 30, 'r-1')
    expect(await spend(null, member, 30, 'r-1')).toBe(spent)
    await expect(spend(null, member, 31, 'r-1')).rejects.toMatchObject({ code: 'PT409', message: 'duplicate_reference' })
    expect(await balanceOf(db(), member)).toBe(170)
  })

  test('invalid amounts and unknown members are rejected', async () => {
    const member = await aMember(db())
    for (const points of [0, -5]) {
      await expect(award(null, member, points, `bad${points}`)).rejects.toMatchObject({ code: 'PT400', message: 'invalid_points' })
      await expect(spend(null, member, points, `bad${points}`)).rejects.toMatchObject({ code: 'PT400', message: 'invalid_points' })
    }
    await expect(award(null, '00000000-0000-4000-8000-0000000000ff', 5, 'x')).rejects.toMatchObject({ code: 'PT404', message: 'member_not_found' })
    expect(await entryCount(member)).toBe(1)
  })
})

describe('spend_points', () => {
  test('takes lots earliest expiry first (not insertion order) and records which lots it used', async () => {
    const member = await aMember(db(), { at: '2025-05-01T10:00:00+08:00' }) // 100, expires 2026-05-02
    const reg = await registrationEntry(member)
    const late = await award('2025-07-01T10:00:00+08:00', member, 60, 'late') // expires 2026-07-02
    const early = await award('2025-03-01T10:00:00+08:00', member, 40, 'early') // inserted last, expires 2026-03-02
    const first = await spend('2025-08-01T10:00:00+08:00', member, 120, 'r1')
    expect(await usagesOf(first)).toEqual([[early, 40], [reg, 80]])
    const second = await spend('2025-08-01T10:00:00+08:00', member, 50, 'r2')
    expect(await usagesOf(second)).toEqual([[reg, 20], [late, 30]])
    expect(await entry(second)).toMatchObject({ kind: 'spend', source: 'redemption', amount_points: -50 })
    expect(await balanceOf(db(), member)).toBe(30)
    expect((await lotsOf(late))[0].remaining_points).toBe(30)
  })

  test('insufficient_points (409) changes nothing', async () => {
    const member = await aMember(db())
    await expect(spend(null, member, 101, 'too-much')).rejects.toMatchObject({ code: 'PT409', message: 'insufficient_points' })
    expect(await balanceOf(db(), member)).toBe(100)
    expect(await entryCount(member)).toBe(1)
    const { rows } = await db().admin.query(
      'select count(*)::int as n from public.point_lot_usages u join public.point_lots l on l.id = u.lot_id where l.member_id = $1', [member])
    expect(rows[0].n).toBe(0)
    expect(await spend(null, member, 100, 'all')).toBeGreaterThan(0)
    expect(await balanceOf(db(), member)).toBe(0)
  })

  test('pending lots count in the balance but cannot be spent before available_at', async () => {
    const at = '2025-09-01T10:00:00+08:00'
    const member = await aMember(db(), { at })
    await award(at, member, 200, 'held', '2025-09-04T10:00:00+08:00')
    expect(await balanceOf(db(), member)).toBe(300)
    expect(await available(at, member)).toBe(100)
    await expect(spend('2025-09-04T09:59:59+08:00', member, 150, 'early')).rejects.toMatchObject({ message: 'insufficient_points' })
    const ok = await spend('2025-09-04T10:00:00+08:00', member, 150, 'on-time')
    expect(await balanceOf(db(), member)).toBe(150)
    expect((await usagesOf(ok)).reduce((s, [, p]) => s + p, 0)).toBe(150)
  })

  test('expired lots leave as expire entries before a spend and cannot be spent', async () => {
    const member = await aMember(db(), { at: '2024-03-01T10:00:00+08:00' }) // 100, expires 2025-03-02 00:00 +08
    await award('2024-06-01T10:00:00+08:00', member, 50, 'later') // expires 2025-06-02
    expect(await available('2025-03-01T23:59:59+08:00', member)).toBe(150)
    await expect(spend('2025-03-02T00:00:00+08:00', member, 100, 'r')).rejects.toMatchObject({ message: 'insufficient_points' })
    await spend('2025-03-02T00:00:00+08:00', member, 50, 'r2')
    const { rows } = await db().admin.query(
      `select kind, amount_points, business_date::text as d from public.point_entries where member_id = $1 and source = 'expiry'`, [member])
    expect(rows).toEqual([{ kind: 'expire', amount_points: -100, d: '2025-03-02' }])
    expect(await balanceOf(db(), member)).toBe(0)
  })
})

describe('reverse_entry', () => {
  test('reversing an earn takes its own lot first (even partially spent), then the earliest-expiring others', async () => {
    const at = '2025-10-01T10:00:00+08:00'
    const member = await aMember(db(), { at })
    const reg = await registrationEntry(member)
    const e1 = await award(at, member, 300, 'e1')
    await spend(at, member, 350, 's1') // reg lot 100, e1 lot 250 → e1 has 50 left
    const e2 = await award('2025-10-02T10:00:00+08:00', member, 400, 'e2')
    const rev = await reverse('2025-10-03T10:00:00+08:00', e1)
    expect(await entry(rev)).toMatchObject({ kind: 'reverse', source: 'adjustment', ref: `reverse:${e1}`, amount_points: -300, reverses_entry_id: String(e1) })
    expect(await usagesOf(rev)).toEqual([[e1, 50], [e2, 250]])
    expect(await balanceOf(db(), member)).toBe(150)
    expect(reg).toBeGreaterThan(0)
    // twice: the same reversal, nothing more
    expect(await reverse(null, e1)).toBe(rev)
    expect(await balanceOf(db(), member)).toBe(150)
  })

  test('reversing an earn takes its pending lot back; without enough points it is insufficient_points and changes nothing', async () => {
    const at = '2025-10-01T10:00:00+08:00'
    const member = await aMember(db(), { at })
    const held = await award(at, member, 200, 'held', '2025-10-10T00:00:00+08:00')
    const rev = await reverse(at, held)
    expect(await usagesOf(rev)).toEqual([[held, 200]])
    expect(await balanceOf(db(), member)).toBe(100)

    const e = await award(at, member, 100, 'e')
    await spend(at, member, 150, 's')
    await expect(reverse(at, e)).rejects.toMatchObject({ code: 'PT409', message: 'insufficient_points' })
    expect(await balanceOf(db(), member)).toBe(50)
    expect((await db().admin.query('select count(*)::int as n from public.point_entries where reverses_entry_id = $1', [e])).rows[0].n).toBe(0)
  })

  test('reversing a spend gives the points back with the expiry of the lots they came from', async () => {
    const member = await aMember(db(), { at: '2025-01-10T10:00:00+08:00' }) // expires 2026-01-11
    const a = await award('2025-06-01T10:00:00+08:00', member, 100, 'a') // expires 2026-06-02
    const s = await spend('2025-12-01T10:00:00+08:00', member, 150, 's')
    expect(await balanceOf(db(), member)).toBe(50)
    const rev = await reverse('2025-12-15T10:00:00+08:00', s)
    expect(await entry(rev)).toMatchObject({ kind: 'reverse', source: 'redemption', amount_points: 150, reverses_entry_id: String(s) })
    expect((await lotsOf(rev)).map((l) => [l.earned_points, l.remaining_points, l.expires_at.toISOString()])).toEqual([
      [100, 100, iso('2026-01-11T00:00:00+08:00')],
      [50, 50, iso('2026-06-02T00:00:00+08:00')],
    ])
    expect(await balanceOf(db(), member)).toBe(200)
    expect(await available('2025-12-15T10:00:00+08:00', member)).toBe(200)
    expect(a).toBeGreaterThan(0)
  })

  test('points given back whose expiry has passed expire (by the next pass at the latest)', async () => {
    const member = await aMember(db(), { at: '2025-01-10T10:00:00+08:00' }) // expires 2026-01-11
    await award('2025-06-01T10:00:00+08:00', member, 100, 'a') // expires 2026-06-02
    const s = await spend('2025-12-01T10:00:00+08:00', member, 150, 's')
    const at = '2026-02-01T10:00:00+08:00'
    const rev = await reverse(at, s)
    await asOf(at, 'select private.lock_balance($1), private.expire_member_lots($1)', [member])
    expect((await lotsOf(rev)).map((l) => [l.earned_points, l.remaining_points])).toEqual([[100, 0], [50, 50]])
    const { rows } = await db().admin.query(
      `select amount_points, (meta->>'lot_id')::bigint = any($2::bigint[]) as of_reversal from public.point_entries where member_id = $1 and kind = 'expire'`,
      [member, (await lotsOf(rev)).map((l) => l.id)])
    expect(rows).toEqual([{ amount_points: -100, of_reversal: true }])
    expect(await balanceOf(db(), member)).toBe(100)
  })

  test('an earn whose points partly expired is reversed only by the unexpired part; fully expired: nothing', async () => {
    const member = await aMember(db(), { at: '2025-01-10T10:00:00+08:00' }) // registration lot expires 2026-01-11
    const e = await award('2025-01-10T10:00:00+08:00', member, 300, 'e') // expires 2026-01-11
    await spend('2025-03-01T10:00:00+08:00', member, 250, 's') // registration 100, then 150 of e → e keeps 150
    await award('2026-02-01T10:00:00+08:00', member, 400, 'later') // the earlier lots expire first (lazily)
    expect(await balanceOf(db(), member)).toBe(400)
    const rev = await reverse('2026-02-02T10:00:00+08:00', e) // 150 of e expired already: 150 is taken back
    expect(await entry(rev)).toMatchObject({ kind: 'reverse', amount_points: -150, reverses_entry_id: String(e) })
    expect(await balanceOf(db(), member)).toBe(250)

    const gone = await aMember(db(), { at: '2024-01-10T10:00:00+08:00' })
    const old = await award('2024-01-10T10:00:00+08:00', gone, 50, 'old')
    await award('2025-02-01T10:00:00+08:00', gone, 70, 'new')
    expect((await asOf('2025-02-02T10:00:00+08:00', 'select private.reverse_entry($1) as id', [old]))[0].id).toBeNull()
    expect(await balanceOf(db(), gone)).toBe(70)
  })

  test('expiries and reversals are not reversible; unknown entries are entry_not_found', async () => {
    const member = await aMember(db(), { at: '2024-01-10T10:00:00+08:00' })
    await award('2024-01-11T10:00:00+08:00', member, 10, 'x') // keeps the member going after the expiry below
    await asOf('2025-01-11T10:00:00+08:00', 'select private.lock_balance($1), private.expire_member_lots($1)', [member])
    const { rows } = await db().admin.query(`select id from public.point_entries where member_id = $1 and kind = 'expire'`, [member])
    expect(rows).toHaveLength(1)
    await expect(reverse(null, Number(rows[0].id))).rejects.toMatchObject({ code: 'PT409', message: 'not_reversible' })
    const fresh = await aMember(db())
    const e = await award(null, fresh, 10, 'e')
    const rev = await reverse(null, e)
    await expect(reverse(null, rev)).rejects.toMatchObject({ code: 'PT409', message: 'not_reversible' })
    await expect(reverse(null, 999999999)).rejects.toMatchObject({ code: 'PT404', message: 'entry_not_found' })
  })
})

describe('the database guards the ledger', () => {
  test('entries and lot usages are append-only, even for the superuser', async () => {
    const member = await aMember(db())
    const s = await spend(null, member, 10, 's')
    for (const sql of [
      `update public.point_entries set amount_points = 1000 where id = ${s}`,
      `delete from public.point_entries where id = ${s}`,
      'truncate public.point_entries cascade',
      `update public.point_lot_usages set points = 1 where entry_id = ${s}`,
      `delete from public.point_lot_usages where entry_id = ${s}`,
      'truncate public.point_lot_usages',
    ]) {
      await expect(db().admin.query(sql).then(() => sql)).rejects.toThrow(/append-only/)
    }
    expect(await entryCount(member)).toBe(2)
  })

  test('a balance can never be negative (check constraint, even for the superuser)', async () => {
    const member = await aMember(db())
    await expect(db().admin.query('update public.point_balances set balance_points = -1 where member_id = $1', [member]))
      .rejects.toMatchObject({ code: '23514' })
  })

  test('no API role can call the primitives or write the ledger tables', async () => {
    const member = await aMember(db())
    const e = await award(null, member, 10, 'e')
    for (const caller of ['anon', { sub: member }, 'service_role'] as const) {
      for (const sql of [
        `select private.award_points('${member}', 'adjustment', 10, 'api')`,
        `select private.spend_points('${member}', 'redemption', 10, 'api')`,
        `select private.reverse_entry(${e})`,
        `select private.lock_balance('${member}')`,
        `update public.point_balances set balance_points = 99999`,
        `insert into public.point_entries (member_id, amount_points, kind, source, ref, business_date) values ('${member}', 5, 'earn', 'adjustment', 'api', current_date)`,
        `update public.point_lots set remaining_points = earned_points`,
      ]) {
        await expect(db().sqlAs(caller, sql)).rejects.toThrow(/permission denied/)
      }
    }
    expect(await balanceOf(db(), member)).toBe(110)
  })

  test('members read only their own ledger rows', async () => {
    const member = await aMember(db())
    await spend(null, member, 10, 's')
    const other = await aMember(db())
    for (const table of ['point_balances', 'point_entries', 'point_lots', 'point_lot_usages']) {
      const own = await db().read(table, 'select=*', { sub: member })
      expect([table, own.status, own.body.length > 0]).toEqual([table, 200, true])
      const theirs = await db().read(table, 'select=*', { sub: other })
      expect(theirs.body.some((r: { member_id?: string }) => r.member_id === member)).toBe(false)
      expect((await db().read(table, 'select=*', 'anon')).status).toBe(401)
    }
    expect((await db().read('point_lot_usages', 'select=*', { sub: other })).body).toEqual([])
  })
})

describe('concurrency (separate connections)', () => {
  let pool: Pool
  beforeEach(() => {
    pool = new Pool({ connectionString: db().url, max: 40 })
    pool.on('error', () => {}) // a connection still closing when afterAll drops the database (with force) is not a failure
  })
  afterEach(() => pool.end())

  test('40 parallel spends of 30 on a balance of 100: exactly 3 succeed, 10 left', async () => {
    const member = await aMember(db())
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => spend(null, member, 30, `race-${i}`, pool)))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []))
    expect(new Set(reasons)).toEqual(new Set(['insufficient_points']))
    expect(await balanceOf(db(), member)).toBe(10)
  })

  test('parallel awards under one natural key write one entry', async () => {
    const member = await aMember(db())
    const ids = await Promise.all(Array.from({ length: 30 }, () => award(null, member, 50, 'same-order', null, pool)))
    expect(new Set(ids).size).toBe(1)
    expect(await entryCount(member)).toBe(2)
    expect(await balanceOf(db(), member)).toBe(150)
  })

  test('parallel spends and reversals of one member keep every invariant', async () => {
    const member = await aMember(db())
    const earns = await Promise.all(Array.from({ length: 10 }, (_, i) => award(null, member, 20, `e${i}`, null, pool)))
    const [spends, reversals] = await Promise.all([
      Promise.allSettled(Array.from({ length: 15 }, (_, i) => spend(null, member, 25, `s${i}`, pool))),
      Promise.allSettled(earns.map((e) => reverse(null, e, pool))),
    ])
    const ok = (rs: PromiseSettledResult<number>[]) => rs.filter((r) => r.status === 'fulfilled').length
    for (const r of [...spends, ...reversals]) if (r.status === 'rejected') expect((r.reason as Error).message).toBe('insufficient_points')
    expect(await balanceOf(db(), member)).toBe(300 - 25 * ok(spends) - 20 * ok(reversals))
  })
})
