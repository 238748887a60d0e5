import type { PostgrestClient } from '@supabase/postgrest-js'
import { callRpc } from './rpc'

/** A client whose every RPC answers `data` (as PostgREST would, status 200). */
const answering = (data: unknown) =>
  ({ rpc: jest.fn(() => Promise.resolve({ data, error: null, status: 200 })) }) as unknown as PostgrestClient

const program = { name: '悦享咖啡会员', time_zone: 'Asia/Shanghai', business_date: '2026-12-06', server_time: '2026-12-06T03:00:00+00:00' }

it('an RPC answer is checked against its shape and typed by it', async () => {
  const client = answering(program)
  const answer = await callRpc(client, 'get_program')
  expect(answer.time_zone).toBe('Asia/Shanghai')
  expect(client.rpc).toHaveBeenCalledWith('get_program', {})
})

it.each([
  ['an empty object', {}],
  ['a missing field', { ...program, time_zone: undefined }],
  ['a field of another type', { ...program, business_date: 20261206 }],
  ['null', null],
])('%s is bad_response, not a crash later on a screen', async (_, data) => {
  await expect(callRpc(answering(data), 'get_program')).rejects.toMatchObject({ code: 'bad_response' })
})
