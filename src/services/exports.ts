/**
 * 导出: the operators' CSV exports (docs/operators.md "Exports") — ledger entries, redemptions, purchases and the
 * daily liability of a range of business days. Each RPC answers one page of at most EXPORT_PAGE_SIZE rows as CSV
 * (`Accept: text/csv`, postgrest-js `.csv()`); `exportCsv` follows the pages by their last row's key and hands
 * the file to a sink piece by piece (one header, then every page's rows), so memory stays at one page whatever
 * the size of the export. The console's export screen and `npm run export` (stack/export.ts) use it.
 */
import type { PostgrestClient } from '@supabase/postgrest-js'

import { firstField, splitRecords } from '../domain/csv'
import { AppError } from '../domain/errors'
import type { DateRange } from '../domain/reports'
import type { Database } from './database.types'
import { runQuery } from './rpc'

type Composite = Database['public']['CompositeTypes']
/** Every column of a composite type, in the type's order (the CSV header); a missing or unknown one does not compile. */
type Columns<T> = readonly (keyof T & string)[]
type Complete<T, C extends Columns<T>> = Exclude<keyof T, C[number]> extends never ? C : never

const columns =
  <T>() =>
  <const C extends Columns<T>>(c: C & Complete<T, C>): C =>
    c

export type ExportKind = 'ledger_entries' | 'redemptions' | 'purchases' | 'liability'

export interface ExportSpec {
  rpc: 'op_export_ledger_entries' | 'op_export_redemptions' | 'op_export_purchases' | 'op_export_liability'
  /** the argument that continues after a row: its key is the row's first column */
  afterArg: 'p_after_id' | 'p_after_date'
  /** the CSV header, in order */
  columns: readonly string[]
  /** file name stem, e.g. 积分流水 */
  label: string
}

export const EXPORTS: Record<ExportKind, ExportSpec> = {
  ledger_entries: {
    rpc: 'op_export_ledger_entries',
    afterArg: 'p_after_id',
    label: '积分流水',
    columns: columns<Composite['op_export_ledger_entry']>()([
      'entry_id',
      'created_at',
      'business_date',
      'member_id',
      'member_phone',
      'kind',
      'source',
      'points',
      'description',
      'ref',
      'reverses_entry_id',
      'campaign_id',
      'campaign_name',
      'lot_expires_at',
      'lot_available_at',
      'purchase_id',
      'store_id',
      'store_name',
      'order_ref',
      'staff_member_id',
      'redemption_id',
      'item_title',
      'adjustment_id',
      'adjustment_reason',
      'operator_id',
      'approver_id',
    ]),
  },
  redemptions: {
    rpc: 'op_export_redemptions',
    afterArg: 'p_after_id',
    label: '兑换记录',
    columns: columns<Composite['op_export_redemption']>()([
      'redemption_id',
      'created_at',
      'business_date',
      'member_id',
      'member_phone',
      'item_id',
      'item_kind',
      'item_title',
      'face_value_fen',
      'points',
      'status',
      'voucher_state',
      'expires_at',
      'verified_at',
      'verified_store_id',
      'verified_store_name',
      'verified_staff_id',
      'verified_staff_nickname',
      'cancelled_at',
      'spend_entry_id',
      'cancel_entry_id',
    ]),
  },
  purchases: {
    rpc: 'op_export_purchases',
    afterArg: 'p_after_id',
    label: '消费积分记录',
    columns: columns<Composite['op_export_purchase']>()([
      'purchase_id',
      'created_at',
      'business_date',
      'store_id',
      'store_name',
      'order_ref',
      'member_id',
      'member_phone',
      'staff_member_id',
      'staff_nickname',
      'amount_fen',
      'tier_code',
      'multiplier',
      'points',
      'campaign_points',
      'entry_id',
      'available_at',
      'status',
      'voided_at',
      'voided_by_staff_id',
      'void_reason',
    ]),
  },
  liability: {
    rpc: 'op_export_liability',
    afterArg: 'p_after_date',
    label: '积分负债',
    columns: columns<Composite['op_export_liability_day']>()([
      'business_date',
      'earned_points',
      'earn_reversed_points',
      'issued_points',
      'spent_points',
      'spend_reversed_points',
      'net_spent_points',
      'expired_points',
      'net_points',
      'outstanding_points',
      'point_value_fen',
      'outstanding_liability_fen',
    ]),
  },
}

export const EXPORT_KINDS = Object.keys(EXPORTS) as ExportKind[]

/** Rows a page holds: the most an RPC answers (the API's max_rows, supabase/config.toml). */
export const EXPORT_PAGE_SIZE = 1000

/** The longest range an export takes (private.check_export_range; invalid_date_range beyond). */
export const EXPORT_MAX_DAYS = 3660

export interface ExportPage {
  /** the page's rows as RFC 4180 CSV lines (no header) */
  records: string[]
  /** the key to continue after (the last row's first column); null on the last page */
  after: string | null
}

/**
 * One page of an export: the rows after `after` (null: the first page, which the server audits).
 * A header other than the expected columns is AppError('bad_response') (a server of another version).
 */
export async function fetchExportPage(
  client: PostgrestClient,
  kind: ExportKind,
  range: DateRange,
  after: string | null,
  pageSize = EXPORT_PAGE_SIZE,
): Promise<ExportPage> {
  const spec = EXPORTS[kind]
  const args: Record<string, unknown> = { p_from: range.from, p_to: range.to, p_limit: pageSize }
  if (after !== null) args[spec.afterArg] = after
  const csv = await runQuery<string>(client.rpc(spec.rpc, args).csv())
  const [header, ...records] = splitRecords(typeof csv === 'string' ? csv : '')
  if (records.length && header !== spec.columns.join(',')) {
    throw new AppError('bad_response', { cause: `unexpected CSV header for ${spec.rpc}: ${header}` })
  }
  return { records, after: records.length === pageSize ? firstField(records[records.length - 1]) : null }
}

export interface ExportOptions {
  pageSize?: number
  /** start the file with a UTF-8 byte order mark (Excel on Windows then reads the Chinese text right) */
  bom?: boolean
  /** after each page: the rows written so far */
  onProgress?: (rows: number) => void
  /** stops before the next page (throws the signal's reason) */
  signal?: AbortSignal
}

/**
 * A whole export as one CSV file, written through `sink` (awaited: a file stream's back-pressure holds the next
 * page): the header, then every page's rows, each line ending in '\n'. Returns the rows and pages read.
 */
export async function exportCsv(
  client: PostgrestClient,
  kind: ExportKind,
  range: DateRange,
  sink: (chunk: string) => void | Promise<void>,
  opts: ExportOptions = {},
): Promise<{ rows: number; pages: number }> {
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE
  await sink(`${opts.bom ? '\uFEFF' : ''}${EXPORTS[kind].columns.join(',')}\n`)
  let rows = 0
  let pages = 0
  for (let after: string | null = null; ;) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('export aborted')
    const page: ExportPage = await fetchExportPage(client, kind, range, after, pageSize)
    pages++
    if (page.records.length) await sink(`${page.records.join('\n')}\n`)
    rows += page.records.length
    opts.onProgress?.(rows)
    if (page.after === null) return { rows, pages }
    after = page.after
  }
}

/** A file name for an export, e.g. 积分流水_2026-11-01_2026-11-30.csv. */
export function exportFileName(kind: ExportKind, range: DateRange): string {
  return `${EXPORTS[kind].label}_${range.from}_${range.to}.csv`
}
