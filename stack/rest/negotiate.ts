// Request headers read as PostgREST 14 reads them: Accept (wai-extra's parseHttpAccept, then
// PostgREST.MediaType.decodeMediaType), Content-Type (decodeMediaType) and Prefer
// (PostgREST.ApiRequest.Preferences.fromHeaders).

/** The media types PostgREST tells apart (PostgREST.MediaType), reduced to what the stand-in needs. */
export type MediaType =
  | { kind: 'json' }
  | { kind: 'csv' }
  | { kind: 'text' }
  | { kind: 'xml' }
  | { kind: 'octet' }
  | { kind: 'urlencoded' }
  | { kind: 'geojson' }
  | { kind: 'openapi' }
  | { kind: 'any' }
  | { kind: 'single'; stripNulls: boolean }
  | { kind: 'array-stripped' }
  | { kind: 'plan' }
  | { kind: 'other'; mime: string }

/** PostgREST's toMime, for the PGRST107 message. */
export function toMime(mt: MediaType): string {
  switch (mt.kind) {
    case 'json':
      return 'application/json'
    case 'csv':
      return 'text/csv'
    case 'text':
      return 'text/plain'
    case 'xml':
      return 'text/xml'
    case 'octet':
      return 'application/octet-stream'
    case 'urlencoded':
      return 'application/x-www-form-urlencoded'
    case 'geojson':
      return 'application/geo+json'
    case 'openapi':
      return 'application/openapi+json'
    case 'any':
      return '*/*'
    case 'single':
      return mt.stripNulls ? 'application/vnd.pgrst.object+json;nulls=stripped' : 'application/vnd.pgrst.object+json'
    case 'array-stripped':
      return 'application/vnd.pgrst.array+json;nulls=stripped'
    case 'plan':
      return 'application/vnd.pgrst.plan+text'
    case 'other':
      return mt.mime
  }
}

