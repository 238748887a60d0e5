// The PostgREST subset the client uses: RPC calls (POST, or GET for read-only calls) and reads of
// tables and views, each request one transaction run as the JWT's role with request.jwt.claims set.
import type { Readable } from 'node:stream'
import type { Pool, PoolClient } from 'pg'
import Cursor from 'pg-cursor'
import { bearerToken, verifyJwt, type Claims } from '../jwt'
import { csvStream, type Rows } from './csv'
import { ApiError, apiError, fromPgError, isPgError } from './errors'
import { ident, readParts, RESERVED_PARAMS } from './query'
import { EXPOSED_SCHEMA, loadSchema, resolveFunction, type FunctionDef, type SchemaCache } from './schema'
import { runTransaction } from './transaction'

export const API_ROLES = new Set(['anon', 'authenticated', 'service_role'])
const SEARCH_PATH = 'public, extensions'
const SINGLE_OBJECT = 'application/vnd.pgrst.object+json'
const CSV = 'text/csv'
/** rows a CSV answer reads from its cursor at a time */
const CSV_BATCH_ROWS = 1000
/** every column as its text output (no parsing): what record_out quotes (./csv.ts) */
const RAW_TEXT = { getTypeParser: () => (value: string) => value }
const RELOAD_AFTER_MS = 500
const UTF8 = new TextDecoder('utf-8', { fatal: true })

export interface RestRequest {
  method: string
  /** path below /rest/v1, e.g. `/rpc/get_program` or `/members` */
  path: string
  query: URLSearchParams
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

export interface RestResponse {
  status: number
  headers: Record<string, string>
  body: string | null
  /** instead of body, for CSV answers: read it to its end or destroy it (it holds a transaction open) */
  stream?: Readable
}

export interface RestOptions {
  /** PostgREST's db-max-rows (supabase/config.toml [api] max_rows): the most rows any read or RPC answers */
  maxRows?: number
}

interface Statement {
  sql: string
  params: unknown[]
  readOnly: boolean
  /** how to turn the single result row into a response */
  shape: 'rows' | 'object' | 'scalar' | 'void'
  countSql?: string
  countParams?: unknown[]
  /** the rows themselves (no aggregate), for a CSV answer streamed from a cursor */
  rowsSql?: string
}

export class RestHandler {
  private cache?: Promise<SchemaCache>
  private loadedAt = 0

  constructor(
    private readonly pool: Pool,
    private readonly secret: Uint8Array,
    private readonly log: (line: string) => void = () => {},
    private readonly options: RestOptions = {},
  ) {}

  private schema(reload = false): Promise<SchemaCache> {
    if (!this.cache || (reload && Date.now() - this.loadedAt > RELOAD_AFTER_MS)) {
      this.loadedAt = Date.now()
      this.cache = loadSchema(this.pool)
      this.cache.catch(() => (this.cache = undefined))
    }
    return this.cache
  }

  /** Plans with the cached schema; if a name is unknown, reloads the cache once (new migrations) and plans again. */
  private async plan(req: RestRequest): Promise<Statement> {
    try {
      return planRequest(req, await this.schema(), this.options.maxRows)
    } catch (err) {
      if (!(err instanceof ApiError) || !['PGRST202', 'PGRST205', '42703'].includes(err.body.code)) throw err
      return planRequest(req, await this.schema(true), this.options.maxRows)
    }
  }

  async handle(req: RestRequest): Promise<RestResponse> {
    let role = 'anon'
    try {
      const claims = await authenticate(req.headers, this.secret)
      role = claims.role ?? 'anon'
      const profile = req.headers['accept-profile'] ?? req.headers['content-profile']
      if (profile !== undefined && profile !== EXPOSED_SCHEMA) {
        throw apiError(406, 'PGRST106', `The schema must be one of the following: ${EXPOSED_SCHEMA}`)
      }
      const stmt = await this.plan(req)
      if (wantsCsv(req) && req.method !== 'HEAD') {
        if (!stmt.rowsSql) throw apiError(406, 'PGRST107', `None of these media types are available: ${CSV}`)
        return await this.streamCsv(req, stmt, role, claims)
      }
      return await this.execute(req, stmt, role, claims)
    } catch (err) {
      return this.errorResponse(err, role)
    }
  }

  private async connect(): Promise<PoolClient> {
    try {
      return await this.pool.connect()
    } catch (err) {
      throw apiError(503, 'PGRST001', 'Database client error. Retrying the connection.', String((err as Error).message))
    }
  }

