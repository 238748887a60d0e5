import { CAMPAIGN_ROWS, POINT_RULES_ROWS, STREAK_BONUS_ROWS, TASK_RULE_ROWS, TIER_ROWS } from '../domain/responses'
import { AppError } from '../domain/errors'
import type { PublicRules } from '../domain/rules'
import { rest } from './client'
import { expectShape, runQuery } from './rpc'

/**
 * The rules as they stand now, from the configuration tables every member may read (point_rules, tiers,
 * check_in_streak_bonuses, the active tasks, the running and coming campaigns): 积分规则 and 会员等级 are built
 * from them, so they can never be out of date. `nowIso`: campaigns ended before it are left out.
 */
export async function fetchPublicRules(nowIso: string = new Date().toISOString()): Promise<PublicRules> {
  const [rules, tiers, streakBonuses, tasks, campaigns] = await Promise.all([
    runQuery(rest.from('point_rules').select('*').limit(1)).then((v) => expectShape(POINT_RULES_ROWS, v)),
    runQuery(rest.from('tiers').select('code,name,rank,min_earned_points,multiplier,upgrade_bonus_points').order('rank')).then((v) =>
      expectShape(TIER_ROWS, v),
    ),
    runQuery(rest.from('check_in_streak_bonuses').select('cycle_day,bonus_points').order('cycle_day')).then((v) =>
      expectShape(STREAK_BONUS_ROWS, v),
    ),
    runQuery(
      rest
        .from('tasks')
        .select('code,title,kind,reward_points,period_limit,required_count')
        .eq('active', true)
        .order('sort_order')
        .order('code'),
    ).then((v) => expectShape(TASK_RULE_ROWS, v)),
    runQuery(
      rest
        .from('campaigns')
        .select('id,name,starts_at,ends_at,multiplier,sources,member_cap_points')
        .gt('ends_at', nowIso)
        .order('starts_at'),
    ).then((v) => expectShape(CAMPAIGN_ROWS, v)),
  ])
  const [pointRules] = rules
  if (!pointRules) throw new AppError('bad_response', { cause: 'point_rules has no row' })
  return { pointRules, tiers, streakBonuses, tasks, campaigns }
}
