// The invite page's sharing (issue 17 part 3): the share hooks carry the code, the poster (drawn on a stubbed
// canvas: jsdom has none) with its save button per platform, and the typed invite code per bind-window state.
import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import type { InviteSummary } from '../../domain/referral'
import { fetchMe } from '../../services/member'
import { fetchProgram } from '../../services/program'
import { bindReferrer, listInvitees, rememberedInviter } from '../../services/referral'
import { getInviteWxacode } from '../../services/wxacode'
import { memberRpc } from '../../services/session'
import * as canvas from '../../platform/canvas'
import * as poster from '../../platform/poster'
import { resetMemberStores } from '../../stores/reset'
import { programStore } from '../../stores/program'
import InvitePage from './index'
import { aMe } from '../../../test/factories/me'
import { buttonByText, errorToast, inputByPlaceholder, typeInto } from '../../../test/support/taro-dom'

// the seams as mutable objects: a test switches to the mini-program's values
jest.mock('../../platform/poster', () => ({ __esModule: true, ...jest.requireActual('../../platform/poster'), saveImage: jest.fn() }))
jest.mock('../../platform/canvas', () => ({
  __esModule: true,
  getCanvas2d: jest.fn(),
  loadCanvasImage: jest.fn(),
  exportCanvasImage: jest.fn(),
}))
jest.mock('../../services/referral', () => ({
  ...jest.requireActual('../../services/referral'),
  listInvitees: jest.fn(),
  bindReferrer: jest.fn(),
}))
jest.mock('../../services/wxacode')
jest.mock('../../services/session', () => ({ ...jest.requireActual('../../services/session'), memberRpc: jest.fn() }))
jest.mock('../../services/member')
jest.mock('../../services/program')

const NOW = Date.now()
const hoursFromNow = (h: number) => new Date(NOW + h * 3600_000).toISOString()

function aSummary(overrides: Partial<InviteSummary> = {}): InviteSummary {
  return {
    invite_code: 'ABCD2345',
    referrer: null,
    bonus_points: 100,
    qualifying_action: 'first_check_in_after_phone',
    daily_max_rewards: 10,
    rewards_today: 0,
    invited_count: 0,
    rewarded_count: 0,
    earned_points: 0,
    invitees: [],
    bind_until: null,
    ...overrides,
  }
}

/** A 2D context that records every call (measureText: 10 px a character). */
function fakeContext() {
  const calls: { name: string; args: unknown[] }[] = []
  const state: Record<string | symbol, unknown> = {}
  const ctx = new Proxy(state, {
    get(target, key) {
      if (key in target) return target[key]
      if (key === 'measureText') return (s: string) => ({ width: Array.from(s).length * 10 })
      if (key === 'createLinearGradient') return () => ({ addColorStop() {} })
      return (...args: unknown[]) => calls.push({ name: String(key), args })
    },
    set(target, key, value) {
      target[key] = value
      return true
    },
  })
  const texts = () => calls.filter((c) => c.name === 'fillText').map((c) => c.args[0])
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls, texts }
}

let shareHandler: (() => unknown) | undefined
let timelineHandler: (() => unknown) | undefined
let drawn: ReturnType<typeof fakeContext>
const routerParams: Record<string, string> = {}

beforeEach(() => {
  jest.resetAllMocks()
  resetMemberStores()
  programStore.setState({ status: 'idle', program: undefined, errorCode: undefined })
  for (const key of Object.keys(routerParams)) delete routerParams[key]
  Object.assign(poster, jest.requireActual('../../platform/poster'), { saveImage: jest.fn() })
  jest.spyOn(Taro, 'useRouter').mockImplementation(() => ({ params: routerParams, path: '/member/invite/index' }) as any)
  jest.spyOn(Taro, 'useShareAppMessage').mockImplementation(((fn: () => unknown) => {
    shareHandler = fn
  }) as typeof Taro.useShareAppMessage)
  jest.spyOn(Taro, 'useShareTimeline').mockImplementation(((fn: () => unknown) => {
    timelineHandler = fn
  }) as typeof Taro.useShareTimeline)
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  drawn = fakeContext()
  jest.mocked(canvas.getCanvas2d).mockResolvedValue({ context: drawn.ctx, width: 300, height: 520, pixelRatio: 2, canvas: {} })
  jest.mocked(canvas.exportCanvasImage).mockResolvedValue('data:image/png;base64,UE5H')
  jest.mocked(fetchMe).mockResolvedValue(aMe({ nickname: '林小满' }))
  jest
    .mocked(fetchProgram)
    .mockResolvedValue({ name: '积分会员演示店', time_zone: 'Asia/Shanghai', business_date: '2026-11-24', server_time: '' })
})
afterEach(() => jest.restoreAllMocks())

