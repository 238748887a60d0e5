// Turns PostgREST read parameters (select, filters, order, limit, offset) into SQL fragments.
// Identifiers must exist in the given column set; values only ever travel as bind parameters.
import { apiError } from './errors'

export const RESERVED_PARAMS = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict'])

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

export interface ReadParts {
  select: string
  where: string
  order: string
  limitOffset: string
  /** how many of the bind values belong to `where` (they come first; a count query needs only those) */
  whereParams: number
  /** the effective limit (the asked one, capped by max_rows), if any, and the offset (0 if none) */
  limit?: number
  offset: number
}

const COMPARISONS: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'like', ilike: 'ilike' }
const IS_VALUES: Record<string, string> = {
  null: 'is null',
  not_null: 'is not null',
  true: 'is true',
  false: 'is false',
  unknown: 'is unknown',
}

function parseError(message: string, details: string | null = null) {
  return apiError(400, 'PGRST100', message, details)
}

function checkColumn(columns: Set<string>, name: string, label: string): string {
  if (!columns.has(name)) throw apiError(400, '42703', `column ${label}.${name} does not exist`)
  return ident(name)
}

/** Splits `a,"b,c",d` on commas outside double quotes; `\"` and `\\` escape inside quotes. */
export function splitList(list: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  let wasQuoted = false
  for (let i = 0; i < list.length; i++) {
    const ch = list[i]
    if (quoted && ch === '\\' && i + 1 < list.length) cur += list[++i]
    else if (ch === '"') {
      quoted = !quoted
      wasQuoted = true
    } else if (ch === ',' && !quoted) {
      out.push(wasQuoted ? cur : cur.trim())
      cur = ''
      wasQuoted = false
    } else cur += ch
  }
  if (quoted) throw parseError(`unterminated quote in list (${list})`)
  out.push(wasQuoted ? cur : cur.trim())
  return out
}

function filterSql(column: string, value: string, params: unknown[]): string {
  const negate = value.startsWith('not.')
  const rest = negate ? value.slice(4) : value
  const dot = rest.indexOf('.')
  const op = dot < 0 ? rest : rest.slice(0, dot)
  const operand = dot < 0 ? '' : rest.slice(dot + 1)
  let sql: string
  if (op in COMPARISONS) {
    params.push(op === 'like' || op === 'ilike' ? operand.replace(/\*/g, '%') : operand)
    sql = `${column} ${COMPARISONS[op]} $${params.length}`
  } else if (op === 'in') {
    const m = /^\((.*)\)$/s.exec(operand)
    if (!m) throw parseError(`failed to parse filter (${value})`, 'in. needs a parenthesised list, e.g. in.(1,2,3)')
    const items = m[1] === '' ? [] : splitList(m[1])
    params.push(items)
    sql = `${column} = any($${params.length})`
  } else if (op === 'is') {
    if (!(operand in IS_VALUES)) throw parseError(`failed to parse filter (${value})`, 'is. takes null, not_null, true, false or unknown')
    sql = `${column} ${IS_VALUES[operand]}`
  } else {
    throw parseError(`failed to parse filter (${value})`, `unknown operator "${op}"`)
  }
  return negate ? `not (${sql})` : sql
}

function selectSql(raw: string | null, columns: Set<string>, label: string): string {
  if (raw === null || raw.trim() === '*' || raw.trim() === '') return '*'
  return raw
    .split(',')
    .map((item) => item.trim())
    .map((item) => {
      if (item === '*') return '*'
      const m = /^(?:([A-Za-z_][A-Za-z0-9_]*):)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(item)
      if (!m) throw parseError(`unsupported select item "${item}"`, 'the local stack supports column names and alias:column')
      const col = checkColumn(columns, m[2], label)
      return m[1] ? `${col} as ${ident(m[1])}` : col
    })
    .join(', ')
}

function orderSql(raw: string | null, columns: Set<string>, label: string): string {
  if (!raw) return ''
  const terms = raw.split(',').map((term) => {
    const [name, ...mods] = term.trim().split('.')
    let sql = checkColumn(columns, name, label)
    for (const mod of mods) {
      const map: Record<string, string> = { asc: 'asc', desc: 'desc', nullsfirst: 'nulls first', nullslast: 'nulls last' }
      if (!map[mod]) throw parseError(`failed to parse order (${raw})`, `unknown modifier "${mod}"`)
      sql += ` ${map[mod]}`
    }
    return sql
  })
  return ` order by ${terms.join(', ')}`
}

function countParam(raw: string | null, name: string): number | undefined {
  if (raw === null) return undefined
  if (!/^\d{1,15}$/.test(raw)) throw parseError(`${name} must be a non-negative integer`, `got "${raw}"`)
  return Number(raw)
}

/**
 * @param params collects bind values; fragments reference them as $1, $2, … in push order
 * @param skip query keys that are not filters (e.g. the arguments of an RPC called with GET)
 * @param maxRows the API's max_rows (supabase/config.toml [api]): the most rows an answer holds
 */
export function readParts(
  query: URLSearchParams,
  columns: Set<string>,
  label: string,
  params: unknown[],
  skip: Set<string> = new Set(),
  maxRows?: number,
): ReadParts {
  const where: string[] = []
  for (const [key, value] of query) {
    if (RESERVED_PARAMS.has(key) || skip.has(key)) continue
    if (key === 'or' || key === 'and' || key.startsWith('not.'))
      throw parseError(`logical filter "${key}" is not supported by the local stack`)
    where.push(filterSql(checkColumn(columns, key, label), value, params))
  }
  const whereParams = params.length
  // db-max-rows (PostgREST's restrictRange): at most maxRows rows whatever limit asks for
  const asked = countParam(query.get('limit'), 'limit')
  const limit = maxRows === undefined ? asked : Math.min(asked ?? maxRows, maxRows)
  const offset = countParam(query.get('offset'), 'offset')
  let limitOffset = ''
  if (limit !== undefined) {
    params.push(limit)
    limitOffset += ` limit $${params.length}`
  }
  if (offset !== undefined) {
    params.push(offset)
    limitOffset += ` offset $${params.length}`
  }
  return {
    select: selectSql(query.get('select'), columns, label),
    where: where.length ? ` where ${where.join(' and ')}` : '',
    order: orderSql(query.get('order'), columns, label),
    limitOffset,
    whereParams,
    limit,
    offset: offset ?? 0,
  }
}
