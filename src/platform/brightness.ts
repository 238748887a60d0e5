/**
 * Platform seam: the screen at full brightness while a code is shown (a POS scanner reads a bright screen
 * best), and back to what it was when the code leaves the screen. H5: browsers offer no such API, so this does
 * nothing. The mini-program build picks brightness.weapp.ts (wx.setScreenBrightness).
 */

/** Raises the brightness; resolves to a function that restores it (call it when the code leaves the screen). */
export async function brightenScreen(): Promise<() => Promise<void>> {
  return async () => undefined
}
