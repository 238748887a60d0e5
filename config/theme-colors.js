// The theme's colours that code needs as values (the WeChat navigation bar and window background, modal confirm
// buttons, chart series, scanner and QR overlays), read from src/styles/theme.scss by compiling it: the theme
// stays the one file a brand edits (docs/client.md "Theme"). THEME_BRAND overrides `$brand` as it does for the
// stylesheets. Used by config/index.ts (the build's THEME_COLORS constant), src/app.config.ts and jest.config.js.
const path = require('node:path')
const sass = require('sass')

const TOKENS = {
  brand: 'brand',
  onBrand: 'on-brand',
  brandDark: 'brand-dark',
  brandTint: 'brand-tint-soft',
  bg: 'bg',
  surface: 'surface',
  text: 'text',
  textSecondary: 'text-secondary',
  textMuted: 'text-muted',
  border: 'border',
  info: 'info',
  accent: 'accent',
  success: 'success-reward',
  scrim: 'scrim',
  qrInk: 'qr-ink',
  qrPaper: 'qr-paper',
}

/** The brand a build sets (THEME_BRAND, '#rrggbb'), or undefined for the theme's own; anything else throws. */
function themeBrand(brand = process.env.THEME_BRAND) {
  if (brand && !/^#[0-9a-fA-F]{6}$/.test(brand)) throw new Error(`THEME_BRAND must be a colour like #0a7cff, not ${brand}`)
  return brand || undefined
}

/** `{ brand: '#c8102e', … }` for the theme, with `$brand` set to `brand` when given ('#rrggbb'). */
function themeColors(brand = process.env.THEME_BRAND) {
  brand = themeBrand(brand)
  const use = brand ? `@use 'theme' as t with ($brand: ${brand});` : `@use 'theme' as t;`
  const rules = Object.entries(TOKENS)
    .map(([key, token]) => `--${key}: #{t.$${token}};`)
    .join(' ')
  const { css } = sass.compileString(`${use} :root { ${rules} }`, { loadPaths: [path.join(__dirname, '..', 'src', 'styles')] })
  return Object.fromEntries(Object.keys(TOKENS).map((key) => [key, new RegExp(`--${key}: ([^;]+);`).exec(css)[1].trim()]))
}

module.exports = { themeBrand, themeColors }
