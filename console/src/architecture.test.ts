/**
 * @jest-environment node
 */
// The console shares the repo's pure code and its platform-free client code, never Taro: no file under console/
// imports @tarojs/*, the Taro app's screens, components or stores, or a mini-program (`.weapp`) module.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = join(__dirname, '..')
const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return /\.(ts|tsx|mts)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : []
  })
}

const files = sources(root).map((f) => relative(root, f))

it('finds the console', () => {
  expect(files).toEqual(expect.arrayContaining(['src/App.tsx', 'src/api/ops.ts', 'vite.config.mts']))
})

it.each(files)('%s imports no Taro and nothing of the Taro app but domain, services and config', (file) => {
  const specs = [...readFileSync(join(root, file), 'utf8').matchAll(importRe)].map((m) => m[1] ?? m[2])
  for (const spec of specs) {
    expect(spec).not.toMatch(/^@tarojs\//)
    expect(spec).not.toMatch(/\.weapp$/)
    if (spec.startsWith('../') && spec.includes('/src/')) {
      expect(spec).toMatch(/\/src\/(domain|services)\/[\w.-]+$/)
    }
  }
})
