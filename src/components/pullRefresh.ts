import Taro, { usePullDownRefresh } from '@tarojs/taro'

/**
 * Pull-to-refresh on a list screen (its page config sets `enablePullDownRefresh: true`): reloads, then puts the
 * spinner away whether the reload worked or not (a failure shows in the screen's own error view or toast).
 */
export function usePullRefresh(reload: () => Promise<unknown>): void {
  usePullDownRefresh(() => {
    void reload()
      .catch(() => undefined)
      .finally(() => void Taro.stopPullDownRefresh())
  })
}
