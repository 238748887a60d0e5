// The partitioning switch (partition_point_entries.sql, docs/capacity.md §4) on a ledger that already
// has history: nothing moves or changes, the natural keys stay unique across partitions, the sequence follows
// the months, and the history page reads the newest partitions only. The ledger's suites run on the switched
// layout as well (jest project `partitioned`).
import { createTestDb, DEMO_CAMPAIGN_ID, expectLedgerInvariants, type TestDb } from '../../test/support/db'
import { aMember } from '../../test/factories/members'
import { partitionPointEntries, PLANNED_STATEMENTS } from '../../stack/partition'
import { startScheduledJobs } from '../../stack/stack'

let db: TestDb
let member: string
let before: { entries: unknown[]; page: unknown }
const MONTH = 10_000_000_000

const award = async (at: string | null, who: string, points: number, ref: string) =>
  Number((await db.sqlAt(at, `select entry_id from private.award_points($1, 'adjustment', $2, $3)`, [who, points, ref]))[0].entry_id)
const spend = async (at: string | null, who: string, points: number, ref: string) =>
  Number((await db.sqlAt(at, `select private.spend_points($1, 'redemption', $2, $3) as id`, [who, points, ref]))[0].id)
const reverse = async (at: string | null, entryId: number) =>
  Number((await db.sqlAt(at, 'select private.reverse_entry($1) as id', [entryId]))[0].id)
const allEntries = async () =>
  (await db.admin.query('select *, id::text as id, reverses_entry_id::text as reverses_entry_id from public.point_entries e order by e.id')).rows
const historyPage = async (who: string, query = '') =>
  (await db.read('point_entries', `select=id,amount_points,kind,source,business_date&order=id.desc&limit=20${query}`, { sub: who })).body
const partitionOf = async (id: number) =>
  (await db.admin.query(`select tableoid::regclass::text as part from public.point_entries where id = $1`, [id])).rows[0].part
/** The month base the program's clock is in (k × 10^10, k = year × 12 + month − 1, Shanghai). */
const baseOf = (year: number, month: number) => (year * 12 + month - 1) * MONTH
const shanghaiMonth = (d = new Date()) => {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(d).split('-')
  return [Number(y), Number(m)] as const
}
/**
 * A plan as text lines, for a query run as superuser. A test database is a few hundred rows, where a sort or a
 * bitmap scan is as cheap as anything: those are switched off, so that the plan shows what the layout allows.
 * Which plan the planner picks on 5M entries is checked by the bench (BENCH_ONLY=partition).
 */
const plan = async (sql: string, params: unknown[]) => {
  const client = await db.admin.connect()
  try {
    await client.query('begin')
    await client.query('set local enable_sort = off; set local enable_bitmapscan = off; set local enable_seqscan = off')
    const { rows } = await client.query(`explain (analyze, costs off, timing off, summary off) ${sql}`, params)
    return rows.map((r) => r['QUERY PLAN'] as string)
  } finally {
    await client.query('rollback')
    client.release()
  }
}

beforeAll(async () => {
  db = await createTestDb()
  await db.seed()
  await db.admin.query('delete from public.campaigns where id = $1', [DEMO_CAMPAIGN_ID])
  // history written before the switch, a year back: earns, a spend, a reversal
  member = await aMember(db, { at: '2025-11-20T10:00:00+08:00' })
  for (let i = 0; i < 30; i++) await award(`2025-11-${String(21 + (i % 9)).padStart(2, '0')}T1${i % 10}:00:00+08:00`, member, 10 + i, `old-${i}`)
  await spend('2025-12-01T10:00:00+08:00', member, 100, 'old-spend')
  await reverse('2025-12-02T10:00:00+08:00', Number((await db.admin.query(`select id from public.point_entries where ref = 'old-3'`)).rows[0].id))
  before = { entries: await allEntries(), page: await historyPage(member) }
  await partitionPointEntries(db.url)
})
afterEach(() => expectLedgerInvariants(db))
afterAll(() => db?.drop())

