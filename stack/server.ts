// The local API on 127.0.0.1:54321: /rest/v1 (PostgREST subset), /storage/v1 (Storage API subset) and
// /functions/v1/<name> (Edge Functions).
import { readFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pipeline } from 'node:stream'
import { Pool } from 'pg'
import { parse as parseToml } from 'smol-toml'
import { bearerToken, secretKey, verifyJwt } from './jwt'
import { loadFunctions, runWithEnv, type FetchHandler } from './functions'
import { RestHandler, type TxEnd } from './rest/handler'
import { StorageHandler } from './storage/handler'

const MAX_BODY_BYTES = 1024 * 1024

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, HEAD, OPTIONS',
  'Access-Control-Allow-Headers':
    'authorization, apikey, content-type, x-client-info, accept, accept-profile, content-profile, prefer, range',
  'Access-Control-Expose-Headers': 'Content-Range, Preference-Applied',
  'Access-Control-Max-Age': '86400',
}

export interface ApiServerOptions {
  /** connection string of the database; the API logs in as `authenticator` (as PostgREST does) */
  dbUrl: string
  jwtSecret: string
  anonKey: string
  serviceRoleKey: string
  functionsDir: string
  /** where Storage objects' bytes live; default: a temporary folder, removed on close */
  storageDir?: string
  /** supabase/config.toml, for [functions.<name>] verify_jwt */
  configToml?: string
  host?: string
  port?: number
  /** extra environment for Edge Functions (secrets such as AUTH_DEV_LOGIN, WECHAT_APPID) */
  functionEnv?: Record<string, string | undefined>
  poolSize?: number
  /** PostgREST's db-max-rows; default: supabase/config.toml's [api] max_rows (configToml), null: no limit */
  maxRows?: number | null
  /** PostgREST's db-schemas; default: supabase/config.toml's [api] schemas */
  schemas?: string[]
  /** PostgREST's db-extra-search-path; default: supabase/config.toml's [api] extra_search_path */
  extraSearchPath?: string[]
  /** PostgREST's db-tx-end; default 'commit' (the Supabase CLI and platform do not set it) */
  txEnd?: TxEnd
  log?: (line: string) => void
}

export interface ApiServer {
  url: string
  port: number
  /** where /storage/v1 keeps the objects' bytes */
  storageDir: string
  close(): Promise<void>
}

/** Reads `KEY=value` lines (supabase/functions/.env, as `supabase functions serve` does). */
export function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {}
  const out: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (m && !line.trim().startsWith('#')) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2')
  }
  return out
}

interface ApiSection {
  max_rows?: unknown
  schemas?: unknown
  extra_search_path?: unknown
}

function apiSection(configToml?: string): ApiSection | undefined {
  if (!configToml || !existsSync(configToml)) return undefined
  return (parseToml(readFileSync(configToml, 'utf8')) as { api?: ApiSection }).api ?? {}
}

const stringList = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? v.map((x) => x.trim()) : undefined

/** [api] max_rows of supabase/config.toml (PostgREST's db-max-rows), if set. */
export function configMaxRows(configToml?: string): number | undefined {
  const n = apiSection(configToml)?.max_rows
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : undefined
}

/**
 * [api] schemas and extra_search_path of supabase/config.toml, which the Supabase CLI hands to PostgREST as
 * PGRST_DB_SCHEMAS and PGRST_DB_EXTRA_SEARCH_PATH. A missing key takes the CLI's default (its config template):
 * schemas ["public", "graphql_public"], extra_search_path ["public", "extensions"]; no file: ["public"] and
 * ["public", "extensions"].
 */
export function configSchemas(configToml?: string): { schemas: string[]; extraSearchPath: string[] } {
  const api = apiSection(configToml)
  if (!api) return { schemas: ['public'], extraSearchPath: ['public', 'extensions'] }
  return {
    schemas: stringList(api.schemas) ?? ['public', 'graphql_public'],
    extraSearchPath: stringList(api.extra_search_path) ?? ['public', 'extensions'],
  }
}

function functionsNeedingNoJwt(configToml?: string): Set<string> {
  if (!configToml || !existsSync(configToml)) return new Set()
  const config = parseToml(readFileSync(configToml, 'utf8')) as { functions?: Record<string, { verify_jwt?: boolean }> }
  return new Set(
    Object.entries(config.functions ?? {})
      .filter(([, f]) => f.verify_jwt === false)
      .map(([name]) => name),
  )
}

