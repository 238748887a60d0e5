/**
 * 积分规则 and 会员等级 from the live configuration (issue 17): the text is built from point_rules, the tiers, the
 * streak bonuses, the active tasks and the campaigns as they stand, never written by hand, so a rule an operator
 * changes shows here at once. Pure TypeScript.
 */
import { fenToYuan, formatPoints } from './format'
import { SOURCE_LABELS } from './history'
import type { CampaignRow, PublicPointRules, StreakBonusRow, TaskRuleRow, TierRow } from './responses'
import { businessDate, lastValidDay } from './time'

export interface PublicRules {
  pointRules: PublicPointRules
  tiers: TierRow[]
  streakBonuses: StreakBonusRow[]
  tasks: TaskRuleRow[]
  campaigns: CampaignRow[]
}

export interface RuleSection {
  title: string
  lines: string[]
}

/** 1.2 → '1.2', 2 → '2', '1.50' → '1.5'. */
export function multiplierText(m: number | string): string {
  return String(Number(m))
}

const TASK_KIND: Readonly<Record<TaskRuleRow['kind'], string>> = { one_time: '新手任务', daily: '每日任务', weekly: '每周任务' }

function purchaseLine(r: PublicPointRules): string {
  const per = r.purchase_fen_per_point
  return per === 100 ? '到店消费每 ¥1 得 1 积分（不足 ¥1 的部分不计）' : `到店消费每 ${fenToYuan(per)} 得 1 积分（不足的部分不计）`
}

function tierLine(t: TierRow): string {
  const threshold = t.min_earned_points === 0 ? '注册即是' : `近期获得 ${formatPoints(t.min_earned_points)} 积分`
  const bonus = t.upgrade_bonus_points > 0 ? `，升级奖励 ${formatPoints(t.upgrade_bonus_points)} 积分` : ''
  return `${t.name}：${threshold}，消费积分 ×${multiplierText(t.multiplier)}${bonus}`
}

/** The sections of 积分规则, in the order a member reads them. */
export function ruleSections(rules: PublicRules): RuleSection[] {
  const r = rules.pointRules
  const streak = rules.streakBonuses
    .filter((b) => b.cycle_day <= r.check_in_cycle_days)
    .map((b) => `连续签到第 ${b.cycle_day} 天额外 +${formatPoints(b.bonus_points)} 积分`)
  const sections: RuleSection[] = [
    {
      title: '每日签到',
      lines: [
        `每天签到得 ${formatPoints(r.check_in_points)} 积分`,
        ...streak,
        `连续签到以 ${r.check_in_cycle_days} 天为一个周期，中断一天重新计算`,
        r.make_up_monthly_limit > 0
          ? `可为最近 ${r.make_up_window_days} 天内漏签的日子补签，每月最多 ${r.make_up_monthly_limit} 次，每次消耗 ${formatPoints(r.make_up_cost_points)} 积分`
          : '暂不支持补签',
      ],
    },
    {
      title: '消费积分',
      lines: [
        purchaseLine(r),
        '会员等级越高，消费积分倍数越高（见下方会员等级）',
        r.purchase_hold_days > 0 ? `消费积分在 ${r.purchase_hold_days} 天后生效，期间退款将扣回` : '消费积分即时到账，退款时扣回',
      ],
    },
  ]
  if (rules.tasks.length) {
    sections.push({
      title: '任务奖励',
      lines: [
        ...rules.tasks.map((t) => `${TASK_KIND[t.kind]}「${t.title}」+${formatPoints(t.reward_points)} 积分`),
        `每天最多领取 ${r.task_daily_max_rewards} 次任务奖励、合计 ${formatPoints(r.task_daily_max_points)} 积分`,
      ],
    })
  }
  sections.push(
    {
      title: '邀请好友',
      lines: [
        `好友${r.referral_qualifying_action === 'first_purchase' ? '完成首次到店消费' : '绑定手机号后首次签到'}，双方各得 ${formatPoints(r.referral_bonus_points)} 积分`,
        `每天最多获得 ${r.referral_daily_max_rewards} 次邀请奖励；分享本身不奖励积分`,
      ],
    },
    {
      title: '更多奖励',
      lines: [
        `注册即得 ${formatPoints(r.registration_bonus_points)} 积分`,
        `生日当月可得 ${formatPoints(r.birthday_bonus_points)} 积分生日礼（生日需在 ${r.birthday_min_notice_days} 天前填写）`,
      ],
    },
    { title: '会员等级', lines: [`按最近 ${r.tier_window_months} 个月获得的积分定级（不看余额）`, ...rules.tiers.map(tierLine)] },
    {
      title: '积分有效期',
      lines: [`每笔积分自获得之日起 ${r.lot_validity_months} 个月后过期（当天结束时）`, '使用积分时先用最早到期的积分'],
    },
  )
  if (rules.campaigns.length) {
    sections.push({
      title: '进行中的活动',
      lines: rules.campaigns.map((c) => {
        const sources = c.sources.map((s) => SOURCE_LABELS[s as keyof typeof SOURCE_LABELS] ?? s).join('、')
        const cap = c.member_cap_points ? `，每人最多加赠 ${formatPoints(c.member_cap_points)} 积分` : ''
        return `${c.name}：${businessDate(c.starts_at)} 至 ${lastValidDay(c.ends_at)}，${sources} ×${multiplierText(c.multiplier)}${cap}`
      }),
    })
  }
  return sections
}

export interface TierStep {
  code: string
  name: string
  minEarnedPoints: number
  multiplier: string
  upgradeBonusPoints: number
  /** The member's tier. */
  current: boolean
  /** Reached: the member's tier or one below it. */
  reached: boolean
}

/** The tier ladder for 会员等级, lowest first, marking the member's tier. */
export function tierSteps(tiers: readonly TierRow[], currentRank: number): TierStep[] {
  return [...tiers]
    .sort((a, b) => a.rank - b.rank)
    .map((t) => ({
      code: t.code,
      name: t.name,
      minEarnedPoints: t.min_earned_points,
      multiplier: multiplierText(t.multiplier),
      upgradeBonusPoints: t.upgrade_bonus_points,
      current: t.rank === currentRank,
      reached: t.rank <= currentRank,
    }))
}

/** How the tier is kept or lost (会员等级's notes), from the rules. */
export function tierRuleLines(r: Pick<PublicPointRules, 'tier_window_months' | 'tier_grace_days'>): string[] {
  return [
    `等级按最近 ${r.tier_window_months} 个月获得的积分计算，消费、签到、任务等获得的积分都计入，使用积分不影响等级`,
    '达到更高等级的门槛即刻升级，并获得升级奖励',
    `定期复核：积分不足以保持当前等级时，提前 ${r.tier_grace_days} 天通知，期满仍未达到才调整等级`,
  ]
}
