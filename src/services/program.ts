import { AppError, isErrorCode } from '../domain/errors'
import type { Program } from '../domain/program'
import { rest } from './client'

export type { Program }

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

/** The program's name, time zone and today's business date (RPC `get_program`). */
export async function fetchProgram(): Promise<Program> {
  let result
  try {
    result = await rest.rpc('get_program')
  } catch (e) {
    throw new AppError('network_error', { cause: e })
  }
  const { data, error, status } = result
  if (error) throw toAppError(error, status)
  return data as Program
}
