// The schema cache: which relations, columns and functions the exposed schemas have (PostgREST's db-schemas,
// supabase/config.toml [api] schemas). Every identifier in a request is checked against it, so SQL is built only
// from names that exist in the live schema.
import type { Pool } from 'pg'
import { apiError, type ApiError } from './errors'
import { FuzzySet } from './fuzzy'
import type { MediaType } from './negotiate'
import { runTransaction } from './transaction'

export interface FunctionArg {
  /** '' for an unnamed parameter (PostgREST: `COALESCE(name, '')`) */
  name: string
  /** for casts: format_type with an empty search_path (user types schema-qualified) */
  type: string
  /** as PostgREST prints it in PGRST203 (`type::regtype::text`) */
  display: string
  hasDefault: boolean
}

export interface FunctionDef {
  schema: string
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
  /** schema → relation → columns */
  relations: Map<string, Map<string, Set<string>>>
  /** schema → function name → overloads, in creation order */
  functions: Map<string, Map<string, FunctionDef[]>>
}

const RELATIONS_SQL = `
  select n.nspname as schema, c.relname as name,
         coalesce(array_agg(a.attname::text order by a.attnum) filter (where a.attnum > 0), '{}') as columns
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where n.nspname = any($1) and c.relkind in ('r', 'v', 'm', 'f', 'p')
  group by n.nspname, c.relname`

// Types are formatted with an empty search_path so user-defined ones come schema-qualified.
const FUNCTIONS_SQL = `
  select n.nspname as schema, p.proname as name, p.proretset as returns_set, p.provolatile as volatility,
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
  join pg_namespace n on n.oid = p.pronamespace
  join pg_type t on t.oid = p.prorettype
  where n.nspname = any($1) and p.prokind = 'f' and p.prorettype <> 'trigger'::regtype
  order by p.oid`

interface RawArg {
  name: string | null
  type: string
  mode: string
}

/** The single unnamed parameter types PostgREST can call (SchemaCache.hs `callable`). */
const SINGLE_UNNAMED_TYPES = ['bytea', 'json', 'jsonb', 'text', 'xml']

/** regtype::text under PostgREST's schema cache search_path: built-in and public types unqualified */
function displayType(type: string): string {
  return type.replace(/^(public|pg_catalog)\./, '')
}

export async function loadSchema(pool: Pool, schemas: readonly string[]): Promise<SchemaCache> {
  const client = await pool.connect()
  return runTransaction(client, true, async () => {
    await client.query(`set local search_path = ''`)
    const rel = await client.query<{ schema: string; name: string; columns: string[] }>(RELATIONS_SQL, [schemas])
    const fns = await client.query(FUNCTIONS_SQL, [schemas])
    const relations = new Map(schemas.map((s) => [s, new Map<string, Set<string>>()]))
    for (const r of rel.rows) relations.get(r.schema)!.set(r.name, new Set(r.columns))
    const functions = new Map(schemas.map((s) => [s, new Map<string, FunctionDef[]>()]))
    for (const row of fns.rows) {
      const raw = row.args as RawArg[]
      const inArgs = raw.filter((a) => a.mode === 'i' || a.mode === 'b' || a.mode === 'v')
      const outCols = raw.filter((a) => a.mode === 'o' || a.mode === 'b' || a.mode === 't').map((a) => a.name ?? '')
      // PostgREST's `callable`: proargnames NULL (every parameter unnamed) is callable only with one parameter of
      // a type it can pass the body as; with some names, the unnamed ones are '' (and matched as such).
      const unnamed = inArgs.filter((a) => a.name === null)
      if (unnamed.length > 1 || (unnamed.length === 1 && !SINGLE_UNNAMED_TYPES.includes(unnamed[0].type))) continue
      const firstDefault = inArgs.length - Number(row.ndefaults)
      const def: FunctionDef = {
        schema: row.schema,
        name: row.name,
        args: inArgs.map((a, i) => ({ name: a.name ?? '', type: a.type, display: displayType(a.type), hasDefault: i >= firstDefault })),
        returnsSet: row.returns_set,
        returnKind: row.returns_void ? 'void' : row.returns_rows ? 'composite' : 'scalar',
        volatile: row.volatility === 'v',
        columns: new Set(outCols.length ? outCols : (row.type_columns as string[])),
      }
      const bySchema = functions.get(row.schema)!
      bySchema.set(row.name, [...(bySchema.get(row.name) ?? []), def])
    }
    return { relations, functions }
  })
}

/** How the request's arguments were sent (PostgREST's iContentMediaType and Inv vs InvRead). */
export interface CallShape {
  /** POST (PostgREST's Inv); GET/HEAD are InvRead */
  isInvPost: boolean
  contentType: MediaType
}

const RAW_BODY_KINDS = ['octet', 'text', 'xml']

/**
 * PostgREST's findProc (Plan.hs): overloads whose parameters match the argument keys — all required ones given,
 * the rest optional ones — and, as a fallback for POST, the overload with a single unnamed parameter whose type
 * fits the Content-Type (json/jsonb ← application/json, text ← text/plain, xml ← text/xml, bytea ←
 * application/octet-stream). One match → it; none → 404 PGRST202; more than one → 300 PGRST203.
 */
