/**
 * CSV exports as the signed-in operator, against the export contract (op_export_ledger_entries | redemptions |
 * purchases | liability (p_from, p_to, p_after_id? / p_after_date?, p_limit?), one page of rows at a time,
 * continued after the last row's key: its first column). The rows are collected and encoded as CSV (RFC 4180)
 * here; the browser downloads the file. Stand-in until the exports work (src/services/exports.ts, `exportCsv`:
 * CSV pages with `Accept: text/csv`) is in main: then this file becomes a thin wrapper of `exportCsv`.
 */
import { runQuery } from '../../../src/services/rpc'
import { asOperator, type OpName } from './ops'

export type ExportKind = 'ledger_entries' | 'redemptions' | 'purchases' | 'liability'
export const EXPORT_KINDS: readonly ExportKind[] = ['ledger_entries', 'redemptions', 'purchases', 'liability']
/** `afterArg`: the argument that continues after a row (its first column), as the exports branch defines it. */
export const EXPORTS: Record<ExportKind, { rpc: OpName; label: string; afterArg: 'p_after_id' | 'p_after_date' }> = {
  ledger_entries: { rpc: 'op_export_ledger_entries', label: '积分流水', afterArg: 'p_after_id' },
  redemptions: { rpc: 'op_export_redemptions', label: '兑换记录', afterArg: 'p_after_id' },
  purchases: { rpc: 'op_export_purchases', label: '消费积分记录', afterArg: 'p_after_id' },
  liability: { rpc: 'op_export_liability', label: '积分负债', afterArg: 'p_after_date' },
}
const PAGE_SIZE = 1000

export interface ExportRange {
  from: string
  to: string
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Runs the export and hands the browser a CSV file (UTF-8 with a byte order mark, so Excel reads the Chinese). */
export async function downloadExport(
  kind: ExportKind,
  range: ExportRange,
  opts: { onProgress?: (rows: number) => void; signal?: AbortSignal } = {},
): Promise<{ rows: number; fileName: string }> {
  const chunks: string[] = ['\uFEFF']
  let columns: string[] | null = null
  let rows = 0
  for (let after: unknown = null; ;) {
    if (opts.signal?.aborted) throw new Error('aborted')
    const args: Record<string, unknown> = { p_from: range.from, p_to: range.to, p_limit: PAGE_SIZE }
    if (after !== null) args[EXPORTS[kind].afterArg] = after
    const page = await asOperator((client) => runQuery<Record<string, unknown>[]>(client.rpc(EXPORTS[kind].rpc, args)))
    if (page.length && !columns) {
      columns = Object.keys(page[0])
      chunks.push(`${columns.join(',')}\n`)
    }
    for (const row of page) chunks.push(`${columns!.map((c) => csvField(row[c])).join(',')}\n`)
    rows += page.length
    opts.onProgress?.(rows)
    if (page.length < PAGE_SIZE) break
    after = Object.values(page[page.length - 1])[0]
  }
  const fileName = `${EXPORTS[kind].label}_${range.from}_${range.to}.csv`
  const url = URL.createObjectURL(new Blob(chunks, { type: 'text/csv;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
  return { rows, fileName }
}