it('the share card and 分享到朋友圈 carry my invite code', async () => {
  jest.mocked(listInvitees).mockResolvedValue(aSummary())
  render(<InvitePage />)
  await screen.findByText('ABCD2345')
  expect(shareHandler!()).toEqual({ title: '送你100积分，一起来赚积分', path: '/pages/home/index?inviter=ABCD2345' })
  expect(timelineHandler!()).toEqual({ title: '送你100积分，一起来赚积分', query: 'inviter=ABCD2345' })
})

it("opened from 朋友圈 or a 小程序码 with a friend's code: it is bound (channel share) and the page loads after", async () => {
  routerParams.scene = encodeURIComponent('WXYZ6789')
  jest.mocked(memberRpc).mockResolvedValue({} as any) // bind_referrer, called inside services/referral
  jest.mocked(listInvitees).mockResolvedValue(aSummary())
  render(<InvitePage />)
  await screen.findByText('ABCD2345')
  expect(memberRpc).toHaveBeenCalledWith('bind_referrer', { p_invite_code: 'WXYZ6789', p_channel: 'share' })
  expect(jest.mocked(memberRpc).mock.invocationCallOrder[0]).toBeLessThan(jest.mocked(listInvitees).mock.invocationCallOrder[0])
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '已接受好友邀请', icon: 'none' })
  expect(rememberedInviter()).toBeNull()
})

