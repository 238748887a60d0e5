// An H5 production build for a local run and a static server for it: what the browser tests
// (test/support/browser.ts) and the first-screen measurement (stack/first-screen.ts) both need. The build is
// baked with a placeholder API address; the server swaps in the address of the stack it runs against.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { LOCAL_ANON_KEY, ROOT } from './config'

/** The API address a local build is baked with; `serveH5` puts the running stack's in its place. */
export const PLACEHOLDER_API_URL = 'http://jifen-test-api.invalid'

/**
 * `taro build --type h5` for production into `out`, with the placeholder API address and the local anon
 * key (not shipped, so the production guard is opted out of); `env` adds build variables.
 */
export function buildLocalH5(out: string, env: Record<string, string> = {}): void {
  const res = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'taro'), ['build', '--type', 'h5'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_ENV: 'production',
      TARO_OUTPUT_ROOT: out,
      TARO_APP_SUPABASE_URL: PLACEHOLDER_API_URL,
      TARO_APP_SUPABASE_ANON_KEY: LOCAL_ANON_KEY,
      ALLOW_UNCONFIGURED_BUILD: '1',
      ...env,
    },
  })
  if (res.status !== 0 || !existsSync(path.join(out, 'index.html'))) throw new Error(`H5 build failed:\n${res.stdout}\n${res.stderr}`)
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
}

export interface ServeOptions {
  /** answer gzip-compressed to clients that accept it, as a CDN or static host does (default: no) */
  gzip?: boolean
  /** the API address baked into the build (default: the placeholder) */
  builtWith?: string
}

/**
 * Serves an H5 build on a free local port: every address that is not a file answers index.html (the hash
 * router's shell); in the JS and HTML the baked API address becomes `apiUrl`. Files are read once.
 */
export function serveH5(dir: string, apiUrl: string, opts: ServeOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const builtWith = opts.builtWith ?? PLACEHOLDER_API_URL
  const cache = new Map<string, { body: Buffer; gzip?: Buffer }>()
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    let file = path.join(dir, rel)
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(dir, 'index.html')
    let entry = cache.get(file)
    if (!entry) {
      const raw = readFileSync(file)
      const body = /\.(js|html)$/.test(file) ? Buffer.from(raw.toString('utf8').split(builtWith).join(apiUrl)) : raw
      entry = { body, gzip: opts.gzip ? gzipSync(body, { level: 9 }) : undefined }
      cache.set(file, entry)
    }
    const gzip = entry.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? entry.gzip : undefined
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    })
    res.end(gzip ?? entry.body)
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  )
}
