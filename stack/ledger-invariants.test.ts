// The ledger invariant checker (stack/ledger-invariants.ts) is the safety net of every database test
// (expectLedgerInvariants after each writing test) and of the soak: if it returned no rows it would switch off
// silently. Each test plants one kind of break in a real (throwaway) database, as the owner, inside a
// transaction that is rolled back, and expects the checker to report exactly the broken member or lot.
import type { PoolClient } from 'pg'
import { ledgerInvariantViolations } from './ledger-invariants'
import { createTestDb, expectLedgerInvariants, type TestDb } from '../test/support/db'
import { aMember } from '../test/factories/members'

let db: TestDb
beforeAll(async () => {
  db = await createTestDb()
  await db.seed()
})
afterAll(() => db?.drop())

interface Planted {
  member: string
  lot: string
  entry: string
}

/** A new member (registration bonus: one entry, one lot, balance 100) and the rows the break touches. */
async function aMemberWithLot(): Promise<Planted> {
  const member = await aMember(db)
  const { rows } = await db.admin.query(
    `select l.id::text as lot, l.entry_id::text as entry from public.point_lots l where l.member_id = $1`,
    [member],
  )
  expect(rows).toHaveLength(1)
  return { member, ...rows[0] }
}

/** Runs `plant` as the owner in a transaction, returns what the checker reports inside it, rolls back. */
async function reportedAfter(plant: (c: PoolClient, p: Planted) => Promise<unknown>): Promise<{ planted: Planted; rows: any[] }> {
  const planted = await aMemberWithLot()
  const client = await db.admin.connect()
  try {
    await client.query('begin')
    await plant(client, planted)
    return { planted, rows: numeric(await ledgerInvariantViolations(client)) }
  } finally {
    await client.query('rollback')
    client.release()
  }
}

/** The union's columns are bigint (a lot id shares the balance column): compare numbers. */
const numeric = (rows: unknown[]) =>
  (rows as { id: string; balance: unknown; entries: unknown; lots: unknown }[]).map((r) => ({
    id: r.id,
    balance: Number(r.balance),
    entries: Number(r.entries),
    lots: Number(r.lots),
  }))

/** A debit entry inserted directly (no lot usage, no balance change). */
const insertSpend = (c: PoolClient, member: string, points: number, ref = 'planted') =>
  c.query(
    `insert into public.point_entries (member_id, amount_points, kind, source, ref, business_date)
     values ($1, $2, 'spend', 'redemption', $3, current_date) returning id::text`,
    [member, -points, ref],
  )

test('a sound ledger (seed + new members) reports nothing', async () => {
  await aMemberWithLot()
  expect(await ledgerInvariantViolations(db.admin)).toEqual([])
  await expect(expectLedgerInvariants(db)).resolves.toBeUndefined()
})

test('balance ≠ sum(entries): an entry without its balance and lot changes', async () => {
  const { planted, rows } = await reportedAfter((c, p) => insertSpend(c, p.member, 10))
  expect(rows).toEqual([{ id: planted.member, balance: 100, entries: 90, lots: 100 }])
})

test('balance ≠ sum(entries): an entry rewritten in place (the append-only trigger disabled by the owner)', async () => {
  const { planted, rows } = await reportedAfter(async (c, p) => {
    await c.query(`set local session_replication_role = replica`) // user triggers off for this transaction
    await c.query(`update public.point_entries set amount_points = 120 where id = $1`, [p.entry])
  })
  // the lot is still 100 of 100 earned: only the member's sums disagree
  expect(rows).toEqual([{ id: planted.member, balance: 100, entries: 120, lots: 100 }])
})

test('balance ≠ sum(lot remaining): a lot shrunk with its earned amount', async () => {
  const { planted, rows } = await reportedAfter((c, p) =>
    c.query(`update public.point_lots set earned_points = 90, remaining_points = 90 where id = $1`, [p.lot]),
  )
  expect(rows).toEqual([{ id: planted.member, balance: 100, entries: 100, lots: 90 }])
})