describe('the poster', () => {
  it('H5: drawn with my nickname, the program, the copy and a QR of the invite link; shown as an image and downloaded', async () => {
    jest.mocked(listInvitees).mockResolvedValue(aSummary())
    jest.mocked(poster.saveImage).mockResolvedValue('saved')
    render(<InvitePage />)
    const open = await screen.findByText('生成邀请海报')
    await act(async () => fireEvent.click(open))
    const dialog = await screen.findByRole('dialog', { name: '邀请海报' })
    await waitFor(() => expect(dialog.querySelector('img[alt="邀请海报"]')).not.toBeNull())
    expect(dialog.querySelector('img')!.getAttribute('src')).toBe('data:image/png;base64,UE5H')
    expect(drawn.texts()).toEqual(
      expect.arrayContaining([
        '林小满',
        '邀请你加入',
        '积分会员演示店',
        '送你100积分，一起来赚积分',
        '扫码加入会员，或填写邀请码',
        '邀请码 ABCD2345',
      ]),
    )
    // the QR modules (fillRect runs) and no 小程序码
    expect(drawn.calls.filter((c) => c.name === 'fillRect').length).toBeGreaterThan(100)
    expect(getInviteWxacode).not.toHaveBeenCalled()
    expect(screen.getByText('长按图片保存，或点击下载海报')).toBeInTheDocument()

    await act(async () => fireEvent.click(screen.getByText('下载海报')))
    expect(poster.saveImage).toHaveBeenCalledWith('data:image/png;base64,UE5H', '邀请海报-ABCD2345.png')
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '海报已下载', icon: 'success' })
    await act(async () => fireEvent.click(screen.getByText('关闭')))
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('the avatar is drawn when it loads; the initial when it does not', async () => {
    jest.mocked(fetchMe).mockResolvedValue(aMe({ nickname: '林小满', avatar_url: 'https://cdn.test/a.png' }))
    jest.mocked(listInvitees).mockResolvedValue(aSummary())
    const avatar = { avatar: true }
    jest.mocked(canvas.loadCanvasImage).mockResolvedValueOnce(avatar as any)
    render(<InvitePage />)
    const open = await screen.findByText('生成邀请海报')
    await act(async () => fireEvent.click(open))
    await screen.findByText('下载海报')
    await waitFor(() => expect(drawn.calls.some((c) => c.name === 'drawImage' && c.args[0] === avatar)).toBe(true))
    expect(canvas.loadCanvasImage).toHaveBeenCalledWith(expect.anything(), 'https://cdn.test/a.png')
    expect(drawn.texts()).not.toContain('林')
  })

  it('WeChat: the 小程序码 from the wxacode function in the code square; 保存到相册 exports and saves', async () => {
    Object.assign(poster, jest.requireActual('../../platform/poster.weapp'), { saveImage: jest.fn() })
    jest.mocked(listInvitees).mockResolvedValue(aSummary())
    jest
      .mocked(getInviteWxacode)
      .mockResolvedValue({ url: 'https://storage.test/wxacode/ABCD2345.png', scene: 'ABCD2345', page: 'pages/home/index' })
    const code = { wxacode: true }
    jest.mocked(canvas.loadCanvasImage).mockResolvedValue(code as any)
    jest.mocked(canvas.exportCanvasImage).mockResolvedValue('wxfile://tmp/poster.png')
    jest.mocked(poster.saveImage).mockResolvedValue('saved')
    render(<InvitePage />)
    const open = await screen.findByText('生成邀请海报')
    await act(async () => fireEvent.click(open))
    await waitFor(() => expect(drawn.calls.some((c) => c.name === 'drawImage' && c.args[0] === code)).toBe(true))
    expect(canvas.loadCanvasImage).toHaveBeenCalledWith(expect.anything(), 'https://storage.test/wxacode/ABCD2345.png')
    expect(drawn.texts()).toContain('长按识别小程序码，加入会员')
    expect(document.querySelector('.poster img')).toBeNull() // the canvas itself is shown
    await waitFor(() => expect(buttonByText('保存到相册')).not.toHaveAttribute('disabled'))
    await act(async () => fireEvent.click(screen.getByText('保存到相册')))
    expect(poster.saveImage).toHaveBeenCalledWith('wxfile://tmp/poster.png', '邀请海报-ABCD2345.png')
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '已保存到相册', icon: 'success' })
  })

  it('WeChat: the album permission refused says so; cancelled says nothing', async () => {
    Object.assign(poster, jest.requireActual('../../platform/poster.weapp'), { saveImage: jest.fn() })
    jest.mocked(listInvitees).mockResolvedValue(aSummary())
    jest.mocked(getInviteWxacode).mockResolvedValue({ url: 'https://storage.test/w.png', scene: 'ABCD2345', page: 'pages/home/index' })
    jest.mocked(canvas.loadCanvasImage).mockResolvedValue({} as any)
    jest.mocked(poster.saveImage).mockResolvedValueOnce('denied').mockResolvedValueOnce('cancelled')
    render(<InvitePage />)
    const open = await screen.findByText('生成邀请海报')
    await act(async () => fireEvent.click(open))
    await waitFor(() => expect(buttonByText('保存到相册')).not.toHaveAttribute('disabled'))
    await act(async () => fireEvent.click(screen.getByText('保存到相册')))
    expect(Taro.showToast).toHaveBeenCalledWith(errorToast('未获得相册权限，海报未保存'))
    jest.mocked(Taro.showToast).mockClear()
    await act(async () => fireEvent.click(screen.getByText('保存到相册')))
    expect(poster.saveImage).toHaveBeenCalledTimes(2)
    expect(Taro.showToast).not.toHaveBeenCalled()
  })

  it('WeChat: a failed 小程序码 shows the message and 重试 draws again', async () => {
    Object.assign(poster, jest.requireActual('../../platform/poster.weapp'), { saveImage: jest.fn() })
    jest.mocked(listInvitees).mockResolvedValue(aSummary())
    jest
      .mocked(getInviteWxacode)
      .mockRejectedValueOnce(new AppError('network_error'))
      .mockResolvedValueOnce({ url: 'https://storage.test/w.png', scene: 'ABCD2345', page: 'pages/home/index' })
    jest.mocked(canvas.loadCanvasImage).mockResolvedValue({} as any)
    render(<InvitePage />)
    const open = await screen.findByText('生成邀请海报')
    await act(async () => fireEvent.click(open))
    expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
    expect(buttonByText('保存到相册')).toHaveAttribute('disabled')
    await act(async () => fireEvent.click(screen.getByText('重试')))
    await waitFor(() => expect(buttonByText('保存到相册')).not.toHaveAttribute('disabled'))
    expect(getInviteWxacode).toHaveBeenCalledTimes(2)
  })
})

