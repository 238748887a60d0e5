/**
 * The 规则与任务 screen's model: point_rules' columns grouped as an operator thinks of them, the editable fields
 * of tasks / tiers / streak bonuses, and rule changes (op_schedule_rule_change) in words. Pure.
 */
import type { JsonValue } from './diff'

export type FieldKind = 'int' | 'decimal' | 'bool' | 'text' | 'intList'

export interface RuleField {
  field: string
  label: string
  kind: FieldKind
  /** a unit after the value ('积分', '天') */
  unit?: string
  min?: number
  max?: number
  /** shown, not editable from the console (the 4-eyes threshold: the database owner changes it) */
  readonly?: boolean
}

export interface RuleGroup {
  key: string
  title: string
  fields: RuleField[]
}

const f = (field: string, label: string, kind: FieldKind, unit?: string, min = 0, max?: number): RuleField => ({
  field,
  label,
  kind,
  unit,
  min,
  max,
})

/** point_rules, grouped (every column an operator may change; updated_at and id are not). */
export const POINT_RULE_GROUPS: readonly RuleGroup[] = [
  {
    key: 'check_in',
    title: '签到',
    fields: [f('check_in_points', '每日签到积分', 'int', '积分'), f('check_in_cycle_days', '签到周期', 'int', '天', 1, 31)],
  },
  {
    key: 'make_up',
    title: '补签',
    fields: [
      f('make_up_cost_points', '补签消耗', 'int', '积分'),
      f('make_up_monthly_limit', '每月补签次数', 'int', '次'),
      f('make_up_window_days', '可补签最近', 'int', '天'),
    ],
  },
  {
    key: 'tasks',
    title: '任务上限',
    fields: [f('task_daily_max_rewards', '每日奖励次数上限', 'int', '次'), f('task_daily_max_points', '每日奖励积分上限', 'int', '积分')],
  },
  {
    key: 'referral',
    title: '邀请',
    fields: [
      f('referral_bonus_points', '邀请奖励', 'int', '积分'),
      f('referral_daily_max_rewards', '每日邀请奖励次数上限', 'int', '次'),
      f('referral_bind_window_hours', '注册后可绑定邀请人', 'int', '小时'),
    ],
  },
  { key: 'expiry', title: '积分有效期', fields: [f('lot_validity_months', '积分有效期', 'int', '个月', 1)] },
  {
    key: 'reminder',
    title: '提醒',
    fields: [
      f('expiry_reminder_days', '积分过期前提醒（提前天数）', 'intList', '天'),
      f('check_in_reminder_hour', '签到提醒时间（当地整点）', 'int', '点', 0, 23),
    ],
  },
  {
    key: 'tier',
    title: '等级',
    fields: [f('tier_window_months', '等级统计周期', 'int', '个月', 1), f('tier_grace_days', '降级宽限', 'int', '天')],
  },
  {
    key: 'welcome',
    title: '注册与生日',
    fields: [
      f('registration_bonus_points', '注册奖励', 'int', '积分'),
      f('birthday_bonus_points', '生日奖励', 'int', '积分'),
      f('birthday_min_notice_days', '生日需提前设置', 'int', '天'),
      f('birthday_edit_interval_days', '生日修改间隔', 'int', '天'),
    ],
  },
  {
    key: 'purchase',
    title: '门店消费',
    fields: [f('purchase_fen_per_point', '每多少分钱得 1 积分', 'int', '分', 1), f('purchase_hold_days', '消费积分冻结', 'int', '天')],
  },
  {
    key: 'service',
    title: '客服与会员码',
    fields: [
      { ...f('adjustment_approval_points', '积分调整审批额度', 'int', '积分'), readonly: true },
      f('member_code_ttl_seconds', '会员码有效期', 'int', '秒', 1),
      f('member_code_award_grace_seconds', '会员码发放宽限', 'int', '秒'),
    ],
  },
]

export const TASK_FIELDS: readonly RuleField[] = [
  f('title', '任务名称', 'text'),
  f('description', '说明', 'text'),
  f('reward_points', '奖励', 'int', '积分'),
  f('required_count', '需完成次数', 'int', '次', 1),
  f('period_limit', '每周期可领次数', 'int', '次', 1),
  f('sort_order', '排序', 'int', undefined, -1000),
  f('active', '启用', 'bool'),
]

export const TIER_FIELDS: readonly RuleField[] = [
  f('name', '等级名称', 'text'),
  f('min_earned_points', '升级所需积分（统计周期内获得）', 'int', '积分'),
  f('multiplier', '积分倍数', 'decimal', '倍', 1, 10),
  f('upgrade_bonus_points', '升级奖励', 'int', '积分'),
]

export const STREAK_FIELDS: readonly RuleField[] = [f('bonus_points', '连签奖励（0：取消这一天的奖励）', 'int', '积分')]

export type RuleSubject = 'point_rules' | 'task' | 'tier' | 'check_in_streak_bonus'

export const SUBJECT_LABELS: Readonly<Record<RuleSubject, string>> = {
  point_rules: '积分规则',
  task: '任务',
  tier: '等级',
  check_in_streak_bonus: '连签奖励',
}

/** A value as the screen writes it ('5 积分', '30、7 天', '是'). */
export function ruleValueText(field: RuleField | undefined, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  if (Array.isArray(value)) return `${value.join('、')}${field?.unit ? ` ${field.unit}` : ''}`
  if (typeof value === 'boolean') return value ? '启用' : '停用'
  return `${value}${field?.unit ? ` ${field.unit}` : ''}`
}

/** The field's definition wherever it is (point rules, task, tier, streak). */
export function findField(field: string): RuleField | undefined {
  for (const list of [POINT_RULE_GROUPS.flatMap((g) => g.fields), TASK_FIELDS, TIER_FIELDS, STREAK_FIELDS]) {
    const found = list.find((x) => x.field === field)
    if (found) return found
  }
  return undefined
}

export interface ChangeLine {
  field: string
  label: string
  before: string
  after: string
}

/** The changes as lines 'label: old → new' (old from `current`, when known). */
export function changeLines(changes: Record<string, JsonValue>, current?: Record<string, unknown>): ChangeLine[] {
  return Object.entries(changes).map(([field, value]) => {
    const def = findField(field)
    return {
      field,
      label: def?.label ?? field,
      before: current ? ruleValueText(def, current[field]) : '',
      after: ruleValueText(def, value),
    }
  })
}

/** '30, 7' / '30、7' / '30 7' → [30, 7] (as typed: order kept, duplicates dropped); null when not whole numbers. */
export function parseIntList(text: string): number[] | null {
  const parts = text
    .split(/[\s,，、]+/)
    .map((p) => p.trim())
    .filter(Boolean)
  if (!parts.every((p) => /^\d+$/.test(p))) return null
  return [...new Set(parts.map(Number))]
}

export type ChangeState = 'pending' | 'applied' | 'failed' | 'cancelled'

export function changeState(row: { applied_at: string | null; cancelled_at: string | null; failed_reason?: string | null }): ChangeState {
  if (row.cancelled_at) return 'cancelled'
  if (row.failed_reason) return 'failed'
  if (row.applied_at) return 'applied'
  return 'pending'
}

export const CHANGE_STATE_LABELS: Readonly<Record<ChangeState, { label: string; color: string }>> = {
  pending: { label: '待生效', color: 'warning' },
  applied: { label: '已生效', color: 'success' },
  failed: { label: '未能生效', color: 'red' },
  cancelled: { label: '已取消', color: 'default' },
}
