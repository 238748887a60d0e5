/**
 * Platform seam: the fetch used by the API clients.
 * H5 and tests use the runtime's own fetch; the mini-program build picks fetch.weapp.ts instead.
 * Looked up on every call so tests can stub globalThis.fetch.
 */
/**
 * How long any request to the backend may take before the app gives up on it (`request_timeout`): the
 * services race every request against it and abort it (src/services/timeout.ts); docs/client.md.
 */
export const REQUEST_TIMEOUT_MS = 15_000

export const platformFetch: typeof fetch = (input, init) => globalThis.fetch(input, init)
