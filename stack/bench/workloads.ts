// The benchmark's pgbench scripts. Each transaction does what the local API (stack/rest/handler.ts) and
// PostgREST do for a request: begin, one statement that sets `role` and `request.jwt.claims` locally, the
// call, commit. Members are random (\set … random) except where a member may act once per business day
// (check_in, claim_task): there bench.next_slot hands out members in sequence, each on a business day that
// it also pins the clock to (jifen.now, what private.clock_now reads), so a run never runs out of members.
import { BENCH_TASK, itemId } from './dataset'

const asRandomMember = (range: string) => `\\set m random(${range})
BEGIN;
SELECT set_config('request.jwt.claims', bench.claims(:m), true), set_config('role', 'authenticated', true);`

const asNextSlot = (kind: string) => `BEGIN;
SELECT set_config('jifen.now', s.at, true), set_config('request.jwt.claims', s.claims, true), set_config('role', 'authenticated', true)
FROM bench.next_slot('${kind}') s;`

export interface Workload {
  name: string
  kind: 'write' | 'read' | 'report'
  script: string
}

/** A report RPC as the bench store's manager (member 1) over the `days` business days ending today. */
const asManager = `BEGIN;
SELECT set_config('request.jwt.claims', bench.claims(1), true), set_config('role', 'authenticated', true);`
const report = (name: string, call: (from: string, to: string) => string, days = 0): Workload => ({
  name,
  kind: 'report',
  // current_date (the server's UTC day) for the business day: the range's cost is the same either way
  script: `${asManager}
SELECT ${call(`current_date - ${Math.max(days - 1, 0)}`, 'current_date')};
COMMIT;
`,
})

/** Every operator report (supabase/schemas/operator_reports.sql) at the ranges the dashboard offers, up to a year. */
export const REPORTS: Workload[] = [
  report('report_summary 30 d', (f, t) => `public.report_summary(${f}, ${t})`, 30),
  report('report_summary 365 d', (f, t) => `public.report_summary(${f}, ${t})`, 365),
  report('report_points_daily 30 d', (f, t) => `public.report_points_daily(${f}, ${t})`, 30),
  report('report_points_daily 365 d', (f, t) => `public.report_points_daily(${f}, ${t})`, 365),
  report('report_liability_by_expiry_month', () => 'public.report_liability_by_expiry_month()'),
  report('report_check_in_actives 365 d', (f, t) => `public.report_check_in_actives(${f}, ${t})`, 365),
  report('report_top_items 365 d', (f, t) => `public.report_top_items(${f}, ${t}, 10)`, 365),
]

/** pgbench variables: members, staff, items, max_entry_id. */
export const WORKLOADS: Workload[] = [
  { name: 'check_in', kind: 'write', script: `${asNextSlot('check_in')}\nSELECT public.check_in();\nCOMMIT;\n` },
  { name: 'claim_task', kind: 'write', script: `${asNextSlot('claim_task')}\nSELECT public.claim_task('${BENCH_TASK}');\nCOMMIT;\n` },
  {
    name: 'staff_award_purchase',
    kind: 'write',
    // a random clerk scans a random (non-staff) member's code
    script: `\\set c random(:staff + 1, :members)
${asRandomMember('1, :staff')}
SELECT public.staff_award_purchase((SELECT code FROM bench.member_codes WHERE i = :c), 12345, gen_random_uuid()::text, gen_random_uuid());
COMMIT;
`,
  },
  {
    name: 'redeem_item',
    kind: 'write',
    script: `\\set i random(1, :items)
${asRandomMember('1, :members')}
SELECT public.redeem_item(bench.item_id(:i), gen_random_uuid());
COMMIT;
`,
  },
  {
    name: 'redeem_item (hot item)',
    kind: 'write',
    script: `${asRandomMember('1, :members')}\nSELECT public.redeem_item('${itemId(0)}', gen_random_uuid());\nCOMMIT;\n`,
  },
  { name: 'me', kind: 'read', script: `${asRandomMember('1, :members')}\nSELECT public.me();\nCOMMIT;\n` },
  {
    // what src/services/history.ts asks for (first page, 全部 tab): newest 20 of the member's entries
    name: 'history page 1',
    kind: 'read',
    script: `${asRandomMember('1, :members')}
SELECT id, amount_points, kind, source, description, business_date, created_at FROM public.point_entries ORDER BY id DESC LIMIT 20;
COMMIT;
`,
  },
  {
    // a later page: the keyset condition id < (last id shown), here a random point in the ledger's history
    name: 'history page n',
    kind: 'read',
    script: `\\set before random(1, :max_entry_id)
${asRandomMember('1, :members')}
SELECT id, amount_points, kind, source, description, business_date, created_at FROM public.point_entries WHERE id < :before ORDER BY id DESC LIMIT 20;
COMMIT;
`,
  },
  {
    // the 使用 tab: spends and negative reversals
    name: 'history 使用 tab',
    kind: 'read',
    script: `${asRandomMember('1, :members')}
SELECT id, amount_points, kind, source, description, business_date, created_at FROM public.point_entries
WHERE kind IN ('spend', 'reverse') AND amount_points < 0 ORDER BY id DESC LIMIT 20;
COMMIT;
`,
  },
  ...REPORTS,
]
