/**
 * Platform seam, mini-program: full brightness with wx.setScreenBrightness while the member code shows, the
 * previous value (wx.getScreenBrightness) restored after. Any refusal (an old base library, a denied API) is
 * ignored: the code still shows, just not brighter.
 */
import Taro from '@tarojs/taro'

export async function brightenScreen(): Promise<() => Promise<void>> {
  let previous: number | undefined
  try {
    previous = (await Taro.getScreenBrightness()).value
    await Taro.setScreenBrightness({ value: 1 })
  } catch {
    return async () => undefined
  }
  return async () => {
    try {
      if (previous !== undefined) await Taro.setScreenBrightness({ value: previous })
    } catch {
      // the page is leaving: nothing to show
    }
  }
}
