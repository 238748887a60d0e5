// The Supabase Storage API subset the app and @supabase/storage-js use, at /storage/v1 (docs/local-stack.md):
//
//   POST   /object/{bucket}/{key}                 upload (x-upsert: true → replace), raw body or multipart form
//   PUT    /object/{bucket}/{key}                 update: replace (an upsert, as the storage server does it)
//   GET    /object/{bucket}/{key}                 download (authenticated: the object row must be visible)
//   GET    /object/authenticated/{bucket}/{key}   the same
//   GET    /object/public/{bucket}/{key}          download from a public bucket, no token
//   POST   /object/sign/{bucket}/{key}            { expiresIn } → { signedURL } (token: HS256 JWT { url, iat, exp })
//   GET    /object/sign/{bucket}/{key}?token=…    download with a signed URL's token
//   POST   /object/list/{bucket}                  { prefix, limit, offset, sortBy, search } → files and folders
//   DELETE /object/{bucket}                       { prefixes: [keys] } → the deleted objects
//   GET    /bucket, GET /bucket/{id}              buckets (as the caller: RLS on storage.buckets)
//
// As Supabase's storage server: the object ROWS are read and written as the caller's role with the caller's JWT
// claims (the role/claims path of the REST stand-in), so the RLS policies on storage.objects decide; bucket
// settings and public/signed downloads are read as service_role. Bytes live in files under `root`
// (<root>/<bucket>/<key>/<version>): a write puts a new version's file first, then commits the row naming it, and
// removes the file again when the row is refused; the replaced version's file goes after the commit. A failure thus
// leaves neither a row without its file nor a changed object. Errors have storage's shape (./errors.ts).
import { randomUUID, createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, rm, stat, writeFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { errors as joseErrors, jwtVerify } from 'jose'
import type { Pool, PoolClient } from 'pg'
import { signJwt } from '../../supabase/functions/_shared/jwt'
import { bearerToken, verifyJwt, type Claims } from '../jwt'
import { runTransaction } from '../rest/transaction'
import { ERRORS, fromDbError, StorageError } from './errors'
import { inspectImage, isImageBucket, mimeAllowed } from './image'

/** Largest request body read (a bigger one is drained and refused); buckets have their own, smaller limits. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024
const API_ROLES = new Set(['anon', 'authenticated', 'service_role'])

export const STORAGE_CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, HEAD, OPTIONS',
  'Access-Control-Allow-Headers':
    'authorization, apikey, content-type, x-client-info, x-upsert, cache-control, x-metadata, content-length, accept',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Type, ETag, Last-Modified, Content-Disposition',
  'Access-Control-Max-Age': '86400',
}

export interface Bucket {
  id: string
  name: string
  public: boolean
  file_size_limit: number | null
  allowed_mime_types: string[] | null
}

interface ObjectRow {
  id: string
  bucket_id: string
  name: string
  version: string | null
  metadata: Record<string, unknown> | null
}

interface Caller {
  role: string
  claims: Claims
}

/** The file of one version of an object. */
export function objectFile(root: string, bucket: string, key: string, version: string): string {
  const file = path.resolve(root, bucket, ...key.split('/'), version)
  if (!file.startsWith(path.resolve(root) + path.sep)) throw ERRORS.invalidKey(key)
  return file
}

/** Storage's key rule: not empty, no leading slash, no empty, '.' or '..' segment, no control characters. */
export function validKey(key: string): boolean {
  return (
    key.length > 0 &&
    Buffer.byteLength(key) <= 1024 &&
    !/[\u0000-\u001f\u007f\\]/.test(key) &&
    key.split('/').every((s) => s !== '' && s !== '.' && s !== '..')
  )
}

function readBody(req: IncomingMessage, max = MAX_REQUEST_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= max) chunks.push(c)
    })
    req.on('end', () => (size > max ? reject(ERRORS.entityTooLarge()) : resolve(Buffer.concat(chunks))))
    req.on('error', reject)
  })
}

function readJson(body: Buffer): Record<string, unknown> {
  try {
    const value = body.length ? JSON.parse(body.toString('utf8')) : {}
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object')
    return value
  } catch {
    throw ERRORS.invalidRequest('Body must be a JSON object')
  }
}

