import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { fetchMe } from '../../services/member'
import { listStaffActions, voidPurchase } from '../../services/staff'
import { meStore } from '../../stores/member'
import { staffActionsStore } from '../../stores/staff'
import StaffActions from './index'
import { aMe } from '../../../test/factories/me'
import { aStaffAction, aVoidResult } from '../../../test/factories/staff'

jest.mock('../../services/staff')
jest.mock('../../services/member')

const initial = { list: staffActionsStore.getState(), me: meStore.getState() }
const CLERK = aMe({ staff: { store_id: 's1', store_name: '悦享咖啡·静安寺店', role: 'clerk' } })
const MANAGER = aMe({ staff: { store_id: 's1', store_name: '悦享咖啡·静安寺店', role: 'manager' } })
let sheetAnswer: number | null = 0
let confirmAnswer = true

beforeEach(() => {
  jest.resetAllMocks()
  staffActionsStore.setState(initial.list, true)
  meStore.setState(initial.me, true)
  sheetAnswer = 0
  confirmAnswer = true
  jest.mocked(fetchMe).mockResolvedValue(CLERK)
  // 2026-11-23 14:00 in Shanghai: the factories' awards are today's
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-23T06:00:00Z'))
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'showActionSheet').mockImplementation(async () => {
    if (sheetAnswer === null) throw { errMsg: 'showActionSheet:fail cancel' }
    return { tapIndex: sheetAnswer, errMsg: 'showActionSheet:ok' } as any
  })
  jest
    .spyOn(Taro, 'showModal')
    .mockImplementation(async () => ({ confirm: confirmAnswer, cancel: !confirmAnswer, errMsg: 'showModal:ok' }) as any)
})
afterEach(() => jest.restoreAllMocks())

const AWARD = aStaffAction()
const VOIDED_AWARD = aStaffAction({
  ref: 'p2',
  points: 50,
  amount_fen: 5000,
  detail: { order_ref: 'POS-0002' },
  purchase: { id: 'p2', order_ref: 'POS-0002', status: 'voided', business_date: '2026-11-23', voided_at: '2026-11-23T03:00:00+00:00' },
})
const VOID = aStaffAction({
  action: 'void_purchase',
  points: -50,
  amount_fen: 5000,
  detail: { order_ref: 'POS-0002', reason: '金额录入错误' },
  purchase: VOIDED_AWARD.purchase,
})
const VERIFY = aStaffAction({
  action: 'verify_redemption',
  points: 100,
  amount_fen: 1000,
  purchase: null,
  detail: { voucher_code: '123456789012', item_title: '¥10无门槛券' },
})

