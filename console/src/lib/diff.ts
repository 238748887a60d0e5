/**
 * Before → after, readably: the fields an audit row or a rule change touches, with old and new values as text.
 * Pure (unit-tested in diff.test.ts).
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

export interface FieldChange {
  field: string
  before: string
  after: string
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A value as short text: '—' for none, arrays as 'a、b', objects as JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (Array.isArray(value)) return value.length ? value.map(valueText).join('、') : '（空）'
  if (isObject(value)) return JSON.stringify(value)
  return String(value)
}

/** Equal by content; '' and a missing value count as the same (both read '—'). */
function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => JSON.stringify(v === '' || v === undefined ? null : v)
  return norm(a) === norm(b)
}

/**
 * The fields that differ between `before` and `after` (either may be null: a created or removed row), in the
 * order they first appear; a field missing on one side counts as null. Non-object values are one field 'value'.
 */
export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const b = isObject(before) ? before : before == null ? {} : { value: before as JsonValue }
  const a = isObject(after) ? after : after == null ? {} : { value: after as JsonValue }
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])]
  return fields.filter((f) => !same(b[f], a[f])).map((field) => ({ field, before: valueText(b[field]), after: valueText(a[field]) }))
}

/**
 * A rule change's `p_changes`: only the fields whose edited value differs from the current one (numbers typed as
 * strings are compared as numbers; arrays by content). Empty when nothing changed.
 */
export function changedFields(current: Record<string, unknown>, edited: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {}
  for (const [field, value] of Object.entries(edited)) {
    if (value === undefined) continue
    const old = current[field]
    const normalized = typeof old === 'number' && typeof value === 'string' && value.trim() !== '' ? Number(value) : value
    if (!same(old, normalized)) out[field] = normalized as JsonValue
  }
  return out
}
