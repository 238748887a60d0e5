// npm run size — build-size report, from what `npm run build:weapp` / `npm run build:h5` leave in dist/:
// the mini-program's main package (everything outside the subpackage roots of app.json), each subpackage and
// the total, against WeChat's 2 MB main-package limit and our 1 MB budget; the H5 first load (index.html,
// which carries the initial JS and CSS inline, and any script it still references; screens are lazy chunks)
// and everything with the lazy chunks, gzipped. Fails when the main package passes the
// budget. A target that was not built is reported as missing (an error only if neither was built).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { ROOT } from './config'

export const MAIN_BUDGET_BYTES = 1024 * 1024
export const WECHAT_MAIN_LIMIT_BYTES = 2 * 1024 * 1024

export interface PackageSizes {
  main: number
  subpackages: Record<string, number>
  total: number
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name)
    return statSync(file).isDirectory() ? filesUnder(file) : [file]
  })
}

/** Sizes of a built mini-program folder (dist/weapp), split by the subpackage roots in its app.json. */
export function packageSizes(distDir: string): PackageSizes {
  const app = JSON.parse(readFileSync(path.join(distDir, 'app.json'), 'utf8')) as {
    subPackages?: { root: string }[]
    subpackages?: { root: string }[]
  }
  const roots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/\/+$/, ''))
  const sizes: PackageSizes = { main: 0, subpackages: Object.fromEntries(roots.map((r) => [r, 0])), total: 0 }
  for (const file of filesUnder(distDir)) {
    const rel = path.relative(distDir, file).split(path.sep).join('/')
    const bytes = statSync(file).size
    sizes.total += bytes
    const root = roots.find((r) => rel === r || rel.startsWith(`${r}/`))
    if (root) sizes.subpackages[root] += bytes
    else sizes.main += bytes
  }
  return sizes
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

export interface H5Sizes {
  /** the first load: index.html (with the JS and CSS inlined into it) and the scripts it references, gzipped together */
  initialGzip: number
  /** that and every JS file under js/, gzipped together */
  allGzip: number
  initialFiles: string[]
}

const gzipOf = (files: string[]) => gzipSync(Buffer.concat(files.map((f) => readFileSync(f)))).length

/** The H5 build (dist/h5): initial = index.html and the js/*.js it references (config/inline-first-screen.ts). */
export function h5Sizes(distDir: string): H5Sizes {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8')
  const initialFiles = ['index.html', ...new Set(html.match(/(?<=src="[./]*)js\/[^"'\s>]*\.js/g) ?? [])]
  const jsDir = path.join(distDir, 'js')
  const lazy = existsSync(jsDir) ? filesUnder(jsDir).filter((f) => f.endsWith('.js')) : []
  const initial = initialFiles.map((f) => path.join(distDir, f))
  return { initialFiles, initialGzip: gzipOf(initial), allGzip: gzipOf([...new Set([...initial, ...lazy])]) }
}

export interface SizeReport {
  lines: string[]
  /** budget failures (empty: fine) */
  failures: string[]
}

/** The report for dist/weapp and dist/h5 under `distRoot`, whichever exist. */
export function sizeReport(distRoot: string): SizeReport {
  const lines: string[] = []
  const failures: string[] = []
  const weapp = path.join(distRoot, 'weapp')
  if (existsSync(path.join(weapp, 'app.json'))) {
    const sizes = packageSizes(weapp)
    const pct = ((sizes.main / WECHAT_MAIN_LIMIT_BYTES) * 100).toFixed(0)
    lines.push(
      `weapp main package: ${kb(sizes.main)} = ${pct}% of WeChat's ${kb(WECHAT_MAIN_LIMIT_BYTES)} limit (budget ${kb(MAIN_BUDGET_BYTES)})`,
    )
    for (const [root, bytes] of Object.entries(sizes.subpackages)) lines.push(`  subpackage ${root}/: ${kb(bytes)}`)
    lines.push(`  total: ${kb(sizes.total)}`)
    if (sizes.main > MAIN_BUDGET_BYTES) failures.push(`weapp main package over budget by ${kb(sizes.main - MAIN_BUDGET_BYTES)}`)
  } else lines.push('weapp: dist/weapp/app.json not found (npm run build:weapp)')
  const h5 = path.join(distRoot, 'h5')
  if (existsSync(path.join(h5, 'index.html'))) {
    const sizes = h5Sizes(h5)
    const scripts = sizes.initialFiles.length - 1
    lines.push(
      `h5 gzipped: first load ${kb(sizes.initialGzip)} (index.html with its inline JS and CSS${scripts ? ` + ${scripts} scripts` : ''}); ` +
        `with every lazy chunk ${kb(sizes.allGzip)}`,
    )
  } else lines.push('h5: dist/h5/index.html not found (npm run build:h5)')
  return { lines, failures }
}

if (require.main === module) {
  const dist = path.join(ROOT, 'dist')
  const report = sizeReport(dist)
  for (const line of report.lines) console.log(line)
  for (const failure of report.failures) console.error(failure)
  const built = ['weapp/app.json', 'h5/index.html'].some((f) => existsSync(path.join(dist, f)))
  if (!built) console.error('nothing built: run `npm run build:weapp` and/or `npm run build:h5` first')
  if (report.failures.length || !built) process.exit(1)
}
