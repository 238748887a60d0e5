import type { Program } from '../../src/domain/program'

/** A program as `get_program` returns it, for client tests. */
export function aProgram(overrides: Partial<Program> = {}): Program {
  return {
    name: '示例品牌会员',
    time_zone: 'Asia/Shanghai',
    business_date: '2025-03-14',
    server_time: '2025-03-14T02:00:00Z',
    ...overrides,
  }
}
