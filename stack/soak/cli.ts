// npm run soak — first the write storm under every configuration (stack/storm; STORM_CHAINS (default 40) referral
// chains of three members and STORM_NEWCOMERS (40) members signing up during it: ≈ 2,000 calls each; STORM_CHAINS=0
// skips it), then the soak: SOAK_MINUTES (default 2), SOAK_MEMBERS (12), SOAK_KILL_EVERY_MS (500), SOAK_RESTART_EVERY_S (30);
// SOAK_REPORT=<file> also writes the soak's report as JSON.
// Loopback only: its own Postgres in a temp folder and its own API server on free ports. Exits 1 on any violation.
import { writeFileSync } from 'node:fs'
import { runStormMatrix } from '../storm/run'
import { DEFAULT_SOAK_OPTIONS, formatReport, runSoak } from './soak'

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  const n = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number >= 0, got ${raw}`)
  return n
}

async function main() {
  const storm = { chains: numberFromEnv('STORM_CHAINS', 40), newcomers: numberFromEnv('STORM_NEWCOMERS', 40) }
  let stormViolations = 0
  if (storm.chains > 0) {
    console.log(
      `storm: every configuration, ${storm.chains} referral chains of three members and ${storm.newcomers} newcomers, every write RPC at once`,
    )
    const reports = await runStormMatrix(storm)
    stormViolations = reports.reduce((n, r) => n + r.violations.length, 0)
    console.log(`storm: ${reports.length} configurations, ${reports.reduce((n, r) => n + r.calls, 0)} calls, ${stormViolations} violations`)
  }
  const minutes = numberFromEnv('SOAK_MINUTES', DEFAULT_SOAK_OPTIONS.durationMs / 60_000)
  const options = {
    durationMs: minutes * 60_000,
    members: numberFromEnv('SOAK_MEMBERS', DEFAULT_SOAK_OPTIONS.members),
    killEveryMs: numberFromEnv('SOAK_KILL_EVERY_MS', DEFAULT_SOAK_OPTIONS.killEveryMs),
    restartEveryMs: numberFromEnv('SOAK_RESTART_EVERY_S', DEFAULT_SOAK_OPTIONS.restartEveryMs / 1000) * 1000,
  }
  console.log(
    `soak: ${minutes} min, ${options.members} member workers + 2 staff workers (clerk, manager), a busy connection terminated every ` +
      `~${options.killEveryMs} ms, Postgres SIGKILLed and restarted every ${options.restartEveryMs / 1000} s; ` +
      `up to ${DEFAULT_SOAK_OPTIONS.maxAttempts} attempts per write with the same request id`,
  )
  const started = Date.now()
  const report = await runSoak(options)
  console.log(formatReport(report))
  if (process.env.SOAK_REPORT) writeFileSync(process.env.SOAK_REPORT, JSON.stringify(report, null, 2))
  const failed = report.violations.length + stormViolations > 0
  console.log(`soak finished in ${((Date.now() - started) / 1000).toFixed(1)} s: ${failed ? 'FAILED' : 'ok'}`)
  process.exit(failed ? 1 : 0) // fetch's keep-alive sockets would hold the process a while
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
