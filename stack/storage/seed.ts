// Seed objects, as the Supabase CLI puts them in on `supabase db reset` / `supabase seed buckets`: every file
// under a bucket's `objects_path` (supabase/config.toml [storage.buckets.<id>]) becomes the object
// `<path relative to objects_path>` of that bucket. Locally: the object rows go into storage.objects (as the
// database owner) and the bytes into the stack's storage folder (stack/storage/handler.ts's layout).
import { randomUUID, createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { parse as parseToml } from 'smol-toml'
import { ROOT } from '../config'
import { objectFile } from './handler'
import { inspectImage } from './image'

export const CONFIG_TOML = path.join(ROOT, 'supabase', 'config.toml')

export interface BucketConfig {
  id: string
  public?: boolean
  file_size_limit?: string
  allowed_mime_types?: string[]
  /** absolute */
  objects_path?: string
}

/** supabase/config.toml's [storage.buckets.*]. */
export function bucketConfigs(configToml = CONFIG_TOML): BucketConfig[] {
  const config = parseToml(readFileSync(configToml, 'utf8')) as { storage?: { buckets?: Record<string, Omit<BucketConfig, 'id'>> } }
  return Object.entries(config.storage?.buckets ?? {}).map(([id, b]) => ({
    id,
    ...b,
    objects_path: b.objects_path ? path.resolve(path.dirname(configToml), b.objects_path) : undefined,
  }))
}

/** The files under `dir`, as object keys ('items/a.png'), sorted. */
export function seedKeys(dir: string): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name
      if (entry.isDirectory()) walk(rel)
      else if (entry.isFile() && !entry.name.startsWith('.')) out.push(rel)
    }
  }
  walk('')
  return out.sort()
}

const MIME_BY_EXTENSION: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp' }

/** Puts every bucket's seed files into `storageDir` and their rows into storage.objects; returns how many. */
export async function seedStorage(
  client: { query(sql: string, params?: unknown[]): Promise<unknown> },
  storageDir: string,
  configToml = CONFIG_TOML,
): Promise<number> {
  let n = 0
  for (const bucket of bucketConfigs(configToml)) {
    if (!bucket.objects_path) continue
    for (const key of seedKeys(bucket.objects_path)) {
      const bytes = readFileSync(path.join(bucket.objects_path, ...key.split('/')))
      const image = inspectImage(bytes)
      const mimetype = image.ok ? image.mimetype : (MIME_BY_EXTENSION[key.split('.').pop()!.toLowerCase()] ?? 'application/octet-stream')
      const version = randomUUID()
      const file = objectFile(storageDir, bucket.id, key, version)
      await mkdir(path.dirname(file), { recursive: true })
      await writeFile(file, bytes)
      const metadata = {
        eTag: `"${createHash('md5').update(bytes).digest('hex')}"`,
        size: bytes.length,
        mimetype,
        cacheControl: 'max-age=3600',
        lastModified: new Date().toISOString(),
        contentLength: bytes.length,
        httpStatusCode: 200,
      }
      await client.query(
        `insert into storage.objects (bucket_id, name, metadata, version) values ($1, $2, $3, $4)
         on conflict (bucket_id, name) do update set metadata = excluded.metadata, version = excluded.version`,
        [bucket.id, key, JSON.stringify(metadata), version],
      )
      n++
    }
  }
  return n
}
