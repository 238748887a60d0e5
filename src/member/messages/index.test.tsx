import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { listMyMessages, markMessagesRead } from '../../services/messages'
import { messagesStore, unreadStore } from '../../stores/messages'
import Messages from './index'
import { aMessage, someMessages } from '../../../test/factories/messages'

jest.mock('../../services/messages', () => ({
  ...jest.requireActual('../../services/messages'),
  listMyMessages: jest.fn(),
  markMessagesRead: jest.fn(),
  countUnreadMessages: jest.fn(),
  recordSubscribeConsent: jest.fn(),
}))

const initial = { list: messagesStore.getState(), unread: unreadStore.getState() }
let reachBottom: (() => void) | undefined
let pullDown: (() => void) | undefined

beforeEach(() => {
  jest.resetAllMocks()
  messagesStore.setState(initial.list, true)
  unreadStore.setState(initial.unread, true)
  reachBottom = undefined
  pullDown = undefined
  jest.spyOn(Taro, 'useReachBottom').mockImplementation((cb: () => void) => {
    reachBottom = cb
  })
  jest.spyOn(Taro, 'usePullDownRefresh').mockImplementation((cb: () => void) => {
    pullDown = cb
  })
  jest.spyOn(Taro, 'stopPullDownRefresh').mockImplementation(() => undefined as never)
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.spyOn(Taro, 'reLaunch').mockResolvedValue({ errMsg: 'reLaunch:ok' })
  jest.mocked(markMessagesRead).mockResolvedValue({ unread_count: 0 })
  jest.spyOn(console, 'warn').mockImplementation(() => undefined)
})
afterEach(() => jest.restoreAllMocks())

