/**
 * Keyboard-wedge barcode scanners (USB or Bluetooth): the scanner "types" what it read, a few ms per
 * character, then Enter. Pure TypeScript: the platform seam (src/platform/wedge.ts) feeds it key events.
 *
 * A scan is a run of printable characters each within `maxGapMs` of the previous one, ended by Enter within
 * `maxGapMs` of the last character, at least `minLength` long. A person typing (≥ ~80 ms between keys even
 * when fast) never makes such a run: a slow key starts the run over, so typing into an input is never taken
 * for a scan (and the page leaves that input alone).
 */
export interface WedgeOptions {
  /** The longest pause between two characters of one scan (default 50 ms). */
  maxGapMs?: number
  /** The shortest scan (default 8 characters: a voucher has 12, a member code 18, a token 79). */
  minLength?: number
}

export const WEDGE_MAX_GAP_MS = 50
export const WEDGE_MIN_LENGTH = 8

export interface WedgeDetector {
  /**
   * One keydown: `key` as KeyboardEvent.key ('9', 'M', '.', 'Enter', 'Shift'…), `atMs` its time stamp.
   * Returns the scanned text when this key ends a scan, else null.
   */
  key(key: string, atMs: number): string | null
  /** Whether the characters so far may be the start of a scan (a page may hold them back from an input). */
  inScan(): boolean
  reset(): void
}

export function createWedgeDetector(options: WedgeOptions = {}): WedgeDetector {
  const maxGap = options.maxGapMs ?? WEDGE_MAX_GAP_MS
  const minLength = options.minLength ?? WEDGE_MIN_LENGTH
  let buffer = ''
  let lastMs = -Infinity
  return {
    key(key, atMs) {
      const gap = atMs - lastMs
      if (key === 'Enter') {
        const text = buffer
        const fast = gap <= maxGap
        buffer = ''
        lastMs = -Infinity
        return fast && text.length >= minLength ? text : null
      }
      if (key.length !== 1) return null // Shift, Control…: scanners send Shift for upper-case letters
      buffer = gap <= maxGap ? buffer + key : key
      lastMs = atMs
      return null
    },
    inScan() {
      return buffer.length > 1
    },
    reset() {
      buffer = ''
      lastMs = -Infinity
    },
  }
}
