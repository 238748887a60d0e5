// The PostgREST subset the client uses: RPC calls (POST, or GET/HEAD for read-only calls) and reads of
// tables and views, each request one transaction run as the JWT's role with request.jwt.claims set.
// Behaviour follows PostgREST 14 (the version the Supabase CLI runs); the PostgREST source each part follows
// is named where it is done (ApiRequest.hs, Plan.hs, Error.hs, Response.hs, Query/Statements.hs).
import type { Readable } from 'node:stream'
import type { Pool, PoolClient } from 'pg'
import Cursor from 'pg-cursor'
import { bearerToken, verifyJwt, type Claims } from '../jwt'
import { csvStream, type Rows } from './csv'
import { ApiError, apiError, fromPgError, isPgError } from './errors'
import {
  acceptedMediaTypes,
  decodeMediaType,
  negotiate,
  parsePrefer,
  preferenceApplied,
  toMime,
  type MediaType,
  type Preferences,
  type Produced,
} from './negotiate'
import { ident, readParts } from './query'
import { findProc, loadSchema, tableNotFound, type SchemaCache } from './schema'
import { runTransaction } from './transaction'

export const API_ROLES = new Set(['anon', 'authenticated', 'service_role'])
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

/** PostgREST's db-tx-end: whether transactions commit, and whether `Prefer: tx=` may override that. */
export type TxEnd = 'commit' | 'commit-allow-override' | 'rollback' | 'rollback-allow-override'

export interface RestOptions {
  /** PostgREST's db-max-rows (supabase/config.toml [api] max_rows): the most rows any read or RPC answers */
  maxRows?: number
  /** PostgREST's db-schemas (supabase/config.toml [api] schemas): the exposed schemas, the first the default */
  schemas?: string[]
  /** PostgREST's db-extra-search-path ([api] extra_search_path): after the request's schema in search_path */
  extraSearchPath?: string[]
  /** PostgREST's db-tx-end; default 'commit', as the Supabase CLI and platform run PostgREST (no PGRST_DB_TX_END) */
  txEnd?: TxEnd
}

/** How the result is turned into the answer. */
type Shape = 'rows' | 'object' | 'scalar' | 'void'

interface Statement {
  readOnly: boolean
  shape: Shape
  /** bind values: the call's arguments and the filters' values first (whereParams of them), then limit/offset */
  params: unknown[]
  whereParams: number
  /** `with _c as (…) ` or '' */
  with: string
  /** rows/object: the page (select … from … where … order … limit … offset …), without the WITH */
  page?: string
  /** rows/object: `from … where …`, the filtered rows without limit/offset, for the count */
  countFrom?: string
  /** what json_agg aggregates: the row, or its value for functions returning a set of scalars */
  aggValue?: string
  /** scalar/void: the whole statement, one row with `body` */
  scalarSql?: string
  offset: number
  limit?: number
  /** a table read (count=planned / estimated use the planner there; RPCs count exactly or not at all) */
  isRead: boolean
  /** text/csv can be produced (rows of a table, a view or a function returning rows) */
  csvable: boolean
}

interface Negotiated {
  schema: string
  /** answer with Content-Profile (profile header sent, or more than one schema exposed) */
  profile: boolean
  prefs: Preferences
  media: Produced
}

export class RestHandler {
  private cache?: Promise<SchemaCache>
  private loadedAt = 0
  private readonly schemas: string[]
  private readonly extraSearchPath: string[]
  private readonly txEnd: TxEnd

  constructor(
    private readonly pool: Pool,
    private readonly secret: Uint8Array,
    private readonly log: (line: string) => void = () => {},
    private readonly options: RestOptions = {},
  ) {
    this.schemas = options.schemas?.length ? options.schemas : ['public']
    this.extraSearchPath = options.extraSearchPath ?? ['public', 'extensions']
    this.txEnd = options.txEnd ?? 'commit'
  }

