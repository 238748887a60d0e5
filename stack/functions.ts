// Runs the Edge Functions in supabase/functions/<name>/index.ts inside Node, unchanged: a small
// `Deno` global captures the handler each index.ts passes to Deno.serve, and Deno.env reads the
// environment of the stack serving the current request (AsyncLocalStorage), so several stacks
// can share one process (tests) without sharing settings.
import { AsyncLocalStorage } from 'node:async_hooks'
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'

export type FetchHandler = (req: Request) => Response | Promise<Response>

const requestEnv = new AsyncLocalStorage<Record<string, string | undefined>>()
const handlers = new Map<string, FetchHandler>()
let loading: string | undefined

type ServeArgs = [FetchHandler] | [Record<string, unknown>, FetchHandler] | [{ handler: FetchHandler }]

function installDenoShim() {
  const g = globalThis as { Deno?: unknown }
  if (g.Deno) return
  g.Deno = {
    serve(...args: ServeArgs) {
      const handler =
        typeof args[0] === 'function' ? args[0] : ((args[1] as FetchHandler | undefined) ?? (args[0] as { handler: FetchHandler }).handler)
      if (!loading) throw new Error('Deno.serve called outside a function module load')
      handlers.set(loading, handler)
      return { finished: Promise.resolve(), shutdown: async () => {}, ref() {}, unref() {} }
    },
    env: {
      get: (key: string) => requestEnv.getStore()?.[key] ?? process.env[key],
      toObject: () => ({ ...process.env, ...requestEnv.getStore() }),
    },
  }
}

/** Function names: folders of `dir` with an index.ts (folders starting with `_` hold shared code). */
export function listFunctions(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(path.join(dir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort()
}

export async function loadFunctions(dir: string): Promise<Map<string, FetchHandler>> {
  installDenoShim()
  const out = new Map<string, FetchHandler>()
  for (const name of listFunctions(dir)) {
    if (!handlers.has(name)) {
      loading = name
      try {
        await import(path.join(dir, name, 'index.ts'))
      } finally {
        loading = undefined
      }
    }
    const handler = handlers.get(name)
    if (!handler) throw new Error(`supabase/functions/${name}/index.ts did not call Deno.serve(handler)`)
    out.set(name, handler)
  }
  return out
}

export function runWithEnv<T>(env: Record<string, string | undefined>, fn: () => T): T {
  return requestEnv.run(env, fn)
}
