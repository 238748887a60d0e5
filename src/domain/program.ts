import type { Program } from './responses'

export type { Program }

/** '今天 2025-03-14（Asia/Shanghai 营业日）' */
export function businessDayLabel(program: Pick<Program, 'business_date' | 'time_zone'>): string {
  return `今天 ${program.business_date}（${program.time_zone} 营业日）`
}
