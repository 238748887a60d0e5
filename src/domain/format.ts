/** Display formatting for points and money. Pure TypeScript. */

/** 12345 → '12,345'; negative numbers keep their sign: -1200 → '-1,200'.
 * (Not Intl.NumberFormat: some mini-program JS engines ship without Intl.) */
export function formatPoints(n: number): string {
  const sign = n < 0 ? '-' : ''
  const digits = String(Math.trunc(Math.abs(n)))
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Amounts are stored in fen (integer cents): 1234 → '¥12.34', 100000 → '¥1,000.00'. */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.round(Math.abs(fen))
  const yuan = Math.floor(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  return `${sign}¥${formatPoints(yuan)}.${cents}`
}
