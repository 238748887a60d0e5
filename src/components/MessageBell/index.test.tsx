import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { countUnreadMessages } from '../../services/messages'
import { unreadStore } from '../../stores/messages'
import MessageBell from './index'

jest.mock('../../services/messages')

const initial = unreadStore.getState()
let didShow: (() => void) | undefined

beforeEach(() => {
  jest.resetAllMocks()
  unreadStore.setState(initial, true)
  didShow = undefined
  jest.spyOn(Taro, 'useDidShow').mockImplementation((cb: () => void) => {
    didShow = cb
  })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
})
afterEach(() => jest.restoreAllMocks())

const bell = () => document.querySelector('.message-bell') as HTMLElement

it('a button named with the unread count, the count as a badge; it opens 消息中心', async () => {
  jest.mocked(countUnreadMessages).mockResolvedValue({ unread_count: 3 })
  render(<MessageBell />)
  expect(bell()).toHaveAttribute('aria-label', '消息中心')
  expect(bell()).toHaveAttribute('role', 'button')
  expect(await screen.findByText('3')).toBeInTheDocument()
  expect(bell()).toHaveAttribute('aria-label', '消息中心，3 条未读')
  expect(screen.getByLabelText('消息中心，3 条未读')).toBe(bell())
  fireEvent.click(screen.getByText('消息中心'))
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/member/messages/index' })
})

it('nothing unread: no badge; more than 99: 99+', async () => {
  jest.mocked(countUnreadMessages).mockResolvedValueOnce({ unread_count: 0 }).mockResolvedValueOnce({ unread_count: 120 })
  render(<MessageBell />)
  await act(async () => undefined)
  expect(bell().querySelector('.message-bell__badge')).toBeNull()
  expect(bell()).toHaveAttribute('aria-label', '消息中心')

  await act(async () => didShow?.()) // home shown again: the count is asked again
  expect(await screen.findByText('99+')).toBeInTheDocument()
  expect(bell()).toHaveAttribute('aria-label', '消息中心，99+ 条未读')
  expect(countUnreadMessages).toHaveBeenCalledTimes(2)
})

it('the count follows 消息中心 marking messages read (the store’s answer), without asking again', async () => {
  jest.mocked(countUnreadMessages).mockResolvedValue({ unread_count: 2 })
  render(<MessageBell />)
  expect(await screen.findByText('2')).toBeInTheDocument()
  act(() => unreadStore.getState().set({ unread_count: 0 }))
  expect(screen.queryByText('2')).toBeNull()
  expect(countUnreadMessages).toHaveBeenCalledTimes(1)
})

it('a failed count shows the bell without a badge (no error on home)', async () => {
  jest.mocked(countUnreadMessages).mockRejectedValue(new AppError('network_error'))
  render(<MessageBell />)
  await act(async () => undefined)
  expect(bell()).toHaveAttribute('aria-label', '消息中心')
  expect(bell().querySelector('.message-bell__badge')).toBeNull()
})
