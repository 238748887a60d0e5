/**
 * Platform seam: asking the member's consent to subscribe messages (订阅消息). H5 members get no subscribe
 * messages (only the in-app 消息中心), so this file offers nothing and asks nothing; the mini-program build picks
 * subscribe.weapp.ts (wx.requestSubscribeMessage with the template ids of the build's configuration).
 */
import type { SubscribeKey, SubscribeResults } from '../domain/messages'

/** Whether asking for these templates can show WeChat's dialog (H5: never, so no 提醒我 is shown). */
export function canAskForReminders(_keys: readonly SubscribeKey[]): boolean {
  return false
}

/** Ask for consent; what the member answered per template key (H5: nothing, at once). */
export async function requestSubscribe(_keys: readonly SubscribeKey[]): Promise<SubscribeResults> {
  return {}
}
