/**
 * Checking the shape of an answer where it enters the app (src/services): a page never reads
 * `data.tier.name` of an answer that has no `tier`. A shape is a small function; `shapeProblem` names the
 * first field that does not fit (e.g. '$.tier.name: expected a string, got undefined'), or null. Pure
 * TypeScript, no library: the checks cover what the screens read, and extra fields are allowed (the backend
 * may add fields without breaking older apps).
 */

/** Null when `value` fits, otherwise what is wrong with it at `path`. */
export type Shape = (value: unknown, path: string) => string | null

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'string' ? `"${value.slice(0, 20)}"` : typeof value === 'object' ? 'an object' : String(value)
}

function primitive(expected: string, test: (v: unknown) => boolean): Shape {
  return (value, path) => (test(value) ? null : `${path}: expected ${expected}, got ${describe(value)}`)
}

export const str: Shape = primitive('a string', (v) => typeof v === 'string')
export const num: Shape = primitive('a number', (v) => typeof v === 'number' && Number.isFinite(v))
export const bool: Shape = primitive('a boolean', (v) => typeof v === 'boolean')
/** A number, also as a numeric string (Postgres numeric through some JSON paths), e.g. a multiplier. */
export const numeric: Shape = primitive('a number', (v) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))))
/** Anything (a field the screens do not read, listed for documentation). */
export const any: Shape = () => null

export function nullable(shape: Shape): Shape {
  return (value, path) => (value === null ? null : shape(value, path))
}

/** A field that may be missing (undefined) or fit `shape`. */
export function optional(shape: Shape): Shape {
  return (value, path) => (value === undefined ? null : shape(value, path))
}

/** An object with (at least) these fields. */
export function obj(fields: Record<string, Shape>): Shape {
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${path}: expected an object, got ${describe(value)}`
    for (const [key, shape] of Object.entries(fields)) {
      const problem = shape((value as Record<string, unknown>)[key], `${path}.${key}`)
      if (problem) return problem
    }
    return null
  }
}

/** An array whose every element fits `item`. */
export function arr(item: Shape): Shape {
  return (value, path) => {
    if (!Array.isArray(value)) return `${path}: expected an array, got ${describe(value)}`
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], `${path}[${i}]`)
      if (problem) return problem
    }
    return null
  }
}

/** What is wrong with `value` for `shape`, or null when it fits. */
export function shapeProblem(shape: Shape, value: unknown): string | null {
  return shape(value, '$')
}
