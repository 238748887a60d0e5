/**
 * Checking the shape of an answer where it enters the app (src/services): a page never reads
 * `data.tier.name` of an answer that has no `tier`. A shape is a small function; `shapeProblem` names the
 * first field that does not fit (e.g. '$.tier.name: expected a string, got undefined'), or null. Pure
 * TypeScript, no library: the checks cover what the screens read, and extra fields are allowed (the backend
 * may add fields without breaking older apps).
 */

/**
 * Null when `value` fits, otherwise what is wrong with it at `path`. `T` is the type a value that fits has
 * (`Infer<typeof ME>`): the screens' types come from the same shapes that check the answers.
 */
export type Shape<T = unknown> = ((value: unknown, path: string) => string | null) & { readonly __fits?: T }

/** The type of a value that fits `S`. */
export type Infer<S> = S extends Shape<infer T> ? T : never

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'string' ? `"${value.slice(0, 20)}"` : typeof value === 'object' ? 'an object' : String(value)
}

function primitive<T>(expected: string, test: (v: unknown) => boolean): Shape<T> {
  return (value, path) => (test(value) ? null : `${path}: expected ${expected}, got ${describe(value)}`)
}

export const str = primitive<string>('a string', (v) => typeof v === 'string')
export const num = primitive<number>('a number', (v) => typeof v === 'number' && Number.isFinite(v))
export const bool = primitive<boolean>('a boolean', (v) => typeof v === 'boolean')
/**
 * A number, also as a numeric string (Postgres numeric through some JSON paths), e.g. a multiplier. Typed as a
 * number (PostgREST and the local stack send numbers); code that does arithmetic on one reads it with Number().
 */
export const numeric = primitive<number>(
  'a number',
  (v) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))),
)
/** Any object (e.g. a jsonb detail whose keys vary by kind). */
export const record = primitive<Record<string, unknown>>('an object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v))
/** Anything (a field the screens do not read, listed for documentation). */
export const any: Shape<unknown> = () => null

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, path) => (value === null ? null : shape(value, path))
}

/** A field that may be missing (undefined) or fit `shape`. */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> {
  return (value, path) => (value === undefined ? null : shape(value, path))
}

type Fields = Record<string, Shape<unknown>>
type OptionalKeys<F extends Fields> = { [K in keyof F]: undefined extends Infer<F[K]> ? K : never }[keyof F]
/** The object type of `obj(fields)`: a field whose shape allows undefined is optional (`key?:`). */
export type ObjectOf<F extends Fields> = { [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & {
  [K in OptionalKeys<F>]?: Infer<F[K]>
}
type Flat<T> = { [K in keyof T]: T[K] }

/** An object with (at least) these fields. */
export function obj<F extends Fields>(fields: F): Shape<Flat<ObjectOf<F>>> {
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
export function arr<T>(item: Shape<T>): Shape<T[]> {
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

/** One of these strings (a database enum or check constraint, e.g. an entry's kind). */
export function oneOf<const T extends readonly string[]>(...values: T): Shape<T[number]> {
  return (value, path) =>
    typeof value === 'string' && values.includes(value) ? null : `${path}: expected one of ${values.join(' | ')}, got ${describe(value)}`
}
