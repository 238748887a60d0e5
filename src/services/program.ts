import type { Program } from '../domain/program'
import { PROGRAM } from '../domain/responses'
import { rest } from './client'
import { callRpc, shaped } from './rpc'

export type { Program }

/** The program's name, time zone and today's business date (RPC `get_program`, anonymous). */
export function fetchProgram(): Promise<Program> {
  return callRpc<unknown>(rest, 'get_program').then(shaped(PROGRAM))
}
