import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import type { InviteSummary, Invitee } from '../../domain/referral'
import { listInvitees } from '../../services/referral'
import InvitePage from './index'
import { errorToast } from '../../../test/support/taro-dom'
import * as ui from '../../platform/ui'
import { resetMemberStores } from '../../stores/reset'

// the platform seam as a mutable object: a test switches to the mini-program's values
jest.mock('../../platform/ui', () => ({ __esModule: true, ...jest.requireActual('../../platform/ui') }))

jest.mock('../../services/referral', () => ({ ...jest.requireActual('../../services/referral'), listInvitees: jest.fn() }))

function anInvitee(n: number, overrides: Partial<Invitee> = {}): Invitee {
  return {
    nickname: `好友${n}`,
    avatar_url: null,
    bound_at: `2026-11-${String(24 - (n % 20)).padStart(2, '0')}T02:00:00.${String(n).padStart(6, '0')}+00:00`,
    status: 'pending',
    qualified_at: null,
    reward_points: 0,
    referrer_skipped: null,
    ...overrides,
  }
}

function aSummary(overrides: Partial<InviteSummary> = {}): InviteSummary {
  return {
    invite_code: 'ABCD2345',
    referrer: null,
    bonus_points: 100,
    qualifying_action: 'first_check_in_after_phone',
    daily_max_rewards: 10,
    rewards_today: 1,
    invited_count: 3,
    rewarded_count: 2,
    earned_points: 100,
    bind_until: null,
    invitees: [
      anInvitee(1, {
        nickname: '陈一一',
        bound_at: '2026-11-20T02:00:00+00:00',
        status: 'rewarded',
        qualified_at: '2026-11-21T01:00:00+00:00',
        reward_points: 100,
      }),
      anInvitee(2, { nickname: '王二', bound_at: '2026-11-19T17:00:00+00:00', status: 'rewarded', referrer_skipped: 'daily_cap' }),
      anInvitee(3, { nickname: 'amy', bound_at: '2026-11-18T02:00:00+00:00' }),
    ],
    ...overrides,
  }
}

let shareHandler: (() => { title: string; path: string }) | undefined

beforeEach(() => {
  jest.resetAllMocks()
  resetMemberStores() // the invite list is a store: each test starts with none
  shareHandler = undefined
  jest.spyOn(Taro, 'useShareAppMessage').mockImplementation(((fn: () => { title: string; path: string }) => {
    shareHandler = fn
  }) as typeof Taro.useShareAppMessage)
  jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: {}, path: '/member/invite/index' } as any)
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'setClipboardData').mockResolvedValue({ errMsg: 'setClipboardData:ok' } as never)
})
afterEach(() => {
  jest.restoreAllMocks()
  Object.assign(ui, jest.requireActual('../../platform/ui'))
})

it('loading, then the code, stats, rules and invitees with their status', async () => {
  jest.mocked(listInvitees).mockResolvedValue(aSummary())
  render(<InvitePage />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()

  expect(await screen.findByText('ABCD2345')).toBeInTheDocument()
  expect(listInvitees).toHaveBeenCalledWith({ before: undefined })
  expect(screen.getByText('3 人')).toBeInTheDocument()
  expect(screen.getByText('已邀请')).toBeInTheDocument()
  expect(screen.getByText('2 人')).toBeInTheDocument()
  expect(screen.getByText('100 积分')).toBeInTheDocument()
  expect(screen.getByText('1/10')).toBeInTheDocument()
  expect(screen.getByText('邀请好友注册并完成首次签到（需绑定手机号），双方各得100积分；每天最多奖励10次')).toBeInTheDocument()

  expect(screen.getByText('陈一一')).toBeInTheDocument()
  expect(screen.getByText('陈')).toBeInTheDocument()
  expect(screen.getByText('+100 积分')).toBeInTheDocument()
  expect(screen.getAllByText('已奖励').length).toBeGreaterThanOrEqual(3) // stat label + two rows
  // 2026-11-19 17:00 UTC is already the 20th in Shanghai
  expect(screen.getAllByText('2026-11-20 绑定')).toHaveLength(2)
  expect(screen.getByText('今日奖励已达上限')).toBeInTheDocument()
  expect(screen.getByText('待完成')).toBeInTheDocument()
  expect(screen.getByText('A')).toBeInTheDocument()
  expect(screen.getByText('没有更多了')).toBeInTheDocument()
  expect(screen.queryByText(/我的邀请人/)).toBeNull()
  // nothing promises points for the share itself
  expect(document.body.textContent).not.toMatch(/分享.{0,4}(得|获得|奖励)\d/)
})

it('shows who invited me', async () => {
  jest
    .mocked(listInvitees)
    .mockResolvedValue(
      aSummary({ referrer: { nickname: '林小满', avatar_url: null, status: 'pending', bound_at: '2026-11-20T02:00:00+00:00' } }),
    )
  render(<InvitePage />)
  expect(await screen.findByText('我的邀请人：林小满')).toBeInTheDocument()
})

it('no invitees yet: the empty text', async () => {
  jest
    .mocked(listInvitees)
    .mockResolvedValue(aSummary({ invitees: [], invited_count: 0, rewarded_count: 0, earned_points: 0, rewards_today: 0 }))
  render(<InvitePage />)
  expect(await screen.findByText('还没有邀请记录，快去邀请好友吧')).toBeInTheDocument()
  expect(screen.getByText('0/10')).toBeInTheDocument()
})

it('an error shows the message, and 重试 recovers', async () => {
  jest.mocked(listInvitees).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(aSummary())
  render(<InvitePage />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('ABCD2345')).toBeInTheDocument()
})

it('copies the invite code', async () => {
  jest.mocked(listInvitees).mockResolvedValue(aSummary())
  render(<InvitePage />)
  const button = await screen.findByText('复制邀请码')
  await act(async () => fireEvent.click(button))
  expect(Taro.setClipboardData).toHaveBeenCalledWith({ data: 'ABCD2345' })
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '已复制', icon: 'success' })
})

