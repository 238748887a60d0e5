import { AppError } from '../domain/errors'
import { fetchProgram } from '../services/program'
import { programTimeZone, setProgramTimeZone } from '../domain/time'
import { programStore } from './program'
import { aProgram } from '../../test/factories/program'

jest.mock('../services/program')

const fetchProgramMock = jest.mocked(fetchProgram)
const initial = programStore.getState()

const program = aProgram()

beforeEach(() => {
  fetchProgramMock.mockReset()
  programStore.setState(initial, true)
})

it('starts idle', () => {
  expect(programStore.getState().status).toBe('idle')
  expect(programStore.getState().program).toBeUndefined()
})

it('loads the program', async () => {
  fetchProgramMock.mockResolvedValue(program)
  const pending = programStore.getState().load()
  expect(programStore.getState().status).toBe('loading')
  await pending
  expect(programStore.getState()).toMatchObject({ status: 'ready', program, errorCode: undefined })
})

it('keeps the AppError code on failure', async () => {
  fetchProgramMock.mockRejectedValue(new AppError('network_error'))
  await programStore.getState().load()
  expect(programStore.getState()).toMatchObject({ status: 'error', errorCode: 'network_error' })
})

it('maps unexpected errors to unknown', async () => {
  fetchProgramMock.mockRejectedValue(new Error('boom'))
  await programStore.getState().load()
  expect(programStore.getState()).toMatchObject({ status: 'error', errorCode: 'unknown' })
})

it('recovers on retry and ignores a load while one is in flight', async () => {
  fetchProgramMock.mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(program)
  await programStore.getState().load()
  expect(programStore.getState().status).toBe('error')

  const first = programStore.getState().load()
  const second = programStore.getState().load()
  await Promise.all([first, second])
  expect(fetchProgramMock).toHaveBeenCalledTimes(2)
  expect(programStore.getState()).toMatchObject({ status: 'ready', program, errorCode: undefined })
})

it("counts business days in the program's zone once loaded", async () => {
  fetchProgramMock.mockResolvedValue(aProgram({ time_zone: 'Asia/Tokyo' }))
  await programStore.getState().load()
  expect(programTimeZone()).toBe('Asia/Tokyo')
  setProgramTimeZone(null)
})
