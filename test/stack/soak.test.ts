// A short `npm run soak` (docs/reliability.md) as a child process, on its own Postgres (not the shared test
// cluster: it is SIGKILLed): 15 s of writes under connection kills and one crash + restart, then no violation.
// And the checks themselves: half-applied writes planted in a test database are reported.
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../../stack/config'
import { consistencyViolations, stockLedger } from '../../stack/soak/checks'
import type { SoakReport } from '../../stack/soak/soak'
import { tempDirForPostgres } from '../../stack/tmp'
import { useSeededDb } from '../support/db'
import { TSX } from '../support/stack-process'
import { SEEDED } from '../factories/members'

test('a 15 s soak: connection kills and a Postgres SIGKILL + restart leave no lost, doubled or half-applied write', () => {
  const dir = tempDirForPostgres('jifen-soak-test-')
  const file = path.join(dir, 'report.json')
  try {
    const env = {
      ...process.env,
      STORM_CHAINS: '0',
      SOAK_MINUTES: '0.25',
      SOAK_MEMBERS: '6',
      SOAK_KILL_EVERY_MS: '300',
      SOAK_RESTART_EVERY_S: '7',
      SOAK_REPORT: file,
    }
    const run = spawnSync(TSX, ['stack/soak/cli.ts'], { cwd: ROOT, env, encoding: 'utf8', timeout: 55_000 })
    expect(`${run.stdout}${run.stderr}`).toContain('invariant violations 0')
    expect(run.status).toBe(0)
    const report: SoakReport = JSON.parse(readFileSync(file, 'utf8'))
    expect(report.violations).toEqual([])
    expect(report.postgresRestarts).toBe(1)
    expect(report.connectionKills).toBeGreaterThan(0)
    expect(report.unknownAttempts).toBeGreaterThan(0)
    for (const rpc of ['redeem_item', 'cancel_redemption', 'staff_award_purchase', 'staff_verify_redemption']) {
      expect(report.byRpc[rpc]?.acked).toBeGreaterThan(0)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}, 60_000)

describe('the soak checks', () => {
  const db = useSeededDb()

  test('report a request id without its result, a spend without its redemption, and a request that wrote nothing', async () => {
    const stockBefore = await stockLedger(db().admin)
    const {
      rows: [{ since }],
    } = await db().admin.query('select now() as since')
    await db().admin.query(
      `insert into private.rpc_requests (member_id, request_id, rpc, payload) values ($1, gen_random_uuid(), 'check_in', '{}')`,
      [SEEDED.lin.id],
    )
    await db().sqlAt(
      null,
      `with l as (select private.lock_balance($1)) select private.spend_points($1, 'redemption', 10, 'redemption:planted', 'planted') from l`,
      [SEEDED.lin.id],
    )
    const checks = (await consistencyViolations(db().admin, { since, stockBefore })).map((v) => v.check)
    expect(checks).toEqual([
      'request id recorded without its result',
      'redemption spend without its redemption',
      'rows written ≠ requests recorded (applied twice or not at all)',
    ])
  })
})
