/**
 * @jest-environment node
 */
// Node's own fetch / Headers / Response stand in for the browser's; the network is stubbed.
import { AppError } from '../domain/errors'
import { fetchProgram } from './program'
import { aProgram } from '../../test/factories/program'

const program = aProgram()

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

let fetchMock: jest.SpyInstance

beforeEach(() => {
  fetchMock = jest.spyOn(globalThis, 'fetch')
})
afterEach(() => fetchMock.mockRestore())

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (e) {
    return e as AppError
  }
  throw new Error('expected a rejection')
}

it('calls RPC get_program with the anon key', async () => {
  fetchMock.mockResolvedValue(json(200, program))
  await expect(fetchProgram()).resolves.toEqual(program)

  const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit]
  expect(url).toBe('http://127.0.0.1:54321/rest/v1/rpc/get_program')
  expect(init.method).toBe('POST')
  expect(init.body).toBe('{}')
  expect(init.headers).toMatchObject({
    apikey: 'test-anon-key',
    authorization: 'Bearer test-anon-key',
    'content-type': 'application/json',
  })
})

it('turns a snake_case PostgREST message into the error code', async () => {
  fetchMock.mockResolvedValue(json(400, { code: 'P0001', message: 'not_found', details: null, hint: null }))
  const err = await rejection(fetchProgram())
  expect(err).toBeInstanceOf(AppError)
  expect(err.code).toBe('not_found')
})

it('maps other PostgREST errors to unknown', async () => {
  fetchMock.mockResolvedValue(json(404, { code: 'PGRST202', message: 'Could not find the function public.get_program without parameters' }))
  expect((await rejection(fetchProgram())).code).toBe('unknown')
})

it('maps a failed fetch to network_error', async () => {
  fetchMock.mockRejectedValue(new TypeError('fetch failed'))
  expect((await rejection(fetchProgram())).code).toBe('network_error')
})

it('maps PostgREST token errors to jwt_expired / invalid_jwt', async () => {
  fetchMock.mockResolvedValue(json(401, { code: 'PGRST303', message: 'JWT expired', details: null, hint: null }))
  expect((await rejection(fetchProgram())).code).toBe('jwt_expired')
  fetchMock.mockResolvedValue(json(401, { code: 'PGRST301', message: 'JWT invalid', details: null, hint: null }))
  expect((await rejection(fetchProgram())).code).toBe('invalid_jwt')
})