function authenticatorUrl(dbUrl: string): string {
  const u = new URL(dbUrl)
  u.username = 'authenticator'
  u.password = 'postgres'
  return u.toString()
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    // An oversized body is read to its end (so the client gets the 413, not a reset) but not kept.
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY_BYTES) chunks.push(c)
    })
    req.on('end', () =>
      size > MAX_BODY_BYTES ? reject(Object.assign(new Error('payload too large'), { status: 413 })) : resolve(Buffer.concat(chunks)),
    )
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer | null) {
  res.writeHead(status, headers)
  res.end(body ?? undefined)
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) {
  send(res, status, { 'Content-Type': 'application/json; charset=utf-8', ...extra }, JSON.stringify(body))
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const log = opts.log ?? (() => {})
  const pool = new Pool({ connectionString: authenticatorUrl(opts.dbUrl), max: opts.poolSize ?? 20 })
  pool.on('error', (err) => log(`[pool] ${err.message}`))
  const secret = secretKey(opts.jwtSecret)
  const maxRows = opts.maxRows === null ? undefined : (opts.maxRows ?? configMaxRows(opts.configToml))
  const fromConfig = configSchemas(opts.configToml)
  const rest = new RestHandler(pool, secret, log, {
    maxRows,
    schemas: opts.schemas ?? fromConfig.schemas,
    extraSearchPath: opts.extraSearchPath ?? fromConfig.extraSearchPath,
    txEnd: opts.txEnd,
  })
  const storageDir = opts.storageDir ?? mkdtempSync(path.join(os.tmpdir(), 'jifen-storage-'))
  const storage = new StorageHandler({ pool, jwtSecret: opts.jwtSecret, root: storageDir, log })
  const functions = await loadFunctions(opts.functionsDir)
  const noJwt = functionsNeedingNoJwt(opts.configToml)
  let baseUrl = ''

  async function serveFunction(req: IncomingMessage, res: ServerResponse, url: URL, name: string, handler: FetchHandler) {
    if (!noJwt.has(name) && req.method !== 'OPTIONS') {
      const token = bearerToken({ authorization: req.headers.authorization })
      const ok = token
        ? await verifyJwt(token, secret).then(
            () => true,
            () => false,
          )
        : false
      if (!ok) return sendJson(res, 401, { code: 'invalid_jwt', message: 'Invalid JWT' }, CORS_HEADERS)
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(await readBody(req))
    const headers = new Headers()
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v)
    const request = new Request(`${baseUrl}${url.pathname.slice('/functions/v1'.length)}${url.search}`, {
      method: req.method,
      headers,
      body,
    })
    const env = {
      SUPABASE_URL: baseUrl,
      SUPABASE_ANON_KEY: opts.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: opts.serviceRoleKey,
      SUPABASE_DB_URL: opts.dbUrl,
      JWT_SECRET: opts.jwtSecret,
      ...opts.functionEnv,
    }
    const response = await runWithEnv(env, () => handler(request))
    const outHeaders: Record<string, string> = {}
    response.headers.forEach((v, k) => (outHeaders[k] = v))
    send(res, response.status, outHeaders, Buffer.from(await response.arrayBuffer()))
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const method = req.method ?? 'GET'
    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' })
    if (url.pathname.startsWith('/rest/v1/')) {
      if (method === 'OPTIONS') return send(res, 204, CORS_HEADERS, null)
      const result = await rest.handle({
        method,
        path: url.pathname.slice('/rest/v1'.length),
        query: url.searchParams,
        headers: req.headers,
        body: method === 'POST' ? await readBody(req) : Buffer.alloc(0),
      })
      if (result.stream) {
        // streamed with back-pressure; an error after the first bytes can only cut the answer short
        res.writeHead(result.status, { ...CORS_HEADERS, ...result.headers })
        pipeline(result.stream, res, (err) => {
          if (err && !res.destroyed) log(`[rest] CSV stream of ${method} ${url.pathname} ended early: ${err.message}`)
        })
        return
      }
      return send(res, result.status, { ...CORS_HEADERS, ...result.headers }, result.body)
    }
    if (url.pathname.startsWith('/storage/v1/')) return storage.handle(req, res, url.pathname.slice('/storage/v1'.length), url.searchParams)
    const fn = /^\/functions\/v1\/([a-z0-9_-]+)(?:\/.*)?$/.exec(url.pathname)
    const handler = fn && functions.get(fn[1])
    if (fn && handler) return serveFunction(req, res, url, fn[1], handler)
    return sendJson(res, 404, { code: 'not_found', message: `No route for ${method} ${url.pathname}` }, CORS_HEADERS)
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: Error & { status?: number }) => {
      if (err.status !== 413) log(`[api] ${req.method} ${req.url}: ${err.stack ?? err.message}`)
      if (!res.headersSent)
        sendJson(
          res,
          err.status ?? 500,
          {
            code: err.status === 413 ? 'payload_too_large' : 'internal_error',
            message: err.status === 413 ? 'Request body too large' : 'Internal server error',
          },
          CORS_HEADERS,
        )
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  baseUrl = `http://${opts.host ?? '127.0.0.1'}:${port}`
  return {
    url: baseUrl,
    port,
    storageDir,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await pool.end()
      if (!opts.storageDir) rmSync(storageDir, { recursive: true, force: true })
    },
  }
}

export const FUNCTIONS_ENV_FILE = (functionsDir: string) => path.join(functionsDir, '.env')
