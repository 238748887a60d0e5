/** The loyalty program as returned by RPC `get_program`. */
export interface Program {
  name: string
  /** IANA zone, e.g. 'Asia/Shanghai'. */
  time_zone: string
  /** Today's business date in the program's time zone, YYYY-MM-DD. */
  business_date: string
  /** Server clock, ISO 8601. */
  server_time: string
}

/** '今天 2025-03-14（Asia/Shanghai 营业日）' */
export function businessDayLabel(program: Pick<Program, 'business_date' | 'time_zone'>): string {
  return `今天 ${program.business_date}（${program.time_zone} 营业日）`
}
