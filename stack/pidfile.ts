// Reading a Postgres data folder's postmaster.pid: is a server running on it, and on which port.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** pid and port of the Postgres running on `dataDir`, if one is. */
export function runningPostgres(dataDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return undefined
  const lines = readFileSync(pidFile, 'utf8').split('\n')
  const pid = Number(lines[0])
  return pid && isAlive(pid) ? { pid, port: Number(lines[3]) } : undefined
}
