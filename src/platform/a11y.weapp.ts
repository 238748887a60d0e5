/**
 * Platform seam (WeChat mini-program): see a11y.ts. Taro's weapp templates render a fixed set of attributes per
 * component, without role or aria-*: props set here would only travel in setData and be dropped. WeChat's screen
 * reader reads a tappable view's text; nothing to add.
 */
import type { TapTarget } from './a11y'

export type { TapTarget } from './a11y'

export function tapTargetProps(_target: TapTarget): Record<string, string | number | undefined> {
  return {}
}

/** No keyboard in the mini-program. */
export const activatesByKeyboard = false

export function imageAltProps(_alt: string): { nativeProps?: Record<string, string> } {
  return {}
}