/** The uploaded file of a request: a multipart form's first file (storage-js sends a Blob so), or the raw body. */
async function uploadedFile(req: IncomingMessage, body: Buffer): Promise<{ bytes: Buffer; mimetype: string; cacheControl: string }> {
  const contentType = String(req.headers['content-type'] ?? 'application/octet-stream')
  if (/^multipart\/form-data/i.test(contentType)) {
    let form: FormData
    try {
      form = await new Request('http://storage.local/', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: new Uint8Array(body),
      }).formData()
    } catch {
      throw ERRORS.invalidRequest('Malformed multipart body')
    }
    let file: File | undefined
    for (const [, value] of form) if (typeof value !== 'string') file ??= value as File
    if (!file) throw ERRORS.invalidRequest('No file in the multipart body')
    const cache = form.get('cacheControl')
    return {
      bytes: Buffer.from(await file.arrayBuffer()),
      mimetype: file.type || 'application/octet-stream',
      cacheControl: `max-age=${typeof cache === 'string' && /^\d+$/.test(cache) ? cache : '3600'}`,
    }
  }
  const cache = String(req.headers['cache-control'] ?? 'max-age=3600')
  return { bytes: body, mimetype: contentType, cacheControl: /^max-age=\d+$/.test(cache) ? cache : 'max-age=3600' }
}

export interface StorageHandlerOptions {
  pool: Pool
  jwtSecret: string
  /** where the objects' bytes live */
  root: string
  log?: (line: string) => void
}

export class StorageHandler {
  private readonly secret: Uint8Array

  constructor(private readonly opts: StorageHandlerOptions) {
    this.secret = new TextEncoder().encode(opts.jwtSecret)
  }

  /** Answers a request below /storage/v1 (`route`: the path after it, still percent-encoded). */
  async handle(req: IncomingMessage, res: ServerResponse, route: string, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET'
    if (method === 'OPTIONS') {
      res.writeHead(204, STORAGE_CORS_HEADERS)
      res.end()
      return
    }
    try {
      await this.dispatch(req, res, method, route, query)
    } catch (err) {
      let e = err instanceof StorageError ? err : fromDbError(err)
      if (!e) {
        this.opts.log?.(`[storage] ${method} ${route}: ${(err as Error)?.stack ?? String(err)}`)
        e = ERRORS.internal()
      }
      if (!req.complete) req.resume() // drain an unread body, so the client gets the answer
      if (res.headersSent) res.destroy()
      else this.json(res, e.httpStatus, e.render())
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, method: string, route: string, query: URLSearchParams) {
    const parts = route.split('/').filter((p, i) => i > 0 || p !== '')
    const segments = parts.map((p) => {
      try {
        return decodeURIComponent(p)
      } catch {
        throw ERRORS.invalidRequest(`Invalid path: ${route}`)
      }
    })
    const [area, ...rest] = segments
    if (area === 'bucket' && (method === 'GET' || method === 'HEAD')) return this.buckets(req, res, rest[0])
    if (area !== 'object') throw ERRORS.notFound(`${method}:${route}`)

    const [first, ...tail] = rest
    const split = (xs: string[]) => ({ bucket: xs[0] ?? '', key: xs.slice(1).join('/') })
    if (first === 'public' && (method === 'GET' || method === 'HEAD')) return this.publicDownload(req, res, split(tail), query)
    if (first === 'authenticated' && (method === 'GET' || method === 'HEAD')) return this.download(req, res, split(tail), query)
    if (first === 'sign' && method === 'POST') return this.sign(req, res, split(tail))
    if (first === 'sign' && (method === 'GET' || method === 'HEAD')) return this.signedDownload(req, res, split(tail), query)
    if (first === 'list' && method === 'POST') return this.list(req, res, tail[0] ?? '')
    const target = split(rest)
    if (method === 'POST' || method === 'PUT') return this.upload(req, res, target, method === 'PUT' || req.headers['x-upsert'] === 'true')
    if (method === 'GET' || method === 'HEAD') return this.download(req, res, target, query)
    if (method === 'DELETE' && !target.key) return this.remove(req, res, target.bucket)
    throw ERRORS.notFound(`${method}:${route}`)
  }

  // ------------------------------------------------------------------------------------------------ plumbing

  private json(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { ...STORAGE_CORS_HEADERS, 'Content-Type': 'application/json; charset=utf-8' })
    res.end(JSON.stringify(body))
  }

  private async caller(req: IncomingMessage): Promise<Caller> {
    const token = bearerToken(req.headers)
    if (!token) throw ERRORS.invalidJwt('headers must have required property authorization')
    let claims: Claims
    try {
      claims = await verifyJwt(token, this.secret)
    } catch (err) {
      throw ERRORS.invalidJwt((err as Error).message)
    }
    const role = claims.role ?? 'anon'
    if (!API_ROLES.has(role)) throw ERRORS.invalidJwt(`JWT role "${role}" is not an API role`)
    return { role, claims }
  }

