/**
 * Platform seam (H5): the answer to `me` that index.html's inline script asked for while the app's JS was
 * still downloading (config/early-me.ts; docs/performance.md, "H5 first screen on Fast 3G"). The mini-program
 * has no index.html: early.weapp.ts never has one.
 */

/** Where the inline script leaves `{ token, answer }`. */
export const EARLY_ME_GLOBAL = '__jifenEarlyMe'

interface EarlyMe {
  token: string
  answer: Promise<unknown>
}

/**
 * The early answer (parsed JSON) if it was asked with this token; once: the first call takes it. Null for
 * another token or a refused or failed request — the caller then asks itself. A hung request never settles:
 * the caller bounds the wait as for any request (src/services/member.ts).
 */
export function takeEarlyMe(accessToken: string): Promise<unknown> {
  const holder = globalThis as unknown as Record<string, EarlyMe | undefined>
  const early = holder[EARLY_ME_GLOBAL]
  delete holder[EARLY_ME_GLOBAL]
  return early && early.token === accessToken ? early.answer.catch(() => null) : Promise.resolve(null)
}
