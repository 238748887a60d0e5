// The benchmark dataset, generated set-based in SQL (generate_series) on a freshly migrated database:
// members with a ledger history that satisfies the ledger invariants (test/support/db.ts
// expectLedgerInvariants), their tiers, bench staff, mall items, a bench task with its events, and a
// `bench` schema of helpers the pgbench scripts use to act as a member (stack/bench/workloads.ts).
//
// Per member, entries come in groups of 5: four earns (source 'purchase', 10–100 points, one lot each)
// and one spend (source 'redemption') that uses up the group's first lot. Entries are spread evenly over
// the last `historyMonths` months and their ids follow time across members (as in production), so a
// member's rows are scattered over the table. Lots expire as private.lot_expires_at says; with 18 months of
// history and 12-month lots the oldest third of the open lots is due: the backlog expire_points clears.
// Tiers come from the points earned in the tier window (no upgrade-bonus entries are generated).
import type { ClientBase } from 'pg'

export interface DatasetConfig {
  members: number
  /** rounded down to a multiple of 5 (4 earns + 1 spend) */
  entriesPerMember: number
  historyMonths: number
  /** members 1..staff are staff of the bench store (their daily award cap is unlimited): 1 is its manager (the reports), the others clerks */
  staff: number
  /** mall items for the "spread" redemption workload; item 0 is the hot item */
  items: number
  /** business days (from `claimFirstDay`) on which every member has a completed bench task to claim */
  claimDays: number
  claimFirstDay: string
  /** the program's (private.program_time_zone) and point_rules.lot_validity_months, read by readLedgerRules */
  timeZone: string
  lotValidityMonths: number
}

export const BENCH_STORE_ID = 'b2000000-0000-4000-8000-000000000000'
export const BENCH_TASK = 'bench_daily'

