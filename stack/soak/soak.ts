// The soak (docs/reliability.md): a fresh local stack on its own Postgres (all migrations + seed), mixed
// member and staff writes through the HTTP API for a while, and meanwhile busy API connections terminated
// (pg_terminate_backend) and Postgres itself SIGKILLed and started again on the same data folder (crash
// recovery). Every write is recorded with its request id and outcome; afterwards the database is checked
// (stack/soak/checks.ts).
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { Pool } from 'pg'
import { signJwt } from '../../supabase/functions/_shared/jwt'
import { LOCAL_ANON_KEY, stackConfig } from '../config'
import { freePort } from '../net'
import { isAlive, runningPostgres } from '../pidfile'
import { startPostgres, type PostgresHandle } from '../postgres'
import { startStack } from '../stack'
import { tempDirForPostgres } from '../tmp'
import { consistencyViolations, stockLedger, type Violation } from './checks'

export interface SoakOptions {
  /** how long the load runs */
  durationMs: number
  /** member workers (one member each, one request at a time); two staff workers (clerk, manager) come on top */
  members: number
  /** a busy API connection is terminated every killEveryMs on average (0: never) */
  killEveryMs: number
  /** Postgres is SIGKILLed and restarted every restartEveryMs (0: never) */
  restartEveryMs: number
  /** attempts per write with the same request id while the outcome is unknown (every third member makes one only) */
  maxAttempts: number
}

export const DEFAULT_SOAK_OPTIONS: SoakOptions = {
  durationMs: 2 * 60_000,
  members: 12,
  killEveryMs: 500,
  restartEveryMs: 30_000,
  maxAttempts: 6,
}

type Outcome = 'acked' | 'error' | 'unknown'

export interface WriteRecord {
  rpc: string
  requestId: string
  /** member id of the caller (the member, or the staff member) */
  caller: string
  outcome: Outcome
  /** the error code of a definite error */
  code?: string
  attempts: number
  body?: any
}

export interface SoakReport {
  options: SoakOptions
  sent: number
  acked: number
  errors: Record<string, number>
  unknown: number
  /** of the unknown outcomes, how many the database shows as applied (all of a write or none of it) */
  unknownApplied: number
  /** attempts that ended without an answer (connection lost, 5xx after the connection was opened) */
  unknownAttempts: number
  retried: number
  retriedAcked: number
  byRpc: Record<string, { sent: number; acked: number; errors: number; unknown: number }>
  connectionKills: number
  postgresRestarts: number
  recoveryMs: number[]
  violations: Violation[]
}

const SOAK_STORE = '00000000-0000-4000-9000-000000000001'
const CLERK = '00000000-0000-4000-8000-000000000003'
const MANAGER = '00000000-0000-4000-8000-000000000004'
const ITEMS = ['00000000-0000-4000-b000-000000000001', '00000000-0000-4000-b000-000000000002', '00000000-0000-4000-b000-000000000003']
const TASKS = ['daily_purchase', 'weekly_check_in', 'first_redemption', 'complete_profile']

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(Math.random() * xs.length)]

/** Soak members: accounts opened 20 days ago (so 补签 has days to make up), 5,000 starting points each. */
async function setUp(admin: Pool, members: number): Promise<string[]> {
  const { rows } = await admin.query(
    `with m as (
       insert into public.members (id, nickname, phone, created_at)
       select gen_random_uuid(), '压测会员' || i, '1370000' || lpad(i::text, 4, '0'), now() - interval '20 days'
       from generate_series(1, $1::int) i
       returning id)
     select id from m`,
    [members],
  )
  const ids = rows.map((r) => r.id as string)
  await admin.query(
    `select private.open_account(id), private.award_points(id, 'adjustment', 5000, 'soak:start', '压测初始积分') from unnest($1::uuid[]) id`,
    [ids],
  )
  // room for the load: the seed's clerk cap and the monthly 补签 limit would refuse nearly everything after a minute
  await admin.query(`update public.staff set daily_award_cap_points = 1000000000 where store_id = $1`, [SOAK_STORE])
  await admin.query(`update public.point_rules set make_up_monthly_limit = 31`)
  return ids
}

/** Pids whose parent is `pid` (the postmaster's backends and auxiliary processes). */
function childPids(pid: number): number[] {
  const out: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(entry))
    } catch {
      // the process ended meanwhile
    }
  }
  return out
}

