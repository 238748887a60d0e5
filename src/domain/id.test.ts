import { newRequestId } from './id'

it('a v4 UUID, different every time, with or without crypto', () => {
  const ids = new Set(Array.from({ length: 100 }, newRequestId))
  expect(ids.size).toBe(100)
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  const saved = globalThis.crypto
  Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true })
  try {
    expect(newRequestId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/)
  } finally {
    Object.defineProperty(globalThis, 'crypto', { value: saved, configurable: true })
  }
})