/** Member i (1-based) of the dataset. */
export const memberId = (i: number) => `b0000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`
/** Mall item i (0 = the hot item). */
export const itemId = (i: number) => `b1000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`
const int = (n: number) => {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a count: ${n}`)
  return String(n)
}

/** Helpers for the benchmark scripts, in schema `bench` (readable by `authenticated`: bench databases only). */
function helpersSql(c: DatasetConfig): string {
  return `
create schema bench;
create function bench.member_id(i bigint) returns uuid language sql immutable
  as $$ select ('b0000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid $$;
create function bench.item_id(i bigint) returns uuid language sql immutable
  as $$ select ('b1000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid $$;
-- the JWT claims PostgREST would set for member i
create function bench.claims(i bigint) returns text language sql immutable
  as $$ select json_build_object('sub', bench.member_id(i), 'role', 'authenticated', 'aud', 'authenticated')::text $$;
-- workloads that may act once per member and business day (check_in, claim_task) take members in
-- sequence: slot n is member n % members + 1 on day first_day + n / members; the clock (jifen.now) is
-- pinned to noon of that day unless it is today
create table bench.slots (kind text primary key, first_day date not null);
create sequence bench.check_in_seq minvalue 0 start 0;
create sequence bench.claim_task_seq minvalue 0 start 0;
create function bench.next_slot(p_kind text, out at text, out claims text) language sql volatile as $$
  select case when x.day = private.business_date(now()) then ''
              else ((x.day::timestamp + interval '12 hours') at time zone private.program_time_zone())::text end,
         bench.claims(x.n % ${int(c.members)} + 1)
  from (select s.first_day + (q.n / ${int(c.members)})::integer as day, q.n
        from bench.slots s, (select nextval(('bench.' || p_kind || '_seq')::regclass) as n) q
        where s.kind = p_kind) x
$$;
create table bench.member_codes (i integer primary key, code text not null);
grant usage on schema bench to authenticated;
grant select on bench.member_codes to authenticated;
grant execute on all functions in schema bench to authenticated;
`
}

/** The statements that generate the dataset, in order (each one set-based). */
export function datasetSql(c: DatasetConfig): string[] {
  const n = int(c.members)
  const e = int(Math.floor(c.entriesPerMember / 5) * 5)
  const groups = int(Math.floor(c.entriesPerMember / 5))
  if (c.staff >= c.members) throw new Error('staff must be fewer than members')
  return [
    helpersSql(c),
    `insert into public.program (name) values ('基准测试') on conflict (id) do nothing`,
    `insert into public.stores (id, name) values ('${BENCH_STORE_ID}', '基准测试门店')`,
    `insert into public.members (id, nickname, created_at)
     select bench.member_id(i), '会员' || i, now() - make_interval(months => ${int(c.historyMonths)}) - interval '1 day'
     from generate_series(1, ${n}) i`,
    `insert into public.staff (member_id, store_id, role, daily_award_cap_points)
     select bench.member_id(i), '${BENCH_STORE_ID}', case when i = 1 then 'manager' else 'clerk' end, 2000000000
     from generate_series(1, ${int(c.staff)}) i`,
    // entry id = position * members + member: ids follow time across members. Business days and lot
    // expiries as private.business_date / private.lot_expires_at compute them, inlined (5M function calls
    // would dominate the run)
    `create temp table bench_entries on commit drop as
     select p * ${n} + i as id, bench.member_id(i) as member_id, p, i, amount, created_at,
            (created_at at time zone z.tz)::date as business_date,
            ((((created_at at time zone z.tz)::date + make_interval(months => z.validity))::date + 1)::timestamp at time zone z.tz) as expires_at
     from (select ${lit(c.timeZone)}::text as tz, ${int(c.lotValidityMonths)} as validity) z,
          generate_series(1, ${n}) i, generate_series(0, ${e} - 1) p,
          lateral (select case when p % 5 = 4 then -(10 + ((i * 7 + (p - 4) * 13) % 91)) else 10 + ((i * 7 + p * 13) % 91) end as amount,
                          now() - make_interval(months => ${int(c.historyMonths)})
                            + (p + 0.5) / ${e} * (now() - (now() - make_interval(months => ${int(c.historyMonths)})))
                            + make_interval(secs => i % 3600) as created_at) x`,
    `insert into public.point_entries (id, member_id, amount_points, kind, source, ref, business_date, description, created_at)
     overriding system value
     select id, member_id, amount,
            case when amount > 0 then 'earn' else 'spend' end,
            case when amount > 0 then 'purchase' else 'redemption' end,
            'bench:' || p, business_date,
            case when amount > 0 then '门店消费' else '兑换' end, created_at
     from bench_entries order by id`,
    // one lot per earn; lot id = earn number (4 per group) * members + member
    `insert into public.point_lots (id, member_id, entry_id, earned_points, remaining_points, available_at, expires_at, created_at)
     overriding system value
     select (p / 5 * 4 + p % 5) * ${n} + i, member_id, id, amount, case when p % 5 = 0 then 0 else amount end,
            created_at, expires_at, created_at
     from bench_entries where p % 5 <> 4 order by 1`,
    `insert into public.point_lot_usages (entry_id, lot_id, points)
     select id, (p / 5 * 4) * ${n} + i, -amount from bench_entries where p % 5 = 4`,
    `insert into public.point_balances (member_id, balance_points, updated_at)
     select member_id, sum(amount), max(created_at) from bench_entries group by member_id`,
    `select setval(pg_get_serial_sequence('public.point_entries', 'id'), ${n} * ${e} + 1, false),
            setval(pg_get_serial_sequence('public.point_lots', 'id'), ${n} * ${groups} * 4 + 1, false)`,
    `insert into public.member_tiers (member_id, tier_code, achieved_at)
     select m.id, (private.tier_for_points(coalesce(q.points, 0))).code, now() - interval '1 day'
     from public.members m
     left join (select member_id, sum(amount)::integer as points from bench_entries, public.point_rules r
                where amount > 0 and created_at > now() - make_interval(months => r.tier_window_months)
                group by member_id) q on q.member_id = m.id`,
    `insert into public.mall_categories (code, name) values ('bench', '基准测试') on conflict do nothing`,
    `insert into public.mall_items (id, kind, title, category_code, cost_points, stock_remaining, voucher_valid_days)
     select bench.item_id(i), 'coupon', '基准券' || i, 'bench', 10, 1000000000, 30 from generate_series(0, ${int(c.items)}) i`,
    `insert into public.tasks (code, title, kind, event, reward_points, sort_order)
     values ('${BENCH_TASK}', '基准任务', 'daily', 'bench_done', 10, 100)`,
    `insert into public.task_events (member_id, event, ref, business_date)
     select bench.member_id(i), 'bench_done', d::date::text, d::date
     from generate_series(1, ${n}) i, generate_series('${c.claimFirstDay}'::date, '${c.claimFirstDay}'::date + ${int(c.claimDays)} - 1, interval '1 day') d`,
    // member codes valid for a week (the awards' clock is the real one)
    `insert into bench.member_codes (i, code)
     select i, private.sign_member_code(bench.member_id(i), extract(epoch from now() + interval '7 days')::bigint)
     from generate_series(1, ${n}) i`,
  ]
}

/** Generates the dataset in one transaction (analyze afterwards: the caller's, it cannot run in one). */
/** The ledger tables' secondary indexes and unique constraints, which a bulk load drops and rebuilds. */
const BULK_TABLES = ['public.point_entries', 'public.point_lots', 'public.point_lot_usages']

async function dropSecondaryIndexes(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ drop: string; create: string }>(
    `select format('alter table %s drop constraint %I', c.conrelid::regclass, c.conname) as drop,
            format('alter table %s add constraint %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) as create
     from pg_constraint c where c.conrelid = any ($1::regclass[]) and c.contype = 'u'
     union all
     select format('drop index %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
     from pg_index i where i.indrelid = any ($1::regclass[]) and not i.indisprimary
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
    [BULK_TABLES],
  )
  for (const r of rows) await client.query(r.drop)
  return rows.map((r) => r.create)
}

/** Generates the dataset in one transaction (vacuum analyze afterwards is the caller's: it cannot run in one). */
export async function generateDataset(client: ClientBase, c: DatasetConfig, log: (line: string) => void = () => {}): Promise<void> {
  const step = async (sql: string) => {
    const t = Date.now()
    await client.query(sql)
    log(`  ${sql.trim().split('\n')[0].slice(0, 90)} … ${((Date.now() - t) / 1000).toFixed(1)} s`)
  }
  await client.query('begin')
  try {
    // bulk load: the rows are consistent by construction (dataset.test.ts checks them), so foreign-key and
    // rollup triggers are skipped, the ledger's indexes are built once at the end and the rollups after them
    await client.query('set local session_replication_role = replica')
    await client.query(`set local maintenance_work_mem = '512MB'`)
    const rebuild = await dropSecondaryIndexes(client)
    for (const sql of datasetSql(c)) await step(sql)
    for (const sql of rebuild) await step(sql)
    // the report rollups, which the skipped triggers would have kept (supabase/schemas/report_rollups.sql;
    // a BENCH_BEFORE_REF from before them has none)
    await step(`do $$ begin
      if to_regprocedure('private.rebuild_report_rollups()') is not null then perform private.rebuild_report_rollups(); end if;
    end $$`)
    await client.query('commit')
  } catch (err) {
    await client.query('rollback')
    throw err
  }
}

/** What the generator must agree with: the program's time zone and the lots' validity. */
export async function readLedgerRules(client: ClientBase): Promise<Pick<DatasetConfig, 'timeZone' | 'lotValidityMonths'>> {
  const { rows } = await client.query(
    'select private.program_time_zone() as tz, (select lot_validity_months from public.point_rules) as months',
  )
  return { timeZone: rows[0].tz, lotValidityMonths: rows[0].months }
}

/** Where the sequence-driven workloads start: business days after the claim days' first. */
export async function setSlotDays(client: ClientBase, days: Record<string, string>): Promise<void> {
  for (const [kind, day] of Object.entries(days)) {
    await client.query(
      'insert into bench.slots (kind, first_day) values ($1, $2) on conflict (kind) do update set first_day = excluded.first_day',
      [kind, day],
    )
  }
}
