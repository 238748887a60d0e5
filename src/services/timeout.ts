/**
 * Every request to the backend has a time limit (REQUEST_TIMEOUT_MS, 15 s): a hung API ends in the error
 * view with 重试 instead of 加载中… forever. The request is aborted (AbortController, where the platform has
 * one; the mini-program's wx.request also gets its own `timeout`) and the caller gets
 * AppError('request_timeout'). A write that timed out may have reached the server: the pages keep its request
 * id for the retry (`mayHaveReachedServer`).
 */
import { AppError } from '../domain/errors'
import { REQUEST_TIMEOUT_MS } from '../platform/fetch'

export { REQUEST_TIMEOUT_MS }

/** `run(signal)`'s answer, or AppError('request_timeout') after `ms` (then `signal` is aborted). */
export function withTimeout<T>(run: (signal: AbortSignal | undefined) => PromiseLike<T>, ms: number = REQUEST_TIMEOUT_MS): Promise<T> {
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new AppError('request_timeout'))
      controller?.abort()
    }, ms)
    const settle = () => clearTimeout(timer)
    let pending: PromiseLike<T>
    try {
      pending = run(controller?.signal)
    } catch (e) {
      settle()
      reject(e)
      return
    }
    Promise.resolve(pending).then(
      (value) => {
        settle()
        resolve(value)
      },
      (e) => {
        settle()
        reject(e)
      },
    )
  })
}
