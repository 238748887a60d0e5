import { chmodSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** A fresh temp folder that the `postgres` system user can enter (Postgres never runs as root; mkdtemp makes 0700). */
export function tempDirForPostgres(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  chmodSync(dir, 0o755)
  return dir
}
