/**
 * Platform seam: what tells assistive technology that something is a control (docs/client.md "Accessibility").
 * This file is H5's (and the tests'); the weapp build picks a11y.weapp.ts.
 *
 * On H5 Taro renders `View` as `<taro-view-core>`, `Button` as `<taro-button-core>` (no role, not focusable) and
 * `Image` as `<taro-image-core><img></taro-image-core>`: a screen reader hears neither a button nor its state,
 * and a keyboard cannot reach it. These props make such an element a named, focusable button.
 */

export interface TapTarget {
  /** The accessible name, when the visible text alone does not say what the control does (an arrow, a glyph). */
  label?: string
  /** Cannot be used now: announced as dimmed, out of the tab order (and exempt from the contrast rule). */
  disabled?: boolean
  /** Doing its work (a Button's loading spinner). */
  busy?: boolean
  /** A tab or toggle that is on: announced as pressed. */
  pressed?: boolean
  /** Shows or hides more below it (a voucher's code): announced as expanded / collapsed. */
  expanded?: boolean
}

/** The attributes that make a tappable element a button: role, name, focus and state. */
export function tapTargetProps({ label, disabled, busy, pressed, expanded }: TapTarget): Record<string, string | number | undefined> {
  return {
    role: 'button',
    tabIndex: disabled ? -1 : 0,
    'aria-label': label,
    'aria-disabled': disabled ? 'true' : undefined,
    'aria-busy': busy ? 'true' : undefined,
    'aria-pressed': pressed === undefined ? undefined : pressed ? 'true' : 'false',
    'aria-expanded': expanded === undefined ? undefined : expanded ? 'true' : 'false',
  }
}

/** Enter and Space activate a focused button (a keyboard, a switch device, a screen reader's double tap). */
export const activatesByKeyboard = true

/** An image's text alternative ('' for one that only decorates: the text next to it says the same). */
export function imageAltProps(alt: string): { nativeProps?: Record<string, string> } {
  return { nativeProps: { alt } }
}