it('a failed copy says so', async () => {
  jest.mocked(listInvitees).mockResolvedValue(aSummary())
  jest.mocked(Taro.setClipboardData).mockRejectedValue({ errMsg: 'setClipboardData:fail' })
  render(<InvitePage />)
  const button = await screen.findByText('复制邀请码')
  await act(async () => fireEvent.click(button))
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('复制失败，请长按邀请码手动复制'))
})

it('loads more invitees before the last one shown', async () => {
  const first = Array.from({ length: 20 }, (_, i) => anInvitee(i + 1))
  jest
    .mocked(listInvitees)
    .mockResolvedValueOnce(aSummary({ invitees: first, invited_count: 22 }))
    .mockResolvedValueOnce(aSummary({ invitees: [anInvitee(21, { nickname: '第二十一' }), anInvitee(22)] }))
  render(<InvitePage />)
  const button = await screen.findByText('加载更多')
  await act(async () => fireEvent.click(button))
  expect(listInvitees).toHaveBeenLastCalledWith({ before: first[19].bound_at })
  expect(screen.getByText('第二十一')).toBeInTheDocument()
  expect(screen.getByText('好友1')).toBeInTheDocument()
  expect(screen.getByText('没有更多了')).toBeInTheDocument()
  expect(screen.queryByText('加载更多')).toBeNull()
})

it('a failed load-more keeps the list and shows a toast', async () => {
  const first = Array.from({ length: 20 }, (_, i) => anInvitee(i + 1))
  jest
    .mocked(listInvitees)
    .mockResolvedValueOnce(aSummary({ invitees: first }))
    .mockRejectedValueOnce(new AppError('network_error'))
  render(<InvitePage />)
  const button = await screen.findByText('加载更多')
  await act(async () => fireEvent.click(button))
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('网络连接失败，请检查网络后重试'))
  expect(screen.getByText('好友20')).toBeInTheDocument()
  expect(screen.getByText('加载更多')).toBeInTheDocument()
})

it('H5: the poster card with a QR of the invite link, no share button', async () => {
  jest.mocked(listInvitees).mockResolvedValue(aSummary())
  render(<InvitePage />)
  await screen.findByText('ABCD2345')
  const qr = document.querySelector('.qr-code')!
  expect(qr.getAttribute('data-qr')).toMatch(/#\/pages\/home\/index\?inviter=ABCD2345$/)
  expect(screen.getByText('送你100积分，一起来赚积分')).toBeInTheDocument()
  expect(screen.queryByText('邀请好友')).toBeNull()
})

it('WeChat: 邀请好友 is a share button, and the share card carries the code', async () => {
  Object.assign(ui, jest.requireActual('../../platform/ui.weapp'))
  jest.mocked(listInvitees).mockResolvedValue(aSummary())
  render(<InvitePage />)
  await screen.findByText('ABCD2345')
  expect(screen.getByText('邀请好友').closest('taro-button-core')).toHaveAttribute('open-type', 'share')
  expect(document.querySelector('.qr-code')).toBeNull()
  expect(shareHandler!()).toEqual({ title: '送你100积分，一起来赚积分', path: '/pages/home/index?inviter=ABCD2345' })
  expect(screen.getByText('复制邀请码')).toBeInTheDocument()
})