it('loading, then awards, voids and verifications; 撤销 only on a standing award', async () => {
  jest.mocked(listStaffActions).mockResolvedValue([AWARD, VOIDED_AWARD, VOID, VERIFY])
  render(<StaffActions />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(await screen.findByText('订单 POS-0001 · ¥68.00')).toBeInTheDocument()
  expect(screen.getByText('+162')).toBeInTheDocument()
  expect(screen.getByText('订单 POS-0002 · ¥50.00 · 金额录入错误')).toBeInTheDocument()
  expect(screen.getByText('-50')).toBeInTheDocument()
  expect(screen.getByText('已撤销')).toBeInTheDocument()
  expect(screen.getByText('券码 1234-5678-9012')).toBeInTheDocument()
  expect(screen.getByText('¥10无门槛券')).toBeInTheDocument()
  expect(screen.getAllByText('消费积分 · 林小满 138****0001')).toHaveLength(2)
  expect(screen.getAllByText('撤销')).toHaveLength(1)
  expect(screen.getByText('没有更多了')).toBeInTheDocument()
  expect(screen.queryByText(/店员王芳/)).toBeNull() // a clerk's list is their own
})

it("a manager's list names who did each action", async () => {
  jest.mocked(fetchMe).mockResolvedValue(MANAGER)
  jest.mocked(listStaffActions).mockResolvedValue([AWARD])
  render(<StaffActions />)
  expect(await screen.findByText('2026-11-23 10:00 · 店员王芳')).toBeInTheDocument()
})

it("a clerk is not offered 撤销 on an earlier day's award, and is told why; a manager is", async () => {
  const yesterday = aStaffAction({
    detail: { order_ref: 'POS-0009' },
    purchase: { id: 'p9', order_ref: 'POS-0009', status: 'awarded', business_date: '2026-11-22', voided_at: null },
  })
  jest.mocked(listStaffActions).mockResolvedValue([AWARD, yesterday])
  const { unmount } = render(<StaffActions />)
  expect(await screen.findByText('仅当日可撤销，请联系店长')).toBeInTheDocument()
  expect(screen.getAllByText('撤销')).toHaveLength(1) // today's award only
  unmount()

  staffActionsStore.setState(initial.list, true)
  meStore.setState(initial.me, true)
  jest.mocked(fetchMe).mockResolvedValue(MANAGER)
  render(<StaffActions />)
  expect(await screen.findByText('订单 POS-0009 · ¥68.00')).toBeInTheDocument()
  await screen.findAllByText(/店员王芳/) // the manager's me has loaded
  expect(screen.getAllByText('撤销')).toHaveLength(2)
  expect(screen.queryByText('仅当日可撤销，请联系店长')).toBeNull()
})

it('empty, and an error with 重试', async () => {
  jest.mocked(listStaffActions).mockRejectedValueOnce(new AppError('not_staff')).mockResolvedValueOnce([])
  render(<StaffActions />)
  expect(await screen.findByText('仅限门店员工操作')).toBeInTheDocument()
  fireEvent.click(screen.getByText('重试'))
  expect(await screen.findByText('还没有操作记录')).toBeInTheDocument()
})

it('撤销: a reason, a confirmation, the void, then the list again', async () => {
  jest
    .mocked(listStaffActions)
    .mockResolvedValueOnce([AWARD])
    .mockResolvedValueOnce([
      { ...VOID, purchase: { ...AWARD.purchase!, status: 'voided' } },
      { ...AWARD, purchase: { ...AWARD.purchase!, status: 'voided' } },
    ])
  jest.mocked(voidPurchase).mockResolvedValue(aVoidResult())
  render(<StaffActions />)
  await screen.findByText('撤销')
  sheetAnswer = 1
  await act(async () => fireEvent.click(screen.getByText('撤销')))
  expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '撤销订单 POS-0001 发给「林小满」的 162 积分？' }))
  expect(voidPurchase).toHaveBeenCalledWith('POS-0001', '金额录入错误')
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '已撤销 162 积分' }))
  expect(await screen.findByText('已撤销')).toBeInTheDocument()
  expect(screen.queryByText('撤销')).toBeNull()
})

it('dismissing the reasons or the confirmation voids nothing; a refusal shows its message', async () => {
  jest.mocked(listStaffActions).mockResolvedValue([AWARD])
  jest.mocked(voidPurchase).mockRejectedValue(new AppError('void_not_allowed'))
  render(<StaffActions />)
  await screen.findByText('撤销')
  sheetAnswer = null
  await act(async () => fireEvent.click(screen.getByText('撤销')))
  sheetAnswer = 0
  confirmAnswer = false
  await act(async () => fireEvent.click(screen.getByText('撤销')))
  expect(voidPurchase).not.toHaveBeenCalled()
  confirmAnswer = true
  await act(async () => fireEvent.click(screen.getByText('撤销')))
  expect(voidPurchase).toHaveBeenCalledWith('POS-0001', '顾客退货退款')
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '店员只能撤销当天的订单，请联系店长' }))
})

it('the next page at the bottom; a failed page can be retried', async () => {
  const page = Array.from({ length: 20 }, () => aStaffAction())
  jest
    .mocked(listStaffActions)
    .mockResolvedValueOnce(page)
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockResolvedValueOnce([VERIFY])
  render(<StaffActions />)
  await screen.findAllByText('撤销')
  await act(() => staffActionsStore.getState().loadMore())
  expect(jest.mocked(listStaffActions).mock.calls[1][0]).toEqual({ beforeId: page[19].id })
  fireEvent.click(await screen.findByText('网络连接失败，请检查网络后重试，点击重试'))
  expect(await screen.findByText('券码 1234-5678-9012')).toBeInTheDocument()
})
