/**
 * Platform seam: small persistent key-value storage. H5: localStorage (what Taro's storage API uses on H5);
 * Node tests: memory. The mini-program build picks storage.weapp.ts (Taro storage) instead.
 */
const memory = new Map<string, string>()

function local(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined
  } catch {
    return undefined // disabled storage (private mode) throws on access
  }
}

export function getItem(key: string): string | null {
  const store = local()
  return store ? store.getItem(key) : (memory.get(key) ?? null)
}

export function setItem(key: string, value: string): void {
  const store = local()
  if (store) store.setItem(key, value)
  else memory.set(key, value)
}

export function removeItem(key: string): void {
  const store = local()
  if (store) store.removeItem(key)
  else memory.delete(key)
}
