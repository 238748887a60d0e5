import type { Program } from '../domain/program'
import { rest } from './client'
import { callRpc } from './rpc'

export type { Program }

/** The program's name, time zone and today's business date (RPC `get_program`, anonymous). */
export function fetchProgram(): Promise<Program> {
  return callRpc(rest, 'get_program')
}
