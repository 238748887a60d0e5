import { changeLines, changeState, parseIntList, POINT_RULE_GROUPS, ruleValueText, findField } from './rules'

describe('the rule groups', () => {
  it('name every point rule an operator may change once', () => {
    const fields = POINT_RULE_GROUPS.flatMap((g) => g.fields.map((f) => f.field))
    expect(new Set(fields).size).toBe(fields.length)
    expect(fields).toEqual(
      expect.arrayContaining(['check_in_points', 'make_up_cost_points', 'task_daily_max_points', 'referral_bonus_points']),
    )
    expect(fields).toEqual(expect.arrayContaining(['lot_validity_months', 'expiry_reminder_days', 'adjustment_approval_points']))
    expect(fields).not.toContain('updated_at')
  })
})

describe('changeLines', () => {
  it('writes old → new with units', () => {
    expect(changeLines({ check_in_points: 10 }, { check_in_points: 5 })).toEqual([
      { field: 'check_in_points', label: '每日签到积分', before: '5 积分', after: '10 积分' },
    ])
    expect(changeLines({ expiry_reminder_days: [30, 7, 1] }, { expiry_reminder_days: [30, 7] })).toEqual([
      { field: 'expiry_reminder_days', label: '积分过期前提醒（提前天数）', before: '30、7 天', after: '30、7、1 天' },
    ])
  })

  it('without the current row, only the new values', () => {
    expect(changeLines({ active: false, reward_points: 80 })).toEqual([
      { field: 'active', label: '启用', before: '', after: '停用' },
      { field: 'reward_points', label: '奖励', before: '', after: '80 积分' },
    ])
  })

  it('keeps an unknown field by its name', () => {
    expect(changeLines({ something_new: 3 }, {})).toEqual([{ field: 'something_new', label: 'something_new', before: '—', after: '3' }])
  })
})

describe('parseIntList', () => {
  it('reads the separators people type', () => {
    expect(parseIntList('30, 7')).toEqual([30, 7])
    expect(parseIntList('30，7、1')).toEqual([30, 7, 1])
    expect(parseIntList(' 7 7 1 ')).toEqual([7, 1])
    expect(parseIntList('')).toEqual([])
  })
  it('refuses anything but whole numbers', () => {
    expect(parseIntList('7, -1')).toBeNull()
    expect(parseIntList('7.5')).toBeNull()
    expect(parseIntList('seven')).toBeNull()
  })
})

describe('changeState / ruleValueText', () => {
  it('reads a change row', () => {
    expect(changeState({ applied_at: null, cancelled_at: null })).toBe('pending')
    expect(changeState({ applied_at: '2026-12-06T00:00:00Z', cancelled_at: null })).toBe('applied')
    expect(changeState({ applied_at: null, cancelled_at: '2026-12-06T00:00:00Z' })).toBe('cancelled')
    expect(changeState({ applied_at: null, cancelled_at: null, failed_reason: 'invalid_rule_change' })).toBe('failed')
  })
  it('writes values with their unit', () => {
    expect(ruleValueText(findField('multiplier'), 1.5)).toBe('1.5 倍')
    expect(ruleValueText(findField('title'), '')).toBe('—')
  })
})
