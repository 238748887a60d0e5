import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { ROUTES } from '../../routes'
import { awardPurchase, previewMember } from '../../services/staff'
import { memberPreviewStore } from '../../stores/staff'
import StaffAward from './index'
import { A_MEMBER_CODE, aMemberPreview, aPurchaseResult } from '../../../test/factories/staff'
import { buttonByText, inputByPlaceholder, isDisabled, typeInto } from '../../../test/support/taro-dom'

jest.mock('../../services/staff')

const initial = memberPreviewStore.getState()
let confirmAnswer = true

beforeEach(() => {
  jest.resetAllMocks()
  memberPreviewStore.setState(initial, true)
  confirmAnswer = true
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateBack').mockResolvedValue({ errMsg: 'navigateBack:ok' })
  jest.spyOn(Taro, 'redirectTo').mockResolvedValue({ errMsg: 'redirectTo:ok' })
  jest
    .spyOn(Taro, 'showModal')
    .mockImplementation(async () => ({ confirm: confirmAnswer, cancel: !confirmAnswer, errMsg: 'showModal:ok' }) as any)
  jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: { code: encodeURIComponent(A_MEMBER_CODE) }, path: ROUTES.staffAward } as any)
})
afterEach(() => jest.restoreAllMocks())

const toasts = () => jest.mocked(Taro.showToast).mock.calls.map(([o]) => o?.title)

async function fill(amount: string, orderRef: string) {
  await typeInto(inputByPlaceholder('实付金额（元）'), amount)
  await typeInto(inputByPlaceholder('小票上的订单号'), orderRef)
}

it('loading, then the member the code belongs to and the form; 确认发放 waits for both fields', async () => {
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview({ pending_points: 300 }))
  render(<StaffAward />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(await screen.findByText('林小满')).toBeInTheDocument()
  expect(previewMember).toHaveBeenCalledWith(A_MEMBER_CODE)
  expect(screen.getByText('138****0001')).toBeInTheDocument()
  expect(screen.getByText('银卡会员 ×1.2')).toBeInTheDocument()
  expect(screen.getByText('可用积分 1,280')).toBeInTheDocument()
  expect(screen.getByText('待生效 300')).toBeInTheDocument()
  expect(isDisabled(buttonByText('确认发放'))).toBe(true)
  await typeInto(inputByPlaceholder('实付金额（元）'), '68')
  expect(isDisabled(buttonByText('确认发放'))).toBe(true)
  await typeInto(inputByPlaceholder('小票上的订单号'), 'POS-0001')
  expect(isDisabled(buttonByText('确认发放'))).toBe(false)
})

it('confirm → the points awarded, the breakdown and the member balance; then back to scanning', async () => {
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
  jest.mocked(awardPurchase).mockResolvedValue(aPurchaseResult())
  render(<StaffAward />)
  await screen.findByText('林小满')
  await fill('68', ' POS-0001 ')
  await act(async () => fireEvent.click(screen.getByText('确认发放')))

  expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '为「林小满」登记消费 ¥68.00，订单号 POS-0001？' }))
  expect(awardPurchase).toHaveBeenCalledWith({
    memberCode: A_MEMBER_CODE,
    amountFen: 6800,
    orderRef: 'POS-0001',
    requestId: expect.any(String),
  })
  expect(await screen.findByText('积分已发放')).toBeInTheDocument()
  expect(screen.getByText('+162 积分')).toBeInTheDocument()
  expect(screen.getByText('消费积分 81 · 活动加赠 81 · 等级倍数 ×1.2')).toBeInTheDocument()
  expect(screen.getByText('¥68.00')).toBeInTheDocument()
  expect(screen.getByText('1,442')).toBeInTheDocument()
  fireEvent.click(screen.getByText('继续扫码'))
  expect(Taro.navigateBack).toHaveBeenCalled()
  fireEvent.click(screen.getByText('查看最近操作'))
  expect(Taro.redirectTo).toHaveBeenCalledWith({ url: ROUTES.staffActions })
})