/** decodeMediaType: main type [A-Za-z0-9.*]+, subtype [A-Za-z0-9.*+-]+, `;key=value` parameters. */
export function decodeMediaType(raw: string): MediaType {
  const m = /^([A-Za-z0-9.*]+)\/([A-Za-z0-9.*+-]+)((?:\s*;\s*[A-Za-z0-9-]+\s*=\s*(?:"[^"]*"|[A-Za-z0-9|-]+))*)/.exec(raw)
  if (!m) return { kind: 'other', mime: raw }
  const params = new Map<string, string>()
  for (const p of m[3].matchAll(/;\s*([A-Za-z0-9-]+)\s*=\s*("[^"]*"|[A-Za-z0-9|-]+)/g))
    params.set(p[1].toLowerCase(), p[2].replace(/^"|"$/g, ''))
  const stripped = (params.get('nulls') ?? 'false') === 'stripped'
  switch (`${m[1].toLowerCase()}/${m[2].toLowerCase()}`) {
    case 'application/json':
      return { kind: 'json' }
    case 'application/geo+json':
      return { kind: 'geojson' }
    case 'text/csv':
      return { kind: 'csv' }
    case 'text/plain':
      return { kind: 'text' }
    case 'text/xml':
      return { kind: 'xml' }
    case 'application/openapi+json':
      return { kind: 'openapi' }
    case 'application/x-www-form-urlencoded':
      return { kind: 'urlencoded' }
    case 'application/octet-stream':
      return { kind: 'octet' }
    case 'application/vnd.pgrst.plan':
    case 'application/vnd.pgrst.plan+text':
    case 'application/vnd.pgrst.plan+json':
      return { kind: 'plan' }
    case 'application/vnd.pgrst.object+json':
    case 'application/vnd.pgrst.object':
      return { kind: 'single', stripNulls: stripped }
    case 'application/vnd.pgrst.array+json':
    case 'application/vnd.pgrst.array':
      return stripped ? { kind: 'array-stripped' } : { kind: 'json' }
    case '*/*':
      return { kind: 'any' }
    default:
      return { kind: 'other', mime: raw }
  }
}

/**
 * wai-extra's parseHttpAccept: spaces removed, split on ',', each entry cut at ";q=", sorted by q (default 1,
 * unparsable: 1) then by specificity (';' count minus '*' count), highest first, stable. Entries with q=0 are
 * kept (sorted last), as there.
 */
export function parseHttpAccept(header: string): string[] {
  return header
    .split(',')
    .map((part, i) => {
      const s = part.replace(/ /g, '')
      const at = s.indexOf(';q=')
      const type = at < 0 ? s : s.slice(0, at)
      const qText = at < 0 ? '' : s.slice(at + 3).split(';')[0]
      const q = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(qText)
      const specificity = (type.match(/;/g)?.length ?? 0) - (type.match(/\*/g)?.length ?? 0)
      return { type, q: q ? Number(q[0]) : 1, specificity, i }
    })
    .sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.i - b.i)
    .map((t) => t.type)
}

/** iAcceptMediaType: the Accept header's media types by preference; no header → any. */
export function acceptedMediaTypes(accept: string | undefined): MediaType[] {
  return accept === undefined ? [{ kind: 'any' }] : parseHttpAccept(accept).map(decodeMediaType)
}

/** What the stand-in answers with (PostgREST's built-in handlers without PostGIS, custom handlers or plans). */
export type Produced = 'json' | 'csv' | 'single' | 'single-stripped' | 'array-stripped'

/**
 * negotiateContent: the first accepted media type a handler exists for — application/json, text/csv and any media type
 * (PostgREST's initialMediaHandlers), and the vendored object / array types; none → 406 PGRST107.
 * Not produced here: application/geo+json (PostgREST builds it with PostGIS, which the local database lacks),
 * application/vnd.pgrst.plan (db-plan-enabled is off by default) and custom media type handlers.
 */
export function negotiate(accepts: MediaType[]): Produced | undefined {
  for (const mt of accepts) {
    if (mt.kind === 'json' || mt.kind === 'any') return 'json'
    if (mt.kind === 'csv') return 'csv'
    if (mt.kind === 'single') return mt.stripNulls ? 'single-stripped' : 'single'
    if (mt.kind === 'array-stripped') return 'array-stripped'
  }
  return undefined
}

export type PreferCount = 'exact' | 'planned' | 'estimated'

export interface Preferences {
  count?: PreferCount
  /** only when db-tx-end allows the override (…-allow-override); otherwise the preference is not read */
  transaction?: 'commit' | 'rollback'
  handling?: 'strict' | 'lenient'
  /** preferences PostgREST does not know (handling=strict answers 400 PGRST122 for them) */
  invalid: string[]
}

const ACCEPTED_PREFS = [
  'resolution=merge-duplicates',
  'resolution=ignore-duplicates',
  'return=representation',
  'return=minimal',
  'return=headers-only',
  'count=exact',
  'count=planned',
  'count=estimated',
  'tx=commit',
  'tx=rollback',
  'missing=default',
  'missing=null',
  'handling=strict',
  'handling=lenient',
]

/**
 * Preferences.fromHeaders: every Prefer header, split on ',', each value trimmed; for each preference the first
 * value given wins; unknown values are "invalid" (except `timezone=` and `max-affected=`, which PostgREST
 * reads; the stand-in ignores both, docs/local-stack.md).
 */
export function parsePrefer(header: string | string[] | undefined, allowTxOverride: boolean): Preferences {
  const values = (Array.isArray(header) ? header : header === undefined ? [] : [header])
    .filter((h) => h !== '')
    .flatMap((h) => h.split(','))
    .map((v) => v.trim())
  const first = <T extends string>(name: string, options: readonly T[]): T | undefined => {
    for (const v of values) for (const o of options) if (v === `${name}=${o}`) return o
    return undefined
  }
  return {
    count: first('count', ['exact', 'planned', 'estimated'] as const),
    transaction: allowTxOverride ? first('tx', ['commit', 'rollback'] as const) : undefined,
    handling: first('handling', ['strict', 'lenient'] as const),
    invalid: values.filter((v) => !ACCEPTED_PREFS.includes(v) && !v.startsWith('timezone=') && !v.startsWith('max-affected=')),
  }
}

/** prefAppliedHeader for reads and RPCs: the count, tx and handling preferences that were read. */
export function preferenceApplied(p: Preferences): string | undefined {
  const applied = [p.count && `count=${p.count}`, p.transaction && `tx=${p.transaction}`, p.handling && `handling=${p.handling}`].filter(
    Boolean,
  )
  return applied.length ? applied.join(', ') : undefined
}
