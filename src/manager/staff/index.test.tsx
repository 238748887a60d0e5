import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { addClerk, deactivateClerk, fetchStoreStaff, setClerkCap } from '../../services/manager'
import { storeStaffStore } from '../../stores/manager'
import StaffManage from './index'
import { aSetClerkResult, aStaffRow, aStoreStaff, aStoreStaffMember, anInvitation, MANAGER_SELF } from '../../../test/factories/manager'
import { buttonByText, errorToast, inputByPlaceholder, isDisabled, typeInto } from '../../../test/support/taro-dom'

jest.mock('../../services/manager')

const initial = storeStaffStore.getState()
const WANG = aStoreStaffMember()
let sheetAnswer: number | null
let confirmAnswer: boolean

beforeEach(() => {
  jest.resetAllMocks()
  storeStaffStore.setState(initial, true)
  sheetAnswer = 0
  confirmAnswer = true
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'showActionSheet').mockImplementation(async () => {
    if (sheetAnswer === null) throw { errMsg: 'showActionSheet:fail cancel' }
    return { tapIndex: sheetAnswer, errMsg: 'showActionSheet:ok' } as any
  })
  jest
    .spyOn(Taro, 'showModal')
    .mockImplementation(async () => ({ confirm: confirmAnswer, cancel: !confirmAnswer, errMsg: 'showModal:ok' }) as any)
  jest.mocked(fetchStoreStaff).mockResolvedValue(aStoreStaff())
})
afterEach(() => jest.restoreAllMocks())

/** The row of a staff member by name (its nickname text). */
const rowOf = (name: string) => screen.getByText(name, { exact: false }).closest('.mgr-staff__row') as HTMLElement
const within = (row: HTMLElement, text: string) =>
  [...row.querySelectorAll('taro-button-core')].find((b) => b.textContent === text) as HTMLElement

