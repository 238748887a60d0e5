import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, within } from '@testing-library/react'

import type { CalendarDay, CheckInCalendar } from '../../domain/checkin'
import { AppError } from '../../domain/errors'
import { checkIn, fetchCheckInCalendar, fetchCheckInRules, makeUpCheckIn } from '../../services/checkin'
import { fetchMe } from '../../services/member'
import { checkInStore, resetCheckInRules } from '../../stores/checkin'
import { meStore } from '../../stores/member'
import CheckIn from './index'
import { aCheckInRules } from '../../../test/factories/checkin'
import { aMe } from '../../../test/factories/me'
import { errorToast } from '../../../test/support/taro-dom'

jest.mock('../../services/checkin')
jest.mock('../../services/member')

const RULES = aCheckInRules()

/** A month as check_in_calendar returns it: `checked` days checked in, `madeUp` made up, `canMakeUp` open. */
function aCalendar(
  month: string,
  opts: {
    today?: string
    checked?: number[]
    madeUp?: number[]
    bonus?: Record<number, number>
    canMakeUp?: number[]
  } & Partial<CheckInCalendar> = {},
): CheckInCalendar {
  const { today = '2026-11-24', checked = [], madeUp = [], bonus = {}, canMakeUp = [], ...over } = opts
  const [y, m] = month.split('-').map(Number)
  const length = new Date(Date.UTC(y, m, 0)).getUTCDate()
  const days: CalendarDay[] = Array.from({ length }, (_, i) => {
    const d = i + 1
    const done = checked.includes(d) || madeUp.includes(d)
    return {
      date: `${month}-${String(d).padStart(2, '0')}`,
      checked_in: done,
      made_up: madeUp.includes(d),
      points: done ? 5 : 0,
      bonus_points: bonus[d] ?? 0,
      can_make_up: canMakeUp.includes(d),
    }
  })
  return {
    month,
    today,
    days,
    streak_days: 0,
    make_ups_used: 0,
    make_ups_left: 2,
    make_up_cost_points: 20,
    checked_in_today: false,
    ...over,
  }
}

/** 林小满 on 24 November: 19–23 checked in (the 21st paid +10), 17 and 18 open for 补签. */
const NOVEMBER = aCalendar('2026-11', { checked: [19, 20, 21, 22, 23], bonus: { 21: 10 }, canMakeUp: [17, 18], streak_days: 5 })

const initial = { view: checkInStore.getState(), me: meStore.getState() }

function dayCell(date: string): HTMLElement {
  const cell = document.querySelector(`[data-date="${date}"]`)
  if (!cell) throw new Error(`no cell ${date}`)
  return cell as HTMLElement
}

function streak(): string | null {
  return document.querySelector('.checkin__streak-days')!.textContent
}

beforeEach(() => {
  jest.resetAllMocks()
  resetCheckInRules()
  checkInStore.setState(initial.view, true)
  meStore.setState(initial.me, true)
  jest.mocked(fetchCheckInRules).mockResolvedValue(RULES)
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'showModal').mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
})
afterEach(() => jest.restoreAllMocks())

