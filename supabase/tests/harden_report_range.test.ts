// Migration harden_report_range: infinite dates in a report range are the documented 400 invalid_range
// (they ended in Postgres' 22008 "cannot subtract infinite dates"; found by the fuzz test).
import { useSeededDb } from '../../test/support/db'
import { SEEDED } from '../../test/factories/members'

const db = useSeededDb()
const MANAGER = { sub: SEEDED.managerLi.id }

test.each(['report_points_daily', 'report_summary', 'report_check_in_actives'])('%s: infinite dates are 400 invalid_range', async (fn) => {
  for (const args of [
    { p_from: '-infinity', p_to: '2026-11-23' },
    { p_from: '2026-11-01', p_to: 'infinity' },
    { p_from: '-infinity', p_to: 'infinity' },
    { p_from: 'infinity', p_to: 'infinity' },
  ]) {
    const res = await db().call(fn, args, MANAGER)
    expect([JSON.stringify(args), res.status, res.body?.message]).toEqual([JSON.stringify(args), 400, 'invalid_range'])
  }
  // finite ranges are unchanged
  expect((await db().call(fn, { p_from: '2026-11-01', p_to: '2026-11-23' }, MANAGER)).status).toBe(200)
})
