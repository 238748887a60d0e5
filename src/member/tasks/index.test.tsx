import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, within } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import type { Task, TaskList } from '../../domain/tasks'
import { fetchMe } from '../../services/member'
import { claimTask, fetchTasks } from '../../services/tasks'
import { meStore } from '../../stores/member'
import { tasksStore } from '../../stores/tasks'
import Tasks from './index'
import { aMe } from '../../../test/factories/me'
import { errorToast } from '../../../test/support/taro-dom'

jest.mock('../../services/tasks')
jest.mock('../../services/member')

function aTask(over: Partial<Task>): Task {
  return {
    code: 'x',
    title: 'x',
    description: '',
    kind: 'one_time',
    event: 'phone_bound',
    reward_points: 50,
    required_count: 1,
    period_limit: 1,
    period_key: 'once',
    progress: 0,
    completions: 0,
    claimed: 0,
    claimable: 0,
    done: false,
    ...over,
  }
}

/** The default tasks as list_tasks shows them to a member with a bound phone and 3 check-ins this week. */
function aTaskList(over: Partial<TaskList> = {}): TaskList {
  return {
    business_date: '2026-11-26',
    daily: { rewards_used: 1, rewards_max: 15, points_used: 50, points_max: 100 },
    tasks: [
      aTask({ code: 'complete_profile', title: '完善个人资料', description: '填写昵称、头像和生日', event: 'profile_completed' }),
      aTask({
        code: 'bind_phone',
        title: '绑定手机号',
        description: '绑定手机号，账户更安全',
        event: 'phone_bound',
        progress: 1,
        completions: 1,
        claimable: 1,
      }),
      aTask({
        code: 'first_redemption',
        title: '首次积分兑换',
        description: '在积分商城完成一次兑换',
        event: 'item_redeemed',
        reward_points: 100,
        progress: 1,
        completions: 1,
        claimed: 1,
        done: true,
      }),
      aTask({
        code: 'daily_purchase',
        title: '今日到店消费',
        description: '到店消费任意金额',
        kind: 'daily',
        event: 'purchase_awarded',
        reward_points: 20,
        period_key: 'D2026-11-26',
      }),
      aTask({
        code: 'weekly_check_in',
        title: '本周签到5天',
        description: '一周（周一至周日）内签到满5天',
        kind: 'weekly',
        event: 'checked_in',
        required_count: 5,
        period_key: 'W2026-11-23',
        progress: 3,
      }),
    ],
    ...over,
  }
}

const initial = { tasks: tasksStore.getState(), me: meStore.getState() }

function row(code: string): HTMLElement {
  const el = document.querySelector(`[data-code="${code}"]`)
  if (!el) throw new Error(`no task ${code}`)
  return el as HTMLElement
}

beforeEach(() => {
  jest.resetAllMocks()
  tasksStore.setState(initial.tasks, true)
  meStore.setState(initial.me, true)
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' })
})
afterEach(() => jest.restoreAllMocks())

