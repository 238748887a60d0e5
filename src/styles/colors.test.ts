// Colours that code paints with come from the theme too: a brand edits src/styles/theme.scss only.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { themeColors } from '../../config/theme-colors'
import { COLORS } from './colors'

const SRC = path.join(__dirname, '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name)
    if (statSync(file).isDirectory()) return sourceFiles(file)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [file] : []
  })
}

it('the constant the build and the tests define is the theme compiled (config/theme-colors.js)', () => {
  expect(COLORS).toEqual(themeColors())
  const brand = /^\$brand: (#[0-9a-f]{6}) !default;$/m.exec(readFileSync(path.join(__dirname, 'theme.scss'), 'utf8'))![1]
  expect(COLORS.brand).toBe(brand)
})

it('another brand changes the brand and nothing that is not the brand', () => {
  const blue = themeColors('#0a7cff')
  expect(blue.brand).toBe('#0a7cff')
  // the brand and its shades follow; nothing else moves
  expect({ ...blue, brand: COLORS.brand, brandDark: COLORS.brandDark, brandTint: COLORS.brandTint }).toEqual(COLORS)
  expect([blue.brandDark, blue.brandTint]).toEqual(['rgb(0, 99, 212)', 'rgb(243, 248, 254)'])
  expect(() => themeColors('blue')).toThrow(/THEME_BRAND must be a colour/)
})

it('no TypeScript under src/ writes a colour of its own', () => {
  const literal = /#[0-9a-fA-F]{3,8}\b|\brgba?\(/
  const offenders = sourceFiles(SRC).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) =>
        literal.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${path.relative(SRC, file)}:${i + 1}: ${line.trim()}`] : [],
      ),
  )
  expect(offenders).toEqual([])
})

it("every modal confirms in the brand colour (Taro's default green on white is 2.3:1 on H5)", () => {
  const missing = sourceFiles(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8')
    return [...text.matchAll(/showModal\(\{/g)]
      .filter((m) => !/confirmColor:/.test(text.slice(m.index, text.indexOf('})', m.index))))
      .map(() => path.relative(SRC, file))
  })
  expect(missing).toEqual([])
})
