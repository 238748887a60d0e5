// axe-core in a Playwright page (issue 17): every screen the browser tests open is checked for serious and
// critical accessibility violations. `page.addScriptTag` injects axe-core's own bundle; the result lists each
// violated rule with the nodes' selectors, so a failure says what to fix.
import { appendFileSync } from 'node:fs'
import type { Page } from 'playwright-core'

const AXE_SOURCE = require.resolve('axe-core/axe.min.js')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/**
 * Waits (up to 3 s) for the page's finite CSS animations and transitions to end: a dialog fading in or a toast
 * fading out is, mid-way, text in a blend of its colour and the background, which axe would measure as a
 * contrast failure of a screen nobody reads in that state. Endless ones (spinners, skeletons) are not waited for.
 */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(() =>
    Promise.race([
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a.effect?.getTiming().iterations !== Infinity)
          .map((a) => a.finished.catch(() => undefined)),
      ),
      new Promise((resolve) => setTimeout(resolve, 3000)),
    ]),
  )
}

/** The serious and critical violations on the page as it is now (axe's WCAG 2.0/2.1 A and AA rules), once its animations have ended. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await settleAnimations(page)
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined')
  if (!loaded) await page.addScriptTag({ path: AXE_SOURCE })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: any[] }> } }).axe
    const res = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return res.violations.map((v) => ({
      id: v.id as string,
      impact: (v.impact ?? null) as string | null,
      help: v.help as string,
      // a contrast failure also says which colours and ratio axe measured
      targets: (v.nodes as { target: string[]; any?: { data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } }[] }[])
        .slice(0, 5)
        .map((n) => {
          const d = n.any?.[0]?.data
          const colours = d?.fgColor ? ` (${d.fgColor} on ${d.bgColor}: ${d.contrastRatio})` : ''
          return n.target.join(' ') + colours
        }),
    }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/**
 * Fails with the list of serious/critical violations, naming the screen. With `AXE_REPORT=<file>` it appends them
 * to that file instead and goes on: one run of an e2e file then lists every screen's findings.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const found = await axeViolations(page)
  if (found.length > 0) {
    const lines = found.map((v) => `  ${v.impact} ${v.id}: ${v.help}\n    ${v.targets.join('\n    ')}`)
    const message = `axe: ${found.length} serious/critical violation(s) on ${screen}:\n${lines.join('\n')}`
    if (process.env.AXE_REPORT) appendFileSync(process.env.AXE_REPORT, `${message}\n`)
    else throw new Error(message)
  }
}
