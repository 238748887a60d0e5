// npm run size:weapp — the mini-program's package sizes after `npm run build:weapp`: the main package
// (everything outside the subpackage roots of app.json), each subpackage and the total, against WeChat's
// limits. Fails when the main package passes our budget (1 MB, half of WeChat's 2 MB).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
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
  const app = JSON.parse(readFileSync(path.join(distDir, 'app.json'), 'utf8')) as { subPackages?: { root: string }[]; subpackages?: { root: string }[] }
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

if (require.main === module) {
  const dist = path.join(ROOT, 'dist', 'weapp')
  if (!existsSync(path.join(dist, 'app.json'))) {
    console.error('dist/weapp/app.json not found: run `npm run build:weapp` first')
    process.exit(1)
  }
  const sizes = packageSizes(dist)
  console.log(`weapp main package: ${kb(sizes.main)} (budget ${kb(MAIN_BUDGET_BYTES)}, WeChat limit ${kb(WECHAT_MAIN_LIMIT_BYTES)})`)
  for (const [root, bytes] of Object.entries(sizes.subpackages)) console.log(`  subpackage ${root}/: ${kb(bytes)}`)
  console.log(`  total: ${kb(sizes.total)}`)
  if (sizes.main > MAIN_BUDGET_BYTES) {
    console.error(`main package over budget by ${kb(sizes.main - MAIN_BUDGET_BYTES)}`)
    process.exit(1)
  }
}