export function findProc(cache: SchemaCache, schema: string, name: string, keys: Set<string>, shape: CallShape): FunctionDef {
  const overloads = cache.functions.get(schema)?.get(name) ?? []
  const matching: FunctionDef[] = []
  const fallback: FunctionDef[] = []
  for (const fn of overloads) {
    if (matchesParams(fn, keys, shape)) matching.push(fn)
    else if (hasSingleUnnamedParam(fn, shape)) fallback.push(fn)
  }
  if (matching.length === 1) return matching[0]
  if (matching.length > 1) throw ambiguousRpc(matching)
  if (fallback.length === 1) return fallback[0]
  if (fallback.length > 1) throw ambiguousRpc(fallback)
  throw noRpc(cache, schema, name, [...keys].sort(), shape, overloads)
}

function matchesParams(fn: FunctionDef, keys: Set<string>, shape: CallShape): boolean {
  if (fn.args.length === 0) return keys.size === 0 && !(shape.isInvPost && RAW_BODY_KINDS.includes(shape.contentType.kind))
  const required = fn.args.filter((a) => !a.hasDefault).map((a) => a.name)
  const optional = new Set(fn.args.filter((a) => a.hasDefault).map((a) => a.name))
  const rest = [...keys].filter((k) => !optional.has(k))
  return rest.length === new Set(required).size && required.every((r) => keys.has(r))
}

function hasSingleUnnamedParam(fn: FunctionDef, shape: CallShape): boolean {
  if (fn.args.length !== 1 || fn.args[0].name !== '' || !shape.isInvPost) return false
  const type = fn.args[0].type
  switch (shape.contentType.kind) {
    case 'json':
      return type === 'json' || type === 'jsonb'
    case 'text':
      return type === 'text'
    case 'xml':
      return type === 'xml'
    case 'octet':
      return type === 'bytea'
    default:
      return false
  }
}

/** Error.hs AmbiguousRpc: 300 PGRST203. */
function ambiguousRpc(fns: FunctionDef[]): ApiError {
  const list = fns.map((f) => `${f.schema}.${f.name}(${f.args.map((a) => `${a.name} => ${a.display}`).join(', ')})`).join(', ')
  return apiError(
    300,
    'PGRST203',
    `Could not choose the best candidate function between: ${list}`,
    null,
    'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
  )
}

/** Error.hs NoRpc: 404 PGRST202 with PostgREST's message, details and hint. */
export function noRpc(
  cache: SchemaCache,
  schema: string,
  name: string,
  keys: string[],
  shape: CallShape,
  overloads: FunctionDef[],
): ApiError {
  const func = `${schema}.${name}`
  const onlySingleParams = shape.isInvPost && RAW_BODY_KINDS.includes(shape.contentType.kind)
  const fmtPrms = (p: string) => (keys.length === 0 ? ' without parameters' : p)
  const message = `Could not find the function ${func}${onlySingleParams ? '' : fmtPrms(`(${keys.join(', ')})`)} in the schema cache`
  const prmsDet = ` with parameter${keys.length > 1 ? 's ' : ' '}${keys.join(', ')}`
  const searched = !shape.isInvPost
    ? fmtPrms(prmsDet)
    : shape.contentType.kind === 'text'
      ? ' with a single unnamed text parameter'
      : shape.contentType.kind === 'xml'
        ? ' with a single unnamed xml parameter'
        : shape.contentType.kind === 'octet'
          ? ' with a single unnamed bytea parameter'
          : shape.contentType.kind === 'json'
            ? `${fmtPrms(prmsDet)} or with a single unnamed json/jsonb parameter`
            : fmtPrms(prmsDet)
  const details = `Searched for the function ${func}${searched}, but no matches were found in the schema cache.`
  const hint = onlySingleParams ? null : noRpcHint(schema, name, keys, [...(cache.functions.get(schema)?.keys() ?? [])], overloads)
  return apiError(404, 'PGRST202', message, details, hint)
}

/**
 * Error.hs noRpcHint: no function of that name → the closest function name of the schema (fuzzy score ≥ 0.75);
 * otherwise the closest parameter list among the overloads (score ≥ 0.33), lists written "(a, b, c)" sorted.
 */
export function noRpcHint(
  schema: string,
  name: string,
  keys: string[],
  schemaFunctions: string[],
  overloads: FunctionDef[],
): string | null {
  const listToText = (names: string[]) => `(${[...names].sort().join(', ')})`
  let suggestion: string | undefined
  if (overloads.length === 0) suggestion = FuzzySet.fromList(schemaFunctions).getOne(name, 0.75)
  else {
    const params = FuzzySet.fromList(overloads.map((f) => listToText(f.args.map((a) => a.name)))).getOne(listToText(keys))
    if (params !== undefined) suggestion = name + params
  }
  return suggestion === undefined ? null : `Perhaps you meant to call the function ${schema}.${suggestion}`
}

/** Error.hs TableNotFound: 404 PGRST205, hint (tableNotFoundHint) the closest relation name of the schema (score ≥ 0.75). */
export function tableNotFound(cache: SchemaCache, schema: string, name: string): ApiError {
  // PostgREST builds the table index only for schemas under 500 tables (maxDbTablesForFuzzySearch)
  const tables = [...(cache.relations.get(schema)?.keys() ?? [])]
  const close = tables.length < 500 ? FuzzySet.fromList(tables).getOne(name, 0.75) : undefined
  return apiError(
    404,
    'PGRST205',
    `Could not find the table '${schema}.${name}' in the schema cache`,
    null,
    close === undefined ? null : `Perhaps you meant the table '${schema}.${close}'`,
  )
}
