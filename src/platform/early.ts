/**
 * Platform seam (H5): the answer to `me` that index.html's inline script asked for while the app's JS was
 * still downloading (config/early-me.ts; docs/performance.md, "H5 first screen on Fast 3G"). The mini-program
 * has no index.html: early.weapp.ts never has one.
 */
import { REQUEST_TIMEOUT_MS } from './fetch'

/** Where the inline script leaves `{ token, answer }`. */
export const EARLY_ME_GLOBAL = '__jifenEarlyMe'

interface EarlyMe {
  token: string
  answer: Promise<unknown>
}

/**
 * The early answer (parsed JSON) if it was asked with this token; once: the first call takes it. Null for
 * another token, a refused or failed request, or one still unanswered after REQUEST_TIMEOUT_MS — the caller
 * then asks itself.
 */
export async function takeEarlyMe(accessToken: string): Promise<unknown> {
  const holder = globalThis as unknown as Record<string, EarlyMe | undefined>
  const early = holder[EARLY_ME_GLOBAL]
  if (!early) return null
  delete holder[EARLY_ME_GLOBAL]
  if (early.token !== accessToken) return null
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), REQUEST_TIMEOUT_MS)
  })
  try {
    return await Promise.race([early.answer.catch(() => null), late])
  } finally {
    clearTimeout(timer)
  }
}