it('bad input is caught before the call; a cancelled confirmation sends nothing', async () => {
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
  render(<StaffAward />)
  await screen.findByText('林小满')
  await fill('12.345', 'POS-1')
  await act(async () => fireEvent.click(screen.getByText('确认发放')))
  await fill('12.34', '订单 1')
  await act(async () => fireEvent.click(screen.getByText('确认发放')))
  expect(toasts()).toEqual(['消费金额最多两位小数', '订单号只能包含字母、数字、-和_，最多64位'])
  confirmAnswer = false
  await fill('12.34', 'POS-1')
  await act(async () => fireEvent.click(screen.getByText('确认发放')))
  expect(awardPurchase).not.toHaveBeenCalled()
})

it('refusals show their message; a network error keeps the request id for the retry, new input gets a new one', async () => {
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
  jest
    .mocked(awardPurchase)
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockRejectedValueOnce(new AppError('staff_daily_cap_reached'))
    .mockRejectedValueOnce(new AppError('member_code_expired'))
  render(<StaffAward />)
  await screen.findByText('林小满')
  await fill('68', 'POS-1')
  for (let i = 0; i < 2; i++) await act(async () => fireEvent.click(screen.getByText('确认发放')))
  await typeInto(inputByPlaceholder('小票上的订单号'), 'POS-2')
  await act(async () => fireEvent.click(screen.getByText('确认发放')))
  const ids = jest.mocked(awardPurchase).mock.calls.map(([a]) => a.requestId)
  expect(ids[1]).toBe(ids[0]) // the retry after a network error
  expect(ids[2]).not.toBe(ids[1]) // a refusal stored nothing, and the input changed
  expect(toasts()).toEqual(['网络连接失败，请检查网络后重试', '今日发放积分已达上限', '会员码已过期，请让顾客刷新会员码后重新扫码'])
  expect(screen.queryByText('积分已发放')).toBeNull()
})

it("the staff member's own code: a notice and no form", async () => {
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview({ nickname: '店员王芳', is_self: true }))
  render(<StaffAward />)
  expect(await screen.findByText('这是您自己的会员码，不能给自己发放积分')).toBeInTheDocument()
  expect(screen.queryByText('确认发放')).toBeNull()
})

it.each([
  ['member_code_expired', '会员码已过期，请让顾客刷新会员码后重新扫码'],
  ['invalid_member_code', '会员码无效或已过期，请刷新后重试'],
  ['not_staff', '仅限门店员工操作'],
])('a preview refused with %s: the message and 重新扫码', async (code, message) => {
  jest.mocked(previewMember).mockRejectedValue(new AppError(code))
  render(<StaffAward />)
  expect(await screen.findByText(message)).toBeInTheDocument()
  fireEvent.click(screen.getByText('重新扫码'))
  expect(Taro.navigateBack).toHaveBeenCalled()
})

