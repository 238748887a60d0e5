/**
 * Decoding a Code 128 barcode in tests with ZXing (@zxing/library's Code128Reader), from its modules (true: a
 * bar), a quiet zone is added on both sides. Throws when ZXing reads nothing.
 */
import { BitArray, Code128Reader } from '@zxing/library'

export function decodeCode128(modules: readonly boolean[], quietZone = 10): string {
  const row = new BitArray(modules.length + 2 * quietZone)
  modules.forEach((dark, i) => {
    if (dark) row.set(i + quietZone)
  })
  return new Code128Reader().decodeRow(0, row, new Map()).getText()
}

/** Runs of widths (px) as the DOM draws them, back to modules of `modulePx` each. */
export function modulesFromRuns(runs: { dark: boolean; widthPx: number }[], modulePx: number): boolean[] {
  return runs.flatMap((r) => {
    const n = r.widthPx / modulePx
    if (!Number.isInteger(n) || n < 1) throw new Error(`a run of ${r.widthPx}px is not a whole number of ${modulePx}px modules`)
    return Array<boolean>(n).fill(r.dark)
  })
}
