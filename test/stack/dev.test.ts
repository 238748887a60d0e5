// `npm run dev` end to end: stack + H5 dev server + the operator console's dev server on their own ports, the page
// renders the seeded program in Chromium, the console answers, and Ctrl-C (SIGINT) leaves nothing running.
import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../../stack/config'
import { runningPostgres } from '../../stack/pidfile'
import { launchChromium, PHONE, SCREENSHOTS } from '../support/browser'
import { freePort } from '../../stack/net'
import { interrupt, TSX } from '../support/stack-process'
import { tempDirForPostgres } from '../../stack/tmp'

let dir: string
let child: ChildProcess
let output = ''

afterAll(() => {
  if (child && child.exitCode === null) process.kill(-child.pid!, 'SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm run dev exited early:\n${output}`)
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    )
    if (ok && output.includes('编译成功')) return
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`${url} did not come up:\n${output}`)
}

test('npm run dev serves the H5 home from the local stack, and the console, and stops cleanly', async () => {
  dir = tempDirForPostgres('jifen-dev-')
  const [dbPort, apiPort, webPort, consolePort] = [await freePort(), await freePort(), await freePort(), await freePort()]
  const dataDir = path.join(dir, 'db')
  child = spawn(TSX, ['stack/dev.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      STACK_DATA_DIR: dataDir,
      STACK_DB_PORT: String(dbPort),
      STACK_API_PORT: String(apiPort),
      TARO_DEV_PORT: String(webPort),
      CONSOLE_DEV_PORT: String(consolePort),
      TARO_APP_SUPABASE_URL: `http://127.0.0.1:${apiPort}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so interrupt() is a terminal's Ctrl-C
  })
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const webUrl = `http://127.0.0.1:${webPort}/`
  await waitFor(webUrl, 150_000)

  const browser = await launchChromium()
  try {
    const page = await browser.newPage(PHONE)
    await page.goto(webUrl)
    await page.getByText('悦享咖啡会员').waitFor({ timeout: 30_000 })
    await page.screenshot({ path: path.join(SCREENSHOTS, 'dev-home.png') })
    // the console, served by Vite, talks to the same stack
    expect(output).toContain(`http://127.0.0.1:${consolePort}/`)
    const desk = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await desk.goto(`http://127.0.0.1:${consolePort}/`)
    await desk.getByText('积分会员 · 运营后台').first().waitFor({ timeout: 30_000 })
  } finally {
    await browser.close()
  }

  expect(await interrupt(child)).toBe(0)
  expect(runningPostgres(dataDir)).toBeUndefined()
  await expect(fetch(webUrl)).rejects.toThrow()
  await expect(fetch(`http://127.0.0.1:${consolePort}/`)).rejects.toThrow()
  await expect(fetch(`http://127.0.0.1:${apiPort}/health`)).rejects.toThrow()
}, 240_000)