async function waitDead(pids: number[]) {
  while (pids.some(isAlive)) await sleep(20)
}

export async function runSoak(options: Partial<SoakOptions> = {}, log: (line: string) => void = console.log): Promise<SoakReport> {
  const opts = { ...DEFAULT_SOAK_OPTIONS, ...options }
  const dir = tempDirForPostgres('jifen-soak-')
  const dataDir = path.join(dir, 'db')
  const cfg = { ...stackConfig(), dataDir, dbPort: await freePort(), apiPort: await freePort(), jobsIntervalMs: 0 }
  const started = Date.now()
  const stack = await startStack(cfg, () => {}).catch((err) => {
    rmSync(dir, { recursive: true, force: true })
    throw err
  })
  log(`  fresh Postgres on 127.0.0.1:${cfg.dbPort} (all migrations + seed) and API on ${cfg.apiPort} ready in ${Date.now() - started} ms`)
  let pg: PostgresHandle = stack.db
  const admin = new Pool({ connectionString: stack.dbUrl, max: 2 })
  admin.on('error', () => {}) // its idle connections die with Postgres
  const report: SoakReport = {
    options: opts,
    sent: 0,
    acked: 0,
    errors: {},
    unknown: 0,
    unknownApplied: 0,
    unknownAttempts: 0,
    retried: 0,
    retriedAcked: 0,
    byRpc: {},
    connectionKills: 0,
    postgresRestarts: 0,
    recoveryMs: [],
    violations: [],
  }
  try {
    const memberIds = await setUp(admin, opts.members)
    const {
      rows: [{ since, days }],
    } = await admin.query(
      `select now() as since, array(select to_char(private.business_date(now()) - k, 'YYYY-MM-DD') from generate_series(1, 7) k) as days`,
    )
    const stockBefore = await stockLedger(admin)
    const iat = Math.floor(Date.now() / 1000)
    const tokenOf = (sub: string) => signJwt({ sub, role: 'authenticated', aud: 'authenticated', iat, exp: iat + 6 * 3600 }, cfg.jwtSecret)
    const tokens = new Map(await Promise.all([...memberIds, CLERK, MANAGER].map(async (id) => [id, await tokenOf(id)] as const)))
    const writes: WriteRecord[] = []
    const deadline = Date.now() + opts.durationMs
    // every third member's client never sends a write again after an unknown outcome: it stays unknown, and
    // the checks show it applied all or nothing
    const givesUp = new Set(memberIds.filter((_, i) => i % 3 === 2))
    let down: Promise<void> | undefined // set while Postgres is being killed and restarted

    /** One HTTP call: 2xx, a definite 4xx/503-before-connect error, or unknown (5xx after connect, connection lost). */
    async function post(caller: string, fn: string, args: object): Promise<{ outcome: Outcome; code?: string; body?: any }> {
      try {
        const res = await fetch(`${stack.api.url}/rest/v1/rpc/${fn}`, {
          method: 'POST',
          headers: { apikey: LOCAL_ANON_KEY, authorization: `Bearer ${tokens.get(caller)}`, 'content-type': 'application/json' },
          body: JSON.stringify(args),
          signal: AbortSignal.timeout(20_000),
        })
        const text = await res.text()
        const body = text ? JSON.parse(text) : null
        if (res.ok) return { outcome: 'acked', body }
        // PGRST001: no connection could be opened, so nothing reached the database
        if (res.status < 500 || body?.code === 'PGRST001')
          return { outcome: 'error', code: res.status < 500 ? body?.message : body.code, body }
        return { outcome: 'unknown', code: body?.code }
      } catch (err) {
        return { outcome: 'unknown', code: (err as Error).name }
      }
    }

    /**
     * A write with a request id, sent again with the same id and arguments while its outcome is unknown (or no
     * connection could be opened). A business error after an unknown attempt is definite: had that attempt
     * committed, the request id would have returned its result.
     */
    async function write(caller: string, rpc: string, args: Record<string, unknown>): Promise<WriteRecord> {
      const maxUnknown = givesUp.has(caller) ? 1 : opts.maxAttempts
      const rec: WriteRecord = { rpc, requestId: randomUUID(), caller, outcome: 'unknown', attempts: 0 }
      let sawUnknown = false
      for (;;) {
        rec.attempts++
        const r = await post(caller, rpc, { ...args, p_request_id: rec.requestId })
        if (r.outcome === 'acked' || (r.outcome === 'error' && r.code !== 'PGRST001')) {
          Object.assign(rec, { outcome: r.outcome, code: r.code, body: r.body })
          break
        }
        if (r.outcome === 'unknown') {
          sawUnknown = true
          report.unknownAttempts++
        }
        if (rec.attempts >= opts.maxAttempts || (sawUnknown && rec.attempts >= maxUnknown)) {
          Object.assign(rec, sawUnknown ? { outcome: 'unknown' } : { outcome: 'error', code: r.code })
          break
        }
        await (down ?? sleep(Math.min(2000, 100 * 2 ** rec.attempts)))
      }
      writes.push(rec)
      return rec
    }

    type Redemption = { id: string; member: string; voucher: string }
    const redemptions: Redemption[] = []
    const orderRefs: string[] = []
    let orderSeq = 0

    async function memberStep(member: string) {
      const dice = Math.random()
      if (dice < 0.05) await write(member, 'check_in', {})
      else if (dice < 0.15) await write(member, 'make_up_check_in', { p_date: pick(days) })
      else if (dice < 0.2) await write(member, 'claim_task', { p_task_code: pick(TASKS) })
      else if (dice < 0.65) {
        const rec = await write(member, 'redeem_item', { p_item_id: pick(ITEMS) })
        if (rec.outcome === 'acked') redemptions.push({ id: rec.body.id, member, voucher: rec.body.voucher_code })
      } else {
        const own = redemptions.filter((r) => r.member === member)
        const r = pick(own)
        if (r) await write(member, 'cancel_redemption', { p_redemption_id: r.id })
      }
    }

    async function staffStep(staff: string) {
      const dice = Math.random()
      if (dice < 0.5) {
        const member = pick(memberIds)!
        const code = await post(member, 'issue_member_code', {})
        if (code.outcome !== 'acked') return
        const ref = `SOAK-${staff.slice(-1)}-${++orderSeq}`
        orderRefs.push(ref)
        await write(staff, 'staff_award_purchase', {
          p_member_code: code.body.token,
          p_amount_fen: 100 + Math.floor(Math.random() * 20_000),
          p_order_ref: ref,
        })
      } else if (dice < 0.7) {
        const ref = pick(orderRefs)
        if (ref) await write(staff, 'staff_void_purchase', { p_order_ref: ref, p_reason: '压测退款' })
      } else {
        const r = pick(redemptions)
        if (r) await write(staff, 'staff_verify_redemption', { p_voucher_code: r.voucher, p_confirm: true })
      }
    }

    async function worker(step: () => Promise<void>) {
      while (Date.now() < deadline) {
        await step()
        await (down ?? sleep(5)) // yield: the API server and the chaos run in this process too
      }
    }

    /** Terminates one random busy API backend (running a statement or inside a transaction). */
    async function killer() {
      while (Date.now() < deadline && opts.killEveryMs > 0) {
        await sleep(opts.killEveryMs * (0.5 + Math.random()))
        if (down) continue
        try {
          const { rows } = await admin.query(`
            select pg_terminate_backend(pid) as killed from pg_stat_activity
            where usename = 'authenticator' and backend_type = 'client backend' and state in ('active', 'idle in transaction')
            order by random() limit 1`)
          if (rows[0]?.killed) report.connectionKills++
        } catch {
          // Postgres is restarting
        }
      }
    }

    /** SIGKILL of the postmaster and its processes (as a crash would leave them), then a start on the same data folder. */
    async function crasher() {
      if (!(opts.restartEveryMs > 0)) return
      for (let at = Date.now() + opts.restartEveryMs; at < deadline - 2000; at += opts.restartEveryMs) {
        await sleep(at - Date.now())
        let done!: () => void
        down = new Promise((r) => (done = r))
        const postmaster = runningPostgres(dataDir)!.pid
        const pids = [postmaster, ...childPids(postmaster)]
        for (const pid of pids) process.kill(pid, 'SIGKILL')
        await waitDead(pids)
        await sleep(300 + Math.random() * 700) // clients meet a dead database for a moment
        const t0 = Date.now()
        pg = await startPostgres({ dataDir, port: cfg.dbPort })
        report.recoveryMs.push(Date.now() - t0)
        report.postgresRestarts++
        log(`  ${new Date().toISOString()}  postgres SIGKILLed and restarted (crash recovery ${report.recoveryMs.at(-1)} ms)`)
        down = undefined
        done()
      }
    }

    const memberWorkers = memberIds.map((m) => worker(() => memberStep(m)))
    const staffWorkers = [CLERK, MANAGER].map((s) => worker(() => staffStep(s)))
    await Promise.all([...memberWorkers, ...staffWorkers, killer(), crasher()])

    // the verdict
    await stack.api.close()
    const { rows } = await admin.query(`select request_id::text from private.rpc_requests where created_at >= $1 and result is not null`, [
      since,
    ])
    const recorded = new Set(rows.map((r) => r.request_id as string))
    const lost = writes.filter((w) => w.outcome === 'acked' && !recorded.has(w.requestId))
    const refused = writes.filter((w) => w.outcome === 'error' && recorded.has(w.requestId))
    const { rows: present } = await admin.query(
      `select (select array_agg(id::text) from public.redemptions where id = any($1::uuid[])) as redemptions,
              (select array_agg(order_ref) from public.purchases where store_id = $3 and order_ref = any($2::text[])) as purchases`,
      [
        writes.filter((w) => w.outcome === 'acked' && w.rpc === 'redeem_item').map((w) => w.body.id),
        writes.filter((w) => w.outcome === 'acked' && w.rpc === 'staff_award_purchase').map((w) => w.body.order_ref),
        SOAK_STORE,
      ],
    )
    const have = new Set([...(present[0].redemptions ?? []), ...(present[0].purchases ?? [])])
    const missingRows = writes.filter(
      (w) =>
        w.outcome === 'acked' &&
        ((w.rpc === 'redeem_item' && !have.has(w.body.id)) || (w.rpc === 'staff_award_purchase' && !have.has(w.body.order_ref))),
    )
    report.violations = [
      ...(lost.length ? [{ check: 'acknowledged write without its request record', rows: lost }] : []),
      ...(missingRows.length ? [{ check: 'acknowledged redemption / purchase missing', rows: missingRows }] : []),
      ...(refused.length ? [{ check: 'write answered with an error but applied', rows: refused }] : []),
      ...(await consistencyViolations(admin, { since, stockBefore })),
    ]
    for (const w of writes) {
      const s = (report.byRpc[w.rpc] ??= { sent: 0, acked: 0, errors: 0, unknown: 0 })
      s.sent++
      report.sent++
      if (w.attempts > 1) report.retried++
      if (w.outcome === 'acked') {
        s.acked++
        report.acked++
        if (w.attempts > 1) report.retriedAcked++
      } else if (w.outcome === 'error') {
        s.errors++
        report.errors[w.code ?? '?'] = (report.errors[w.code ?? '?'] ?? 0) + 1
      } else {
        s.unknown++
        report.unknown++
        if (recorded.has(w.requestId)) report.unknownApplied++
      }
    }
    return report
  } finally {
    await admin.end().catch(() => {})
    await stack.api.close().catch(() => {})
    await pg.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

export function formatReport(r: SoakReport): string {
  const lines = [
    `writes sent ${r.sent}: acked ${r.acked}, definite errors ${r.sent - r.acked - r.unknown}, unknown ${r.unknown} (applied ${r.unknownApplied})`,
    `attempts without an answer ${r.unknownAttempts}; writes sent again with the same request id ${r.retried} (acked on a retry ${r.retriedAcked})`,
    `definite errors by code: ${
      Object.entries(r.errors)
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c} ${n}`)
        .join(', ') || 'none'
    }`,
    ...Object.entries(r.byRpc).map(
      ([rpc, s]) => `  ${rpc.padEnd(24)} sent ${s.sent}, acked ${s.acked}, errors ${s.errors}, unknown ${s.unknown}`,
    ),
    `connection kills ${r.connectionKills}, postgres SIGKILL + restarts ${r.postgresRestarts} (crash recovery ${r.recoveryMs.join(', ') || '–'} ms)`,
    `invariant violations ${r.violations.length}`,
    ...r.violations.map(
      (v) => `  VIOLATION ${v.check}: ${JSON.stringify(v.rows.slice(0, 5))}${v.rows.length > 5 ? ` … (${v.rows.length})` : ''}`,
    ),
  ]
  return lines.join('\n')
}
