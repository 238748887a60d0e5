// What the soak checks in the database afterwards: no write is half-applied (each business row has its
// ledger entries and each ledger entry its business row), the ledger invariants hold, and the writes the
// soak made were each applied at most once (counted against their request ids).
import { ledgerInvariantViolations, rollupViolations, type Queryable } from '../ledger-invariants'

/** Each query returns the rows that break its rule. */
const HALF_APPLIED: Record<string, string> = {
  'request id recorded without its result': `
    select member_id, request_id, rpc from private.rpc_requests where result is null`,
  'redemption without its spend entry': `
    select r.id from public.redemptions r left join public.point_entries e on e.id = r.spend_entry_id
    where e.id is null or e.member_id <> r.member_id or e.source <> 'redemption' or e.kind <> 'spend'
       or e.ref <> 'redemption:' || r.id or e.amount_points <> -r.cost_points`,
  'redemption spend without its redemption': `
    select e.id from public.point_entries e
    where e.source = 'redemption' and e.kind = 'spend'
      and not exists (select 1 from public.redemptions r where r.spend_entry_id = e.id)`,
  'cancellation half-applied (status vs refund entry)': `
    select r.id, r.status from public.redemptions r
    where (r.status = 'cancelled') <> exists (select 1 from public.point_entries x where x.reverses_entry_id = r.spend_entry_id)
       or (r.status = 'cancelled' and not exists (
             select 1 from public.point_entries x where x.id = r.cancel_entry_id and x.reverses_entry_id = r.spend_entry_id))`,
  'purchase without its ledger entry': `
    select p.id, p.order_ref from public.purchases p left join public.point_entries e on e.id = p.entry_id
    where p.points > 0 and (e.id is null or e.member_id <> p.member_id or e.source <> 'purchase'
       or e.ref <> 'purchase:' || p.id or e.amount_points <> p.points)`,
  'purchase entry without its purchase': `
    select e.id from public.point_entries e
    where e.source = 'purchase' and e.kind = 'earn'
      and not exists (select 1 from public.purchases p where p.entry_id = e.id)`,
  'void half-applied (status vs reversal entry)': `
    select p.id, p.order_ref, p.status from public.purchases p
    where p.entry_id is not null
      and (p.status = 'voided') <> exists (select 1 from public.point_entries x where x.reverses_entry_id = p.entry_id)`,
  'check-in without its entry': `
    select c.member_id, c.check_in_date from public.check_ins c
    where c.points > 0 and not exists (select 1 from public.point_entries e
      where e.member_id = c.member_id and e.source = 'check_in' and e.ref = c.check_in_date::text)`,
  'check-in entry without its check-in': `
    select e.id from public.point_entries e
    where e.source = 'check_in' and e.kind = 'earn' and not exists (select 1 from public.check_ins c
      where c.member_id = e.member_id and c.check_in_date::text = e.ref)`,
  'make-up spend without its make-up check-in': `
    select e.id from public.point_entries e
    where e.source = 'make_up' and e.kind = 'spend' and not exists (select 1 from public.check_ins c
      where c.member_id = e.member_id and c.check_in_date::text = e.ref and c.made_up)`,
}

/** Per item: stock left + vouchers not cancelled. Redeeming and cancelling never change it. */
export async function stockLedger(db: Queryable): Promise<Record<string, number>> {
  const { rows } = await db.query(`
    select i.id, i.stock_remaining + (select count(*) from public.redemptions r
      where r.item_id = i.id and r.status <> 'cancelled')::int as total
    from public.mall_items i`)
  return Object.fromEntries(rows.map((r) => [r.id, r.total]))
}

/**
 * Since `since` (the soak's start): each kind of write changed as many rows as requests of that kind were
 * recorded (a retry with the same request id must not apply twice; a recorded request must have applied).
 */
const APPLIED_ONCE_SQL = `
  with req as (select rpc, count(*)::int as n from private.rpc_requests where created_at >= $1 group by rpc)
  select * from (values
    ('redeem_item', (select count(*)::int from public.redemptions where created_at >= $1)),
    ('staff_award_purchase', (select count(*)::int from public.purchases where created_at >= $1)),
    ('staff_verify_redemption', (select count(*)::int from public.redemptions where verified_at >= $1)),
    ('check_in + make_up_check_in', (select count(*)::int from public.check_ins where created_at >= $1))
  ) rows_written(kind, rows_written)
  cross join lateral (select coalesce(sum(n), 0)::int as requests from req
    where req.rpc = any (string_to_array(kind, ' + '))) r
  where rows_written <> requests`

export interface Violation {
  check: string
  rows: unknown[]
}

export async function consistencyViolations(
  db: Queryable,
  opts: { since: Date; stockBefore: Record<string, number> },
): Promise<Violation[]> {
  const out: Violation[] = []
  for (const [check, sql] of Object.entries(HALF_APPLIED)) out.push({ check, rows: (await db.query(sql)).rows })
  const stockAfter = await stockLedger(db)
  out.push({
    check: 'item stock + vouchers not cancelled changed',
    rows: Object.keys(opts.stockBefore)
      .filter((id) => stockAfter[id] !== opts.stockBefore[id])
      .map((id) => ({ id, before: opts.stockBefore[id], after: stockAfter[id] })),
  })
  out.push({
    check: 'rows written ≠ requests recorded (applied twice or not at all)',
    rows: (await db.query(APPLIED_ONCE_SQL, [opts.since])).rows,
  })
  out.push({ check: 'ledger invariants (balance = entries = lots, lots = earned − usages)', rows: await ledgerInvariantViolations(db) })
  out.push({ check: 'report rollups = the ledger, counted from scratch', rows: await rollupViolations(db) })
  return out.filter((v) => v.rows.length > 0)
}
