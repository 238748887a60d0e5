/**
 * Toasts. An error toast stays long enough to be read at a till: at least 3 s, longer for a long message
 * (`errorToastMs`); a success toast keeps the platform's 1.5 s. Screens never call Taro.showToast with an
 * error message themselves (`toast.test.ts` checks the sources).
 */
import Taro from '@tarojs/taro'

import { errorCodeOf, errorToastMs, isErrorCode, messageFor } from '../../domain/errors'

/** Show an error: an AppError / error code (its Chinese message) or a Chinese text as it is. */
export function showErrorToast(error: unknown): void {
  const title = typeof error === 'string' ? (isErrorCode(error) ? messageFor(error) : error) : messageFor(errorCodeOf(error))
  void Taro.showToast({ title, icon: 'none', duration: errorToastMs(title) })
}
