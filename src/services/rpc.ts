import type { PostgrestClient } from '@supabase/postgrest-js'

import { AppError, isErrorCode } from '../domain/errors'
import { shapeProblem, type Infer, type Shape } from '../domain/shape'
import { RESULT_SHAPES, type AppRpcName, type RpcResult } from './contract'
import type { Database } from './database.types'
import { withTimeout } from './timeout'

/** Every RPC the schema has (generated types: `npm run gen:types`); a misspelt name does not compile. */
export type RpcName = keyof Database['public']['Functions']
/** Its named arguments, as the schema declares them. */
export type RpcArgs<F extends RpcName> = Database['public']['Functions'][F]['Args']
/** Its result, as the schema declares it (composite attributes are all nullable in the generated types). */
export type RpcReturns<F extends RpcName> = Database['public']['Functions'][F]['Returns']

type PostgrestLikeError = { message?: string; code?: string }

/** PostgREST error → AppError: a snake_case `message` is our business code. */
export function toAppError(error: PostgrestLikeError, status: number): AppError {
  if (isErrorCode(error.message)) return new AppError(error.message, { cause: error })
  // the local stack and PostgREST: PGRST303 = expired token, PGRST301 = bad token
  if (error.code === 'PGRST303') return new AppError('jwt_expired', { cause: error })
  if (error.code === 'PGRST301') return new AppError('invalid_jwt', { cause: error })
  // postgrest-js reports a rejected fetch as status 0 with message 'TypeError: …'
  if (status === 0) return new AppError('network_error', { cause: error })
  return new AppError('unknown', { cause: error })
}

type QueryResult = { data: unknown; error: PostgrestLikeError | null; status: number }
/** A postgrest-js builder (an RPC or a table read): awaiting it sends it; `abortSignal` cancels it. */
type QueryRequest = PromiseLike<QueryResult> & { abortSignal?: (signal: AbortSignal) => PromiseLike<QueryResult> }

/**
 * A PostgREST request (an RPC or a table read): its data, or an AppError with a stable code; after
 * REQUEST_TIMEOUT_MS it is aborted and the answer is `request_timeout` (src/services/timeout.ts).
 */
export async function runQuery<T>(request: QueryRequest): Promise<T> {
  let result: QueryResult
  try {
    result = await withTimeout((signal) => (signal && request.abortSignal ? request.abortSignal(signal) : request))
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('network_error', { cause: e })
  }
  if (result.error) throw toAppError(result.error, result.status)
  return result.data as T
}

/**
 * The answer, checked against its shape (src/domain/responses.ts): an answer the screens cannot read is
 * AppError('bad_response') (服务异常，请稍后重试), never a crash on a missing field.
 */
export function expectShape<S extends Shape<unknown>>(shape: S, value: unknown): Infer<S> {
  const problem = shapeProblem(shape, value)
  if (problem) throw new AppError('bad_response', { cause: problem })
  return value as Infer<S>
}

/** `expectShape` as a `then` callback: `runQuery(…).then(shaped(POINT_ENTRIES))`. */
export function shaped<S extends Shape<unknown>>(shape: S): (value: unknown) => Infer<S> {
  return (value) => expectShape(shape, value)
}

/**
 * POST /rest/v1/rpc/<fn> with named arguments: the answer checked against its shape (src/services/contract.ts),
 * typed as that shape; or an AppError with a stable code.
 */
export async function callRpc<F extends AppRpcName>(
  client: PostgrestClient,
  fn: F,
  args: RpcArgs<F> | Record<string, never> = {},
): Promise<RpcResult<F>> {
  const answer = await runQuery<unknown>(client.rpc(fn, args as Record<string, unknown>))
  return expectShape(RESULT_SHAPES[fn], answer) as RpcResult<F>
}