it("another code's preview is never shown while this one loads", async () => {
  memberPreviewStore.setState({ status: 'ready', data: { code: 'M1.OTHER', member: aMemberPreview({ nickname: '陈一一' }) } })
  jest.mocked(previewMember).mockReturnValue(new Promise(() => undefined))
  render(<StaffAward />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(screen.queryByText('陈一一')).toBeNull()
})

it('the same order again (repeat): when and by whom it was awarded, and nothing awarded now — not the success screen', async () => {
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
  jest
    .mocked(awardPurchase)
    .mockResolvedValue(
      aPurchaseResult({ repeat: true, created_at: '2026-11-23T02:00:00+00:00', awarded_by: { member_id: 's2', nickname: '店长李强' } }),
    )
  render(<StaffAward />)
  await screen.findByText('林小满')
  await fill('68', 'POS-0001')
  await act(async () => fireEvent.click(screen.getByText('确认发放')))
  expect(await screen.findByText('该订单已于 2026-11-23 10:00 由 店长李强 发放积分')).toBeInTheDocument()
  expect(screen.getByText('本次未重复发放')).toBeInTheDocument()
  expect(screen.queryByText('积分已发放')).toBeNull()
  expect(screen.queryByText('消费积分 81 · 活动加赠 81 · 等级倍数 ×1.2')).toBeNull()
  // what that award gave, and who made it
  expect(screen.getByText('+162 积分')).toBeInTheDocument()
  expect(screen.getByText('当时发放')).toBeInTheDocument()
  expect(screen.getByText('店长李强')).toBeInTheDocument()
})

it('a fresh award names who made it', async () => {
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
  jest.mocked(awardPurchase).mockResolvedValue(aPurchaseResult())
  render(<StaffAward />)
  await screen.findByText('林小满')
  await fill('68', 'POS-0001')
  await act(async () => fireEvent.click(screen.getByText('确认发放')))
  expect(await screen.findByText('积分已发放')).toBeInTheDocument()
  expect(screen.getByText('经办人')).toBeInTheDocument()
  expect(screen.getByText('店员王芳')).toBeInTheDocument()
  expect(screen.queryByText('本次未重复发放')).toBeNull()
})

it('a repeat of an order that was voided since says so', async () => {
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
  jest.mocked(awardPurchase).mockResolvedValue(aPurchaseResult({ status: 'voided', repeat: true }))
  render(<StaffAward />)
  await screen.findByText('林小满')
  await fill('68', 'POS-0001')
  await act(async () => fireEvent.click(screen.getByText('确认发放')))
  expect(await screen.findByText('该订单已撤销')).toBeInTheDocument()
  expect(screen.getByText('本次未发放积分')).toBeInTheDocument()
  expect(screen.queryByText('+162 积分')).toBeNull()
})

it('"-5" is refused with a message, never taken as ¥5.00; the field is a text field on H5 (no silent filter)', async () => {
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
  render(<StaffAward />)
  await screen.findByText('林小满')
  expect((inputByPlaceholder('实付金额（元）') as unknown as { type: string }).type).toBe('text')
  await fill('-5', 'POS-1')
  expect(screen.getByText('消费金额不能为负数')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('确认发放')))
  expect(toasts()).toEqual(['消费金额不能为负数'])
  expect(Taro.showModal).not.toHaveBeenCalled()
  expect(awardPurchase).not.toHaveBeenCalled()
  await typeInto(inputByPlaceholder('实付金额（元）'), '5')
  expect(screen.queryByText('消费金额不能为负数')).toBeNull()
})

