import { Text, View } from '@tarojs/components'
import type { ITouchEvent } from '@tarojs/components'
import type { ReactNode } from 'react'

import { activatesByKeyboard, tapTargetProps, type TapTarget } from '../../platform/a11y'

interface Props extends TapTarget {
  className?: string
  /** Called on a tap (or, on H5, Enter / Space on the focused element); not while `disabled`. Without it the
   * element is still a named button whose tap reaches its container (the text inside a Picker). */
  onTap?: (event?: ITouchEvent) => void
  /** Render a `Text` (inline) instead of a `View` (block), for a link inside a line. */
  inline?: boolean
  /** `data-*` attributes the tests or styles use (`data-item`, `data-date`). */
  data?: Record<string, string>
  children?: ReactNode
}

/**
 * On H5, Enter and Space on the focused element click it (so its own handler, or its container's, runs), or call
 * `fallback` where the element cannot be clicked; nothing while disabled. Tappable and Button share it; the
 * mini-program has no keyboard (no handler).
 */
export function keyboardActivation(disabled: boolean, fallback?: () => void): { onKeyDown?: (e: KeyEvent) => void } {
  if (!activatesByKeyboard) return {}
  return {
    onKeyDown: (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return
      e.preventDefault?.()
      if (disabled) return
      const el = e.currentTarget as { click?: () => void } | undefined
      if (el?.click) el.click()
      else fallback?.()
    },
  }
}

type KeyEvent = { key?: string; preventDefault?: () => void; currentTarget?: unknown }

/**
 * Anything tappable that is not a `Button`: a card, a row, a tab, an arrow, a glyph tile (docs/client.md,
 * "Accessibility"). On H5 it is a focusable button with a name (role="button", tabindex, aria-label /
 * aria-disabled / aria-pressed) that Enter and Space activate; in the mini-program a plain tappable View.
 * A View or Text with its own onClick is refused by src/components/Tappable/index.test.tsx.
 */
export default function Tappable({ className, onTap, inline, data, children, ...target }: Props) {
  const { disabled } = target
  const a11y = tapTargetProps(target)
  // a click on the element: its onTap, or the handler of what contains it (a Picker opens on a click inside)
  const keys = keyboardActivation(!!disabled, () => onTap?.())
  const dataProps = data ? Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, v])) : {}
  const props = { className, ...a11y, ...keys, ...dataProps, onClick: disabled ? undefined : (e: ITouchEvent) => onTap?.(e) }
  return inline ? <Text {...props}>{children}</Text> : <View {...props}>{children}</View>
}
