// npm run dev: the local stack plus the Taro H5 dev server; Ctrl-C stops both and Postgres.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { ROOT, stackConfig } from './config'
import { onShutdown, printBanner } from './cli'
import { startStack } from './stack'

async function main() {
  const cfg = stackConfig()
  const stack = await startStack(cfg)
  printBanner(stack, cfg.anonKey, cfg.serviceRoleKey)
  console.log(`  starting the H5 dev server on http://127.0.0.1:${process.env.TARO_DEV_PORT ?? 10086} …\n`)
  const taro = spawn(path.join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', 'h5', '--watch'], {
    cwd: ROOT,
    stdio: 'inherit',
    // same process group as this one: a terminal's Ctrl-C, or a kill of the group, reaches it even when
    // this process cannot clean up (its own detached group used to outlive a SIGKILLed `npm run dev`)
  })
  const stopTaro = () =>
    new Promise<void>((resolve) => {
      if (taro.exitCode !== null || taro.signalCode !== null) return resolve()
      taro.once('exit', () => resolve())
      taro.kill('SIGTERM')
    })
  // whatever ends this process, the dev server's process group goes with it
  process.on('exit', () => {
    if (taro.exitCode === null && taro.signalCode === null) taro.kill('SIGTERM')
  })
  let shuttingDown = false
  onShutdown(async () => {
    shuttingDown = true
    await stopTaro()
    await stack.stop()
  })
  taro.once('exit', (code) => {
    if (shuttingDown) return
    console.error(`H5 dev server exited (${code}); stopping the stack`)
    stack.stop().finally(() => process.exit(code ?? 1))
  })
}

main().catch((err) => {
  console.error(String(err?.message ?? err))
  process.exit(1)
})
