/**
 * Stable error codes (the backend's snake_case `message`, plus client-side codes) and the
 * Chinese text shown to users. Pure TypeScript: no Taro / React / network imports.
 */

export const FALLBACK_MESSAGE = '网络开小差了，请稍后再试'

const MESSAGES: Readonly<Record<string, string>> = {
  // client-side
  network_error: '网络连接失败，请检查网络后重试',
  unknown: FALLBACK_MESSAGE,
  // auth
  invalid_jwt: '登录已过期，请重新登录',
  jwt_expired: '登录已过期，请重新登录',
  not_authenticated: '请先登录',
  // business rules
  already_checked_in: '今天已经签到过了',
  insufficient_points: '积分不足',
  out_of_stock: '商品已兑完',
  limit_reached: '已达到兑换上限',
  invalid_member_code: '会员码无效或已过期，请刷新后重试',
  not_staff: '仅限门店员工操作',
  not_found: '内容不存在或已下架',
}

/** Chinese user message for an error code; unknown codes get the generic fallback. */
export function messageFor(code: string): string {
  return Object.prototype.hasOwnProperty.call(MESSAGES, code) ? MESSAGES[code] : FALLBACK_MESSAGE
}

/** True for a stable error code such as `already_checked_in` (what the backend puts in `message`). */
export function isErrorCode(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(value)
}

/** An error carrying a stable code; map it to text with `messageFor(error.code)`. */
export class AppError extends Error {
  readonly code: string

  constructor(code: string, options?: { cause?: unknown }) {
    super(code)
    this.name = 'AppError'
    this.code = code
    if (options && 'cause' in options) {
      ;(this as { cause?: unknown }).cause = options.cause
    }
  }
}

/** The code of any thrown value: an AppError's code, otherwise 'unknown'. */
export function errorCodeOf(error: unknown): string {
  return error instanceof AppError ? error.code : 'unknown'
}