it('a code previewed before and expired since: retyped, it shows the expiry message, never the old member card', async () => {
  // the earlier visit's preview of the very same code
  memberPreviewStore.setState({ status: 'ready', data: { code: A_MEMBER_CODE, member: aMemberPreview({ nickname: '陈一一' }) } })
  let refuse: (e: unknown) => void = () => undefined
  jest.mocked(previewMember).mockReturnValue(new Promise((_, reject) => (refuse = reject)))
  render(<StaffAward />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(screen.queryByText('陈一一')).toBeNull()
  expect(previewMember).toHaveBeenCalledWith(A_MEMBER_CODE) // previewed again, not reused
  await act(async () => refuse(new AppError('member_code_expired')))
  expect(await screen.findByText('会员码已过期，请让顾客刷新会员码后重新扫码')).toBeInTheDocument()
  expect(screen.queryByText('陈一一')).toBeNull()
  expect(screen.queryByText('确认发放')).toBeNull()
  expect(screen.getByText('重新扫码')).toBeInTheDocument()
})

it('a timed-out award keeps its request id: the retry cannot award twice', async () => {
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
  jest.mocked(awardPurchase).mockRejectedValueOnce(new AppError('request_timeout')).mockResolvedValueOnce(aPurchaseResult())
  render(<StaffAward />)
  await screen.findByText('林小满')
  await fill('68', 'POS-1')
  await act(async () => fireEvent.click(screen.getByText('确认发放')))
  expect(toasts()).toEqual(['网络超时，请重试'])
  await act(async () => fireEvent.click(screen.getByText('确认发放')))
  const ids = jest.mocked(awardPurchase).mock.calls.map(([a]) => a.requestId)
  expect(ids[1]).toBe(ids[0])
  expect(await screen.findByText('积分已发放')).toBeInTheDocument()
})

describe('the counter: no code yet, a keyboard-wedge scanner, typed digits', () => {
  const DIGITS = '912345678901234567'

  /** A scanner in keyboard-wedge mode: the characters 5 ms apart, then Enter. */
  function wedgeScan(text: string) {
    let now = 10_000
    const clock = jest.spyOn(performance, 'now').mockImplementation(() => now)
    for (const key of [...text, 'Enter']) {
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
      now += 5
    }
    clock.mockRestore()
  }

  beforeEach(() => {
    jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: {}, path: ROUTES.staffAward } as any)
  })

  it('waits for a code; a wedge scan of the digits loads the member with no tap', async () => {
    jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
    render(<StaffAward />)
    expect(screen.getByText('请扫描顾客会员码')).toBeInTheDocument()
    expect(previewMember).not.toHaveBeenCalled()
    await act(async () => wedgeScan(DIGITS))
    expect(await screen.findByText('林小满')).toBeInTheDocument()
    expect(previewMember).toHaveBeenCalledWith(DIGITS)
  })

  it('typing by hand is no scan; typed digits with spaces work through 查询会员', async () => {
    jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
    render(<StaffAward />)
    await typeInto(inputByPlaceholder('或输入会员码数字'), '9123 4567 8901 2345 67')
    expect(previewMember).not.toHaveBeenCalled()
    fireEvent.click(buttonByText('查询会员'))
    expect(await screen.findByText('林小满')).toBeInTheDocument()
    expect(previewMember).toHaveBeenCalledWith(DIGITS)
  })

  it('a scan during or after an award starts the next customer: a fresh form', async () => {
    jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
    jest.mocked(awardPurchase).mockResolvedValue(aPurchaseResult())
    render(<StaffAward />)
    await act(async () => wedgeScan(DIGITS))
    await screen.findByText('林小满')
    await fill('68', 'POS-0001')
    fireEvent.click(buttonByText('确认发放'))
    expect(await screen.findByText('积分已发放')).toBeInTheDocument()
    jest.mocked(previewMember).mockResolvedValue(aMemberPreview({ nickname: '陈一一' }))
    await act(async () => wedgeScan('900000000000000001'))
    expect(await screen.findByText('陈一一')).toBeInTheDocument()
    expect(previewMember).toHaveBeenLastCalledWith('900000000000000001')
    expect((inputByPlaceholder('实付金额（元）') as HTMLInputElement).value).toBe('')
  })

  it('a scan that is no member code is left alone (e.g. an order number into its field)', async () => {
    render(<StaffAward />)
    await act(async () => wedgeScan('POS20261206001'))
    expect(previewMember).not.toHaveBeenCalled()
    expect(screen.getByText('请扫描顾客会员码')).toBeInTheDocument()
  })
})

it('the counter: 继续扫码 after an award waits here for the next code', async () => {
  jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: {}, path: ROUTES.staffAward } as any)
  jest.mocked(previewMember).mockResolvedValue(aMemberPreview())
  jest.mocked(awardPurchase).mockResolvedValue(aPurchaseResult())
  render(<StaffAward />)
  await typeInto(inputByPlaceholder('或输入会员码数字'), '912345678901234567')
  fireEvent.click(buttonByText('查询会员'))
  await screen.findByText('林小满')
  await fill('68', 'POS-0001')
  fireEvent.click(buttonByText('确认发放'))
  await screen.findByText('积分已发放')
  fireEvent.click(screen.getByText('继续扫码'))
  expect(await screen.findByText('请扫描顾客会员码')).toBeInTheDocument()
  expect(Taro.navigateBack).not.toHaveBeenCalled()
})