  private schemaCache(reload = false): Promise<SchemaCache> {
    if (!this.cache || (reload && Date.now() - this.loadedAt > RELOAD_AFTER_MS)) {
      this.loadedAt = Date.now()
      this.cache = loadSchema(this.pool, this.schemas)
      this.cache.catch(() => (this.cache = undefined))
    }
    return this.cache
  }

  /** Plans with the cached schema; if a name is unknown, reloads the cache once (new migrations) and plans again. */
  private async plan(req: RestRequest, n: Negotiated): Promise<Statement> {
    try {
      return this.planRequest(req, await this.schemaCache(), n)
    } catch (err) {
      if (!(err instanceof ApiError) || !['PGRST202', 'PGRST205', '42703'].includes(err.body.code)) throw err
      return this.planRequest(req, await this.schemaCache(true), n)
    }
  }

  async handle(req: RestRequest): Promise<RestResponse> {
    let role = 'anon'
    try {
      const claims = await authenticate(req.headers, this.secret)
      role = claims.role ?? 'anon'
      const negotiated = this.negotiateRequest(req)
      const stmt = await this.plan(req, negotiated)
      const rollback = this.shouldRollback(negotiated.prefs, req)
      if (negotiated.media === 'csv' && req.method !== 'HEAD') return await this.streamCsv(req, stmt, negotiated, role, claims, rollback)
      return await this.execute(req, stmt, negotiated, role, claims, rollback)
    } catch (err) {
      return this.errorResponse(err, role)
    }
  }

  /**
   * The schema (ApiRequest.hs getSchema: Accept-Profile for GET/HEAD, Content-Profile for POST/PATCH/PUT/DELETE,
   * one of db-schemas or 406 PGRST106), the Prefer header and the accepted media types.
   */
  private negotiateRequest(req: RestRequest): Negotiated {
    const header = ['POST', 'PATCH', 'PUT', 'DELETE'].includes(req.method) ? 'content-profile' : 'accept-profile'
    const profile = single(req.headers[header])
    if (profile !== undefined && !this.schemas.includes(profile)) {
      throw apiError(
        406,
        'PGRST106',
        `Invalid schema: ${profile}`,
        null,
        `Only the following schemas are exposed: ${this.schemas.join(', ')}`,
      )
    }
    const prefs = parsePrefer(req.headers.prefer, this.txEnd.endsWith('-allow-override'))
    return { schema: profile ?? this.schemas[0], profile: profile !== undefined || this.schemas.length !== 1, prefs, media: 'json' }
  }

  /** MainTx.hs optionalRollback: Prefer tx=rollback when db-tx-end allows the override, or db-tx-end=rollback*. */
  private shouldRollback(prefs: Preferences, req: RestRequest): boolean {
    const rollback = prefs.transaction === 'rollback' || (this.txEnd.startsWith('rollback') && prefs.transaction !== 'commit')
    const asked = parsePrefer(req.headers.prefer, true).transaction
    if (asked === 'rollback' && !rollback) {
      this.log(`[rest] Prefer: tx=rollback ignored and the transaction committed: db-tx-end is "${this.txEnd}" (as PostgREST)`)
    }
    return rollback
  }

  private planRequest(req: RestRequest, cache: SchemaCache, n: Negotiated): Statement {
    const segments = req.path.split('/').filter(Boolean).map(decodeSegment)
    let stmt: Statement
    if (segments.length === 2 && segments[0] === 'rpc') stmt = planRpc(req, cache, n.schema, segments[1], this.options.maxRows)
    else if (segments.length === 1) stmt = planRead(req, cache, n.schema, segments[0], this.options.maxRows)
    else throw apiError(404, 'PGRST125', 'Invalid path specified in request URL')
    // Plan.hs negotiateContent, then the strict handling of unknown preferences
    const accepts = acceptedMediaTypes(single(req.headers.accept))
    const media = negotiate(accepts)
    if (!media) throw apiError(406, 'PGRST107', `None of these media types are available: ${accepts.map(toMime).join(', ')}`)
    if (media === 'csv' && !stmt.csvable) throw apiError(406, 'PGRST107', `None of these media types are available: ${CSV}`)
    n.media = media
    if (n.prefs.invalid.length && n.prefs.handling === 'strict') {
      throw apiError(
        400,
        'PGRST122',
        'Invalid preferences given with handling=strict',
        `Invalid preferences: ${n.prefs.invalid.join(', ')}`,
      )
    }
    return stmt
  }