  /** The request's role, claims and request.* settings, local to its transaction, as PostgREST sets them. */
  private async setRequestConfig(client: PoolClient, req: RestRequest, role: string, claims: Claims): Promise<void> {
    await client.query(
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
              set_config('request.method', $3, true), set_config('request.path', $4, true),
              set_config('request.headers', $5, true), set_config('search_path', $6, true)`,
      [role, JSON.stringify(claims), req.method, req.path, JSON.stringify(publicHeaders(req.headers)), SEARCH_PATH],
    )
  }

  private async execute(req: RestRequest, stmt: Statement, role: string, claims: Claims): Promise<RestResponse> {
    const client = await this.connect()
    return runTransaction(client, stmt.readOnly, async () => {
      await this.setRequestConfig(client, req, role, claims)
      const { rows } = await client.query(stmt.sql, stmt.params)
      const response = shapeResponse(req, stmt, rows[0])
      if (stmt.countSql) {
        const total = (await client.query(stmt.countSql, stmt.countParams)).rows[0].total
        response.headers['Content-Range'] = contentRange(req, Number(rows[0].n), total)
      }
      return response
    })
  }

  /**
   * A CSV answer streamed from a cursor inside the request's transaction (./csv.ts): the first batch is read
   * before anything is sent, so the statement's errors (a function's not_operator, a bad filter) are the usual
   * 4xx; the transaction commits after the last row (a function that wrote, e.g. an audit row, keeps it) and
   * rolls back when the reader goes away first. No Content-Range: the count is known only at the end.
   */
  private async streamCsv(req: RestRequest, stmt: Statement, role: string, claims: Claims): Promise<RestResponse> {
    const client = await this.connect()
    let broken = false
    const onLost = () => (broken = true)
    client.on('error', onLost)
    let cursor: Cursor | undefined
    // a cursor whose statement failed has no portal left, and closing it would wait for a ReadyForQuery that
    // already came (pg-cursor sends Sync on errors): only an open one is closed
    let failed = false
    const finish = async (err?: Error) => {
      try {
        if (cursor && !failed) await cursor.close().catch(() => (broken = true))
        await client.query(err ? 'rollback' : 'commit')
      } catch (e) {
        broken = true
        if (!err) throw e
      } finally {
        client.removeListener('error', onLost)
        client.release(broken)
      }
    }
    try {
      await client.query(stmt.readOnly ? 'begin read only' : 'begin')
      await this.setRequestConfig(client, req, role, claims)
      const c = client.query(new Cursor(stmt.rowsSql!, stmt.params, { rowMode: 'array', types: RAW_TEXT }))
      cursor = c
      const read = () =>
        new Promise<{ rows: Rows; columns: string[] }>((resolve, reject) =>
          c.read(CSV_BATCH_ROWS, (err, rows, result) => {
            if (err) {
              failed = true
              reject(err)
            } else resolve({ rows: rows as unknown as Rows, columns: result.fields.map((f) => f.name) })
          }),
        )
      const first = await read()
      const body = csvStream({
        columns: first.columns,
        first: first.rows,
        batchRows: CSV_BATCH_ROWS,
        next: async () => (await read()).rows,
        finish,
      })
      return { status: 200, headers: { 'Content-Type': `${CSV}; charset=utf-8` }, body: null, stream: body }
    } catch (err) {
      await finish(err as Error)
      throw err
    }
  }

  private errorResponse(err: unknown, role: string): RestResponse {
    let e: ApiError
    if (err instanceof ApiError) e = err
    else if (isPgError(err)) e = fromPgError(err, role)
    else {
      this.log(`[rest] unexpected error: ${(err as Error)?.stack ?? String(err)}`)
      e = apiError(500, 'PGRST000', 'Internal server error')
    }
    return { status: e.status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...e.headers }, body: JSON.stringify(e.body) }
  }
}

async function authenticate(headers: RestRequest['headers'], secret: Uint8Array): Promise<Claims> {
  const token = bearerToken(headers)
  if (!token)
    throw apiError(401, 'PGRST301', 'No API key found in request', null, 'Send the anon key as the apikey header or a Bearer token.')
  const apikey = headers.apikey
  if (typeof apikey === 'string' && apikey !== token) await verifyJwt(apikey, secret)
  const claims = await verifyJwt(token, secret)
  if (claims.role !== undefined && (typeof claims.role !== 'string' || !API_ROLES.has(claims.role))) {
    throw apiError(401, 'PGRST301', `JWT role "${String(claims.role)}" is not an API role`)
  }
  return claims
}

/** Headers handed to SQL as request.headers (lower-cased; credentials left out). */
function publicHeaders(headers: RestRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) {
    if (k === 'authorization' || k === 'apikey' || k === 'cookie' || v === undefined) continue
    out[k] = Array.isArray(v) ? v.join(', ') : v
  }
  return out
}

function wantsSingle(req: RestRequest): boolean {
  const accept = req.headers.accept
  return typeof accept === 'string' && accept.includes(SINGLE_OBJECT)
}

/**
 * `Accept: text/csv` (PostgREST's content negotiation, reduced to what clients send): CSV when text/csv is the
 * first of the accepted types by preference (q) that the API produces; JSON otherwise.
 */
export function wantsCsv(req: Pick<RestRequest, 'headers'>): boolean {
  const accept = req.headers.accept
  if (typeof accept !== 'string') return false
  const types = accept
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part.split(';').map((x) => x.trim().toLowerCase())
      const q = params.find((p) => p.startsWith('q='))
      return { type, q: q ? Number(q.slice(2)) : 1, i }
    })
    .filter((t) => t.q > 0 && [CSV, 'application/json', SINGLE_OBJECT, '*/*'].includes(t.type))
    .sort((a, b) => b.q - a.q || a.i - b.i)
  return types.length > 0 && types[0].type === CSV
}

function wantsCount(req: RestRequest): boolean {
  const prefer = req.headers.prefer
  return typeof prefer === 'string' && /\bcount=(exact|planned|estimated)\b/.test(prefer)
}

function contentRange(req: RestRequest, n: number, total: unknown): string {
  const offset = Number(req.query.get('offset') ?? 0)
  const t = total === undefined || total === null ? '*' : String(total)
  return n === 0 ? `*/${t}` : `${offset}-${offset + n - 1}/${t}`
}

function shapeResponse(req: RestRequest, stmt: Statement, row: Record<string, unknown>): RestResponse {
  const json = { 'Content-Type': 'application/json; charset=utf-8' }
  const noBody = req.method === 'HEAD'
  if (stmt.shape === 'void') return { status: 204, headers: {}, body: null }
  if (stmt.shape === 'scalar') return { status: 200, headers: json, body: noBody ? null : String(row.body ?? 'null') }
  const n = Number(row.n)
  if (wantsSingle(req) || stmt.shape === 'object') {
    if (n !== 1 && (wantsSingle(req) || n > 1)) {
      throw apiError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${n} rows`)
    }
    const headers = wantsSingle(req) ? { 'Content-Type': `${SINGLE_OBJECT}; charset=utf-8` } : json
    return { status: 200, headers, body: noBody ? null : String(row.first ?? 'null') }
  }
  return { status: 200, headers: { ...json, 'Content-Range': contentRange(req, n, undefined) }, body: noBody ? null : String(row.body) }
}