it("loading, then the store's staff: the manager (no actions) and a clerk with today's awarded points against his cap", async () => {
  jest.mocked(fetchStoreStaff).mockResolvedValue(
    aStoreStaff({
      staff: [MANAGER_SELF, WANG, aStoreStaffMember({ member_id: 'x', nickname: '店员张三', phone: '139****0003', active: false })],
      invitations: [anInvitation()],
    }),
  )
  render(<StaffManage />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(await screen.findByText('悦享咖啡·静安寺店')).toBeInTheDocument()
  expect(screen.getByText('今日 2026-11-23 · 在职 2 人')).toBeInTheDocument()
  const me = rowOf('店长李强')
  expect(me).toHaveTextContent('店长李强（我）')
  expect(me.querySelector('taro-button-core')).toBeNull() // no 停用 of himself, no cap change of a manager
  const wang = rowOf('店员王芳')
  expect(wang).toHaveTextContent('店员 · 139****0001 · 2026-10-01 起')
  expect(wang).toHaveTextContent('1,200 / 20,000')
  expect((wang.querySelector('.mgr-staff__bar') as HTMLElement).style.width).toBe('6%')
  expect(within(wang, '修改上限')).toBeTruthy()
  expect(within(wang, '停用')).toBeTruthy()
  // deactivated: listed apart, no actions
  const gone = rowOf('店员张三')
  expect(gone).toHaveClass('mgr-staff__row--inactive')
  expect(gone).toHaveTextContent('已停用')
  expect(gone.querySelector('taro-button-core')).toBeNull()
  // the open invitation
  expect(screen.getByText('136****1234')).toBeInTheDocument()
  expect(screen.getByText('店员 · 每日上限 3,000 · 2026-11-23 10:00 邀请')).toBeInTheDocument()
})

it('a clerk at his cap reads as reached', async () => {
  jest
    .mocked(fetchStoreStaff)
    .mockResolvedValue(aStoreStaff({ staff: [aStoreStaffMember({ awarded_today_points: 500, daily_award_cap_points: 500 })] }))
  render(<StaffManage />)
  expect(await screen.findByText('500 / 500')).toHaveClass('mgr-staff__usage-text--reached')
})

it.each([
  ['offline', 'network_error', '网络连接失败，请检查网络后重试'],
  ['a clerk', 'not_manager', '仅限店长查看'],
  ['a member', 'not_staff', '仅限门店员工操作'],
])('%s: the message and 重试', async (_who, code, text) => {
  jest.mocked(fetchStoreStaff).mockRejectedValueOnce(new AppError(code)).mockResolvedValueOnce(aStoreStaff())
  render(<StaffManage />)
  expect(await screen.findByText(text)).toBeInTheDocument()
  fireEvent.click(screen.getByText('重试'))
  expect(await screen.findByText('悦享咖啡·静安寺店')).toBeInTheDocument()
})

it('添加店员: a phone of a member makes a clerk at once; the form clears and the list is loaded again', async () => {
  jest.mocked(addClerk).mockResolvedValue(aSetClerkResult('staff'))
  render(<StaffManage />)
  await screen.findByText('添加店员', { selector: '.mgr-staff__card-title' })
  expect(isDisabled(buttonByText('添加'))).toBe(true)
  await typeInto(inputByPlaceholder('店员登录用的手机号'), '13655501234')
  await typeInto(inputByPlaceholder('每日最多发放积分'), '5000')
  await act(async () => fireEvent.click(buttonByText('添加')))
  expect(addClerk).toHaveBeenCalledWith('13655501234', 5000)
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已将 136****1234 设为店员' }))
  expect(inputByPlaceholder('店员登录用的手机号').value).toBe('')
  expect(inputByPlaceholder('每日最多发放积分').value).toBe('20000')
  await waitFor(() => expect(fetchStoreStaff).toHaveBeenCalledTimes(2))
})

it('添加店员: an unknown phone is invited', async () => {
  jest.mocked(addClerk).mockResolvedValue(aSetClerkResult('invitation'))
  render(<StaffManage />)
  await screen.findByText('悦享咖啡·静安寺店')
  await typeInto(inputByPlaceholder('店员登录用的手机号'), '13655501234')
  await act(async () => fireEvent.click(buttonByText('添加')))
  expect(addClerk).toHaveBeenCalledWith('13655501234', 20000)
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已邀请 136****1234，对方首次登录后成为店员' }))
})

it('添加店员: a wrong phone or cap is said before any call; a refusal (staff elsewhere) under the button', async () => {
  render(<StaffManage />)
  await screen.findByText('悦享咖啡·静安寺店')
  await typeInto(inputByPlaceholder('店员登录用的手机号'), '1365550')
  expect(screen.queryByText('请输入11位手机号')).toBeNull() // still typing
  await act(async () => fireEvent.click(buttonByText('添加')))
  expect(screen.getByText('请输入11位手机号')).toHaveClass('mgr-staff__refusal')
  await typeInto(inputByPlaceholder('店员登录用的手机号'), '12800000001')
  expect(screen.getByText('请输入正确的手机号')).toHaveClass('mgr-staff__field-problem')
  await typeInto(inputByPlaceholder('店员登录用的手机号'), '13655501234')
  await typeInto(inputByPlaceholder('每日最多发放积分'), '-5')
  expect(screen.getByText('上限不能为负数')).toBeInTheDocument()
  await act(async () => fireEvent.click(buttonByText('添加')))
  expect(addClerk).not.toHaveBeenCalled()

  await typeInto(inputByPlaceholder('每日最多发放积分'), '3000')
  jest.mocked(addClerk).mockRejectedValue(new AppError('staff_elsewhere'))
  await act(async () => fireEvent.click(buttonByText('添加')))
  expect(screen.getByText('该手机号已是其他门店员工或店长，请联系总部')).toHaveClass('mgr-staff__refusal')
  expect(inputByPlaceholder('店员登录用的手机号').value).toBe('13655501234') // kept, to correct it
  // typing again clears the refusal
  await typeInto(inputByPlaceholder('店员登录用的手机号'), '1365550123')
  expect(screen.queryByText('该手机号已是其他门店员工或店长，请联系总部')).toBeNull()
})

it('修改上限: the new cap is saved and shows at once; 取消 leaves it; a refusal is a toast', async () => {
  jest.mocked(setClerkCap).mockResolvedValue(aStaffRow({ daily_award_cap_points: 8000 }))
  render(<StaffManage />)
  await screen.findByText('悦享咖啡·静安寺店')
  // the reload after the write answers the new cap too
  jest.mocked(fetchStoreStaff).mockResolvedValue(aStoreStaff({ staff: [MANAGER_SELF, { ...WANG, daily_award_cap_points: 8000 }] }))
  fireEvent.click(within(rowOf('店员王芳'), '修改上限'))
  expect(inputByPlaceholder('新的每日上限').value).toBe('20000')
  fireEvent.click(buttonByText('取消'))
  expect(screen.queryByPlaceholderText('新的每日上限')).toBeNull()

  fireEvent.click(within(rowOf('店员王芳'), '修改上限'))
  await typeInto(inputByPlaceholder('新的每日上限'), '8000')
  await act(async () => fireEvent.click(buttonByText('保存')))
  expect(setClerkCap).toHaveBeenCalledWith(WANG.member_id, 8000)
  expect(rowOf('店员王芳')).toHaveTextContent('1,200 / 8,000')
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '上限已改为 8,000' }))

  jest.mocked(setClerkCap).mockRejectedValue(new AppError('staff_not_found'))
  fireEvent.click(within(rowOf('店员王芳'), '修改上限'))
  await typeInto(inputByPlaceholder('新的每日上限'), '9000')
  await act(async () => fireEvent.click(buttonByText('保存')))
  expect(Taro.showToast).toHaveBeenLastCalledWith(errorToast('该员工不存在或已停用'))
})

