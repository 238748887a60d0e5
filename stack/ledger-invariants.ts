// SPEC §2's ledger invariants as one query, for the tests (test/support/db.ts expectLedgerInvariants) and the
// soak (stack/soak): for every member, balance = sum(entries) = sum(lot remaining) and balance >= 0, and each
// lot's remaining = earned - what its usages took.

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>
}

const LEDGER_INVARIANTS_SQL = `
  with m as (select id from public.members),
  b as (select member_id, balance_points from public.point_balances),
  e as (select member_id, sum(amount_points)::int as s from public.point_entries group by 1),
  l as (select member_id, sum(remaining_points)::int as s from public.point_lots group by 1)
  select m.id, coalesce(b.balance_points, 0) as balance, coalesce(e.s, 0) as entries, coalesce(l.s, 0) as lots
  from m left join b on b.member_id = m.id left join e on e.member_id = m.id left join l on l.member_id = m.id
  where coalesce(b.balance_points, 0) <> coalesce(e.s, 0) or coalesce(b.balance_points, 0) <> coalesce(l.s, 0)
     or coalesce(b.balance_points, 0) < 0
  union all
  select l.member_id, l.id, l.earned_points, l.remaining_points from public.point_lots l
  where l.remaining_points <> l.earned_points - (select coalesce(sum(u.points), 0) from public.point_lot_usages u where u.lot_id = l.id)`

/** The rows that break an invariant (none when the ledger is sound). */
export async function ledgerInvariantViolations(db: Queryable): Promise<unknown[]> {
  return (await db.query(LEDGER_INVARIANTS_SQL)).rows
}