  private async connect(): Promise<PoolClient> {
    try {
      return await this.pool.connect()
    } catch (err) {
      throw apiError(503, 'PGRST001', 'Database client error. Retrying the connection.', String((err as Error).message))
    }
  }

  /** The request's role, claims and request.* settings, local to its transaction, as PostgREST sets them. */
  private async setRequestConfig(client: PoolClient, req: RestRequest, schema: string, role: string, claims: Claims): Promise<void> {
    // PreQuery.hs: search_path = the request's schema, then db-extra-search-path, each quoted
    const searchPath = [schema, ...this.extraSearchPath].map(ident).join(', ')
    await client.query(
      `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
              set_config('request.method', $3, true), set_config('request.path', $4, true),
              set_config('request.headers', $5, true), set_config('search_path', $6, true)`,
      [role, JSON.stringify(claims), req.method, req.path, JSON.stringify(publicHeaders(req.headers)), searchPath],
    )
  }

  /** The count column of the main statement (Statements.hs countF), if the count is read in it. */
  private totalColumn(stmt: Statement, prefs: Preferences): string {
    if (!stmt.countFrom) return ''
    if (prefs.count === 'exact' || (prefs.count === 'estimated' && (!stmt.isRead || this.options.maxRows === undefined))) {
      return `, (select count(*) ${stmt.countFrom}) as total`
    }
    // estimated on a read: count at most max_rows + 1 rows; more than max_rows → the planner's estimate
    if (prefs.count === 'estimated')
      return `, (select count(*) from (select 1 ${stmt.countFrom} limit ${this.options.maxRows! + 1}) _e) as total`
    return ''
  }

  /** count=planned (and estimated beyond max_rows) on reads: the planner's row estimate of the count query. */
  private async plannedTotal(client: PoolClient, stmt: Statement): Promise<number | undefined> {
    const { rows } = await client.query(
      `explain (format json) ${stmt.with}select 1 ${stmt.countFrom}`,
      stmt.params.slice(0, stmt.whereParams),
    )
    const plan = rows[0]['QUERY PLAN']
    const rowsEstimate = (typeof plan === 'string' ? JSON.parse(plan) : plan)?.[0]?.Plan?.['Plan Rows']
    return typeof rowsEstimate === 'number' ? rowsEstimate : undefined
  }

