/**
 * @jest-environment node
 */
// Screens and shared components reach the backend only through the stores: no file under src/member, src/staff,
// src/manager, src/pages or src/components imports from src/services (tests may, to mock them). They read a store
// through its selector hook (`useMe()`, `useCheckInCalendar()`), never by calling the store itself as a hook.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const src = __dirname
const SCREEN_DIRS = ['member', 'staff', 'manager', 'pages', 'components']

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourcesUnder(path)
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : []
  })
}

const importRe =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** The src/services modules a source file imports (relative specifiers resolved from the file). */
function serviceImports(file: string, text: string): string[] {
  return [...text.matchAll(importRe)]
    .map((m) => m[1] ?? m[2] ?? m[3] ?? m[4])
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative(src, resolve(dirname(file), spec)))
    .filter((path) => path === 'services' || path.startsWith('services/'))
}

/** Calls of a store as a hook (`meStore()`, `tasksStore((s) => s.data)`); `xStore.getState()` is fine. */
function storeHookCalls(text: string): string[] {
  return [...text.matchAll(/\b([a-z]\w*Store)\(/g)].map((m) => m[1])
}

const files = SCREEN_DIRS.flatMap((dir) => sourcesUnder(join(src, dir))).map((f) => relative(src, f))

it('finds the screens', () => {
  expect(files).toEqual(
    expect.arrayContaining([
      'pages/home/index.tsx',
      'member/checkin/index.tsx',
      'staff/award/index.tsx',
      'components/SessionGate/index.tsx',
    ]),
  )
})

it.each(files)('%s imports nothing from services/', (file) => {
  expect(serviceImports(join(src, file), readFileSync(join(src, file), 'utf8'))).toEqual([])
})

it.each(files)('%s reads stores through their useX hooks', (file) => {
  expect(storeHookCalls(readFileSync(join(src, file), 'utf8'))).toEqual([])
})

it('the checks catch what they are for', () => {
  const page = join(src, 'member/tasks/index.tsx')
  expect(serviceImports(page, "import { claimTask } from '../../services/tasks'")).toEqual(['services/tasks'])
  expect(serviceImports(page, "import type { Me } from '../../services/member'")).toEqual(['services/member'])
  expect(serviceImports(page, "export { fetchMe } from '../../services/member'")).toEqual(['services/member'])
  expect(serviceImports(page, "const m = await import('../../services/mall')")).toEqual(['services/mall'])
  expect(serviceImports(page, "import { claimTask } from '../../stores/tasks'")).toEqual([])
  expect(storeHookCalls('const me = meStore()\nconst d = reminderDaysStore((s) => s.data)')).toEqual(['meStore', 'reminderDaysStore'])
  expect(storeHookCalls('void meStore.getState().load()\nconst me = useMe()')).toEqual([])
})
