/**
 * @jest-environment node
 *
 * On H5 every page's stylesheet stays in the one document once the page was opened, in load order. A class
 * that two stylesheets define (e.g. a shared `.staff-card` emitted again by each staff page that `@use`d it)
 * lets the later one override a page's own rule of the same specificity: the red 扫一扫 card turned white after
 * the award screen had loaded (issue 13). So every class block (BEM block: the class up to `__` / `--`) that
 * leads a selector belongs to exactly one stylesheet, and the partials that pages `@use` emit no rules.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { compile } from 'sass'

const SRC = path.join(__dirname, '..')

function files(dir: string, test: (f: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    return e.isDirectory() ? files(full, test) : test(full) ? [full] : []
  })
}

/** The stylesheets the app imports (`import './x.scss'` in a .ts / .tsx), and the partials they `@use`. */
const imported = new Set(
  files(SRC, (f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts') && !f.endsWith('.test.tsx')).flatMap((f) =>
    [...readFileSync(f, 'utf8').matchAll(/^import '(\.[^']+\.scss)'/gm)].map((m) => path.resolve(path.dirname(f), m[1])),
  ),
)
const allScss = files(SRC, (f) => f.endsWith('.scss'))
const partials = allScss.filter((f) => !imported.has(f))

/** The selectors of a compiled stylesheet (at-rule preludes left out). */
function selectors(css: string): string[] {
  const out: string[] = []
  const re = /([^{}]+)\{/g
  for (const m of css.matchAll(re)) {
    const prelude = m[1].trim()
    if (!prelude || prelude.startsWith('@')) continue
    out.push(...prelude.split(',').map((s) => s.trim()))
  }
  return out
}

/** The block of the first class in a selector: `.staff-home__scan .x` → `staff-home`. */
function leadingBlock(selector: string): string | null {
  const m = /\.([A-Za-z_][\w-]*)/.exec(selector)
  return m ? m[1].split(/__|--/)[0] : null
}

it('finds the app stylesheets and partials', () => {
  expect(imported.size).toBeGreaterThan(15)
  expect(partials.map((f) => path.relative(SRC, f)).sort()).toEqual(['staff/common.scss', 'styles/theme.scss'])
})

it('partials that pages @use define no rules (else each page would emit them again)', () => {
  for (const f of partials) expect({ file: path.relative(SRC, f), css: compile(f).css.trim() }).toEqual({ file: path.relative(SRC, f), css: '' })
})

it('every class block leading a selector is defined by one stylesheet only', () => {
  const owners = new Map<string, Set<string>>()
  for (const f of imported) {
    for (const sel of selectors(compile(f).css)) {
      const block = leadingBlock(sel)
      if (!block) continue
      owners.set(block, (owners.get(block) ?? new Set()).add(path.relative(SRC, f)))
    }
  }
  const shared = [...owners].filter(([, fs]) => fs.size > 1).map(([block, fs]) => `${block}: ${[...fs].sort().join(', ')}`)
  expect(shared).toEqual([])
  expect(owners.get('staff-home')).toEqual(new Set(['staff/home/index.scss']))
})