test('the table is partitioned by id: the old rows stay in the legacy partition, this year and the next are ready', async () => {
  const [y, m] = shanghaiMonth()
  const { rows: parts } = await db.admin.query(`
    select c.oid::regclass::text as name, pg_get_expr(c.relpartbound, c.oid) as bound, c.relrowsecurity as rls,
           has_table_privilege('authenticated', c.oid, 'select') as api_select
    from pg_inherits h join pg_class c on c.oid = h.inhrelid
    where h.inhparent = 'public.point_entries'::regclass order by 1`)
  const mm = String(m).padStart(2, '0')
  // a partition a year (private.entry_partition_months): the first from this month to January, then whole years
  expect(parts).toEqual([
    { name: `private.point_entries_${y}_${mm}`, bound: `FOR VALUES FROM ('${baseOf(y, m)}') TO ('${baseOf(y + 1, 1)}')`, rls: true, api_select: false },
    { name: `private.point_entries_${y + 1}_01`, bound: `FOR VALUES FROM ('${baseOf(y + 1, 1)}') TO ('${baseOf(y + 2, 1)}')`, rls: true, api_select: false },
    { name: 'private.point_entries_legacy', bound: `FOR VALUES FROM (MINVALUE) TO ('${baseOf(y, m)}')`, rls: true, api_select: false },
  ])
  expect((await db.admin.query(`select relkind from pg_class where oid = 'public.point_entries'::regclass`)).rows[0].relkind).toBe('p')
  // every row kept, byte for byte, in the legacy partition; the member's history page answers as before
  expect(await allEntries()).toEqual(before.entries)
  expect((await db.admin.query(`select count(*)::int as n from only private.point_entries_legacy`)).rows[0].n).toBe(before.entries.length)
  expect(await historyPage(member)).toEqual(before.page)
  // the foreign keys now point at the parent, validated
  const { rows: fks } = await db.admin.query(`
    select conrelid::regclass::text as tbl, convalidated from pg_constraint
    where confrelid = 'public.point_entries'::regclass and contype = 'f' and conparentid = 0 order by 1, conname`)
  expect(fks.length).toBeGreaterThanOrEqual(11)
  expect(fks.filter((f) => !f.convalidated)).toEqual([])
  // the API still reads only its own rows
  expect((await db.read('point_entries', 'select=member_id', { sub: member })).body.every((r: any) => r.member_id === member)).toBe(true)
  expect((await db.read('point_entries', 'select=id', 'anon')).status).toBe(401)
})

test('the local stack’s timer (the stand-in for pg_cron) runs the roll: a missing partition ahead is made again', async () => {
  const [y] = shanghaiMonth()
  const next = `point_entries_${y + 1}_01`
  await db.admin.query(`alter table public.point_entries detach partition private.${next}`)
  await db.admin.query(`drop table private.${next}`)
  const exists = async () => (await db.admin.query('select to_regclass($1) is not null as made', [`private.${next}`])).rows[0].made
  expect(await exists()).toBe(false)
  const jobs = startScheduledJobs(db.url, 60_000, () => {})
  try {
    const deadline = Date.now() + 15_000
    while (!(await exists()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200))
  } finally {
    await jobs.stop()
  }
  expect(await exists()).toBe(true)
})

test('new entries take the month base; a natural key is unique across the legacy and the new partitions', async () => {
  const [y, m] = shanghaiMonth()
  const id = await award(null, member, 5, 'new-1')
  expect(id).toBeGreaterThanOrEqual(baseOf(y, m))
  expect(await partitionOf(id)).toBe(`private.point_entries_${y}_${String(m).padStart(2, '0')}`) // this year's
  // a retry answers the first entry, for a key written before the switch too
  expect(await award(null, member, 5, 'new-1')).toBe(id)
  const oldId = Number((await db.admin.query(`select id from public.point_entries where ref = 'old-7'`)).rows[0].id)
  expect(await award(null, member, 17, 'old-7')).toBe(oldId)
  // and the table refuses a duplicate written past the primitives, old key or new
  for (const ref of ['old-7', 'new-1']) {
    await expect(
      db.sqlAt(null, `insert into public.point_entries (member_id, amount_points, kind, source, ref, business_date)
                      values ($1, 1, 'earn', 'adjustment', $2, current_date)`, [member, ref]),
    ).rejects.toMatchObject({ code: '23505' })
  }
  // an entry of the legacy partition is reversed once, the reversal in the month partition
  const oldSpend = Number((await db.admin.query(`select id from public.point_entries where ref = 'old-spend'`)).rows[0].id)
  const rev = await reverse(null, oldSpend)
  expect(rev).toBeGreaterThanOrEqual(baseOf(y, m))
  expect(await reverse(null, oldSpend)).toBe(rev)
  await expect(
    db.sqlAt(null, `insert into public.point_entries (member_id, amount_points, kind, source, ref, business_date, reverses_entry_id)
                    values ($1, 100, 'reverse', 'redemption', $2, current_date, $3)`, [member, `reverse:${oldSpend}`, oldSpend]),
  ).rejects.toMatchObject({ code: '23505' })
  // the ledger stays append-only on every partition
  await expect(db.admin.query('update public.point_entries set description = $1 where id = $2', ['x', oldId])).rejects.toMatchObject({ code: '42501' })
  await expect(db.admin.query('delete from public.point_entries where id = $1', [id])).rejects.toMatchObject({ code: '42501' })
  await expect(db.admin.query('truncate public.point_entries cascade')).rejects.toMatchObject({ code: '42501' })
})