function row(id: number): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-message="${id}"]`)
  if (!el) throw new Error(`no message ${id}`)
  return el
}

const EXPIRING = aMessage({
  id: 42,
  kind: 'points_expiring_7d',
  title: '积分即将过期',
  body: '你有 300 积分将于 7 天后过期',
  link: '/member/history/index',
})
const USED = aMessage({
  id: 41,
  kind: 'voucher_used',
  title: '兑换券已核销',
  body: '「¥10无门槛券」已在人民广场店核销',
  link: null,
  read_at: '2026-11-20T03:00:00+00:00',
  created_at: '2026-11-20T02:00:00+00:00',
})
const TIER = aMessage({
  id: 40,
  kind: 'tier_up',
  title: '恭喜升级为银卡会员',
  body: '消费积分 1.2 倍',
  link: '/member/profile/index',
  read_at: null,
})

it('loading, then messages newest first with kind, time and unread marks; opening marks read up to the newest shown', async () => {
  jest.mocked(listMyMessages).mockResolvedValue([EXPIRING, USED, TIER])
  jest.mocked(markMessagesRead).mockResolvedValue({ unread_count: 0 })
  unreadStore.getState().set({ unread_count: 2 })
  render(<Messages />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  await screen.findByText('积分即将过期')
  expect(listMyMessages).toHaveBeenCalledWith({ beforeId: undefined })

  const ids = [...document.querySelectorAll('[data-message]')].map((el) => el.getAttribute('data-message'))
  expect(ids).toEqual(['42', '41', '40'])
  const expiring = within(row(42))
  expect(expiring.getByText('你有 300 积分将于 7 天后过期')).toBeInTheDocument()
  expect(expiring.getByText('未读')).toBeInTheDocument()
  expect(expiring.getByText('积分即将过期 · 2026-11-24 10:00')).toBeInTheDocument()
  expect(expiring.getByText('积')).toBeInTheDocument()
  expect(expiring.getByText('查看 ›')).toBeInTheDocument()
  expect(within(row(41)).queryByText('未读')).toBeNull()
  expect(within(row(41)).queryByText('查看 ›')).toBeNull()
  expect(within(row(41)).getByText('券已核销 · 2026-11-20 10:00')).toBeInTheDocument()
  expect(within(row(40)).getByText('未读')).toBeInTheDocument()
  expect(screen.getByText('没有更多了')).toBeInTheDocument()

  await waitFor(() => expect(markMessagesRead).toHaveBeenCalledWith(42))
  expect(markMessagesRead).toHaveBeenCalledTimes(1)
  await waitFor(() => expect(unreadStore.getState().data).toEqual({ unread_count: 0 }))
  // the rows still show what was new on this visit
  expect(within(row(42)).getByText('未读')).toBeInTheDocument()
})

it('a message with a link is a button that opens its page; one without a link opens nothing', async () => {
  jest.mocked(listMyMessages).mockResolvedValue([EXPIRING, USED])
  render(<Messages />)
  await screen.findByText('积分即将过期')
  expect(row(42)).toHaveAttribute('role', 'button')
  expect(row(41)).not.toHaveAttribute('role')

  fireEvent.click(screen.getByText('积分即将过期'))
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/member/history/index' })
  fireEvent.click(screen.getByText('兑换券已核销'))
  expect(Taro.navigateTo).toHaveBeenCalledTimes(1)
})

it('a page navigateTo cannot open (a tab page) is relaunched; a link outside the app opens nothing', async () => {
  jest.mocked(listMyMessages).mockResolvedValue([TIER, aMessage({ id: 39, title: '外部链接', link: 'https://example.com/x' })])
  jest.mocked(Taro.navigateTo).mockRejectedValue({ errMsg: 'navigateTo:fail can not navigateTo a tabbar page' })
  render(<Messages />)
  fireEvent.click(await screen.findByText('恭喜升级为银卡会员'))
  await waitFor(() => expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/member/profile/index' }))
  fireEvent.click(screen.getByText('外部链接'))
  expect(Taro.navigateTo).toHaveBeenCalledTimes(1)
  expect(row(39)).not.toHaveAttribute('role')
})

it('nothing unread shown: nothing to mark', async () => {
  jest.mocked(listMyMessages).mockResolvedValue([USED])
  render(<Messages />)
  await screen.findByText('兑换券已核销')
  await act(async () => undefined)
  expect(markMessagesRead).not.toHaveBeenCalled()
})

it('no messages: the empty state', async () => {
  jest.mocked(listMyMessages).mockResolvedValue([])
  render(<Messages />)
  expect(await screen.findByText('暂无消息')).toBeInTheDocument()
  expect(markMessagesRead).not.toHaveBeenCalled()
})

it('an error shows the message and 重试 loads again', async () => {
  jest.mocked(listMyMessages).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce([EXPIRING])
  render(<Messages />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  expect(markMessagesRead).not.toHaveBeenCalled()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('积分即将过期')).toBeInTheDocument()
  await waitFor(() => expect(markMessagesRead).toHaveBeenCalledWith(42))
})

it('a failed mark keeps the list and the count (logged, tried again on the next load)', async () => {
  jest.mocked(listMyMessages).mockResolvedValue([EXPIRING])
  jest.mocked(markMessagesRead).mockRejectedValue(new AppError('network_error'))
  unreadStore.getState().set({ unread_count: 1 })
  render(<Messages />)
  await screen.findByText('积分即将过期')
  await waitFor(() => expect(console.warn).toHaveBeenCalled())
  expect(unreadStore.getState().data).toEqual({ unread_count: 1 })
  expect(screen.queryByText('网络连接失败，请检查网络后重试')).toBeNull()
})

it('load more: the next page before the last id, at the bottom or with 加载更多; a failed page offers a retry', async () => {
  const first = someMessages(20, 60)
  const second = someMessages(5, 40, { read_at: '2026-11-01T00:00:00Z' })
  jest
    .mocked(listMyMessages)
    .mockResolvedValueOnce(first)
    .mockRejectedValueOnce(new AppError('network_error'))
    .mockResolvedValueOnce(second)
  render(<Messages />)
  await screen.findByText('消息 60')
  expect(screen.getByText('加载更多')).toBeInTheDocument()

  await act(async () => reachBottom?.())
  expect(listMyMessages).toHaveBeenLastCalledWith({ beforeId: 41 })
  expect(await screen.findByText('网络连接失败，请检查网络后重试，点击重试')).toBeInTheDocument()
  expect(screen.getByText('消息 60')).toBeInTheDocument()

  await act(async () => fireEvent.click(screen.getByText('网络连接失败，请检查网络后重试，点击重试')))
  expect(await screen.findByText('消息 36')).toBeInTheDocument()
  expect(screen.getByText('没有更多了')).toBeInTheDocument()
  expect(document.querySelectorAll('[data-message]')).toHaveLength(25)
  expect(markMessagesRead).toHaveBeenCalledTimes(1) // the older pages are below the newest id already marked
  expect(markMessagesRead).toHaveBeenCalledWith(60)
})

it('pull to refresh loads the newest again, marks them read and stops the spinner', async () => {
  jest
    .mocked(listMyMessages)
    .mockResolvedValueOnce([USED])
    .mockResolvedValueOnce([aMessage({ id: 50, title: '新消息' }), USED])
  render(<Messages />)
  await screen.findByText('兑换券已核销')
  await act(async () => pullDown?.())
  expect(await screen.findByText('新消息')).toBeInTheDocument()
  await waitFor(() => expect(Taro.stopPullDownRefresh).toHaveBeenCalled())
  expect(markMessagesRead).toHaveBeenCalledWith(50)
})

it('the spinner stops even when the refresh fails', async () => {
  jest.mocked(listMyMessages).mockResolvedValueOnce([USED]).mockRejectedValueOnce(new AppError('request_timeout'))
  render(<Messages />)
  await screen.findByText('兑换券已核销')
  await act(async () => pullDown?.())
  await waitFor(() => expect(Taro.stopPullDownRefresh).toHaveBeenCalled())
  expect(await screen.findByText('网络超时，请重试')).toBeInTheDocument()
})
