// Small HTTP helpers shared by the Edge Functions (no remote imports: the same code runs on
// Supabase's Deno runtime and in the local stack's Node server).

export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, apikey, content-type, x-client-info',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'application/json; charset=utf-8' },
  })
}

/** A business error: `message` is a stable snake_case code the client maps to Chinese text. */
export function fail(status: number, code: string): Response {
  return json(status, { code, message: code })
}

export function env(name: string): string | undefined {
  const value = (globalThis as unknown as { Deno: { env: { get(k: string): string | undefined } } }).Deno.env.get(name)
  return value === '' ? undefined : value
}
