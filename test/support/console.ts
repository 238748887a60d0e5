// The operator console (console/, Vite) built for the browser tests: once per test run, into the run's temp
// folder, with the placeholder API address that `serveH5` (test/support/browser.ts) swaps for the test's API.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { LOCAL_ANON_KEY, ROOT } from '../../stack/config'
import { PLACEHOLDER_API_URL } from '../../stack/h5-site'
import { expectAccessible } from './axe'
import { SCREENSHOTS } from './browser'

/** The console's primary target: a desktop browser. */
export const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 }
export const CONSOLE_SCREENSHOTS = path.join(SCREENSHOTS, 'console')

/** `<run temp dir>/console`, built by the first file that asks (a Vite build takes a few seconds). */
export async function testConsoleBuild(): Promise<string> {
  const runDir = process.env.JIFEN_TEST_RUN_DIR
  if (!runDir) throw new Error('JIFEN_TEST_RUN_DIR is not set: run through jest (globalSetup creates it)')
  const out = path.join(runDir, 'console')
  const lock = `${out}.building`
  const built = () => existsSync(path.join(out, 'index.html'))
  if (built()) return out
  try {
    mkdirSync(lock)
  } catch {
    while (existsSync(lock)) await new Promise((r) => setTimeout(r, 500))
    if (!built()) throw new Error('the shared console build failed in another test file')
    return out
  }
  try {
    // --bypass-lock: its own output folder, so it may run beside a developer's `npm run build:console`
    const res = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'vite'),
      ['build', '--config', 'console/vite.config.mts', '--bypass-lock'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: {
          ...process.env,
          NODE_ENV: 'production',
          CONSOLE_OUT_DIR: out,
          TARO_APP_SUPABASE_URL: PLACEHOLDER_API_URL, // the same placeholder as the H5 build's: serveH5 swaps it
          TARO_APP_SUPABASE_ANON_KEY: LOCAL_ANON_KEY,
          ALLOW_UNCONFIGURED_BUILD: '1',
          VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true',
        },
      },
    )
    if (res.status !== 0 || !built()) throw new Error(`console build failed:\n${res.stdout}\n${res.stderr}`)
    return out
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/** Screenshot as screenshots/console/<name>.png; nothing may be wider than the window; axe-core finds nothing serious. */
export async function shootConsole(page: Page, name: string): Promise<void> {
  mkdirSync(CONSOLE_SCREENSHOTS, { recursive: true })
  await page.waitForTimeout(400) // drawers and modals animate in; fonts settle
  await page.screenshot({ path: path.join(CONSOLE_SCREENSHOTS, `${name}.png`) })
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(DESKTOP.viewport.width)
  await expectAccessible(page, `console ${name}`)
}
