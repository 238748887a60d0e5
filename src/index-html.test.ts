/**
 * @jest-environment node
 */
// The H5 page's shell (issue 17): pinch-zoom is allowed (WCAG 1.4.4: no user-scalable=no, no maximum-scale
// under 5) and the language is Chinese, so a screen reader reads the text with the right voice.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const html = readFileSync(join(__dirname, 'index.html'), 'utf8')

function viewport(text: string): Record<string, string> {
  const tag = /<meta[^>]*name="viewport"[^>]*>/.exec(text)?.[0] ?? ''
  const content = /content="([^"]*)"/.exec(tag)?.[1] ?? ''
  return Object.fromEntries(
    content
      .split(',')
      .map((p) => p.split('=').map((s) => s.trim().toLowerCase()))
      .filter(([k]) => k)
      .map(([k, v]) => [k, v ?? '']),
  )
}

it('the viewport allows zoom', () => {
  const v = viewport(html)
  expect(v.width).toBe('device-width')
  expect(v['user-scalable'] ?? 'yes').not.toMatch(/^(no|0)$/)
  if (v['maximum-scale'] !== undefined) expect(Number(v['maximum-scale'])).toBeGreaterThanOrEqual(5)
})

it('the check catches a page that forbids zoom', () => {
  expect(viewport('<meta content="width=device-width,user-scalable=no" name="viewport">')['user-scalable']).toBe('no')
  expect(viewport('<meta name="viewport" content="maximum-scale=1">')['maximum-scale']).toBe('1')
})

it('the page is in Chinese', () => {
  expect(html).toMatch(/<html lang="zh-CN">/)
})

it("clips the router's horizontal overflow (a page sliding in must not widen a zoomable page)", () => {
  expect(html).toMatch(/\.taro_router\s*\{[^}]*overflow-x:\s*clip/)
})
