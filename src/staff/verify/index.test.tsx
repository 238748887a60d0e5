import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { ROUTES } from '../../routes'
import { previewVoucher, verifyVoucher } from '../../services/staff'
import { voucherStore } from '../../stores/staff'
import StaffVerify from './index'
import { aVoucher } from '../../../test/factories/staff'

jest.mock('../../services/staff')

const initial = voucherStore.getState()
const CODE = '123456789012'
let confirmAnswer = true

beforeEach(() => {
  jest.resetAllMocks()
  voucherStore.setState(initial, true)
  confirmAnswer = true
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateBack').mockResolvedValue({ errMsg: 'navigateBack:ok' })
  jest
    .spyOn(Taro, 'showModal')
    .mockImplementation(async () => ({ confirm: confirmAnswer, cancel: !confirmAnswer, errMsg: 'showModal:ok' }) as any)
  jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: { code: CODE }, path: ROUTES.staffVerify } as any)
})
afterEach(() => jest.restoreAllMocks())

const VERIFIED = aVoucher({
  status: 'verified',
  verified_at: '2026-11-23T06:30:00+00:00',
  verified_store: { id: 's1', name: '悦享咖啡·静安寺店' },
  verified_by: { staff_member_id: 'w', nickname: '店员王芳' },
})

it('loading, then the issued voucher: item, code, member, validity; 确认核销 → 核销成功', async () => {
  jest.mocked(previewVoucher).mockResolvedValue(aVoucher())
  jest.mocked(verifyVoucher).mockResolvedValue(VERIFIED)
  render(<StaffVerify />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(await screen.findByText('¥10无门槛券')).toBeInTheDocument()
  expect(previewVoucher).toHaveBeenCalledWith(CODE)
  expect(screen.getByText('1234-5678-9012')).toBeInTheDocument()
  expect(screen.getByText('待使用')).toBeInTheDocument()
  expect(screen.getByText('林小满 138****0001')).toBeInTheDocument()
  expect(screen.getByText('¥10.00')).toBeInTheDocument()
  expect(screen.getByText('有效期至 2026-12-23')).toBeInTheDocument()
  expect(screen.queryByText('重新扫码')).toBeNull()

  await act(async () => fireEvent.click(screen.getByText('确认核销')))
  expect(verifyVoucher).toHaveBeenCalledWith(CODE, expect.any(String))
  expect(await screen.findByText('核销成功')).toBeInTheDocument()
  expect(screen.getByText('已使用')).toBeInTheDocument()
  expect(screen.getByText('2026-11-23 14:30 已使用 · 悦享咖啡·静安寺店')).toBeInTheDocument()
  expect(screen.getByText('店员王芳')).toBeInTheDocument()
  expect(screen.queryByText('确认核销')).toBeNull()
  fireEvent.click(screen.getByText('继续扫码'))
  expect(Taro.navigateBack).toHaveBeenCalled()
})

it('a voucher that cannot be used: its state, no 确认核销', async () => {
  jest.mocked(previewVoucher).mockResolvedValue(VERIFIED)
  render(<StaffVerify />)
  expect(await screen.findByText('已使用')).toBeInTheDocument()
  expect(screen.queryByText('确认核销')).toBeNull()
  expect(screen.getByText('重新扫码')).toBeInTheDocument()
})

it('a cancelled confirmation verifies nothing', async () => {
  jest.mocked(previewVoucher).mockResolvedValue(aVoucher())
  render(<StaffVerify />)
  await screen.findByText('确认核销')
  confirmAnswer = false
  await act(async () => fireEvent.click(screen.getByText('确认核销')))
  expect(verifyVoucher).not.toHaveBeenCalled()
})

it('verified at another till meanwhile: the message, then the voucher as it is now', async () => {
  jest.mocked(previewVoucher).mockResolvedValueOnce(aVoucher()).mockResolvedValueOnce(VERIFIED)
  jest.mocked(verifyVoucher).mockRejectedValue(new AppError('already_verified'))
  render(<StaffVerify />)
  await screen.findByText('确认核销')
  await act(async () => fireEvent.click(screen.getByText('确认核销')))
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '该券已核销' }))
  expect(await screen.findByText('已使用')).toBeInTheDocument()
  expect(screen.queryByText('核销成功')).toBeNull()
})

it('a network error keeps the request id: the retry gets the first success back', async () => {
  jest.mocked(previewVoucher).mockResolvedValue(aVoucher())
  jest.mocked(verifyVoucher).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(VERIFIED)
  render(<StaffVerify />)
  await screen.findByText('确认核销')
  await act(async () => fireEvent.click(screen.getByText('确认核销')))
  await act(async () => fireEvent.click(screen.getByText('确认核销')))
  const [[, first], [, second]] = jest.mocked(verifyVoucher).mock.calls
  expect(second).toBe(first)
  expect(await screen.findByText('核销成功')).toBeInTheDocument()
})

it.each([
  ['voucher_not_found', '券码不存在，请核对后重试'],
  ['invalid_voucher_code', '请输入12位数字券码'],
  ['not_staff', '仅限门店员工操作'],
])('a preview refused with %s: the message and 重新扫码', async (code, message) => {
  jest.mocked(previewVoucher).mockRejectedValue(new AppError(code))
  render(<StaffVerify />)
  expect(await screen.findByText(message)).toBeInTheDocument()
  fireEvent.click(screen.getByText('重新扫码'))
  expect(Taro.navigateBack).toHaveBeenCalled()
})
