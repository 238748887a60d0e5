import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { fetchProgram } from '../../services/program'
import { programStore } from '../../stores/program'
import Home from './index'
import type { Program } from '../../domain/program'
import { aProgram } from '../../../test/factories/program'

jest.mock('../../services/program')

const fetchProgramMock = jest.mocked(fetchProgram)
const initial = programStore.getState()

const program = aProgram()

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

beforeEach(() => {
  fetchProgramMock.mockReset()
  programStore.setState(initial, true)
})

it('shows a loading state while the program loads', async () => {
  const pending = deferred<Program>()
  fetchProgramMock.mockReturnValue(pending.promise)
  render(<Home />)

  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(fetchProgramMock).toHaveBeenCalledTimes(1)

  await act(async () => pending.resolve(program))
  expect(screen.queryByText('加载中…')).not.toBeInTheDocument()
})

it('shows the program name and business day when ready', async () => {
  fetchProgramMock.mockResolvedValue(program)
  render(<Home />)

  expect(await screen.findByText('示例品牌会员')).toBeInTheDocument()
  expect(screen.getByText('今天 2025-03-14（Asia/Shanghai 营业日）')).toBeInTheDocument()
  expect(screen.getByText(/签到、任务、积分商城即将上线/)).toBeInTheDocument()
})

it('shows the mapped Chinese message on error and recovers on 重试', async () => {
  fetchProgramMock.mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(program)
  render(<Home />)

  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  expect(screen.queryByText('示例品牌会员')).not.toBeInTheDocument()

  fireEvent.click(screen.getByText('重试'))

  expect(await screen.findByText('示例品牌会员')).toBeInTheDocument()
  expect(fetchProgramMock).toHaveBeenCalledTimes(2)
  expect(screen.queryByText('网络连接失败，请检查网络后重试')).not.toBeInTheDocument()
})

it('falls back to the generic message for unknown codes', async () => {
  fetchProgramMock.mockRejectedValue(new Error('boom'))
  render(<Home />)
  expect(await screen.findByText('网络开小差了，请稍后再试')).toBeInTheDocument()
})
