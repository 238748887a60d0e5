/**
 * Platform seam: the fetch used by the API clients.
 * H5 and tests use the runtime's own fetch; the mini-program build picks fetch.weapp.ts instead.
 * Looked up on every call so tests can stub globalThis.fetch.
 */
export const platformFetch: typeof fetch = (input, init) => globalThis.fetch(input, init)
