import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { scanCode } from '../../platform/scan'
import { ROUTES } from '../../routes'
import { findStoreMembers } from '../../services/manager'
import { memberSearchStore } from '../../stores/manager'
import MemberSearch from './index'
import { aStoreMember } from '../../../test/factories/manager'
import { A_MEMBER_CODE } from '../../../test/factories/staff'
import { buttonByText, errorToast, inputByPlaceholder, isDisabled, typeInto } from '../../../test/support/taro-dom'

jest.mock('../../services/manager')
jest.mock('../../platform/scan')

const initial = memberSearchStore.getState()
const PLACEHOLDER = '手机号 / 会员码 / 会员编号'

beforeEach(() => {
  jest.resetAllMocks()
  memberSearchStore.setState(initial, true)
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.mocked(findStoreMembers).mockResolvedValue([aStoreMember()])
})
afterEach(() => jest.restoreAllMocks())

async function search(text: string) {
  await typeInto(inputByPlaceholder(PLACEHOLDER), text)
  await act(async () => fireEvent.click(buttonByText('查询')))
}

it('before a search: the box, the scan button and what can be searched; no call', () => {
  render(<MemberSearch />)
  expect(isDisabled(buttonByText('查询'))).toBe(true)
  expect(screen.getByText('扫会员码查询')).toBeInTheDocument()
  expect(screen.getByText(/查询在本店消费过的会员/)).toBeInTheDocument()
  expect(findStoreMembers).not.toHaveBeenCalled()
})

it('a phone (spaces removed): loading, then the member with the figures at this store; a tap opens the detail', async () => {
  let answer!: (v: ReturnType<typeof aStoreMember>[]) => void
  jest.mocked(findStoreMembers).mockReturnValue(new Promise((resolve) => (answer = resolve)))
  render(<MemberSearch />)
  await search('138 0000 0001')
  expect(findStoreMembers).toHaveBeenCalledWith('13800000001')
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  await act(async () => answer([aStoreMember()]))
  expect(screen.getByText('林小满')).toBeInTheDocument()
  expect(screen.getByText('银卡会员')).toBeInTheDocument()
  expect(screen.getByText('138****0001')).toBeInTheDocument()
  expect(screen.getByText('消费 3 笔 · 共 ¥123.00')).toBeInTheDocument()
  expect(screen.getByText('首次 2026-10-01 · 最近 2026-11-23')).toBeInTheDocument()
  expect(screen.getByText('1,280')).toBeInTheDocument()
  fireEvent.click(screen.getByText('林小满'))
  expect(jest.mocked(Taro.navigateTo).mock.calls[0][0].url).toBe(`${ROUTES.managerMember}?id=00000000-0000-4000-8000-000000000001`)
})

it('a member id and a typed member code are searched as they are', async () => {
  render(<MemberSearch />)
  await search('00000000-0000-4000-8000-000000000001')
  await search(A_MEMBER_CODE.toLowerCase())
  expect(jest.mocked(findStoreMembers).mock.calls).toEqual([['00000000-0000-4000-8000-000000000001'], [A_MEMBER_CODE]])
})

it('nobody of this store: says so (the same for a member of another store)', async () => {
  jest.mocked(findStoreMembers).mockResolvedValue([])
  render(<MemberSearch />)
  await search('13800000002')
  expect(screen.getByText('本店没有找到该会员（仅可查询在本店消费过的会员）')).toBeInTheDocument()
})

it('a query that is not a full phone, code or id is explained without a call', async () => {
  render(<MemberSearch />)
  await search('0001')
  expect(screen.getByText('请输入完整的11位手机号')).toBeInTheDocument()
  await search('林小满')
  expect(screen.getByText('请输入完整的11位手机号、会员码或会员编号')).toBeInTheDocument()
  expect(findStoreMembers).not.toHaveBeenCalled()
  // typing again clears it
  await typeInto(inputByPlaceholder(PLACEHOLDER), '138')
  expect(screen.queryByText('请输入完整的11位手机号、会员码或会员编号')).toBeNull()
})

it.each([
  ['offline', 'network_error', '网络连接失败，请检查网络后重试'],
  ['an expired code', 'member_code_expired', '会员码已过期，请让顾客刷新会员码后重新扫码'],
  ['a clerk', 'not_manager', '仅限店长查看'],
])('%s: the message and 重试', async (_name, code, text) => {
  jest.mocked(findStoreMembers).mockRejectedValueOnce(new AppError(code)).mockResolvedValueOnce([aStoreMember()])
  render(<MemberSearch />)
  await search('13800000001')
  expect(screen.getByText(text)).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(screen.getByText('林小满')).toBeInTheDocument()
  expect(jest.mocked(findStoreMembers).mock.calls).toEqual([['13800000001'], ['13800000001']])
})

it('a scanned member code is searched at once; anything else scanned, or no camera, says so; a cancel does nothing', async () => {
  render(<MemberSearch />)
  jest
    .mocked(scanCode)
    .mockResolvedValueOnce(`${A_MEMBER_CODE}\n`)
    .mockResolvedValueOnce('123456789012')
    .mockResolvedValueOnce(null)
    .mockRejectedValueOnce(new AppError('camera_unavailable'))
  await act(async () => fireEvent.click(screen.getByText('扫会员码查询')))
  expect(findStoreMembers).toHaveBeenCalledWith(A_MEMBER_CODE)
  expect(screen.getByText('林小满')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('扫会员码查询')))
  expect(Taro.showToast).toHaveBeenLastCalledWith(errorToast('无法识别，请扫描会员的会员码'))
  await act(async () => fireEvent.click(screen.getByText('扫会员码查询')))
  await act(async () => fireEvent.click(screen.getByText('扫会员码查询')))
  expect(Taro.showToast).toHaveBeenLastCalledWith(errorToast('无法打开摄像头，请手动输入券码或会员码'))
  expect(findStoreMembers).toHaveBeenCalledTimes(1)
})

it("an earlier visit's answer is not shown before this visit searches", () => {
  memberSearchStore.getState().set({ query: '13800000001', members: [aStoreMember()] })
  render(<MemberSearch />)
  expect(screen.queryByText('林小满')).toBeNull()
})
