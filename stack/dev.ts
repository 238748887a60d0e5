// npm run dev: the local stack plus the Taro H5 dev server and the operator console's Vite dev server; Ctrl-C stops
// them all and Postgres.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { ROOT, stackConfig } from './config'
import { onShutdown, printBanner } from './cli'
import { startStack } from './stack'

/** A dev server in this process group: a terminal's Ctrl-C, or a kill of the group, reaches it too. */
function devServer(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  // same process group as this one (its own detached group used to outlive a SIGKILLed `npm run dev`)
  return spawn(path.join(ROOT, 'node_modules', '.bin', command), args, { cwd: ROOT, stdio: 'inherit', env })
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!running(child)) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

async function main() {
  const cfg = stackConfig()
  const stack = await startStack(cfg)
  printBanner(stack, cfg.anonKey, cfg.serviceRoleKey)
  const consolePort = process.env.CONSOLE_DEV_PORT ?? '10087'
  console.log(`  starting the H5 dev server on http://127.0.0.1:${process.env.TARO_DEV_PORT ?? 10086} …`)
  console.log(`  starting the operator console (运营后台) on http://127.0.0.1:${consolePort}/ (operator 运营赵敏: 13900000009) …\n`)
  const servers = [
    { name: 'H5 dev server', child: devServer('taro', ['build', '--type', 'h5', '--watch']) },
    {
      name: 'console dev server',
      // --bypass-lock: Vite 8 refuses a second dev server of one project; a second `npm run dev` on other ports
      // (the dev test beside a developer's session) is fine, and one on the same port fails on the port anyway
      child: devServer('vite', ['--config', 'console/vite.config.mts', '--bypass-lock'], {
        ...process.env,
        CONSOLE_DEV_PORT: consolePort,
        // the console talks to this stack (the H5 app reads the same variable from .env.development)
        TARO_APP_SUPABASE_URL: process.env.TARO_APP_SUPABASE_URL ?? stack.api.url,
        VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
      }),
    },
  ]
  // whatever ends this process, the dev servers go with it
  process.on('exit', () => {
    for (const { child } of servers) if (running(child)) child.kill('SIGTERM')
  })
  let shuttingDown = false
  onShutdown(async () => {
    shuttingDown = true
    await Promise.all(servers.map(({ child }) => stop(child)))
    await stack.stop()
  })
  for (const { name, child } of servers) {
    child.once('exit', (code) => {
      if (shuttingDown) return
      shuttingDown = true
      console.error(`${name} exited (${code}); stopping the stack`)
      Promise.all(servers.map((s) => stop(s.child)))
        .then(() => stack.stop())
        .finally(() => process.exit(code ?? 1))
    })
  }
}

main().catch((err) => {
  console.error(String(err?.message ?? err))
  process.exit(1)
})
