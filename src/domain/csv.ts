/**
 * Reading the CSV pages PostgREST answers for `Accept: text/csv` (docs/operators.md "Exports"): a header line,
 * then one line per row, '\n' between lines and none after the last; a page without rows is a lone '\n'.
 * Values are in Postgres' record text form: NULL is empty, a value is double-quoted when it is empty or holds
 * '"', '\\', '(', ')', ',' or a space, and inside the quotes '"' and '\\' are doubled. A quoted value may hold
 * line breaks, so lines are split outside quotes only.
 *
 * `splitRecords` also turns each record into RFC 4180 CSV (what spreadsheets read): the only difference is the
 * doubled backslash inside quotes, which RFC 4180 keeps as one.
 */

/** The records of a CSV page (the header first), as RFC 4180 lines; [] for a page without rows. */
export function splitRecords(page: string): string[] {
  if (page === '' || page === '\n') return []
  const records: string[] = []
  let current = ''
  let quoted = false
  let from = 0
  for (let i = 0; i < page.length; i++) {
    const ch = page.charCodeAt(i)
    if (ch === 34 /* " */) quoted = !quoted
    else if (quoted && ch === 92 /* \ */ && page.charCodeAt(i + 1) === 92) {
      current += page.slice(from, i + 1)
      i++
      from = i + 1
    } else if (!quoted && ch === 10 /* \n */) {
      records.push(current + page.slice(from, i))
      current = ''
      from = i + 1
    }
  }
  if (quoted) throw new Error('CSV page ends inside a quoted value')
  records.push(current + page.slice(from))
  return records
}

/** The first value of an RFC 4180 record (an export's key column), unquoted. */
export function firstField(record: string): string {
  if (!record.startsWith('"')) {
    const comma = record.indexOf(',')
    return comma < 0 ? record : record.slice(0, comma)
  }
  let value = ''
  for (let i = 1; i < record.length; i++) {
    if (record[i] === '"') {
      if (record[i + 1] === '"') {
        value += '"'
        i++
      } else return value
    } else value += record[i]
  }
  throw new Error('unterminated quoted value')
}
