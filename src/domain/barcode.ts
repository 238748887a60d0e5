/**
 * Code 128 barcodes (the member code's 18 digits for POS scanners, src/components/Barcode). The encoding is
 * jsbarcode's Code 128 encoder (automatic code set: all-digit text becomes code set C, two digits per symbol);
 * drawing is ours (plain Views, one per run of modules: `qrRuns` of ./qr). Pure TypeScript.
 */
import { CODE128 } from 'jsbarcode/bin/barcodes/CODE128'

/** Light modules on each side: Code 128 asks for at least 10. */
export const CODE128_QUIET_ZONE = 10

/** The modules of `text` as Code 128, left to right (true: a bar), without the quiet zone. */
export function code128Modules(text: string): boolean[] {
  const encoder = new CODE128(text, {})
  if (!text || !encoder.valid()) throw new RangeError(`code128Modules: cannot encode ${JSON.stringify(text)}`)
  return [...encoder.encode().data].map((m) => m === '1')
}
