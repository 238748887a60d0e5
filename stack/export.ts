// `npm run export -- <ledger_entries|redemptions|purchases|liability> <from> <to> [--out file] [options]`:
// an operator's CSV export (docs/operators.md "Exports") through the API, page by page (src/services/exports.ts),
// into a file or stdout with constant memory. Signs in on the local stack as an operator by dev phone
// (default: the seed's demo operator 13900000009), or takes a token for another deployment.
//
// Options: --out <file> (default: stdout), --phone <phone>, --token <access token>, --url <Supabase URL>
// (default: the local stack, STACK_API_PORT), --anon-key <key>, --page-size <1–1000>, --bom (a UTF-8 byte order
// mark first, for Excel). Progress and the summary go to stderr.
import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { PostgrestClient } from '@supabase/postgrest-js'
import { stackConfig } from './config'
import { EXPORT_KINDS, EXPORT_PAGE_SIZE, exportCsv, type ExportKind } from '../src/services/exports'

export const DEMO_OPERATOR_PHONE = '13900000009'

export interface ExportArgs {
  kind: ExportKind
  from: string
  to: string
  out?: string
  phone: string
  token?: string
  url: string
  anonKey: string
  pageSize: number
  bom: boolean
}

const USAGE = `usage: npm run export -- <${EXPORT_KINDS.join('|')}> <from YYYY-MM-DD> <to YYYY-MM-DD> [--out file] [--phone p | --token t] [--url u] [--anon-key k] [--page-size n] [--bom]`

export function parseExportArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ExportArgs {
  const cfg = stackConfig(env)
  const positional: string[] = []
  const flags: Record<string, string | true> = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) positional.push(a)
    else if (a === '--bom') flags.bom = true
    else {
      const value = argv[++i]
      if (value === undefined) throw new Error(`${a} needs a value\n${USAGE}`)
      flags[a.slice(2)] = value
    }
  }
  const [kind, from, to] = positional
  if (!EXPORT_KINDS.includes(kind as ExportKind) || !/^\d{4}-\d{2}-\d{2}$/.test(from ?? '') || !/^\d{4}-\d{2}-\d{2}$/.test(to ?? '')) {
    throw new Error(USAGE)
  }
  const known = new Set(['out', 'phone', 'token', 'url', 'anon-key', 'page-size', 'bom'])
  const unknown = Object.keys(flags).find((f) => !known.has(f))
  if (unknown) throw new Error(`unknown option --${unknown}\n${USAGE}`)
  const str = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined)
  const pageSize = Number(str('page-size') ?? EXPORT_PAGE_SIZE)
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > EXPORT_PAGE_SIZE) throw new Error(`--page-size: 1–${EXPORT_PAGE_SIZE}`)
  return {
    kind: kind as ExportKind,
    from,
    to,
    out: str('out'),
    phone: str('phone') ?? DEMO_OPERATOR_PHONE,
    token: str('token'),
    url: (str('url') ?? `http://127.0.0.1:${cfg.apiPort}`).replace(/\/$/, ''),
    anonKey: str('anon-key') ?? cfg.anonKey,
    pageSize,
    bom: flags.bom === true,
  }
}

/** The access token of the member with this dev phone (the local stack's `auth` function, dev login). */
export async function devSignIn(url: string, anonKey: string, phone: string): Promise<string> {
  const res = await fetch(`${url}/functions/v1/auth`, {
    method: 'POST',
    headers: { apikey: anonKey, 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'dev', phone }),
  }).catch((err: Error) => {
    throw new Error(`cannot reach ${url} (${err.message}): is the stack running (npm run stack)?`)
  })
  const body = (await res.json().catch(() => null)) as { access_token?: string; message?: string } | null
  if (!res.ok || !body?.access_token) throw new Error(`sign-in as ${phone} failed: ${res.status} ${body?.message ?? ''}`)
  return body.access_token
}

/** Writes to a file stream, waiting for 'drain' when its buffer is full (back-pressure). */
function fileSink(stream: WriteStream | NodeJS.WriteStream) {
  return async (chunk: string) => {
    if (!stream.write(chunk)) await once(stream, 'drain')
  }
}

export async function runExport(args: ExportArgs, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)) {
  const token = args.token ?? (await devSignIn(args.url, args.anonKey, args.phone))
  const client = new PostgrestClient(`${args.url}/rest/v1`, { headers: { apikey: args.anonKey, Authorization: `Bearer ${token}` } })
  const stream = args.out ? createWriteStream(args.out) : process.stdout
  const started = Date.now()
  let lastLog = started
  const result = await exportCsv(client, args.kind, { from: args.from, to: args.to }, fileSink(stream), {
    pageSize: args.pageSize,
    bom: args.bom,
    onProgress: (rows) => {
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now()
        log(`… ${rows} rows`)
      }
    },
  })
  if (args.out) {
    const file = stream as WriteStream
    file.end()
    await once(file, 'finish')
  }
  const seconds = (Date.now() - started) / 1000
  log(
    `${args.kind} ${args.from} … ${args.to}: ${result.rows} rows in ${result.pages} pages, ${seconds.toFixed(1)} s` +
      `${args.out ? ` → ${args.out}` : ''}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  )
  return result
}

if (require.main === module) {
  Promise.resolve()
    .then(() => runExport(parseExportArgs(process.argv.slice(2))))
    .catch((err) => {
      console.error(String(err?.message ?? err))
      process.exit(1)
    })
}
