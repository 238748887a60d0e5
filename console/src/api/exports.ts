/**
 * CSV exports as the signed-in operator. The paging itself is the exports service's (`exportCsv`,
 * src/services/exports.ts: one page of CSV rows at a time, continued after the last row's key); this file only
 * collects the pages into a file the browser downloads.
 */
import { exportCsv, exportFileName, EXPORTS, EXPORT_KINDS, type ExportKind } from '../../../src/services/exports'
import { asOperator } from './ops'

export { EXPORT_KINDS, EXPORTS, type ExportKind }

export interface ExportRange {
  from: string
  to: string
}

/** Runs the export and hands the browser a CSV file (UTF-8 with a byte order mark, so Excel reads the Chinese). */
export async function downloadExport(
  kind: ExportKind,
  range: ExportRange,
  opts: { onProgress?: (rows: number) => void; signal?: AbortSignal } = {},
): Promise<{ rows: number; fileName: string }> {
  const chunks: string[] = []
  const { rows } = await asOperator((client) =>
    exportCsv(client, kind, range, (chunk) => void chunks.push(chunk), { bom: true, onProgress: opts.onProgress, signal: opts.signal }),
  )
  const fileName = exportFileName(kind, range)
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
