import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import type { MemberCode } from '../../domain/membercode'
import { fetchMe } from '../../services/member'
import { brightenScreen } from '../../platform/brightness'
import { issueMemberCode } from '../../services/membercode'
import { meStore } from '../../stores/member'
import MemberCodePage from './index'
import { aMe } from '../../../test/factories/me'

jest.mock('../../services/membercode')
jest.mock('../../services/member')
jest.mock('../../platform/brightness')

const restoreBrightness = jest.fn(async () => undefined)

const initialMe = meStore.getState()
const lifecycle: { show?: () => void; hide?: () => void } = {}

/** A code as the backend issues it; the server clock is a day off the (fake) device clock on purpose. */
function aCode(n: number): MemberCode {
  return {
    token: `M1.00000000000040008000000000000001.17954892${String(60 + n).padStart(2, '0')}.0123456789ABCDEF0123456789ABCDE${n % 10}`,
    expires_at: '2026-11-24T04:01:00+00:00',
    ttl_seconds: 60,
    server_time: '2026-11-24T04:00:00.250123+00:00',
    digits: `91234567890123456${n % 10}`,
  }
}

const qrValue = () => document.querySelector('.qr-code')?.getAttribute('data-qr')
const barcodeValue = () => document.querySelector('.barcode')?.getAttribute('data-barcode')

async function flush() {
  await act(async () => {
    await Promise.resolve()
  })
}

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-11-23T10:00:00Z') })
  jest.resetAllMocks()
  meStore.setState(initialMe, true)
  jest.mocked(fetchMe).mockResolvedValue(aMe({ tier: { code: 'silver', name: '银卡会员', rank: 1, multiplier: 1.2 } }))
  jest.spyOn(Taro, 'setKeepScreenOn').mockResolvedValue({ errMsg: 'setKeepScreenOn:ok' })
  jest.spyOn(Taro, 'useDidShow').mockImplementation((fn: () => void) => void (lifecycle.show = fn))
  jest.spyOn(Taro, 'useDidHide').mockImplementation((fn: () => void) => void (lifecycle.hide = fn))
  jest.mocked(brightenScreen).mockResolvedValue(restoreBrightness)
})
afterEach(() => {
  jest.restoreAllMocks()
  jest.useRealTimers()
})

