// `npm run stack` as a child process (what a developer runs), for the stack tests.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { ROOT } from '../../stack/config'

export const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx')

/** Starts `tsx stack/cli.ts start` with `env`; resolves once it prints that it is ready. */
export function spawnStack(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: () => string }> {
  // its own process group, like a command in a terminal: Ctrl-C goes to the whole group (see interrupt)
  const child = spawn(TSX, ['stack/cli.ts', 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stack did not start:\n${out}`)), 45_000)
    child.stdout!.on('data', () => {
      if (out.includes('Ctrl-C stops it')) {
        clearTimeout(timer)
        resolve({ child, output: () => out })
      }
    })
    child.once('exit', (code) => reject(new Error(`stack exited ${code}:\n${out}`)))
  })
}

/**
 * Ctrl-C as a terminal sends it: SIGINT to the child's whole process group (tsx and the node process it
 * runs), not only to tsx — tsx's own relay gives up after a few ms on a loaded machine and exits 130.
 * Resolves with the exit code.
 */
export function interrupt(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code))
    process.kill(-child.pid!, 'SIGINT')
  })
}
