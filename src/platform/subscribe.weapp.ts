/**
 * Platform seam, mini-program: WeChat's subscribe-message dialog (wx.requestSubscribeMessage) for the templates
 * the build configures: `TARO_APP_WX_TEMPLATE_POINTS_EXPIRING`, `…_VOUCHER_EXPIRING`, `…_VOUCHER_USED`,
 * `…_TIER_CHANGED`, `…_CHECK_IN_REMINDER` (.env.production(.local), or the shell at build time). A key without a
 * template id is skipped; at most 3 ids go in one call (WeChat's limit). WeChat shows the dialog only when the call
 * comes from the member's tap: call `requestSubscribe` from a tap handler (or a modal's confirm), before any await.
 * Any failure (the member switched subscriptions off, an old base library, a call outside a tap) answers nothing:
 * the member's own action goes on.
 */
import Taro from '@tarojs/taro'

import { isSubscribeResult, MAX_TEMPLATES_PER_REQUEST, type SubscribeKey, type SubscribeResults } from '../domain/messages'

/** The configured template id of each key (trimmed; keys without one are left out). Read at call time. */
export function templateIds(): Partial<Record<SubscribeKey, string>> {
  // each `process.env.TARO_APP_…` is written out: the build replaces exactly these expressions
  const configured: Record<SubscribeKey, string | undefined> = {
    points_expiring: process.env.TARO_APP_WX_TEMPLATE_POINTS_EXPIRING,
    voucher_expiring: process.env.TARO_APP_WX_TEMPLATE_VOUCHER_EXPIRING,
    voucher_used: process.env.TARO_APP_WX_TEMPLATE_VOUCHER_USED,
    tier_changed: process.env.TARO_APP_WX_TEMPLATE_TIER_CHANGED,
    check_in_reminder: process.env.TARO_APP_WX_TEMPLATE_CHECK_IN_REMINDER,
  }
  const ids: Partial<Record<SubscribeKey, string>> = {}
  for (const [key, id] of Object.entries(configured) as [SubscribeKey, string | undefined][]) {
    if (id?.trim()) ids[key] = id.trim()
  }
  return ids
}

export function canAskForReminders(keys: readonly SubscribeKey[]): boolean {
  const ids = templateIds()
  return keys.some((key) => !!ids[key])
}

/**
 * Show WeChat's dialog for the keys' templates (the first 3 configured ones) and answer what the member chose,
 * per key ({} when nothing was asked or the call failed).
 */
export async function requestSubscribe(keys: readonly SubscribeKey[]): Promise<SubscribeResults> {
  const ids = templateIds()
  const asked = new Map<string, SubscribeKey[]>() // template id → the keys that use it
  for (const key of keys) {
    const id = ids[key]
    if (!id) continue
    if (!asked.has(id) && asked.size >= MAX_TEMPLATES_PER_REQUEST) {
      console.warn(`subscribe: more than ${MAX_TEMPLATES_PER_REQUEST} templates in one request, ${key} not asked`)
      continue
    }
    asked.set(id, [...(asked.get(id) ?? []), key])
  }
  if (asked.size === 0) return {}
  let answer: Record<string, unknown>
  try {
    // the types want `entityIds` too (Alipay's); WeChat reads `tmplIds`
    answer = (await Taro.requestSubscribeMessage({ tmplIds: [...asked.keys()] } as Taro.requestSubscribeMessage.Option)) as Record<
      string,
      unknown
    >
  } catch (e) {
    console.warn('subscribe: requestSubscribeMessage failed', e)
    return {}
  }
  const results: SubscribeResults = {}
  for (const [id, idKeys] of asked) {
    const result = answer?.[id]
    if (isSubscribeResult(result)) for (const key of idKeys) results[key] = result
  }
  return results
}