const AGGREGATE = `select coalesce(json_agg(_t), '[]')::text as body, (json_agg(_t) -> 0)::text as first, count(*)::int as n`

function planRequest(req: RestRequest, cache: SchemaCache, maxRows?: number): Statement {
  const segments = req.path.split('/').filter(Boolean).map(decodeSegment)
  if (segments.length === 2 && segments[0] === 'rpc') return planRpc(req, cache, segments[1], maxRows)
  if (segments.length === 1) return planRead(req, cache, segments[0], maxRows)
  throw apiError(404, 'PGRST125', `Invalid path: ${req.path}`)
}

/**
 * Percent-decoding as PostgREST's web server (wai) does it: an invalid escape such as `%E0%A4%A` or `%FF`
 * stays as written or decodes to U+FFFD instead of failing the request.
 */
export function decodeSegment(segment: string): string {
  const parts = segment.split(/(%[0-9a-fA-F]{2})/)
  return Buffer.concat(parts.map((p, i) => (i % 2 ? Buffer.from([parseInt(p.slice(1), 16)]) : Buffer.from(p)))).toString('utf8')
}

function planRead(req: RestRequest, cache: SchemaCache, name: string, maxRows?: number): Statement {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw apiError(
      405,
      'PGRST117',
      `Unsupported HTTP method: ${req.method}`,
      null,
      'Tables are read-only through the API; business writes are RPCs (POST /rest/v1/rpc/<fn>).',
    )
  }
  const columns = cache.relations.get(name)
  if (!columns) throw apiError(404, 'PGRST205', `Could not find the table '${EXPOSED_SCHEMA}.${name}' in the schema cache`)
  const params: unknown[] = []
  const parts = readParts(req.query, columns, name, params, new Set(), maxRows)
  const from = `from ${ident(EXPOSED_SCHEMA)}.${ident(name)}${parts.where}`
  const rowsSql = `select ${parts.select} ${from}${parts.order}${parts.limitOffset}`
  return {
    sql: `${AGGREGATE} from (${rowsSql}) _t`,
    rowsSql,
    params,
    readOnly: true,
    shape: 'rows',
    ...(wantsCount(req) ? { countSql: `select count(*)::bigint as total ${from}`, countParams: params.slice(0, parts.whereParams) } : {}),
  }
}

