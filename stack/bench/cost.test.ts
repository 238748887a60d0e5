// The benchmark's cost pass (cost.ts) counts what it claims: cost.check.ts, as a child process on its own
// throwaway Postgres with the benchmark's server flags, runs a load of known cost and exits 1 on a wrong count.
import { spawnSync } from 'node:child_process'
import { ROOT } from '../config'
import { TSX } from '../../test/support/stack-process'
import { costTableLines, type Cost } from './cost'

test('one statement, insert (two B-tree entries), HOT update and row lock per transaction are counted as such', () => {
  const run = spawnSync(TSX, ['stack/bench/cost.check.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 100_000 })
  expect([run.status, run.stderr]).toEqual([0, ''])
  const cost: Cost = JSON.parse(run.stdout.trim().split('\n').at(-1)!)
  expect(cost).toMatchObject({ statements: 1, heapInserts: 1, heapUpdates: 1, hotUpdates: 1, rowLocks: 1, btreeEntries: 2 })
  expect(costTableLines([{ name: 'load', cost }])[2]).toMatch(/^\| load \| 1\.0 \| 1\.0 \| 1\.0 \(1\.0\) \| 1\.0 \| 2\.0 \| \d+ \| /)
}, 120_000)