it('停用: a reason, a confirm naming the clerk, then the clerk is listed as deactivated; cancelling changes nothing', async () => {
  jest.mocked(deactivateClerk).mockResolvedValue(aStaffRow({ active: false }))
  render(<StaffManage />)
  await screen.findByText('悦享咖啡·静安寺店')
  jest.mocked(fetchStoreStaff).mockResolvedValue(aStoreStaff({ staff: [MANAGER_SELF, { ...WANG, active: false }] }))

  sheetAnswer = null // the sheet dismissed
  await act(async () => fireEvent.click(within(rowOf('店员王芳'), '停用')))
  confirmAnswer = false
  sheetAnswer = 0
  await act(async () => fireEvent.click(within(rowOf('店员王芳'), '停用')))
  expect(deactivateClerk).not.toHaveBeenCalled()

  confirmAnswer = true
  await act(async () => fireEvent.click(within(rowOf('店员王芳'), '停用')))
  expect(Taro.showModal).toHaveBeenLastCalledWith(
    expect.objectContaining({
      title: '停用店员',
      content: '停用店员「店员王芳」（139****0001）？原因：离职。停用后其不能再发放积分，已发放的记录不变。',
    }),
  )
  expect(deactivateClerk).toHaveBeenCalledWith(WANG.member_id, '离职')
  expect(rowOf('店员王芳')).toHaveClass('mgr-staff__row--inactive')
  expect(screen.getByText('今日 2026-11-23 · 在职 1 人')).toBeInTheDocument()
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已停用「店员王芳」' }))
})

it('停用 refused (already deactivated elsewhere): the message, and the list is loaded again', async () => {
  jest.mocked(deactivateClerk).mockRejectedValue(new AppError('staff_not_found'))
  render(<StaffManage />)
  await screen.findByText('悦享咖啡·静安寺店')
  await act(async () => fireEvent.click(within(rowOf('店员王芳'), '停用')))
  expect(Taro.showToast).toHaveBeenLastCalledWith(errorToast('该员工不存在或已停用'))
  await waitFor(() => expect(fetchStoreStaff).toHaveBeenCalledTimes(2))
})