it('loading, then the barcode and grouped digits, the QR with the token, the member, the countdown and the hint; the screen stays on', async () => {
  jest.mocked(issueMemberCode).mockResolvedValue(aCode(1))
  render(<MemberCodePage />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  await flush()

  expect(barcodeValue()).toBe('912345678901234561')
  expect(screen.getByText('9123 4567 8901 2345 61')).toBeInTheDocument()
  expect(qrValue()).toBe(aCode(1).token)
  expect(document.querySelector('.qr-code')!.getAttribute('style')).toContain('width: 200px')
  expect(screen.getByText('林小满')).toBeInTheDocument()
  expect(screen.getByText('银卡会员')).toBeInTheDocument()
  // lifetime 59.75 s − 10 s
  expect(screen.getByText('50 秒后自动刷新')).toBeInTheDocument()
  expect(screen.getByText('到店消费时出示此码，店员扫码为你累积积分')).toBeInTheDocument()
  expect(Taro.setKeepScreenOn).toHaveBeenCalledWith({ keepScreenOn: true })

  await act(async () => void jest.advanceTimersByTime(3_000))
  expect(screen.getByText('47 秒后自动刷新')).toBeInTheDocument()
})

it('refreshes 10 s before expiry by the server clock, not the device clock', async () => {
  jest.mocked(issueMemberCode).mockResolvedValueOnce(aCode(1)).mockResolvedValueOnce(aCode(2)).mockResolvedValue(aCode(3))
  render(<MemberCodePage />)
  await flush()
  expect(issueMemberCode).toHaveBeenCalledTimes(1)

  await act(async () => void jest.advanceTimersByTime(49_000))
  expect(issueMemberCode).toHaveBeenCalledTimes(1)
  await act(async () => void jest.advanceTimersByTime(1_000))
  await flush()
  expect(issueMemberCode).toHaveBeenCalledTimes(2)
  expect(qrValue()).toBe(aCode(2).token)
  expect(screen.getByText('50 秒后自动刷新')).toBeInTheDocument()

  await act(async () => void jest.advanceTimersByTime(50_000))
  await flush()
  expect(qrValue()).toBe(aCode(3).token)
})

it('点击刷新 and a tap on the code fetch a new one', async () => {
  jest.mocked(issueMemberCode).mockResolvedValueOnce(aCode(1)).mockResolvedValueOnce(aCode(2)).mockResolvedValue(aCode(3))
  render(<MemberCodePage />)
  await flush()
  await act(async () => fireEvent.click(screen.getByText('点击刷新')))
  expect(qrValue()).toBe(aCode(2).token)
  await act(async () => fireEvent.click(document.querySelector('.member-code__qr')!))
  expect(qrValue()).toBe(aCode(3).token)
  expect(issueMemberCode).toHaveBeenCalledTimes(3)
})

it('hidden: timers stop and the screen may sleep; shown again: a fresh code', async () => {
  jest.mocked(issueMemberCode).mockResolvedValueOnce(aCode(1)).mockResolvedValue(aCode(2))
  render(<MemberCodePage />)
  await flush()
  act(() => lifecycle.hide!())
  expect(Taro.setKeepScreenOn).toHaveBeenLastCalledWith({ keepScreenOn: false })
  await act(async () => void jest.advanceTimersByTime(120_000))
  expect(issueMemberCode).toHaveBeenCalledTimes(1)

  await act(async () => lifecycle.show!())
  expect(issueMemberCode).toHaveBeenCalledTimes(2)
  expect(qrValue()).toBe(aCode(2).token)
  expect(barcodeValue()).toBe(aCode(2).digits)
  expect(Taro.setKeepScreenOn).toHaveBeenLastCalledWith({ keepScreenOn: true })
  // the first show after mounting does not fetch twice
  await act(async () => lifecycle.show!())
  expect(issueMemberCode).toHaveBeenCalledTimes(2)
})

it('the screen is brightened while the code shows and restored when it leaves (hide, unmount)', async () => {
  jest.mocked(issueMemberCode).mockResolvedValue(aCode(1))
  const { unmount } = render(<MemberCodePage />)
  await flush()
  expect(brightenScreen).toHaveBeenCalledTimes(1)
  expect(restoreBrightness).not.toHaveBeenCalled()
  await act(async () => lifecycle.hide!())
  expect(restoreBrightness).toHaveBeenCalledTimes(1)
  await act(async () => lifecycle.show!())
  expect(brightenScreen).toHaveBeenCalledTimes(2)
  unmount()
  await flush()
  expect(restoreBrightness).toHaveBeenCalledTimes(2)
})

it('unmounting stops the timers', async () => {
  jest.mocked(issueMemberCode).mockResolvedValue(aCode(1))
  const { unmount } = render(<MemberCodePage />)
  await flush()
  unmount()
  await act(async () => void jest.advanceTimersByTime(120_000))
  expect(issueMemberCode).toHaveBeenCalledTimes(1)
  expect(jest.getTimerCount()).toBe(0)
})

it('an error shows the message, and 重试 recovers', async () => {
  jest.mocked(issueMemberCode).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValue(aCode(1))
  render(<MemberCodePage />)
  await flush()
  expect(screen.getByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  expect(qrValue()).toBeUndefined()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(qrValue()).toBe(aCode(1).token)
})

it('a failed background refresh keeps the still-valid code and tries again; once it expires, 重试', async () => {
  jest.mocked(issueMemberCode).mockResolvedValueOnce(aCode(1)).mockRejectedValue(new AppError('network_error'))
  render(<MemberCodePage />)
  await flush()
  await act(async () => void jest.advanceTimersByTime(50_000))
  await flush()
  expect(qrValue()).toBe(aCode(1).token)
  expect(screen.getByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => void jest.advanceTimersByTime(5_000))
  await flush()
  expect(issueMemberCode).toHaveBeenCalledTimes(3)
  await act(async () => void jest.advanceTimersByTime(10_000))
  await flush()
  expect(qrValue()).toBeUndefined()
  expect(screen.getByText('重试')).toBeInTheDocument()
})

it('H5 refuses to keep the screen on: ignored', async () => {
  jest.mocked(Taro.setKeepScreenOn).mockRejectedValue({ errMsg: '暂时不支持 API' })
  jest.mocked(issueMemberCode).mockResolvedValue(aCode(1))
  render(<MemberCodePage />)
  await flush()
  expect(qrValue()).toBe(aCode(1).token)
})
