// The schema cache: which relations, columns and functions the exposed schema has. Every identifier
// in a request is checked against it, so SQL is built only from names that exist in the live schema.
import type { Pool } from 'pg'
import { runTransaction } from './transaction'

export const EXPOSED_SCHEMA = 'public'

export interface FunctionArg {
  name: string
  type: string
  hasDefault: boolean
}

export interface FunctionDef {
  name: string
  args: FunctionArg[]
  returnsSet: boolean
  /** 'scalar' | 'composite' (single row → object) | 'void' */
  returnKind: 'scalar' | 'composite' | 'void'
  volatile: boolean
  /** columns of the returned rows, for select/filter/order on set-returning functions */
  columns: Set<string>
}

export interface SchemaCache {
  relations: Map<string, Set<string>>
  functions: Map<string, FunctionDef[]>
}

const RELATIONS_SQL = `
  select c.relname as name, coalesce(array_agg(a.attname::text order by a.attnum) filter (where a.attnum > 0), '{}') as columns
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p')
  group by c.relname`

// Types are formatted with an empty search_path so user-defined ones come schema-qualified.
const FUNCTIONS_SQL = `
  select p.proname as name, p.proretset as returns_set, p.provolatile as volatility,
         p.pronargs as nargs, p.pronargdefaults as ndefaults,
         t.typname = 'void' and t.typnamespace = 'pg_catalog'::regnamespace as returns_void,
         t.typtype = 'c' or (t.typname = 'record' and p.proallargtypes is not null) as returns_rows,
         coalesce((
           select json_agg(json_build_object('name', a.name, 'type', format_type(a.type, null), 'mode', a.mode) order by a.ord)
           from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargnames,
                       coalesce(p.proargmodes, array_fill('i'::"char", array[p.pronargs::int]))) with ordinality as a(type, name, mode, ord)
         ), '[]') as args,
         coalesce((
           select array_agg(att.attname::text order by att.attnum) from pg_attribute att
           where att.attrelid = t.typrelid and att.attnum > 0 and not att.attisdropped
         ), '{}') as type_columns
  from pg_proc p
  join pg_type t on t.oid = p.prorettype
  where p.pronamespace = $1::regnamespace and p.prokind = 'f'`

interface RawArg {
  name: string | null
  type: string
  mode: string
}

export async function loadSchema(pool: Pool): Promise<SchemaCache> {
  const client = await pool.connect()
  return runTransaction(client, true, async () => {
    await client.query(`set local search_path = ''`)
    const rel = await client.query<{ name: string; columns: string[] }>(RELATIONS_SQL, [EXPOSED_SCHEMA])
    const fns = await client.query(FUNCTIONS_SQL, [EXPOSED_SCHEMA])
    const relations = new Map(rel.rows.map((r) => [r.name, new Set(r.columns)]))
    const functions = new Map<string, FunctionDef[]>()
    for (const row of fns.rows) {
      const raw = row.args as RawArg[]
      const inArgs = raw.filter((a) => a.mode === 'i' || a.mode === 'b' || a.mode === 'v')
      const outCols = raw.filter((a) => a.mode === 'o' || a.mode === 'b' || a.mode === 't').map((a) => a.name ?? '')
      // PostgREST can only call functions whose arguments all have names.
      if (inArgs.some((a) => !a.name)) continue
      const firstDefault = inArgs.length - Number(row.ndefaults)
      const def: FunctionDef = {
        name: row.name,
        args: inArgs.map((a, i) => ({ name: a.name as string, type: a.type, hasDefault: i >= firstDefault })),
        returnsSet: row.returns_set,
        returnKind: row.returns_void ? 'void' : row.returns_rows ? 'composite' : 'scalar',
        volatile: row.volatility === 'v',
        columns: new Set(outCols.length ? outCols : (row.type_columns as string[])),
      }
      functions.set(row.name, [...(functions.get(row.name) ?? []), def])
    }
    return { relations, functions }
  })
}

/** PostgREST picks the overload whose argument names match the given keys exactly (defaults may be left out). */
export function resolveFunction(cache: SchemaCache, name: string, keys: string[]): FunctionDef | undefined {
  const given = new Set(keys)
  return cache.functions
    .get(name)
    ?.find((f) => keys.every((k) => f.args.some((a) => a.name === k)) && f.args.every((a) => a.hasDefault || given.has(a.name)))
}
