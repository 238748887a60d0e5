/** The theme's colours as values (config/theme-colors.js). */
export type ThemeColors = Record<
  | 'brand'
  | 'onBrand'
  | 'brandDark'
  | 'brandTint'
  | 'bg'
  | 'surface'
  | 'text'
  | 'textSecondary'
  | 'textMuted'
  | 'border'
  | 'info'
  | 'accent'
  | 'success'
  | 'scrim'
  | 'qrInk'
  | 'qrPaper',
  string
>
export function themeBrand(brand?: string): string | undefined
export function themeColors(brand?: string): ThemeColors
