// Every RPC answers a composite type (docs/backend.md "RPC results"), and a body builds it from JSON with
// json[b]_populate_record, which drops keys the type lacks and makes keys it has null: so a test call checks
// that each answer has exactly the attributes of the function's return type, recursively for nested
// composites and arrays of composites. The types are read from pg_catalog once per test database.
import type { Pool } from 'pg'

type TypeInfo = { kind: 'composite'; name: string; attrs: { name: string; type: number }[] } | { kind: 'array'; elem: number }

export interface RpcShapes {
  /** the return type of each public function (absent: overloads with different return types) */
  returns: Map<string, number>
  /** the functions that return a set (`returns setof <type>`): PostgREST answers an array of it */
  sets: Set<string>
  types: Map<number, TypeInfo>
}

const FUNCTIONS_SQL = `
  select p.proname as name, array_agg(distinct p.prorettype::int) as types, bool_or(p.proretset) as set
  from pg_catalog.pg_proc p where p.pronamespace = 'public'::regnamespace
  group by p.proname`

// composite types (and the array types of composites) the public functions may return, wherever they live
const TYPES_SQL = `
  select t.oid::int as oid, t.typtype = 'c' as composite, t.typelem::int as elem,
         format('%I.%I', n.nspname, t.typname) as name,
         coalesce((select json_agg(json_build_object('name', a.attname, 'type', a.atttypid::int) order by a.attnum)
                   from pg_catalog.pg_attribute a
                   where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped), '[]') as attrs
  from pg_catalog.pg_type t join pg_catalog.pg_namespace n on n.oid = t.typnamespace
  where t.typtype = 'c' or (t.typcategory = 'A' and exists (
    select 1 from pg_catalog.pg_type e where e.oid = t.typelem and e.typtype = 'c'))`

export async function loadRpcShapes(pool: Pool): Promise<RpcShapes> {
  const [fns, types] = await Promise.all([pool.query(FUNCTIONS_SQL), pool.query(TYPES_SQL)])
  const returns = new Map<string, number>()
  const sets = new Set<string>()
  for (const f of fns.rows as { name: string; types: number[]; set: boolean }[]) {
    if (f.types.length === 1) returns.set(f.name, f.types[0])
    if (f.set) sets.add(f.name)
  }
  const infos = new Map<number, TypeInfo>()
  for (const t of types.rows as {
    oid: number
    composite: boolean
    elem: number
    name: string
    attrs: { name: string; type: number }[]
  }[]) {
    infos.set(t.oid, t.composite ? { kind: 'composite', name: t.name, attrs: t.attrs } : { kind: 'array', elem: t.elem })
  }
  return { returns, sets, types: infos }
}

/** What is wrong with `body`, the 200 answer of RPC `fn`, against the function's return type; [] if nothing. */
export function rpcShapeErrors(shapes: RpcShapes, fn: string, body: unknown): string[] {
  const type = shapes.returns.get(fn)
  if (type === undefined || !shapes.types.has(type)) return [] // json, a scalar, or not a public function
  const errors: string[] = []
  const walk = (value: unknown, oid: number, at: string) => {
    const info = shapes.types.get(oid)
    if (!info || value === null) return
    if (info.kind === 'array') {
      if (!Array.isArray(value)) errors.push(`${at || 'the answer'} is not an array`)
      else value.forEach((v, i) => walk(v, info.elem, `${at}[${i}]`))
      return
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${at || 'the answer'} is not an object (${info.name})`)
      return
    }
    const keys = Object.keys(value)
    const names = new Set(info.attrs.map((a) => a.name))
    const where = at ? ` at ${at}` : ''
    for (const a of info.attrs) if (!(a.name in value)) errors.push(`missing key "${a.name}"${where} (${info.name} has it)`)
    for (const k of keys) if (!names.has(k)) errors.push(`extra key "${k}"${where} (${info.name} lacks it)`)
    for (const a of info.attrs)
      if (a.name in value) walk((value as Record<string, unknown>)[a.name], a.type, at ? `${at}.${a.name}` : a.name)
  }
  if (shapes.sets.has(fn)) {
    if (!Array.isArray(body)) errors.push('the answer is not an array (a set-returning function)')
    else body.forEach((row, i) => walk(row, type, `[${i}]`))
  } else walk(body, type, '')
  return errors
}

/** Throws when the answer does not fit the function's composite return type. */
export function expectRpcShape(shapes: RpcShapes, fn: string, body: unknown): void {
  const errors = rpcShapeErrors(shapes, fn, body)
  if (errors.length) throw new Error(`RPC ${fn}: the answer does not fit its composite type: ${errors.join('; ')}`)
}
