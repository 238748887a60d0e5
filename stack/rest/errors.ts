// PostgREST's error body ({ code, details, hint, message }) and its SQLSTATE → HTTP status mapping.

export interface ApiErrorBody {
  code: string
  details: string | null
  hint: string | null
  message: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message)
  }
}

export function apiError(status: number, code: string, message: string, details: string | null = null, hint: string | null = null) {
  return new ApiError(status, { code, details, hint, message })
}

interface PgErrorLike {
  code?: string
  message: string
  detail?: string
  hint?: string
}

export function isPgError(err: unknown): err is PgErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as PgErrorLike).code === 'string' && (err as PgErrorLike).code!.length === 5
}

/** Status for a Postgres error, as documented by PostgREST ("HTTP status codes"). */
export function statusForSqlState(code: string, role: string): number {
  if (/^PT\d{3}$/.test(code)) return Number(code.slice(2))
  if (code === '42501') return role === 'anon' ? 401 : 403
  const exact: Record<string, number> = {
    '23503': 409,
    '23505': 409,
    '25006': 405,
    P0001: 400,
    '42883': 404,
    '42P01': 404,
    '42P17': 500,
  }
  if (exact[code]) return exact[code]
  const byClass: Record<string, number> = {
    '08': 503,
    '09': 500,
    '0L': 403,
    '0P': 403,
    '25': 500,
    '28': 403,
    '2D': 500,
    '38': 500,
    '39': 500,
    '3B': 500,
    '40': 500,
    '53': 503,
    '54': 500,
    '55': 500,
    '57': 500,
    '58': 500,
    F0: 500,
    HV: 500,
    P0: 500,
    XX: 500,
  }
  return byClass[code.slice(0, 2)] ?? 400
}

export function fromPgError(err: PgErrorLike, role: string): ApiError {
  const status = statusForSqlState(err.code!, role)
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}
  return new ApiError(status, { code: err.code!, details: err.detail ?? null, hint: err.hint ?? null, message: err.message }, headers)
}
