// Driving Taro's H5 web components in component tests (jsdom + @testing-library).
import { fireEvent, screen, waitFor } from '@testing-library/react'
import { errorToastMs } from '../../src/domain/errors'

/** Typing into a Taro Input: it reports the value in the event's `detail`, as the mini-program does. */
export async function typeInto(input: HTMLElement, value: string): Promise<void> {
  await waitFor(() => expect(input.querySelector('input')).not.toBeNull()) // the web component is ready
  ;(input as HTMLInputElement).value = value
  fireEvent(input, new CustomEvent('input', { bubbles: true, detail: { value } }))
}

/** A Taro Input by its placeholder (the host element, which carries the value and the input events). */
export function inputByPlaceholder(placeholder: string): HTMLInputElement {
  return screen.getAllByPlaceholderText(placeholder).find((el) => el.tagName === 'TARO-INPUT-CORE') as HTMLInputElement
}

/** The Taro Button whose text is `text`. */
export function buttonByText(text: string): HTMLElement {
  return screen.getByText(text).closest('taro-button-core') as HTMLElement
}

/** No `disabled` attribute at all when enabled (Taro's H5 CSS treats disabled="false" as disabled). */
export function isDisabled(el: HTMLElement): boolean {
  return el.hasAttribute('disabled')
}

/** The Taro.showToast options of an error toast with `title` (it stays ≥ 3 s: src/components/toast). */
export function errorToast(title: string) {
  return { title, icon: 'none', duration: errorToastMs(title) }
}
