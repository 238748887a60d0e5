// CSV answers (`Accept: text/csv`) byte for byte as PostgREST builds them, but streamed from a cursor.
//
// PostgREST builds the whole body in one SQL aggregate (src/library/PostgREST/Query/SqlFragment.hs, asCsvF):
//   header = the first row's keys (json_object_keys(row_to_json(row))) joined by ',' — '' when there is no row
//   body   = string_agg(substring(row::text, 2, length(row::text) - 2), '\n')  — each row's record text
//            without its parentheses
//   answer = header || '\n' || body
// so: no quoting in the header, '\n' between lines and none at the end, a lone '\n' for no rows, and each
// value in Postgres' record text form (record_out): NULL is nothing; a value is double-quoted when it is empty
// or holds '"', '\\', '(', ')', ',' or an ASCII space character, and inside the quotes '"' and '\\' are doubled.
// Values are the types' text output in the session (timestamps in its TimeZone, booleans t/f, arrays {…},
// json as written). Here the cursor hands over every column as that same text output (raw text, no type
// parsing), and recordField applies record_out's quoting, so the answer is the same bytes.
import { Readable } from 'node:stream'

// record_out tests isspace() on single bytes: only the ASCII spaces count (not U+3000 or U+00A0)
const NEEDS_QUOTES = /["\\(),\t\n\v\f\r ]/

/** One value as record_out writes it (text output of the value; null for SQL NULL). */
export function recordField(value: string | null): string {
  if (value === null) return ''
  if (value !== '' && !NEEDS_QUOTES.test(value)) return value
  return `"${value.replace(/["\\]/g, (c) => c + c)}"`
}

/** One row's line: its values as record_out writes them, joined by ','. */
export function csvLine(values: readonly (string | null)[]): string {
  let line = ''
  for (let i = 0; i < values.length; i++) line += (i ? ',' : '') + recordField(values[i])
  return line
}

/** A batch of rows in column order (raw text values). */
export type Rows = (string | null)[][]

export interface CsvSource {
  /** column names, in order: the header */
  columns: string[]
  /** the first batch, already read (so that errors of the statement become a 4xx before anything is sent) */
  first: Rows
  /** rows per batch; a shorter batch is the last */
  batchRows: number
  /** the next batch */
  next(): Promise<Rows>
  /** called once: after the last batch (no error: commit), or on an error or when the reader went away */
  finish(err?: Error): Promise<void>
}

/**
 * The CSV body as a stream that reads the next batch only when the reader has taken the previous one
 * (Readable's pull model: `read()` runs again only below the high-water mark), so memory stays at about one
 * batch whatever the number of rows.
 */
export function csvStream(src: CsvSource): Readable {
  let state: 'first' | 'more' | 'done' = 'first'
  let finished = false
  const finish = async (err?: Error) => {
    if (finished) return
    finished = true
    await src.finish(err)
  }
  const lines = (rows: Rows) => rows.map(csvLine).join('\n')
  return new Readable({
    read() {
      const step = async () => {
        if (state === 'first') {
          state = 'more'
          if (src.first.length === 0) {
            state = 'done'
            await finish()
            this.push('\n')
            this.push(null)
            return
          }
          this.push(`${src.columns.join(',')}\n${lines(src.first)}`)
          if (src.first.length < src.batchRows) {
            state = 'done'
            await finish()
            this.push(null)
          }
          return
        }
        if (state === 'done') return
        const rows = await src.next()
        if (rows.length) this.push(`\n${lines(rows)}`)
        if (rows.length < src.batchRows) {
          state = 'done'
          await finish()
          this.push(null)
        }
      }
      step().catch((err: Error) => this.destroy(err))
    },
    destroy(err, callback) {
      finish(err ?? new Error('CSV stream closed before its end')).then(
        () => callback(err),
        () => callback(err),
      )
    },
  })
}