it('loading, then the streak, the month Monday first, statuses, bonuses, make-ups and the rules', async () => {
  jest.mocked(fetchCheckInCalendar).mockResolvedValue(NOVEMBER)
  render(<CheckIn />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()

  expect(await screen.findByText('2026年11月')).toBeInTheDocument()
  expect(fetchCheckInCalendar).toHaveBeenCalledWith(undefined)
  expect(streak()).toBe('5')
  expect(screen.getByText('已连续签到')).toBeInTheDocument()
  expect(screen.getByText('今日签到')).toBeInTheDocument()
  const weekdays = document.querySelectorAll('.checkin__weekday')
  expect(Array.from(weekdays, (w) => w.textContent)).toEqual(['一', '二', '三', '四', '五', '六', '日'])
  // 1 November 2026 is a Sunday: six blanks before it
  const firstRow = document.querySelector('.checkin__row:not(.checkin__weekdays)')!
  expect(firstRow.querySelectorAll('.checkin__day--blank')).toHaveLength(6)

  expect(within(dayCell('2026-11-20')).getByText('已签')).toBeInTheDocument()
  expect(within(dayCell('2026-11-21')).getByText('+10')).toBeInTheDocument() // paid
  expect(within(dayCell('2026-11-18')).getByText('补签')).toBeInTheDocument()
  expect(within(dayCell('2026-11-16')).getByText('未签')).toBeInTheDocument()
  expect(within(dayCell('2026-11-24')).getByText('今天')).toBeInTheDocument()
  // today would be day 6, so the 25th is day 7 (+30) and the 28th day 10 (+10)
  expect(within(dayCell('2026-11-25')).getByText('+30')).toBeInTheDocument()
  expect(within(dayCell('2026-11-28')).getByText('+10')).toBeInTheDocument()
  expect(dayCell('2026-11-25').className).toContain('checkin__day--future')

  expect(screen.getByText('本月还可补签 2 次，每次 20 积分')).toBeInTheDocument()
  expect(screen.getByText('每日签到+5，连续第3天+10，第7天+30，断签重置；近7天可补签，每月2次，每次20积分')).toBeInTheDocument()
})

it('an error shows the message, and 重试 loads again', async () => {
  jest.mocked(fetchCheckInCalendar).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(NOVEMBER)
  render(<CheckIn />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('2026年11月')).toBeInTheDocument()
})

it('the rules failing is an error too, and 重试 fetches them again', async () => {
  jest.mocked(fetchCheckInCalendar).mockResolvedValue(NOVEMBER)
  jest.mocked(fetchCheckInRules).mockRejectedValueOnce(new AppError('unknown')).mockResolvedValueOnce(RULES)
  render(<CheckIn />)
  expect(await screen.findByText('网络开小差了，请稍后再试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('2026年11月')).toBeInTheDocument()
  expect(fetchCheckInRules).toHaveBeenCalledTimes(2)
})

it('今日签到: the toast tells what was earned; the calendar and the member take the answer, nothing is loaded again', async () => {
  jest.mocked(fetchCheckInCalendar).mockResolvedValue(NOVEMBER)
  jest.mocked(checkIn).mockResolvedValue({
    check_in_date: '2026-11-24',
    made_up: false,
    points: 5,
    bonus_points: 0,
    campaign_points: 0,
    streak_days: 6,
    cycle_day: 6,
    balance_points: 474,
  })
  await meStore.getState().load() // home showed the member before
  render(<CheckIn />)
  const button = await screen.findByText('今日签到')
  await act(async () => fireEvent.click(button))

  expect(Taro.showToast).toHaveBeenCalledWith({ title: '签到成功 +5 积分（连续 6 天）', icon: 'none' })
  expect(fetchCheckInCalendar).toHaveBeenCalledTimes(1)
  expect(fetchMe).toHaveBeenCalledTimes(1)
  expect(meStore.getState().data).toMatchObject({ balance_points: 474, streak_days: 6, checked_in_today: true, qualifying_points: 574 })
  expect(await screen.findByText('今日已签到')).toBeInTheDocument()
  expect(streak()).toBe('6')
  expect(screen.getByText('今日已签到').closest('taro-button-core')).toHaveAttribute('disabled')
  expect(within(dayCell('2026-11-24')).getByText('已签')).toBeInTheDocument()
})

it('a refused check-in shows its message and reloads when already checked in', async () => {
  jest.mocked(fetchCheckInCalendar).mockResolvedValue(NOVEMBER)
  jest.mocked(checkIn).mockRejectedValue(new AppError('already_checked_in'))
  render(<CheckIn />)
  const button = await screen.findByText('今日签到')
  await act(async () => fireEvent.click(button))
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('今天已经签到过了'))
  expect(fetchCheckInCalendar).toHaveBeenCalledTimes(2)
})

it('month navigation: back to October, and forward again, never beyond this month', async () => {
  const october = aCalendar('2026-10', { checked: [1, 2], streak_days: 5 })
  jest.mocked(fetchCheckInCalendar).mockImplementation(async (month) => (month === '2026-10' ? october : NOVEMBER))
  render(<CheckIn />)
  await screen.findByText('2026年11月')
  const next = screen.getByText('下月 ›')
  expect(next.className).toContain('checkin__nav-arrow--off')
  await act(async () => fireEvent.click(next))
  expect(fetchCheckInCalendar).toHaveBeenCalledTimes(1)

  await act(async () => fireEvent.click(screen.getByText('‹ 上月')))
  expect(fetchCheckInCalendar).toHaveBeenLastCalledWith('2026-10')
  expect(await screen.findByText('2026年10月')).toBeInTheDocument()
  expect(within(dayCell('2026-10-01')).getByText('已签')).toBeInTheDocument()
  // 1 October 2026 is a Thursday: three blanks
  const firstRow = document.querySelector('.checkin__row:not(.checkin__weekdays)')!
  expect(firstRow.querySelectorAll('.checkin__day--blank')).toHaveLength(3)

  await act(async () => fireEvent.click(screen.getByText('下月 ›')))
  expect(fetchCheckInCalendar).toHaveBeenLastCalledWith('2026-11')
  expect(await screen.findByText('2026年11月')).toBeInTheDocument()
})

it('补签: confirm, make up, toast; the member takes the answer, the calendar is loaded again (the streak through today is not in the answer)', async () => {
  const after = aCalendar('2026-11', {
    checked: [19, 20, 21, 22, 23],
    madeUp: [18],
    bonus: { 21: 10 },
    canMakeUp: [17],
    streak_days: 6,
    make_ups_used: 1,
    make_ups_left: 1,
  })
  jest.mocked(fetchCheckInCalendar).mockResolvedValueOnce(NOVEMBER).mockResolvedValueOnce(after)
  jest.mocked(makeUpCheckIn).mockResolvedValue({
    check_in_date: '2026-11-18',
    made_up: true,
    points: 5,
    bonus_points: 0,
    campaign_points: 0,
    streak_days: 1,
    cycle_day: 1,
    balance_points: 454,
    cost_points: 20,
  })
  await meStore.getState().load()
  render(<CheckIn />)
  await screen.findByText('2026年11月')
  await act(async () => fireEvent.click(dayCell('2026-11-18')))

  expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ content: '补签 2026-11-18 需消耗 20 积分' }))
  expect(makeUpCheckIn).toHaveBeenCalledWith('2026-11-18')
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '补签成功 +5 积分（消耗 20 积分）', icon: 'none' })
  expect(fetchCheckInCalendar).toHaveBeenCalledTimes(2)
  // the expiring 5 points were spent first (20 ≥ 5): which lots expire next only the backend knows, so me was loaded again
  expect(fetchMe).toHaveBeenCalledTimes(2)
  expect(await screen.findByText('本月还可补签 1 次，每次 20 积分')).toBeInTheDocument()
  expect(within(dayCell('2026-11-18')).getByText('已补签')).toBeInTheDocument()
})