  private async execute(
    req: RestRequest,
    stmt: Statement,
    n: Negotiated,
    role: string,
    claims: Claims,
    rollback: boolean,
  ): Promise<RestResponse> {
    const client = await this.connect()
    return runTransaction(
      client,
      stmt.readOnly,
      async () => {
        await this.setRequestConfig(client, req, n.schema, role, claims)
        if (stmt.scalarSql !== undefined) {
          const { rows } = await client.query(stmt.scalarSql, stmt.params)
          const total = n.prefs.count === 'exact' || n.prefs.count === 'estimated' ? 1 : undefined
          return this.respond(req, stmt, n, rows[0]?.body ?? 'null', 1, total)
        }
        const agg = stmt.aggValue ?? '_t'
        const body =
          n.media === 'array-stripped'
            ? `coalesce(json_strip_nulls(json_agg(${agg})), '[]')::text`
            : `coalesce(json_agg(${agg}), '[]')::text`
        const first = n.media === 'single-stripped' ? `json_strip_nulls(json_agg(${agg}) -> 0)::text` : `(json_agg(${agg}) -> 0)::text`
        const sql = `${stmt.with}select ${body} as body, ${first} as first, count(*)::int as n${this.totalColumn(stmt, n.prefs)} from (${stmt.page}) _t`
        const { rows } = await client.query(sql, stmt.params)
        let total: number | undefined = rows[0].total === undefined || rows[0].total === null ? undefined : Number(rows[0].total)
        if (stmt.isRead && n.prefs.count === 'planned') total = await this.plannedTotal(client, stmt)
        else if (stmt.isRead && n.prefs.count === 'estimated' && this.options.maxRows !== undefined && total! > this.options.maxRows) {
          total = Math.max(total!, (await this.plannedTotal(client, stmt)) ?? 0)
        }
        const page = Number(rows[0].n)
        if (stmt.shape === 'object' || n.media === 'single' || n.media === 'single-stripped') {
          // MainTx.hs failNotSingular (vendored object), or a function returning one row
          if (page !== 1 && (n.media !== 'json' || page > 1)) {
            throw apiError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${page} rows`)
          }
          return this.respond(req, stmt, n, rows[0].first ?? 'null', stmt.shape === 'object' ? 1 : page, total)
        }
        return this.respond(req, stmt, n, rows[0].body, page, total)
      },
      rollback,
    )
  }

  /** Response.hs: status (RangeQuery.rangeStatusHeader), Content-Range, Content-Type, Content-Profile, Preference-Applied. */
  private respond(req: RestRequest, stmt: Statement, n: Negotiated, body: string, page: number, total: number | undefined): RestResponse {
    const range = rangeStatus(stmt.offset, page, total)
    const headers: Record<string, string> = { 'Content-Range': range.contentRange }
    const applied = preferenceApplied(n.prefs)
    if (applied) headers['Preference-Applied'] = applied
    if (stmt.shape === 'void') return { status: 204, headers, body: null }
    if (range.status === 416) return rangeNotSatisfiable(stmt.offset, total!)
    Object.assign(headers, this.contentHeaders(n))
    return { status: range.status, headers, body: req.method === 'HEAD' ? null : body }
  }

  private contentHeaders(n: Negotiated): Record<string, string> {
    const mime: Record<Produced, string> = {
      json: 'application/json',
      csv: CSV,
      single: 'application/vnd.pgrst.object+json',
      'single-stripped': 'application/vnd.pgrst.object+json;nulls=stripped',
      'array-stripped': 'application/vnd.pgrst.array+json;nulls=stripped',
    }
    return { 'Content-Type': `${mime[n.media]}; charset=utf-8`, ...(n.profile ? { 'Content-Profile': n.schema } : {}) }
  }

  /**
   * A CSV answer streamed from a cursor inside the request's transaction (./csv.ts): the first batch is read
   * before anything is sent, so the statement's errors (a function's not_operator, a bad filter) are the usual
   * 4xx; the transaction commits after the last row (a function that wrote, e.g. an audit row, keeps it) and
   * rolls back when the reader goes away first (or when Prefer: tx=rollback is honoured).
   * Content-Range needs the number of rows before the first byte: with `Prefer: count=exact|estimated` the total
   * comes with the first row (a scalar subquery of the same statement, so one snapshot, and a function is called
   * once) and the page's length follows from it (min(limit, total − offset)); an empty page has no row to carry
   * the total, so the statement is rolled back to a savepoint and the count run alone. Without a count the page's
   * length is known only at the end, so there is no Content-Range (PostgREST builds the whole body first).
   */
  private async streamCsv(
    req: RestRequest,
    stmt: Statement,
    n: Negotiated,
    role: string,
    claims: Claims,
    rollback: boolean,
  ): Promise<RestResponse> {
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
        await client.query(err || rollback ? 'rollback' : 'commit')
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
      await this.setRequestConfig(client, req, n.schema, role, claims)
      const totalColumn = this.totalColumn(stmt, n.prefs)
      const counted = totalColumn !== ''
      if (counted) await client.query('savepoint pgrst_csv')
      const sql = `${stmt.with}select _t.*${totalColumn} from (${stmt.page}) _t`
      const c = client.query(new Cursor(sql, stmt.params, { rowMode: 'array', types: RAW_TEXT }))
      cursor = c
      const read = () =>
        new Promise<{ rows: Rows; columns: string[] }>((resolve, reject) =>
          c.read(CSV_BATCH_ROWS, (err, rows, result) => {
            if (err) {
              failed = true
              reject(err)
            } else {
              const data = rows as unknown as Rows
              const columns = result.fields.map((f) => f.name)
              resolve(counted ? { rows: data, columns: columns.slice(0, -1) } : { rows: data, columns })
            }
          }),
        )
      const first = await read()
      const headers: Record<string, string> = this.contentHeaders(n)
      const applied = preferenceApplied(n.prefs)
      if (applied) headers['Preference-Applied'] = applied
      let status = 200
      if (counted) {
        let total: number
        if (first.rows.length) total = Number(first.rows[0][first.rows[0].length - 1])
        else {
          await c.close()
          cursor = undefined
          await client.query('rollback to savepoint pgrst_csv')
          const count = await client.query(`${stmt.with}select 1 as one${totalColumn}`, stmt.params.slice(0, stmt.whereParams))
          total = Number(count.rows[0].total)
        }
        const page = Math.max(0, Math.min(stmt.limit ?? Infinity, total - stmt.offset))
        const range = rangeStatus(stmt.offset, page, total)
        if (range.status === 416) {
          await finish()
          return rangeNotSatisfiable(stmt.offset, total)
        }
        status = range.status
        headers['Content-Range'] = range.contentRange
      }
      const strip = (rows: Rows): Rows => (counted ? rows.map((r) => r.slice(0, -1)) : rows)
      const body = csvStream({
        columns: first.columns,
        first: strip(first.rows),
        batchRows: CSV_BATCH_ROWS,
        next: async () => strip((await read()).rows),
        finish,
      })
      return { status, headers, body: null, stream: body }
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

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v
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

/** RangeQuery.hs rangeStatusHeader / contentRangeH. */
export function rangeStatus(offset: number, page: number, total: number | undefined): { status: number; contentRange: string } {
  const lower = offset
  const upper = lower + page - 1
  const rangeString = total !== 0 && lower <= upper ? `${lower}-${upper}` : '*'
  const contentRange = `${rangeString}/${total ?? '*'}`
  const status = total === undefined ? 200 : lower > total ? 416 : 1 + upper - lower < total ? 206 : 200
  return { status, contentRange }
}

function rangeNotSatisfiable(offset: number, total: number): RestResponse {
  const e = apiError(
    416,
    'PGRST103',
    'Requested range not satisfiable',
    `An offset of ${offset} was requested, but there are only ${total} rows.`,
  )
  return {
    status: 416,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Range': `*/${total}` },
    body: JSON.stringify(e.body),
  }
}

/**
 * Percent-decoding as PostgREST's web server (wai) does it: an invalid escape such as `%E0%A4%A` or `%FF`
 * stays as written or decodes to U+FFFD instead of failing the request.
 */
export function decodeSegment(segment: string): string {
  const parts = segment.split(/(%[0-9a-fA-F]{2})/)
  return Buffer.concat(parts.map((p, i) => (i % 2 ? Buffer.from([parseInt(p.slice(1), 16)]) : Buffer.from(p)))).toString('utf8')
}

function planRead(req: RestRequest, cache: SchemaCache, schema: string, name: string, maxRows?: number): Statement {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw apiError(
      405,
      'PGRST117',
      `Unsupported HTTP method: ${req.method}`,
      null,
      'Tables are read-only through the API; business writes are RPCs (POST /rest/v1/rpc/<fn>).',
    )
  }
  const columns = cache.relations.get(schema)?.get(name)
  if (!columns) throw tableNotFound(cache, schema, name)
  const params: unknown[] = []
  const parts = readParts(req.query, columns, name, params, new Set(), maxRows)
  const countFrom = `from ${ident(schema)}.${ident(name)}${parts.where}`
  return {
    readOnly: true,
    shape: 'rows',
    params,
    whereParams: parts.whereParams,
    with: '',
    page: `select ${parts.select} ${countFrom}${parts.order}${parts.limitOffset}`,
    countFrom,
    offset: parts.offset,
    limit: parts.limit,
    isRead: true,
    csvable: true,
  }
}

const FILTER_OPERATORS = 'eq|neq|gt|gte|lt|lte|like|ilike|match|imatch|cs|cd|ov|sl|sr|nxr|nxl|adj|isdistinct'
/** A query value PostgREST parses as a filter (QueryParams.hs pRequestFilter), not as an RPC argument. */
const FILTER_VALUE = new RegExp(
  `^(not\\.)?((${FILTER_OPERATORS})(\\((any|all)\\))?\\.|in\\.\\(|is\\.(null|not_null|true|false|unknown)$|(fts|plfts|phfts|wfts)(\\([^)]*\\))?\\.)`,
)

/** QueryParams.hs: `select`, `columns`, `on_conflict` and keys ending in order/limit/offset/and/or are not filters. */
function isReservedKey(key: string): boolean {
  return ['select', 'columns', 'on_conflict'].includes(key) || ['order', 'limit', 'offset', 'and', 'or'].includes(key.split('.').at(-1)!)
}

interface RpcArgs {
  keys: Set<string>
  /** named arguments as JSON text (json_to_record), or undefined for none */
  json?: string
  /** the body as sent: the argument of a function with a single unnamed parameter */
  raw: string | Buffer
  contentType: MediaType
}

/**
 * The arguments as PostgREST reads them (ApiRequest/Payload.hs getPayload; Plan.hs callReadPlan):
 * GET/HEAD — the query parameters that are not filters; POST — by Content-Type (none: application/json):
 * application/json → the object's keys (a JSON body goes to Postgres as sent, never re-serialized: JavaScript
 * numbers would round 2^63 or 1e309), application/x-www-form-urlencoded → its fields, text/plain, text/xml,
 * application/octet-stream → the raw body (no keys), anything else → 400 PGRST102.
 */
function rpcArgs(req: RestRequest): RpcArgs {
  if (req.method === 'GET' || req.method === 'HEAD') {
    const args: Record<string, string> = {}
    for (const [k, v] of req.query) if (!isReservedKey(k) && !FILTER_VALUE.test(v)) args[k] = v
    const json = JSON.stringify(args)
    return { keys: new Set(Object.keys(args)), json, raw: json, contentType: { kind: 'json' } }
  }
  if (req.method !== 'POST') throw apiError(405, 'PGRST101', `Cannot use the ${req.method} method on RPC`)
  const header = single(req.headers['content-type'])
  const contentType = header === undefined ? ({ kind: 'json' } as const) : decodeMediaType(header)
  const utf8 = () => {
    try {
      return UTF8.decode(req.body)
    } catch {
      throw apiError(400, 'PGRST102', 'Empty or invalid json')
    }
  }
  switch (contentType.kind) {
    case 'json': {
      // JSON is UTF-8: invalid bytes are refused, not turned into U+FFFD and stored
      const text = utf8().trim()
      if (text === '') return { keys: new Set(), json: '{}', raw: '{}', contentType }
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        throw apiError(400, 'PGRST102', 'Empty or invalid json')
      }
      if (Array.isArray(body)) {
        if (body.length === 0) return { keys: new Set(), json: '{}', raw: text, contentType }
        if (!body.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x)))
          throw apiError(400, 'PGRST102', 'All object keys must match')
        throw apiError(
          400,
          'PGRST102',
          'An array of argument objects is not supported by the local stack',
          'PostgREST calls the function once per object; call it with one JSON object of named arguments.',
        )
      }
      // PostgREST turns a JSON scalar into an empty argument list (Payload.hs payloadAttributes)
      if (typeof body !== 'object' || body === null) return { keys: new Set(), json: '{}', raw: text, contentType }
      return { keys: new Set(Object.keys(body)), json: text, raw: text, contentType }
    }
    case 'urlencoded': {
      const args: Record<string, string> = {}
      for (const [k, v] of new URLSearchParams(utf8())) args[k] = v
      const json = JSON.stringify(args)
      return { keys: new Set(Object.keys(args)), json, raw: json, contentType }
    }
    case 'text':
    case 'xml':
      return { keys: new Set(), raw: utf8(), contentType }
    case 'octet':
      return { keys: new Set(), raw: req.body, contentType }
    case 'csv':
      throw apiError(
        400,
        'PGRST102',
        'A text/csv body is not supported by the local stack for RPCs',
        'PostgREST calls the function once per CSV line; call it with one JSON object of named arguments.',
      )
    default:
      throw apiError(400, 'PGRST102', `Content-Type not acceptable: ${toMime(contentType)}`)
  }
}

function planRpc(req: RestRequest, cache: SchemaCache, schema: string, name: string, maxRows?: number): Statement {
  const args = rpcArgs(req)
  const isInvPost = req.method === 'POST'
  const fn = findProc(cache, schema, name, args.keys, { isInvPost, contentType: args.contentType })
  const readOnly = !isInvPost || !fn.volatile
  const params: unknown[] = []
  const qualified = `${ident(fn.schema)}.${ident(fn.name)}`
  let call: string
  let argsFrom = ''
  if (fn.args.length === 1 && fn.args[0].name === '') {
    // Plan.hs callPlan OnePosParam: f($body::type), the body as sent (bytea: the bytes)
    params.push(args.raw)
    call = `${qualified}($1::${fn.args[0].type})`
  } else {
    // the given arguments only (the others keep their defaults), typed by pg_proc, never by the request
    const given = fn.args.filter((a) => args.keys.has(a.name))
    if (given.length) {
      params.push(args.json)
      argsFrom = `json_to_record($1::json) as _args(${given.map((a) => `${ident(a.name)} ${a.type}`).join(', ')})`
    }
    call = `${qualified}(${given.map((a) => `${ident(a.name)} := _args.${ident(a.name)}`).join(', ')})`
  }
  const source = argsFrom ? `from ${argsFrom}, lateral ${call} as _f` : `from ${call} as _f`
  const base = { readOnly, params, isRead: false, with: '' }
  // GET/HEAD arguments are not filters; on POST every query parameter is one
  const skip = isInvPost ? new Set<string>() : args.keys
  if (fn.returnKind === 'void' || (fn.returnKind === 'scalar' && !fn.returnsSet)) {
    const query = new URLSearchParams(req.query)
    return {
      ...base,
      shape: fn.returnKind === 'void' ? 'void' : 'scalar',
      whereParams: params.length,
      scalarSql: `select ${fn.returnKind === 'void' ? `${call} is null` : `to_json(${call})::text`} as body${argsFrom ? ` from ${argsFrom}` : ''}`,
      offset: Number(query.get('offset') ?? 0) || 0,
      csvable: false,
    }
  }
  if (fn.returnKind === 'scalar') {
    const parts = readParts(req.query, new Set(), fn.name, params, skip, maxRows)
    return {
      ...base,
      shape: 'rows',
      whereParams: parts.whereParams,
      with: `with _c as (select _f as v ${source}) `,
      page: `select v from _c${parts.limitOffset}`,
      countFrom: 'from _c',
      aggValue: '_t.v',
      offset: parts.offset,
      limit: parts.limit,
      csvable: false,
    }
  }
  const parts = readParts(req.query, fn.columns, fn.name, params, skip, maxRows)
  return {
    ...base,
    shape: fn.returnsSet ? 'rows' : 'object',
    whereParams: parts.whereParams,
    with: `with _c as (select _f.* ${source}) `,
    page: `select ${parts.select} from _c${parts.where}${parts.order}${parts.limitOffset}`,
    countFrom: `from _c${parts.where}`,
    offset: parts.offset,
    limit: parts.limit,
    csvable: true,
  }
}
