import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { ROUTES } from '../../routes'
import { fetchStoreMember } from '../../services/manager'
import { storeMemberStore } from '../../stores/manager'
import StoreMemberPage from './index'
import { aStoreMemberDetail } from '../../../test/factories/manager'

jest.mock('../../services/manager')

const initial = storeMemberStore.getState()
const ID = '00000000-0000-4000-8000-000000000001'

beforeEach(() => {
  jest.resetAllMocks()
  jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-10T04:00:00Z'))
  storeMemberStore.setState(initial, true)
  jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: { id: ID }, path: ROUTES.managerMember } as any)
  jest.mocked(fetchStoreMember).mockResolvedValue(aStoreMemberDetail())
})
afterEach(() => jest.restoreAllMocks())

const rowValue = (label: string) => screen.getByText(label).parentElement!.querySelector('.staff-row__value')!.textContent

it('loading, then the member: profile, points, expiring, figures at this store and the purchases here, voids included', async () => {
  render(<StoreMemberPage />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(await screen.findByText('林小满')).toBeInTheDocument()
  expect(fetchStoreMember).toHaveBeenCalledWith(ID)
  expect(screen.getByText('138****0001')).toBeInTheDocument()
  expect(screen.getByText('银卡会员 ×1.2')).toBeInTheDocument()
  expect(screen.getByText('1,280')).toBeInTheDocument()
  expect(screen.getByText('40')).toBeInTheDocument()
  expect(screen.getByText('120 积分将于 2026-12-31 过期')).toHaveClass('mgr-member__expiring--soon') // within 30 days of today
  expect(screen.getByText('2026-09-01 注册')).toBeInTheDocument()
  expect(rowValue('消费笔数')).toBe('1 笔')
  expect(rowValue('消费金额')).toBe('¥68.00')
  expect(rowValue('获得积分')).toBe('68')
  expect(rowValue('已撤销')).toBe('1 笔')
  expect(rowValue('到店')).toBe('2026-10-01 至 2026-11-23')
  const purchases = [...document.querySelectorAll('.mgr-member__purchase')].map((p) => p.textContent)
  expect(purchases).toEqual([
    '订单 POS-0002¥32.00 · 2026-11-23 11:00 · 店员王芳已撤销 · 顾客退货 · 2026-11-23 12:00+32',
    '订单 POS-0001¥68.00 · 2026-11-23 10:00 · 店员王芳+68',
  ])
  expect(screen.getByText('+32')).toHaveClass('mgr-member__purchase-points--voided')
})

it('no expiring points and no voids: those lines are left out', async () => {
  jest.mocked(fetchStoreMember).mockResolvedValue(aStoreMemberDetail({ expiring: null, voided_count: 0 }))
  render(<StoreMemberPage />)
  await screen.findByText('林小满')
  expect(screen.queryByText(/过期/)).toBeNull()
  expect(screen.queryByText('已撤销')).toBeNull()
})

it.each([
  ['offline', 'network_error', '网络连接失败，请检查网络后重试'],
  ['not a member of this store', 'store_member_not_found', '未找到该会员（仅可查看在本店消费过的会员）'],
])('%s: the message and 重试', async (_name, code, text) => {
  jest.mocked(fetchStoreMember).mockRejectedValueOnce(new AppError(code))
  render(<StoreMemberPage />)
  expect(await screen.findByText(text)).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(screen.getByText('林小满')).toBeInTheDocument()
})

it("another member's detail from an earlier visit is not shown while this one loads", () => {
  storeMemberStore.getState().set({ id: 'someone-else', detail: aStoreMemberDetail() })
  jest.mocked(fetchStoreMember).mockReturnValue(new Promise(() => undefined))
  render(<StoreMemberPage />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  expect(screen.queryByText('林小满')).toBeNull()
})