/**
 * The named arguments and the JSON text handed to Postgres. A POST body goes to Postgres as sent (as
 * PostgREST does), never re-serialized: JavaScript numbers would round 2^63 or 1e309 before Postgres sees them.
 */
function rpcArgs(req: RestRequest, cache: SchemaCache, name: string): { args: Record<string, unknown>; json: string } {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const argNames = new Set((cache.functions.get(name) ?? []).flatMap((f) => f.args.map((a) => a.name)))
    const args: Record<string, unknown> = {}
    for (const [k, v] of req.query) if (!RESERVED_PARAMS.has(k) && argNames.has(k)) args[k] = v
    return { args, json: JSON.stringify(args) }
  }
  if (req.method !== 'POST') throw apiError(405, 'PGRST117', `Unsupported HTTP method: ${req.method}`)
  let text: string
  let body: unknown
  try {
    // JSON is UTF-8: invalid bytes are refused, not turned into U+FFFD and stored
    text = UTF8.decode(req.body).trim()
    if (text === '') return { args: {}, json: '{}' }
    body = JSON.parse(text)
  } catch {
    throw apiError(400, 'PGRST102', 'Empty or invalid json')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw apiError(400, 'PGRST102', 'Empty or invalid json', 'RPC arguments must be a JSON object of named arguments')
  }
  return { args: body as Record<string, unknown>, json: text }
}

function planRpc(req: RestRequest, cache: SchemaCache, name: string, maxRows?: number): Statement {
  const { args, json } = rpcArgs(req, cache, name)
  const keys = Object.keys(args).sort()
  const fn = resolveFunction(cache, name, keys)
  if (!fn) {
    throw apiError(
      404,
      'PGRST202',
      `Could not find the function ${EXPOSED_SCHEMA}.${name}(${keys.join(', ')}) in the schema cache`,
      null,
      'Check the function name and its argument names.',
    )
  }
  const readOnly = req.method !== 'POST' || !fn.volatile
  const params: unknown[] = []
  let from = ''
  if (keys.length) {
    params.push(json)
    const columns = keys.map((k) => `${ident(k)} ${argType(fn, k)}`).join(', ')
    from = `json_to_record($1::json) as _args(${columns})`
  }
  const call = `${ident(EXPOSED_SCHEMA)}.${ident(fn.name)}(${keys.map((k) => `${ident(k)} := _args.${ident(k)}`).join(', ')})`
  const fromCall = (alias: string) => (from ? `from ${from}, lateral ${call} as ${alias}` : `from ${call} as ${alias}`)
  if (fn.returnKind === 'void') return { sql: `select ${call} ${from ? `from ${from}` : ''}`, params, readOnly, shape: 'void' }
  if (fn.returnKind === 'scalar' && !fn.returnsSet) {
    return { sql: `select to_json(${call})::text as body ${from ? `from ${from}` : ''}`, params, readOnly, shape: 'scalar' }
  }
  if (fn.returnKind === 'scalar') {
    const sql =
      maxRows === undefined ? `${AGGREGATE} ${fromCall('_t')}` : `${AGGREGATE} from (select _t ${fromCall('_t')} limit ${maxRows}) _s(_t)`
    return { sql, params, readOnly, shape: 'rows' }
  }
  const parts = readParts(req.query, fn.columns, fn.name, params, new Set(keys), maxRows)
  const rowsSql = `with _c as (select _f.* ${fromCall('_f')}) select ${parts.select} from _c${parts.where}${parts.order}${parts.limitOffset}`
  return {
    sql: `with _c as (select _f.* ${fromCall('_f')}) ${AGGREGATE} from (select ${parts.select} from _c${parts.where}${parts.order}${parts.limitOffset}) _t`,
    rowsSql,
    params,
    readOnly,
    shape: fn.returnsSet ? 'rows' : 'object',
  }
}

function argType(fn: FunctionDef, name: string): string {
  // Types come from pg_catalog (format_type), never from the request.
  return fn.args.find((a) => a.name === name)!.type
}
