// Supabase Storage's error answer (supabase/storage src/internal/errors): the body is
// { statusCode: '<status as text>', code, error, message } and the HTTP status is 400 for every error but a 500
// (the storage server's error handler does that; storage-js reads `statusCode` from the body). So a denied
// upload is HTTP 400 with statusCode '403', a missing object HTTP 400 with statusCode '404'.
import { isPgError } from '../rest/errors'

export class StorageError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }

  /** The HTTP status the storage server answers with. */
  get httpStatus(): number {
    return this.statusCode === 500 ? 500 : 400
  }

  render(): { statusCode: string; code: string; error: string; message: string } {
    return { statusCode: String(this.statusCode), code: this.code, error: this.code, message: this.message }
  }
}

export const ERRORS = {
  noSuchBucket: () => new StorageError(404, 'NoSuchBucket', 'Bucket not found'),
  noSuchKey: () => new StorageError(404, 'NoSuchKey', 'Object not found'),
  invalidJwt: (message = 'Invalid JWT') => new StorageError(400, 'InvalidJWT', message),
  accessDenied: (message = 'Access denied') => new StorageError(403, 'AccessDenied', message),
  keyAlreadyExists: () => new StorageError(409, 'KeyAlreadyExists', 'The resource already exists'),
  invalidKey: (key: string) => new StorageError(400, 'InvalidKey', `Invalid key: ${key}`),
  invalidMimeType: (mimetype: string) => new StorageError(415, 'InvalidMimeType', `mime type ${mimetype} is not supported`),
  /** Not Supabase's: the local server's byte checks (docs/storage.md); the same status a wrong type gets. */
  invalidImage: (message: string) => new StorageError(415, 'InvalidMimeType', message),
  invalidImageSize: (message: string) => new StorageError(400, 'InvalidRequest', message),
  entityTooLarge: (limit = 'the maximum allowed size') => new StorageError(413, 'EntityTooLarge', `The object exceeded ${limit}`),
  invalidRequest: (message: string) => new StorageError(400, 'InvalidRequest', message),
  missingParameter: (name: string) => new StorageError(400, 'MissingParameter', `Missing Required Parameter ${name}`),
  invalidSignature: (message = 'Invalid signature') => new StorageError(400, 'InvalidSignature', message),
  expiredToken: () => new StorageError(400, 'ExpiredToken', 'The provided token has expired.'),
  notFound: (what: string) => new StorageError(404, 'InvalidRequest', `Route ${what} not found`),
  internal: () => new StorageError(500, 'InternalError', 'Internal server error'),
}

/** A Postgres error as the storage server maps it (RLS refusal, duplicate key, missing bucket). */
export function fromDbError(err: unknown): StorageError | undefined {
  if (!isPgError(err)) return undefined
  if (err.code === '42501') return ERRORS.accessDenied(err.message)
  if (err.code === '23505') return ERRORS.keyAlreadyExists()
  if (err.code === '23503') return new StorageError(404, 'InvalidRequest', 'The related resource does not exist')
  return undefined
}
