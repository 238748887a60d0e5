/**
 * The console's backend calls, all as the signed-in operator: the H5 app's session (src/services/session.ts:
 * the `auth` Edge Function's token in localStorage, renewed with the saved dev phone) and its error mapping
 * (src/services/rpc.ts: the backend's snake_case message → AppError with a stable code).
 */
import type { PostgrestClient } from '@supabase/postgrest-js'

import type { Database, Json } from '../../../src/services/database.types'
import { runQuery } from '../../../src/services/rpc'
import { asMember } from '../../../src/services/session'

type DbFunctions = Database['public']['Functions']
type DbTables = Database['public']['Tables']

type ExportArgs = { p_from: string; p_to: string; p_after_id?: number | string | null; p_limit?: number }

/**
 * RPCs of the contract that another branch builds (exports). Once they are in the generated types,
 * the generated signature wins (see `Functions`).
 */
interface ContractFunctions {
  op_export_ledger_entries: { Args: ExportArgs; Returns: Record<string, Json>[] }
  op_export_redemptions: { Args: ExportArgs; Returns: Record<string, Json>[] }
  op_export_purchases: { Args: ExportArgs; Returns: Record<string, Json>[] }
  op_export_liability: { Args: ExportArgs; Returns: Record<string, Json>[] }
}

type Functions = Omit<ContractFunctions, keyof DbFunctions> & DbFunctions
/** The operator RPCs (`op_*`). */
export type OpName = Extract<keyof Functions, `op_${string}`>
export type OpArgs<F extends OpName> = Functions[F] extends { Args: infer A } ? A : never
export type OpResult<F extends OpName> = Functions[F] extends { Returns: infer R } ? R : never

/** Rows of a table. */
export type Row<T extends keyof DbTables> = DbTables[T]['Row']

/** A request with the operator's token (a refused, expired token is renewed once and the request repeated). */
export function asOperator<T>(request: (client: PostgrestClient) => Promise<T>): Promise<T> {
  return asMember(request)
}

/** An `op_*` RPC as the signed-in operator: its answer, or an AppError with the backend's code. */
export function operatorRpc<F extends OpName>(fn: F, args: OpArgs<F>): Promise<OpResult<F>> {
  return asOperator((client) => runQuery<OpResult<F>>(client.rpc(fn, args as Record<string, unknown>)))
}

/** Every row of a table the API lets anyone read (catalog, campaigns, rules, tiers, tasks, stores). */
export function readTable<T extends keyof DbTables>(table: T, order?: string): Promise<Row<T>[]> {
  return asOperator((client) => {
    const query = client.from(table).select('*')
    return runQuery<Row<T>[]>(order ? query.order(order) : query)
  })
}
