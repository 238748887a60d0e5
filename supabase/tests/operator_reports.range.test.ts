// Infinite days and days outside 1900–9999 in a report range are the documented
// 400 invalid_range (they ended in Postgres' 22008 "cannot subtract infinite dates" / "date out of range for
// timestamp"; found by the fuzz test).
import { useSeededDb } from '../../test/support/db'
import { SEEDED } from '../../test/factories/members'

const db = useSeededDb()
const MANAGER = { sub: SEEDED.managerLi.id }

test.each(['report_points_daily', 'report_summary', 'report_check_in_actives'])('%s: infinite or far-off days are 400 invalid_range', async (fn) => {
  for (const args of [
    { p_from: '-infinity', p_to: '2026-11-23' },
    { p_from: '2026-11-01', p_to: 'infinity' },
    { p_from: '-infinity', p_to: 'infinity' },
    { p_from: 'infinity', p_to: 'infinity' },
    { p_from: '5874897-12-31', p_to: '5874897-12-31' }, // the last date Postgres has; no timestamp can hold it
    { p_from: '10000-01-01', p_to: '10000-01-02' },
    { p_from: '1899-12-31', p_to: '1900-01-01' },
  ]) {
    const res = await db().call(fn, args, MANAGER)
    expect([JSON.stringify(args), res.status, res.body?.message]).toEqual([JSON.stringify(args), 400, 'invalid_range'])
  }
  // ranges inside the bounds are unchanged, up to the bounds
  expect((await db().call(fn, { p_from: '2026-11-01', p_to: '2026-11-23' }, MANAGER)).status).toBe(200)
  expect((await db().call(fn, { p_from: '9999-12-30', p_to: '9999-12-31' }, MANAGER)).status).toBe(200)
  expect((await db().call(fn, { p_from: '1900-01-01', p_to: '1900-01-02' }, MANAGER)).status).toBe(200)
})
