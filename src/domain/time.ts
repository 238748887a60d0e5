/**
 * Timestamps from the backend and how members read them: Asia/Shanghai, UTC+8 without DST. A fixed offset,
 * so no Intl is needed (some mini-program engines lack it). Pure TypeScript.
 */
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/**
 * Milliseconds since the epoch for a Postgres / ISO timestamp ('2026-11-24T04:00:00.123456+00:00'), NaN when
 * it isn't one. Parsed by hand: some mini-program JS engines reject microseconds or '+00' offsets in Date.parse.
 * A timestamp without an offset is taken as UTC.
 */
export function parseTimestampMs(text: string | null | undefined): number {
  const m = typeof text === 'string' ? ISO_RE.exec(text.trim()) : null
  if (!m) return NaN
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0
  let offsetMin = 0
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'))
  }
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms) - offsetMin * 60_000
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000
const pad = (n: number) => String(n).padStart(2, '0')

function shanghaiParts(ms: number): { date: string; time: string } {
  const d = new Date(ms + SHANGHAI_OFFSET_MS)
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
  }
}

/** A timestamp's date in Shanghai: '2026-11-24'; '' if unreadable. */
export function shanghaiDate(timestamp: string | null | undefined): string {
  const ms = parseTimestampMs(timestamp)
  return Number.isFinite(ms) ? shanghaiParts(ms).date : ''
}

/** '2026-11-24 10:30' in Shanghai; '' if unreadable. */
export function shanghaiDateTime(timestamp: string | null | undefined): string {
  const ms = parseTimestampMs(timestamp)
  if (!Number.isFinite(ms)) return ''
  const p = shanghaiParts(ms)
  return `${p.date} ${p.time}`
}

/**
 * The last day an exclusive end instant still covers, as members are told: `expires_at`
 * 2026-12-23T16:00Z (00:00 Shanghai on 12-24) → '2026-12-23'. '' if unreadable.
 */
export function lastValidDay(exclusiveEnd: string | null | undefined): string {
  const ms = parseTimestampMs(exclusiveEnd)
  return Number.isFinite(ms) ? shanghaiParts(ms - 1).date : ''
}
