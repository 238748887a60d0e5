import { changedFields, fieldChanges, valueText } from './diff'

describe('fieldChanges', () => {
  it('lists only the fields that differ, old → new', () => {
    expect(fieldChanges({ title: 'A', cost_points: 100, active: true }, { title: 'A', cost_points: 120, active: false })).toEqual([
      { field: 'cost_points', before: '100', after: '120' },
      { field: 'active', before: '是', after: '否' },
    ])
  })

  it('reads a created row (no before) and a partial after (publish, stock)', () => {
    // '' and a missing value read the same: not a change
    expect(fieldChanges(null, { name: '门店', address: '' })).toEqual([{ field: 'name', before: '—', after: '门店' }])
    expect(fieldChanges({ stock_remaining: 10 }, { stock_remaining: 5 })).toEqual([{ field: 'stock_remaining', before: '10', after: '5' }])
  })

  it('compares arrays and objects by content', () => {
    expect(fieldChanges({ sources: ['check_in'] }, { sources: ['check_in'] })).toEqual([])
    expect(fieldChanges({ sources: ['check_in'] }, { sources: ['check_in', 'task'] })).toEqual([
      { field: 'sources', before: 'check_in', after: 'check_in、task' },
    ])
    expect(fieldChanges({ meta: { a: 1 } }, { meta: { a: 2 } })).toEqual([{ field: 'meta', before: '{"a":1}', after: '{"a":2}' }])
  })

  it('treats a scalar as one field', () => {
    expect(fieldChanges(1, 2)).toEqual([{ field: 'value', before: '1', after: '2' }])
  })
})

describe('valueText', () => {
  it('writes empty values as a dash and empty arrays as 空', () => {
    expect(valueText(null)).toBe('—')
    expect(valueText(undefined)).toBe('—')
    expect(valueText([])).toBe('（空）')
    expect(valueText([7, 3, 1])).toBe('7、3、1')
  })
})

describe('changedFields', () => {
  it('keeps only edited fields that differ from the current row', () => {
    expect(changedFields({ check_in_points: 10, make_up_cost_points: 20 }, { check_in_points: 10, make_up_cost_points: 30 })).toEqual({
      make_up_cost_points: 30,
    })
  })

  it('compares numbers typed as text as numbers, arrays by content, and skips untouched fields', () => {
    expect(changedFields({ reward_points: 50 }, { reward_points: '50' })).toEqual({})
    expect(changedFields({ reward_points: 50 }, { reward_points: '60' })).toEqual({ reward_points: 60 })
    expect(changedFields({ expiry_reminder_days: [7, 3, 1] }, { expiry_reminder_days: [7, 3, 1] })).toEqual({})
    expect(changedFields({ expiry_reminder_days: [7, 3, 1] }, { expiry_reminder_days: [7, 1] })).toEqual({ expiry_reminder_days: [7, 1] })
    expect(changedFields({ active: true, title: 'x' }, { active: false, title: undefined })).toEqual({ active: false })
  })

  it('answers nothing when nothing changed', () => {
    expect(changedFields({ a: 1 }, {})).toEqual({})
  })
})
