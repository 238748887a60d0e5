/** Platform seam, mini-program: no keyboard events, so no keyboard-wedge scanner (see wedge.ts); wx.scanCode instead. */
import type { WedgeOptions } from '../domain/wedge'

export function listenForWedgeScans(_onScan: (text: string) => boolean, _options?: WedgeOptions): () => void {
  return () => undefined
}
