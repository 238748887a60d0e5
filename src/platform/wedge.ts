/**
 * Platform seam: a USB or Bluetooth barcode scanner in keyboard-wedge mode (it types what it read, a few ms
 * per character, then Enter) on H5, with no tap on the screen. Listens to keydown on the document (capture);
 * the timing decides what is a scan (src/domain/wedge.ts), so a person typing into a field is never taken for
 * one. `onScan` answers whether it took the scan: then the ending Enter goes nowhere else; a scan it does not
 * want (e.g. a receipt's order number scanned into the order field) is left to the field that has the focus.
 * The mini-program has no keyboard events: wedge.weapp.ts does nothing.
 */
import { createWedgeDetector, type WedgeOptions } from '../domain/wedge'

/** Starts listening; returns the function that stops. */
export function listenForWedgeScans(onScan: (text: string) => boolean, options?: WedgeOptions): () => void {
  if (typeof document === 'undefined') return () => undefined
  const detector = createWedgeDetector(options)
  const onKeyDown = (e: KeyboardEvent) => {
    // a keydown without a key (Chromium's autofill sends such events) or with a modifier is never part of a scan
    if (typeof e.key !== 'string' || e.isComposing || e.ctrlKey || e.altKey || e.metaKey) return
    const text = detector.key(e.key, typeof performance !== 'undefined' ? performance.now() : Date.now())
    if (text !== null && onScan(text)) {
      e.preventDefault()
      e.stopPropagation()
    }
  }
  document.addEventListener('keydown', onKeyDown, true)
  return () => document.removeEventListener('keydown', onKeyDown, true)
}