test('a new month: the roll moves the sequence to its base and keeps a partition ahead; pages run across partitions', async () => {
  const [y, m] = shanghaiMonth()
  const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1]
  const nextMonthStart = `${ny}-${String(nm).padStart(2, '0')}-01T00:10:00+08:00`
  // before the roll, an entry of the new month still takes an id of the previous one: a label, nothing else
  const late = await award(nextMonthStart, member, 3, 'late')
  expect(late).toBeLessThan(baseOf(ny, nm))
  await db.sqlAt(nextMonthStart, 'select private.roll_entry_partitions()')
  await db.sqlAt(nextMonthStart, 'select private.roll_entry_partitions()') // idempotent
  const fresh = await award(nextMonthStart, member, 4, 'fresh')
  expect(fresh).toBe(baseOf(ny, nm))
  // the partitions still cover every id from minvalue without a gap, and reach past the next period's start
  const { rows: bounds } = await db.admin.query(`
    select (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\((.*?)\\) TO \\((.*?)\\)'))::text[] as b
    from pg_inherits h join pg_class c on c.oid = h.inhrelid where h.inhparent = 'public.point_entries'::regclass`)
  const ranges = bounds.map((r) => r.b.map((v: string) => (v === 'MINVALUE' ? -Infinity : Number(v.replace(/'/g, ''))))).sort((a, b) => a[0] - b[0])
  for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBe(ranges[i - 1][1])
  expect(ranges[0][0]).toBe(-Infinity)
  expect(ranges[ranges.length - 1][1]).toBeGreaterThanOrEqual(baseOf(ny + 1, 1) + 12 * MONTH)
  // keyset pages walk the three partitions newest first, every entry once
  const seen: number[] = []
  let page = await historyPage(member)
  while (page.length) {
    seen.push(...page.map((e: any) => e.id))
    page = await historyPage(member, `&id=lt.${page[page.length - 1].id}`)
  }
  const { rows } = await db.admin.query('select id::float8 as id from public.point_entries where member_id = $1 order by id desc', [member])
  expect(seen).toEqual(rows.map((r) => r.id))
  expect(seen[0]).toBe(fresh)
})

test('plans: a history page reads the newest partition only (ordered Append, not Merge Append); the tier window stays index-only', async () => {
  const [y, m] = shanghaiMonth()
  for (let i = 0; i < 25; i++) await award(null, member, 1, `page-${i}`)
  const history = await plan(PLANNED_STATEMENTS['history page 1'], [member])
  const text = history.join('\n')
  expect(text).not.toMatch(/Merge Append/)
  expect(text).toMatch(/Append/)
  // the partition that answered was probed with its (member_id, id desc) index; the older ones never ran
  const newest = history.findIndex((l) => l.includes(`point_entries_${y}_${String(m).padStart(2, '0')}`) || l.includes('point_entries_member_id_idx'))
  expect(history[newest]).toMatch(/Index Scan/)
  expect(history.find((l) => l.includes('point_entries_legacy'))).toMatch(/Index Scan .* \(never executed\)/)
  expect(history.filter((l) => /Seq Scan/.test(l))).toEqual([])
  // the tier window (private.qualifying_points): an index-only scan in every partition, as before the switch
  const tier = await plan(PLANNED_STATEMENTS['tier window (private.qualifying_points)'], [member])
  const scans = tier.filter((l) => /Scan/.test(l))
  expect(scans.length).toBeGreaterThanOrEqual(3)
  expect(scans.filter((l) => !/Index Only Scan/.test(l))).toEqual([])
})

test('a roll never keeps writers waiting: behind an open writer it gives up after lock_timeout (1 s), and reads go on during one', async () => {
  const [y] = shanghaiMonth()
  const writer = await db.admin.connect()
  const roller = await db.admin.connect()
  const partitionsNow = async () =>
    (await db.admin.query(`select count(*)::int as n from pg_inherits where inhparent = 'public.point_entries'::regclass`)).rows[0].n
  try {
    const count = await partitionsNow()
    await writer.query('begin')
    await writer.query(`select private.award_points($1, 'adjustment', 1, 'held-open')`, [member])
    await expect(roller.query(`select private.roll_entry_partitions($1)`, [`${y + 6}-01-01T08:00:00+08:00`])).rejects.toMatchObject({ code: '55P03' })
    await writer.query('rollback')
    expect(await partitionsNow()).toBe(count)
    // a roll that has its locks: readers are not blocked by it (writers are, until it commits: milliseconds)
    await roller.query('begin')
    await roller.query(`select private.roll_entry_partitions($1)`, [`${y + 6}-01-01T08:00:00+08:00`])
    await writer.query(`set statement_timeout = '2s'`)
    expect((await writer.query('select count(*)::int as n from public.point_entries where member_id = $1', [member])).rows[0].n).toBeGreaterThan(0)
    await roller.query('rollback')
    await writer.query('reset statement_timeout')
    // and a roll rolled back left the sequence where writes still find their partition
    expect(await partitionOf(await award(null, member, 1, 'after-rollback'))).toMatch(/^private\.point_entries_/)
  } finally {
    writer.release()
    roller.release()
  }
})

test('a span of one month (private.entry_partition_months) gives a partition a month from the first month not covered', async () => {
  const [y0] = shanghaiMonth()
  const y = y0 + 1 // the yearly partitions reach the end of y0 + 2 (the previous test rolled into y0 or y0 + 1)
  await db.admin.query(`create or replace function private.entry_partition_months() returns integer language sql immutable set search_path = '' as $$ select 1 $$`)
  const at = `${y + 2}-01-01T08:00:00+08:00`
  await db.sqlAt(at, 'select private.roll_entry_partitions()')
  // the partitions made just now are not moved into yet: the sequence follows on the next roll (setval is not
  // transactional, so it only ever points into a partition an earlier transaction committed)
  const early = await award(at, member, 2, 'monthly-early')
  expect(early).toBeLessThan(baseOf(y + 2, 1))
  await db.sqlAt(at, 'select private.roll_entry_partitions()')
  const { rows } = await db.admin.query(
    `select c.relname, pg_get_expr(c.relpartbound, c.oid) as bound from pg_inherits h join pg_class c on c.oid = h.inhrelid
     where h.inhparent = 'public.point_entries'::regclass and c.relname in ($1, $2) order by 1`,
    [`point_entries_${y + 2}_01`, `point_entries_${y + 2}_02`],
  )
  expect(rows).toEqual([
    { relname: `point_entries_${y + 2}_01`, bound: `FOR VALUES FROM ('${baseOf(y + 2, 1)}') TO ('${baseOf(y + 2, 2)}')` },
    { relname: `point_entries_${y + 2}_02`, bound: `FOR VALUES FROM ('${baseOf(y + 2, 2)}') TO ('${baseOf(y + 2, 3)}')` },
  ])
  // (three years on, the member's lots expire first: those entries come before the award's)
  expect(await partitionOf(await award(at, member, 2, 'monthly'))).toBe(`private.point_entries_${y + 2}_01`)
})

test('two rolls at once for a period not covered yet: one makes the partition, the other finds it made', async () => {
  const [y] = shanghaiMonth()
  const at = `${y + 8}-03-01T08:00:00+08:00`
  const clients = [await db.admin.connect(), await db.admin.connect()]
  try {
    await Promise.all(clients.map((c) => c.query('select private.roll_entry_partitions($1)', [at])))
  } finally {
    for (const c of clients) c.release()
  }
  const { rows } = await db.admin.query('select count(*)::int as n from private.entry_partitions() where from_id = $1', [baseOf(y + 8, 3)])
  expect(rows[0].n).toBe(1)
})

test('a second run refuses and changes nothing', async () => {
  const entries = await allEntries()
  await expect(partitionPointEntries(db.url)).rejects.toThrow(/already partitioned/)
  expect(await allEntries()).toEqual(entries)
})
