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
import { pathToFileURL } from 'node:url'
import { compile, compileString } from 'sass'

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
  expect(partials.map((f) => path.relative(SRC, f)).sort()).toEqual(['staff/common.scss', 'styles/blocks.scss', 'styles/theme.scss'])
})

it('partials that pages @use define no rules (else each page would emit them again)', () => {
  for (const f of partials)
    expect({ file: path.relative(SRC, f), css: compile(f).css.trim() }).toEqual({ file: path.relative(SRC, f), css: '' })
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

/*
 * The theme (docs/client.md, "Theme"): every colour comes from src/styles/theme.scss, and a brand re-skins the app
 * by changing `$brand` there: its shades derive from it, nothing else changes.
 */
const THEME = path.join(SRC, 'styles', 'theme.scss')
const rel = (f: string) => path.relative(SRC, f)

/** Every colour in a CSS text, as `r,g,b` (alpha left out): hex, rgb() and rgba() as Sass prints them (its colour
 *  functions print fractional channels as percentages), and any other colour function as itself. */
function colours(css: string): string[] {
  const out: string[] = []
  const channel = (v: string) => String(v.endsWith('%') ? Math.round(parseFloat(v) * 2.55) : Number(v))
  const re =
    /#([0-9a-f]{8}|[0-9a-f]{6}|[0-9a-f]{3,4})\b|rgba?\(\s*([\d.]+%?)[,\s]+([\d.]+%?)[,\s]+([\d.]+%?)|\b((?:hsla?|hwb|lab|lch|oklab|oklch|color)\([^)]*\))/gi
  for (const m of css.matchAll(re)) {
    if (m[1]) {
      const h = m[1].length <= 4 ? [...m[1].slice(0, 3)].map((c) => c + c).join('') : m[1].slice(0, 6)
      out.push([0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)).join(','))
    } else if (m[5]) out.push(m[5])
    else out.push([m[2], m[3], m[4]].map(channel).join(','))
  }
  return out
}

/** The CSS with every colour written as `rgb(r,g,b)` / `rgba(r,g,b,a)`, whatever form Sass chose. */
function canonical(css: string): string {
  return css.replace(/#([0-9a-f]{6}|[0-9a-f]{3})\b|rgba?\(([^)]*)\)/gi, (whole, hex?: string, args?: string) => {
    if (hex) return `rgb(${colours(whole)[0]})`
    const parts = args!.split(/[,\s/]+/).filter(Boolean)
    return parts.length === 4
      ? `rgba(${parts.slice(0, 3).map(Number).join(',')},${Number(parts[3])})`
      : `rgb(${parts.map(Number).join(',')})`
  })
}

/** A stylesheet compiled with `$brand` set in the theme (as `@use '…/theme' with (…)` before the page loads it). */
function compileWithBrand(file: string, brand: string): string {
  const probe = path.join(SRC, '__brand_probe.scss')
  const url = (f: string) => './' + path.relative(SRC, f).split(path.sep).join('/')
  return compileString(`@use '${url(THEME)}' with ($brand: ${brand});\n@use '${url(file)}';\n`, { url: pathToFileURL(probe) }).css
}

/** Each theme token's colours, by name, with `$brand` set to `brand`. */
function themeColours(brand: string): Map<string, string[]> {
  const css = compileString(
    `@use 'sass:meta';\n@use './styles/theme' as t with ($brand: ${brand});\n` +
      `@each $name, $value in meta.module-variables('t') { .token { #{$name}: meta.inspect($value); } }\n`,
    { url: pathToFileURL(path.join(SRC, '__theme_probe.scss')) },
  ).css
  return new Map([...css.matchAll(/^\s*([\w-]+): (.*);$/gm)].map((m) => [m[1], colours(m[2])]))
}

const DEFAULT_BRAND = '#c8102e'
const OTHER_BRAND = '#0a7cff'

it('no stylesheet but the theme writes a colour (hex, rgb/hsl or a colour name)', () => {
  const raw = allScss
    .filter((f) => f !== THEME)
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .split('\n')
        .map((line, i) => ({ line: line.replace(/\/\/.*$/, ''), where: `${rel(f)}:${i + 1}` }))
        .filter(({ line }) =>
          /#[0-9a-f]{3,8}\b|\b(rgba?|hsla?)\(\s*[\d.]|:\s*[^;]*(?<![$\w-])(white|black|red|green|blue|gr[ae]y|orange|yellow|gold|pink|purple)(?![\w-])/i.test(
            line,
          ),
        )
        .map(({ line, where }) => `${where}: ${line.trim()}`),
    )
  expect(raw).toEqual([])
})

it('every colour in every compiled stylesheet is a theme token', () => {
  const theme = new Set([...themeColours(DEFAULT_BRAND).values()].flat())
  const foreign = [...imported].flatMap((f) =>
    colours(compile(f).css)
      .filter((c) => !theme.has(c))
      .map((c) => `${rel(f)}: rgb(${c})`),
  )
  expect(foreign).toEqual([])
})

it('a brand re-skins every stylesheet by changing $brand alone: its shades follow, nothing else changes', () => {
  const before = themeColours(DEFAULT_BRAND)
  const after = themeColours(OTHER_BRAND)
  // the colours that derive from the brand, old → new (e.g. $brand-tint, the band's dark end)
  const swap = new Map<string, string>()
  for (const [name, cs] of before) cs.forEach((c, i) => c !== after.get(name)![i] && swap.set(c, after.get(name)![i]))
  expect(swap.get('200,16,46')).toBe('10,124,255')
  expect(swap.size).toBeGreaterThanOrEqual(7) // the brand, its dark end, warm start, tints and disabled shades
  const branded: string[] = []
  for (const f of imported) {
    const plain = canonical(compile(f).css)
    const reskinned = canonical(compileWithBrand(f, OTHER_BRAND))
    // no colour of the old brand is left …
    expect({ file: rel(f), left: colours(reskinned).filter((c) => swap.has(c)) }).toEqual({ file: rel(f), left: [] })
    // … and the re-skinned CSS is the default CSS with each brand colour swapped for its new shade
    const expected = plain.replace(/rgba?\((\d+),(\d+),(\d+)/g, (whole, r, g, b) => {
      const to = swap.get(`${r},${g},${b}`)
      return to ? whole.replace(`${r},${g},${b}`, to) : whole
    })
    expect({ file: rel(f), css: reskinned }).toEqual({ file: rel(f), css: expected })
    if (reskinned !== plain) branded.push(rel(f))
  }
  // the brand shows on nearly every screen (not: app.scss, the chart, StateView's neutral text…)
  expect(branded.length).toBeGreaterThan(15)
})
