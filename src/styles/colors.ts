/**
 * The theme's colours as values, for what code paints rather than a stylesheet: modal confirm buttons, chart
 * series, the QR code, the scanner layer. They come from src/styles/theme.scss at build time
 * (config/theme-colors.js → the THEME_COLORS constant; jest.config.js sets the same), so a brand still edits one
 * file.
 */
import type { ThemeColors } from '../../config/theme-colors'

declare const THEME_COLORS: ThemeColors

export const COLORS = THEME_COLORS