it('loading, then the daily caps and the tasks grouped by kind with reward, progress and button', async () => {
  jest.mocked(fetchTasks).mockResolvedValue(aTaskList())
  render(<Tasks />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()

  expect(await screen.findByText('1/15')).toBeInTheDocument()
  expect(screen.getByText('50/100')).toBeInTheDocument()
  const titles = Array.from(document.querySelectorAll('.tasks__group-title'), (t) => t.textContent)
  expect(titles).toEqual(['新手任务', '每日任务', '每周任务'])

  expect(within(row('complete_profile')).getByText('完善个人资料')).toBeInTheDocument()
  expect(within(row('complete_profile')).getByText('填写昵称、头像和生日')).toBeInTheDocument()
  expect(within(row('complete_profile')).getByText('+50 积分')).toBeInTheDocument()
  expect(within(row('complete_profile')).getByText('去完成')).toBeInTheDocument()
  expect(within(row('bind_phone')).getByText('领取')).toBeInTheDocument()
  expect(within(row('first_redemption')).getByText('+100 积分')).toBeInTheDocument()
  expect(within(row('first_redemption')).getByText('已完成').closest('taro-button-core')).toHaveAttribute('disabled')
  expect(row('weekly_check_in').querySelector('.tasks__progress-text')!.textContent).toBe('本周3/5')
  expect(row('daily_purchase').querySelector('.tasks__progress-text')!.textContent).toBe('今日0/1')
})

it('an error shows the message, and 重试 loads again', async () => {
  jest.mocked(fetchTasks).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(aTaskList())
  render(<Tasks />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('1/15')).toBeInTheDocument()
})

it('no tasks: the caps and an empty note', async () => {
  jest.mocked(fetchTasks).mockResolvedValue(aTaskList({ tasks: [] }))
  render(<Tasks />)
  expect(await screen.findByText('暂无任务，敬请期待')).toBeInTheDocument()
  expect(screen.getByText('1/15')).toBeInTheDocument()
})

it('领取: the toast tells the points; the tasks and the member take the answer, nothing is loaded again', async () => {
  jest.mocked(fetchTasks).mockResolvedValue(aTaskList())
  jest
    .mocked(claimTask)
    .mockResolvedValue({ task_code: 'bind_phone', period_key: 'once', seq: 1, points: 50, campaign_points: 0, balance_points: 519 })
  await meStore.getState().load()
  render(<Tasks />)
  const button = await screen.findByText('领取')
  await act(async () => fireEvent.click(button))

  expect(claimTask).toHaveBeenCalledWith('bind_phone')
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '+50 积分', icon: 'success' })
  expect(fetchTasks).toHaveBeenCalledTimes(1)
  expect(fetchMe).toHaveBeenCalledTimes(1)
  expect(meStore.getState().data).toMatchObject({ balance_points: 519, qualifying_points: 619 })
  expect(await screen.findByText('2/15')).toBeInTheDocument()
  expect(within(row('bind_phone')).getByText('已完成')).toBeInTheDocument()
})

it('a refused claim shows its message and reloads the list', async () => {
  jest.mocked(fetchTasks).mockResolvedValue(aTaskList())
  jest.mocked(claimTask).mockRejectedValue(new AppError('daily_task_limit_reached'))
  render(<Tasks />)
  const button = await screen.findByText('领取')
  await act(async () => fireEvent.click(button))
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('今日任务奖励已达上限，明天再来吧'))
  expect(fetchTasks).toHaveBeenCalledTimes(2)
  expect(fetchMe).not.toHaveBeenCalled()
})

it('去完成 goes where each task is done', async () => {
  const go = (code: string, event: string) => aTask({ code, title: code, event })
  jest.mocked(fetchTasks).mockResolvedValue(
    aTaskList({
      tasks: [
        go('a', 'checked_in'),
        go('b', 'profile_completed'),
        go('c', 'phone_bound'),
        go('d', 'item_redeemed'),
        go('e', 'purchase_awarded'),
        go('f', 'unknown_event'),
      ],
    }),
  )
  render(<Tasks />)
  await screen.findByText('1/15')
  const expected: Record<string, string> = {
    a: '/member/checkin/index',
    b: '/member/profile/index',
    c: '/member/profile/index',
    d: '/pages/mall/index',
    e: '/pages/code/index',
  }
  for (const [code, url] of Object.entries(expected)) {
    fireEvent.click(within(row(code)).getByText('去完成'))
    // the mall and the member code are tab pages: switchTab (WeChat refuses navigateTo to a tab page)
    expect(url.startsWith('/pages/') ? Taro.switchTab : Taro.navigateTo).toHaveBeenLastCalledWith({ url })
  }
  // an event this app version does not know: nowhere to go
  expect(within(row('f')).getByText('去完成').closest('taro-button-core')).toHaveAttribute('disabled')
  expect(Taro.navigateTo).toHaveBeenCalledTimes(3)
  expect(Taro.switchTab).toHaveBeenCalledTimes(2)
})
