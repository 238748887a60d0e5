// The production build guard (called by config/index.ts): `npm run build:weapp` / `npm run build:h5` (taro build without
// --watch, NODE_ENV=production) refuse to bake in a Supabase URL or anon key that cannot work — the placeholder
// of .env.production, an empty value, a reserved example host, or a secret (service_role) key — instead of
// shipping an app that cannot connect. Builds that are not shipped (the browser tests' H5 build, whose API address
// the test server swaps; CI's size and WeChat-compiler checks) opt out with ALLOW_UNCONFIGURED_BUILD=1.

export const OPT_OUT_VAR = 'ALLOW_UNCONFIGURED_BUILD'

/** Hosts that never reach a real backend: the .env.production placeholder and reserved example names (RFC 2606). */
const PLACEHOLDER_HOST =
  /(^|\.)(your-project|your_project|project-ref|xxx+)(\.|$)|(^|\.)example\.(com|net|org)$|\.(invalid|example|test)$|^example$/i

function jwtRole(key: string): string | null {
  const parts = key.split('.')
  if (parts.length !== 3) return null
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    return typeof payload?.role === 'string' ? payload.role : null
  } catch {
    return null
  }
}

/** What is wrong with the backend settings a production build would bake in (empty: nothing). */
export function productionBuildProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = []
  const url = (env.TARO_APP_SUPABASE_URL ?? '').trim()
  const key = (env.TARO_APP_SUPABASE_ANON_KEY ?? '').trim()

  if (!url) {
    problems.push('TARO_APP_SUPABASE_URL is empty')
  } else {
    let parsed: URL | null = null
    try {
      parsed = new URL(url)
    } catch {
      problems.push(`TARO_APP_SUPABASE_URL is not a URL: ${url}`)
    }
    if (parsed) {
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') problems.push(`TARO_APP_SUPABASE_URL must be http(s): ${url}`)
      else if (/your-project/i.test(url) || PLACEHOLDER_HOST.test(parsed.hostname)) {
        problems.push(`TARO_APP_SUPABASE_URL is a placeholder (${url}): set your project's URL, e.g. https://<ref>.supabase.co`)
      }
    }
  }

  if (!key) {
    problems.push('TARO_APP_SUPABASE_ANON_KEY is empty')
  } else {
    const role = jwtRole(key)
    if (key.startsWith('sb_secret_') || role === 'service_role') {
      problems.push('TARO_APP_SUPABASE_ANON_KEY is a secret (service_role) key: it would ship to every client; use the anon (public) key')
    } else if (role === null && !key.startsWith('sb_publishable_') && /your|placeholder|anon[-_ ]?key|changeme|<|>|\s/i.test(key)) {
      // (a real key — a JWT or sb_publishable_… — is never taken for a placeholder by chance)
      problems.push("TARO_APP_SUPABASE_ANON_KEY is a placeholder: set the project's anon (public) key")
    }
  }
  return problems
}

/**
 * Throws with a readable message when a production build would bake in unusable backend settings, unless
 * ALLOW_UNCONFIGURED_BUILD=1 (a build that is not shipped).
 */
export function assertProductionBuildEnv(env: Record<string, string | undefined>): void {
  if (env[OPT_OUT_VAR] === '1') return
  const problems = productionBuildProblems(env)
  if (!problems.length) return
  throw new Error(
    [
      'Refusing a production build that cannot connect to its backend:',
      ...problems.map((p) => `  - ${p}`),
      'Put the project URL and anon key in .env.production.local (git-ignored) or the environment',
      '(TARO_APP_SUPABASE_URL, TARO_APP_SUPABASE_ANON_KEY); for a build that is not shipped (tests, size checks)',
      `set ${OPT_OUT_VAR}=1.`,
    ].join('\n'),
  )
}