it('补签: cancelling does nothing, days that cannot be made up do not ask', async () => {
  jest.mocked(fetchCheckInCalendar).mockResolvedValue(NOVEMBER)
  jest.mocked(Taro.showModal).mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  render(<CheckIn />)
  await screen.findByText('2026年11月')
  await act(async () => fireEvent.click(dayCell('2026-11-16')))
  expect(Taro.showModal).not.toHaveBeenCalled()
  await act(async () => fireEvent.click(dayCell('2026-11-17')))
  expect(Taro.showModal).toHaveBeenCalledTimes(1)
  expect(makeUpCheckIn).not.toHaveBeenCalled()
})

it('补签 refused: the message in a toast, and the calendar reloads', async () => {
  jest.mocked(fetchCheckInCalendar).mockResolvedValue(NOVEMBER)
  jest.mocked(makeUpCheckIn).mockRejectedValue(new AppError('insufficient_points'))
  render(<CheckIn />)
  await screen.findByText('2026年11月')
  await act(async () => fireEvent.click(dayCell('2026-11-17')))
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('积分不足'))
  expect(fetchCheckInCalendar).toHaveBeenCalledTimes(2)
  expect(fetchMe).not.toHaveBeenCalled()
})

it('no make-ups left: says so', async () => {
  jest.mocked(fetchCheckInCalendar).mockResolvedValue(aCalendar('2026-11', { make_ups_used: 2, make_ups_left: 0 }))
  render(<CheckIn />)
  expect(await screen.findByText('本月补签次数已用完')).toBeInTheDocument()
})