describe("typing a friend's invite code", () => {
  const field = () => screen.queryAllByPlaceholderText('输入好友的8位邀请码')[0] ?? null

  it('shown only while I may still bind: not bound and the window still open', async () => {
    jest.mocked(listInvitees).mockResolvedValue(aSummary({ bind_until: hoursFromNow(-1) }))
    const { unmount } = render(<InvitePage />)
    await screen.findByText('ABCD2345')
    expect(field()).toBeNull()
    unmount()

    resetMemberStores()
    jest.mocked(listInvitees).mockResolvedValue(
      aSummary({
        bind_until: hoursFromNow(5),
        referrer: { nickname: '王二', avatar_url: null, status: 'pending', bound_at: hoursFromNow(-1) },
      }),
    )
    const second = render(<InvitePage />)
    await screen.findByText('我的邀请人：王二')
    expect(field()).toBeNull()
    second.unmount()

    resetMemberStores()
    jest.mocked(listInvitees).mockResolvedValue(aSummary({ bind_until: hoursFromNow(5) }))
    render(<InvitePage />)
    await screen.findByText('填写邀请码')
    expect(field()).not.toBeNull()
    expect(screen.getByText(/^请在 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前填写$/)).toBeInTheDocument()
  })

  it('a malformed code is explained and never sent', async () => {
    jest.mocked(listInvitees).mockResolvedValue(aSummary({ bind_until: hoursFromNow(5) }))
    render(<InvitePage />)
    await screen.findByText('填写邀请码')
    await act(async () => fireEvent.click(screen.getByText('确定')))
    expect(screen.getByRole('alert')).toHaveTextContent('请输入邀请码')
    await typeInto(inputByPlaceholder('输入好友的8位邀请码'), 'abc0')
    await act(async () => fireEvent.click(screen.getByText('确定')))
    expect(screen.getByRole('alert')).toHaveTextContent('邀请码不含数字0、1和字母I、O，请核对')
    await typeInto(inputByPlaceholder('输入好友的8位邀请码'), 'abc2')
    await act(async () => fireEvent.click(screen.getByText('确定')))
    expect(screen.getByRole('alert')).toHaveTextContent('邀请码为8位，还差4位')
    expect(bindReferrer).not.toHaveBeenCalled()
  })

  it('a good code binds (channel code): 我的邀请人 appears and the field goes', async () => {
    jest.mocked(listInvitees).mockResolvedValue(aSummary({ bind_until: hoursFromNow(5) }))
    jest.mocked(bindReferrer).mockResolvedValue({
      referrer: { nickname: '陈一一', avatar_url: null },
      channel: 'code',
      status: 'pending',
      bound_at: hoursFromNow(0),
      qualifying_action: 'first_check_in_after_phone',
      bonus_points: 100,
    })
    render(<InvitePage />)
    await screen.findByText('填写邀请码')
    await typeInto(inputByPlaceholder('输入好友的8位邀请码'), ' wxyz-6789 ')
    await act(async () => fireEvent.click(screen.getByText('确定')))
    expect(bindReferrer).toHaveBeenCalledWith('WXYZ6789', 'code')
    expect(Taro.showToast).toHaveBeenCalledWith({ title: '已绑定邀请人：陈一一', icon: 'none' })
    expect(screen.getByText('我的邀请人：陈一一')).toBeInTheDocument()
    expect(field()).toBeNull()
  })

  it.each([
    ['invite_code_not_found', '邀请码不存在，请核对后重试'],
    ['self_referral', '不能填写自己的邀请码'],
    ['referral_cycle', '不能互相邀请'],
  ])("%s: the backend's message under the field", async (code, message) => {
    jest.mocked(listInvitees).mockResolvedValue(aSummary({ bind_until: hoursFromNow(5) }))
    jest.mocked(bindReferrer).mockRejectedValue(new AppError(code))
    render(<InvitePage />)
    await screen.findByText('填写邀请码')
    await typeInto(inputByPlaceholder('输入好友的8位邀请码'), 'WXYZ6789')
    await act(async () => fireEvent.click(screen.getByText('确定')))
    expect(screen.getByRole('alert')).toHaveTextContent(message)
    expect(field()).not.toBeNull()
  })

  it.each([
    ['referral_window_closed', '仅新注册用户可填写邀请码'],
    ['referrer_already_bound', '你已绑定过邀请人'],
  ])('%s: a toast, and the field goes with the reload', async (code, message) => {
    jest
      .mocked(listInvitees)
      .mockResolvedValueOnce(aSummary({ bind_until: hoursFromNow(5) }))
      .mockResolvedValueOnce(aSummary({ bind_until: null }))
    jest.mocked(bindReferrer).mockRejectedValue(new AppError(code))
    render(<InvitePage />)
    await screen.findByText('填写邀请码')
    await typeInto(inputByPlaceholder('输入好友的8位邀请码'), 'WXYZ6789')
    await act(async () => fireEvent.click(screen.getByText('确定')))
    expect(Taro.showToast).toHaveBeenCalledWith(errorToast(message))
    await waitFor(() => expect(field()).toBeNull())
  })
})
