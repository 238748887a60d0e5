import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { scanCode } from '../../platform/scan'
import { ROUTES } from '../../routes'
import { fetchMe } from '../../services/member'
import { meStore } from '../../stores/member'
import StaffHome from './index'
import { aMe } from '../../../test/factories/me'
import { A_MEMBER_CODE } from '../../../test/factories/staff'
import { buttonByText, inputByPlaceholder, isDisabled, typeInto } from '../../../test/support/taro-dom'

jest.mock('../../services/member')
jest.mock('../../platform/scan')

const initial = meStore.getState()
const CLERK = aMe({ nickname: '店员王芳', staff: { store_id: 's1', store_name: '悦享咖啡·静安寺店', role: 'clerk' } })
const MANAGER = aMe({ nickname: '店长李强', staff: { store_id: 's1', store_name: '悦享咖啡·静安寺店', role: 'manager' } })

beforeEach(() => {
  jest.resetAllMocks()
  meStore.setState(initial, true)
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
})
afterEach(() => jest.restoreAllMocks())

const navigatedTo = () => jest.mocked(Taro.navigateTo).mock.calls.map(([o]) => o.url)

it('loading, then the clerk workbench: store, scan, manual input, recent actions, no dashboard', async () => {
  jest.mocked(fetchMe).mockResolvedValue(CLERK)
  render(<StaffHome />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(await screen.findByText('悦享咖啡·静安寺店')).toBeInTheDocument()
  expect(screen.getByText('店员王芳 · 店员')).toBeInTheDocument()
  expect(screen.getByText('扫一扫')).toBeInTheDocument()
  expect(screen.getByText('我的最近操作')).toBeInTheDocument()
  expect(screen.queryByText('经营看板')).toBeNull()
  expect(screen.queryByText('店员管理')).toBeNull()
  expect(screen.queryByText('会员查询')).toBeNull()
  fireEvent.click(screen.getByText('我的最近操作'))
  expect(navigatedTo()).toEqual([ROUTES.staffActions])
})

it('a manager also gets the store-wide actions, the dashboard, 店员管理 and 会员查询', async () => {
  jest.mocked(fetchMe).mockResolvedValue(MANAGER)
  render(<StaffHome />)
  fireEvent.click(await screen.findByText('经营看板'))
  fireEvent.click(screen.getByText('店员管理'))
  fireEvent.click(screen.getByText('会员查询'))
  expect(screen.getByText('门店最近操作')).toBeInTheDocument()
  expect(navigatedTo()).toEqual([ROUTES.dashboard, ROUTES.managerStaff, ROUTES.managerMembers])
})

it('a member who is not staff gets no workbench', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  render(<StaffHome />)
  expect(await screen.findByText('仅限门店员工操作')).toBeInTheDocument()
  expect(screen.queryByText('扫一扫')).toBeNull()
})

it('an error loading the account: the message and 重试', async () => {
  jest.mocked(fetchMe).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(CLERK)
  render(<StaffHome />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  fireEvent.click(screen.getByText('重试'))
  expect(await screen.findByText('扫一扫')).toBeInTheDocument()
})

it('a scanned member code opens the award screen; a voucher the verify screen', async () => {
  jest.mocked(fetchMe).mockResolvedValue(CLERK)
  render(<StaffHome />)
  jest.mocked(scanCode).mockResolvedValueOnce(`${A_MEMBER_CODE}\n`).mockResolvedValueOnce('123456789012')
  await screen.findByText('扫一扫')
  await act(async () => fireEvent.click(screen.getByText('扫一扫')))
  await act(async () => fireEvent.click(screen.getByText('扫一扫')))
  expect(navigatedTo()).toEqual([
    `${ROUTES.staffAward}?code=${encodeURIComponent(A_MEMBER_CODE)}`,
    `${ROUTES.staffVerify}?code=123456789012`,
  ])
})

it('a cancelled scan does nothing; something else scanned, or no camera, says so', async () => {
  jest.mocked(fetchMe).mockResolvedValue(CLERK)
  render(<StaffHome />)
  jest
    .mocked(scanCode)
    .mockResolvedValueOnce(null)
    .mockResolvedValueOnce('https://example.com')
    .mockRejectedValueOnce(new AppError('camera_unavailable'))
  await screen.findByText('扫一扫')
  for (let i = 0; i < 3; i++) await act(async () => fireEvent.click(screen.getByText('扫一扫')))
  expect(Taro.navigateTo).not.toHaveBeenCalled()
  expect(jest.mocked(Taro.showToast).mock.calls.map(([o]) => o?.title)).toEqual([
    '无法识别，请扫描会员码或兑换券',
    '无法打开摄像头，请手动输入券码或会员码',
  ])
})

it('typing a voucher code (as the member screen groups it) opens it; 确定 is off while empty', async () => {
  jest.mocked(fetchMe).mockResolvedValue(CLERK)
  render(<StaffHome />)
  await screen.findByText('扫一扫')
  expect(isDisabled(buttonByText('确定'))).toBe(true)
  await typeInto(inputByPlaceholder('输入12位券码或会员码'), '1234-5678-9012')
  expect(isDisabled(buttonByText('确定'))).toBe(false)
  fireEvent.click(screen.getByText('确定'))
  expect(navigatedTo()).toEqual([`${ROUTES.staffVerify}?code=123456789012`])

  await typeInto(inputByPlaceholder('输入12位券码或会员码'), '12345')
  fireEvent.click(screen.getByText('确定'))
  expect(navigatedTo()).toHaveLength(1)
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '无法识别，请扫描会员码或兑换券' }))
})
