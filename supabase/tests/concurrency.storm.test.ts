// One lock order for every write path (docs/concurrency.md), proven by the
// write storm (stack/storm/storm.ts) under every configuration the docs support — a campaign on each source,
// overlapping campaigns with member caps and budgets, both referral qualifying actions, purchase hold on and off,
// and the seed as shipped (its 会员日 campaign running, its clerk and manager serving).
import { createTestDb, DEMO_CAMPAIGN_ID, type TestDb } from '../../test/support/db'
import { runStorm, stormConfigs, TEST_STORM_SIZE } from '../../stack/storm/storm'

jest.setTimeout(120_000)

// On the partitioned ledger (jest project `partitioned`): the seed as shipped and the overlapping campaigns,
// the two that meet on the most rows; every configuration runs on the default layout.
const configs = stormConfigs()
  .map((c, i) => [c.name, c, i] as const)
  .filter(([name, c]) => process.env.JIFEN_LEDGER_LAYOUT !== 'partitioned' || c.asSeeded || name === 'overlapping campaigns with caps and budgets, first_purchase, hold 3 d')

describe.each(configs)('write storm: %s', (_name, config, i) => {
  let db: TestDb
  beforeAll(async () => {
    db = await createTestDb()
    await db.seed()
    if (!config.asSeeded) await db.admin.query('delete from public.campaigns where id = $1', [DEMO_CAMPAIGN_ID])
  })
  afterAll(() => db?.drop())

  test('no 5xx, no deadlock, one effect per success, ledger invariants hold', async () => {
    const report = await runStorm(db, config, TEST_STORM_SIZE, i + 1)
    console.log(`${report.config}: ${report.calls} calls in ${report.ms} ms ${JSON.stringify(report.byStatus)}`)
    expect(report.violations).toEqual([])
    // the operator's writes were in the storm and some of each went through
    for (const rpc of ['op_adjust_points', 'op_save_campaign', 'op_adjust_item_stock']) {
      expect([rpc, Object.keys(report.byOutcome).some((k) => k.startsWith(`${rpc} 200`))]).toEqual([rpc, true])
    }
  })
})
