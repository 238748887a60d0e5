import { Button as TaroButton } from '@tarojs/components'
import type { ButtonProps } from '@tarojs/components'

import { tapTargetProps } from '../../platform/a11y'
import { keyboardActivation } from '../Tappable'

interface Props extends ButtonProps {
  /** The accessible name when the text alone does not say it. */
  label?: string
}

/**
 * Taro's Button with what H5 lacks (docs/client.md, "Accessibility"): Taro renders `<taro-button-core>`, with no
 * role and out of the tab order, and its `disabled` means nothing to assistive technology. Here it is
 * role="button", focusable, named, aria-disabled / aria-busy while disabled / loading, and Enter / Space tap it.
 * In the mini-program it is Taro's Button as it was (a native button). Screens import this Button, never
 * `@tarojs/components`' (an ESLint rule, .eslintrc.js).
 */
export default function Button({ label, ...props }: Props) {
  const disabled = !!props.disabled
  const a11y = tapTargetProps({ label, disabled, busy: !!props.loading })
  const keys = keyboardActivation(disabled)
  return <TaroButton {...a11y} {...keys} {...props} />
}