  /** One transaction as `role` with `claims` (as PostgREST sets them), on a connection of the authenticator pool. */
  private async as<T>(caller: Caller, readOnly: boolean, work: (c: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.opts.pool.connect()
    return runTransaction(client, readOnly, async () => {
      await client.query(
        `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), set_config('search_path', '', true)`,
        [caller.role, JSON.stringify(caller.claims)],
      )
      return work(client)
    })
  }

  private static readonly SERVICE: Caller = { role: 'service_role', claims: { role: 'service_role' } }

  private async bucket(id: string): Promise<Bucket> {
    if (!id) throw ERRORS.noSuchBucket()
    const rows = await this.as(StorageHandler.SERVICE, true, async (c) => {
      const r = await c.query<Bucket>(
        'select id, name, public, file_size_limit::float8 as file_size_limit, allowed_mime_types from storage.buckets where id = $1',
        [id],
      )
      return r.rows
    })
    if (!rows[0]) throw ERRORS.noSuchBucket()
    return rows[0]
  }

  private async serveObject(req: IncomingMessage, res: ServerResponse, row: ObjectRow, query: URLSearchParams) {
    if (!row.version) throw ERRORS.noSuchKey()
    const file = objectFile(this.opts.root, row.bucket_id, row.name, row.version)
    const info = await stat(file).catch(() => null)
    if (!info) throw ERRORS.noSuchKey()
    const meta = row.metadata ?? {}
    const headers: Record<string, string> = {
      ...STORAGE_CORS_HEADERS,
      'Content-Type': String(meta.mimetype ?? 'application/octet-stream'),
      'Content-Length': String(info.size),
      'Cache-Control': String(meta.cacheControl ?? 'max-age=3600'),
      'Last-Modified': new Date(String(meta.lastModified ?? info.mtime.toISOString())).toUTCString(),
      ...(meta.eTag ? { ETag: String(meta.eTag) } : {}),
    }
    const download = query.get('download')
    if (download !== null) {
      const name = download || row.name.split('/').pop() || 'download'
      headers['Content-Disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(name)}`
    }
    res.writeHead(200, headers)
    if (req.method === 'HEAD') return void res.end()
    await new Promise<void>((resolve, reject) => {
      const stream = createReadStream(file)
      stream.on('error', reject)
      res.on('close', () => resolve())
      stream.pipe(res)
    })
  }

  private async findObject(caller: Caller, bucket: string, key: string): Promise<ObjectRow> {
    const rows = await this.as(caller, true, async (c) => {
      const r = await c.query<ObjectRow>(
        'select id, bucket_id, name, version, metadata from storage.objects where bucket_id = $1 and name = $2',
        [bucket, key],
      )
      return r.rows
    })
    if (!rows[0]) throw ERRORS.noSuchKey()
    return rows[0]
  }

  // ------------------------------------------------------------------------------------------------ routes

  private async upload(
    req: IncomingMessage,
    res: ServerResponse,
    { bucket: bucketId, key }: { bucket: string; key: string },
    upsert: boolean,
  ) {
    const caller = await this.caller(req)
    if (!validKey(key)) throw ERRORS.invalidKey(key)
    const body = await readBody(req)
    const bucket = await this.bucket(bucketId)
    const file = await uploadedFile(req, body)
    if (bucket.file_size_limit !== null && file.bytes.length > bucket.file_size_limit) throw ERRORS.entityTooLarge()
    if (!mimeAllowed(file.mimetype, bucket.allowed_mime_types)) throw ERRORS.invalidMimeType(file.mimetype)
    let mimetype = file.mimetype
    if (isImageBucket(bucket.allowed_mime_types)) {
      const image = inspectImage(file.bytes)
      if (!image.ok) throw image.reason === 'bad_dimensions' ? ERRORS.invalidImageSize(image.message) : ERRORS.invalidImage(image.message)
      if (!mimeAllowed(image.mimetype, bucket.allowed_mime_types)) throw ERRORS.invalidMimeType(image.mimetype)
      mimetype = image.mimetype // what the bytes are, whatever the request said
    }

    const version = randomUUID()
    const path_ = objectFile(this.opts.root, bucket.id, key, version)
    const now = new Date().toISOString()
    const metadata = {
      eTag: `"${createHash('md5').update(file.bytes).digest('hex')}"`,
      size: file.bytes.length,
      mimetype,
      cacheControl: file.cacheControl,
      lastModified: now,
      contentLength: file.bytes.length,
      httpStatusCode: 200,
    }
    const sub = typeof caller.claims.sub === 'string' ? caller.claims.sub : null
    const owner = sub && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sub) ? sub : null

    await mkdir(path.dirname(path_), { recursive: true })
    await writeFile(path_, file.bytes)
    let replaced: string | null = null
    let id: string
    try {
      id = await this.as(caller, false, async (c) => {
        // concurrent writes of one key queue here (a new key has no row to lock yet), then read the current
        // version (whoever may see it) with a snapshot taken after the previous writer committed
        await c.query(`select set_config('role', 'service_role', true)`)
        await c.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`storage.objects:${bucket.id}/${key}`])
        const current = await c.query<{ version: string | null }>(
          'select version from storage.objects where bucket_id = $1 and name = $2 for update',
          [bucket.id, key],
        )
        await c.query(`select set_config('role', $1, true)`, [caller.role])
        replaced = current.rows[0]?.version ?? null
        const params = [bucket.id, key, owner, sub, JSON.stringify(metadata), version]
        const insert = `insert into storage.objects (bucket_id, name, owner, owner_id, metadata, version) values ($1, $2, $3, $4, $5, $6)`
        const r = upsert
          ? await c.query<{ id: string }>(
              `${insert} on conflict (bucket_id, name) do update
                 set owner = excluded.owner, owner_id = excluded.owner_id, metadata = excluded.metadata, version = excluded.version,
                     last_accessed_at = now()
               returning id`,
              params,
            )
          : await c.query<{ id: string }>(`${insert} returning id`, params)
        return r.rows[0].id
      })
    } catch (err) {
      await rm(path_, { force: true })
      throw err
    }
    if (replaced && replaced !== version) await rm(objectFile(this.opts.root, bucket.id, key, replaced), { force: true }).catch(() => {})
    this.json(res, 200, { Id: id, Key: `${bucket.id}/${key}` })
  }

  private async download(
    req: IncomingMessage,
    res: ServerResponse,
    { bucket, key }: { bucket: string; key: string },
    query: URLSearchParams,
  ) {
    const caller = await this.caller(req)
    if (!validKey(key)) throw ERRORS.invalidKey(key)
    await this.bucket(bucket)
    await this.serveObject(req, res, await this.findObject(caller, bucket, key), query)
  }

  private async publicDownload(
    req: IncomingMessage,
    res: ServerResponse,
    { bucket: id, key }: { bucket: string; key: string },
    query: URLSearchParams,
  ) {
    if (!validKey(key)) throw ERRORS.invalidKey(key)
    const bucket = await this.bucket(id)
    if (!bucket.public) throw ERRORS.noSuchBucket()
    await this.serveObject(req, res, await this.findObject(StorageHandler.SERVICE, bucket.id, key), query)
  }

  private async sign(req: IncomingMessage, res: ServerResponse, { bucket, key }: { bucket: string; key: string }) {
    const caller = await this.caller(req)
    const body = readJson(await readBody(req, 64 * 1024))
    const expiresIn = Number(body.expiresIn)
    if (!Number.isInteger(expiresIn) || expiresIn < 1) throw ERRORS.invalidRequest('expiresIn must be a positive integer (seconds)')
    if (!validKey(key)) throw ERRORS.invalidKey(key)
    await this.bucket(bucket)
    const row = await this.findObject(caller, bucket, key) // the caller must be able to see the object
    const iat = Math.floor(Date.now() / 1000)
    const url = `${row.bucket_id}/${row.name}`
    const token = await signJwt({ url, iat, exp: iat + expiresIn }, this.opts.jwtSecret)
    this.json(res, 200, { signedURL: `/object/sign/${url}?token=${token}` })
  }

  private async signedDownload(
    req: IncomingMessage,
    res: ServerResponse,
    { bucket, key }: { bucket: string; key: string },
    query: URLSearchParams,
  ) {
    const token = query.get('token')
    if (!token) throw ERRORS.missingParameter('token')
    let payload: Record<string, unknown>
    try {
      payload = (await jwtVerify(token, this.secret, { algorithms: ['HS256'] })).payload
    } catch (err) {
      throw err instanceof joseErrors.JWTExpired ? ERRORS.expiredToken() : ERRORS.invalidSignature()
    }
    if (payload.url !== `${bucket}/${key}`) throw ERRORS.invalidSignature()
    await this.bucket(bucket)
    await this.serveObject(req, res, await this.findObject(StorageHandler.SERVICE, bucket, key), query)
  }

  private async list(req: IncomingMessage, res: ServerResponse, bucketId: string) {
    const caller = await this.caller(req)
    const body = readJson(await readBody(req, 64 * 1024))
    await this.bucket(bucketId)
    const rawPrefix = typeof body.prefix === 'string' ? body.prefix : ''
    const prefix = rawPrefix.replace(/^\/+|\/+$/g, '')
    const base = prefix ? `${prefix}/` : ''
    const limit = Math.min(Math.max(Number.isInteger(body.limit) ? Number(body.limit) : 100, 0), 1000)
    const offset = Math.max(Number.isInteger(body.offset) ? Number(body.offset) : 0, 0)
    const search = typeof body.search === 'string' ? body.search : ''
    const sortBy = (body.sortBy ?? {}) as { column?: unknown; order?: unknown }
    const column = ['name', 'created_at', 'updated_at', 'last_accessed_at'].includes(String(sortBy.column)) ? String(sortBy.column) : 'name'
    const order = String(sortBy.order).toLowerCase() === 'desc' ? 'desc' : 'asc'
    const rows = await this.as(caller, true, async (c) => {
      // the entries one level below the prefix: files (the object rows) and folders (a name with more below it)
      const r = await c.query(
        `with below as (
           select o.*, substr(o.name, char_length($2) + 1) as rest from storage.objects o
           where o.bucket_id = $1 and left(o.name, char_length($2)) = $2
         ), entries as (
           select distinct on (split_part(rest, '/', 1), strpos(rest, '/') > 0)
                  split_part(rest, '/', 1) as name, strpos(rest, '/') > 0 as folder,
                  id, updated_at, created_at, last_accessed_at, metadata
           from below order by split_part(rest, '/', 1), strpos(rest, '/') > 0, name
         )
         select name,
                case when folder then null else id end as id,
                case when folder then null else updated_at end as updated_at,
                case when folder then null else created_at end as created_at,
                case when folder then null else last_accessed_at end as last_accessed_at,
                case when folder then null else metadata end as metadata
         from entries where name <> '' and lower(name) like lower($3) || '%'
         order by folder desc, ${column === 'name' ? 'name' : `case when folder then null else ${column} end`} ${order}, name ${order}
         limit $4 offset $5`,
        [bucketId, base, search.replace(/[\\%_]/g, (m) => `\\${m}`), limit, offset],
      )
      return r.rows
    })
    this.json(res, 200, rows)
  }

  private async remove(req: IncomingMessage, res: ServerResponse, bucketId: string) {
    const caller = await this.caller(req)
    const body = readJson(await readBody(req, 1024 * 1024))
    const prefixes = body.prefixes
    if (!Array.isArray(prefixes) || prefixes.length < 1 || prefixes.length > 1000 || !prefixes.every((p) => typeof p === 'string')) {
      throw ERRORS.invalidRequest('prefixes must be an array of 1 to 1000 object names')
    }
    await this.bucket(bucketId)
    const deleted = await this.as(caller, false, async (c) => {
      const r = await c.query(
        `delete from storage.objects where bucket_id = $1 and name = any($2::text[])
         returning id, bucket_id, name, owner, owner_id, version, created_at, updated_at, last_accessed_at, metadata, user_metadata`,
        [bucketId, prefixes],
      )
      return r.rows
    })
    for (const row of deleted)
      if (row.version) await rm(objectFile(this.opts.root, bucketId, row.name, row.version), { force: true }).catch(() => {})
    this.json(res, 200, deleted)
  }

  private async buckets(req: IncomingMessage, res: ServerResponse, id: string | undefined) {
    const caller = await this.caller(req)
    const rows = await this.as(caller, true, async (c) => {
      const r = await c.query(
        `select id, name, owner, public, file_size_limit, allowed_mime_types, created_at, updated_at from storage.buckets
         where $1::text is null or id = $1 order by name`,
        [id ?? null],
      )
      return r.rows.map((b) => ({ ...b, file_size_limit: b.file_size_limit === null ? null : Number(b.file_size_limit) }))
    })
    if (id === undefined) return this.json(res, 200, rows)
    if (!rows[0]) throw ERRORS.noSuchBucket()
    this.json(res, 200, rows[0])
  }
}