test('balance ≠ both: the cached balance changed alone', async () => {
  const { planted, rows } = await reportedAfter((c, p) =>
    c.query(`update public.point_balances set balance_points = 130 where member_id = $1`, [p.member]),
  )
  expect(rows).toEqual([{ id: planted.member, balance: 130, entries: 100, lots: 100 }])
})

test('a member with entries and lots but no balance row', async () => {
  const { planted, rows } = await reportedAfter((c, p) => c.query(`delete from public.point_balances where member_id = $1`, [p.member]))
  expect(rows).toEqual([{ id: planted.member, balance: 0, entries: 100, lots: 100 }])
})

test('lot remaining ≠ earned − usages: a usage that did not lower the lot (sums still agree)', async () => {
  const { planted, rows } = await reportedAfter(async (c, p) => {
    // a second member's debit entry takes 30 from this lot, but the lot keeps its 100
    const other = await aMemberWithLot()
    await c.query(`insert into public.point_lot_usages (entry_id, lot_id, points) values ($1, $2, 30)`, [other.entry, p.lot])
  })
  // the union's lot rows: id = member, balance = lot id, entries = earned, lots = remaining
  expect(rows).toEqual([{ id: planted.member, balance: Number(planted.lot), entries: 100, lots: 100 }])
})

test('lot remaining ≠ earned − usages: the lot lowered without a usage, balance and entries lowered with it', async () => {
  const { planted, rows } = await reportedAfter(async (c, p) => {
    await insertSpend(c, p.member, 40)
    await c.query(`update public.point_balances set balance_points = 60 where member_id = $1`, [p.member])
    await c.query(`update public.point_lots set remaining_points = 60 where id = $1`, [p.lot])
  })
  expect(rows).toEqual([{ id: planted.member, balance: Number(planted.lot), entries: 100, lots: 60 }])
})

test('an over-remaining lot (more left than earned; its check constraint dropped by the owner)', async () => {
  const { planted, rows } = await reportedAfter(async (c, p) => {
    await c.query(`alter table public.point_lots drop constraint point_lots_check`)
    await c.query(
      `insert into public.point_entries (member_id, amount_points, kind, source, ref, business_date)
       values ($1, 50, 'earn', 'adjustment', 'planted', current_date)`,
      [p.member],
    )
    await c.query(`update public.point_balances set balance_points = 150 where member_id = $1`, [p.member])
    await c.query(`update public.point_lots set remaining_points = 150 where id = $1`, [p.lot])
  })
  expect(rows).toEqual([{ id: planted.member, balance: Number(planted.lot), entries: 100, lots: 150 }])
})

test('a negative balance, even when entries and lots agree with it (check constraints dropped by the owner)', async () => {
  const { planted, rows } = await reportedAfter(async (c, p) => {
    await c.query(`alter table public.point_balances drop constraint point_balances_balance_points_check`)
    await c.query(`alter table public.point_lots drop constraint point_lots_check`)
    // spend 150 of the 100: the lot goes to -50 through a recorded usage, so the lot's own check holds
    const {
      rows: [spend],
    } = await insertSpend(c, p.member, 150)
    await c.query(`insert into public.point_lot_usages (entry_id, lot_id, points) values ($1, $2, 150)`, [spend.id, p.lot])
    await c.query(`update public.point_lots set remaining_points = -50 where id = $1`, [p.lot])
    await c.query(`update public.point_balances set balance_points = -50 where member_id = $1`, [p.member])
  })
  expect(rows).toEqual([{ id: planted.member, balance: -50, entries: -50, lots: -50 }])
})

test('expectLedgerInvariants throws on a broken ledger and names the member', async () => {
  const broken = await aMemberWithLot()
  await db.admin.query(`update public.point_balances set balance_points = 99 where member_id = $1`, [broken.member])
  try {
    await expect(expectLedgerInvariants(db)).rejects.toThrow(new RegExp(`ledger invariants broken: .*${broken.member}`))
  } finally {
    await db.admin.query(`update public.point_balances set balance_points = 100 where member_id = $1`, [broken.member])
  }
  await expect(expectLedgerInvariants(db)).resolves.toBeUndefined()
})
