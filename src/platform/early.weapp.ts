/** Platform seam (WeChat mini-program): see early.ts. No index.html, so no early answer. */
export function takeEarlyMe(_accessToken: string): Promise<unknown> {
  return Promise.resolve(null)
}
