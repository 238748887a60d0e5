/** The public rules (积分规则, 会员等级), read from the configuration tables each time the screens open. */
import { fetchPublicRules } from '../services/rules'
import { createResource, selectorHook } from './resource'

export const rulesStore = createResource(() => fetchPublicRules())
export const useRules = selectorHook(rulesStore)
