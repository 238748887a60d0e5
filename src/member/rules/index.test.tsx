import { render, screen } from '@testing-library/react'

import { fetchPublicRules } from '../../services/rules'
import { rulesStore } from '../../stores/rules'
import Rules from './index'
import { aPublicRules } from '../../../test/factories/rules'

jest.mock('../../services/rules')
jest.mock('../../services/session')

beforeEach(() => {
  jest.resetAllMocks()
  rulesStore.setState(rulesStore.getInitialState(), true)
})

it('every section is written from the live rules', async () => {
  const rules = aPublicRules()
  jest
    .mocked(fetchPublicRules)
    .mockResolvedValue({ ...rules, pointRules: { ...rules.pointRules, check_in_points: 8, purchase_hold_days: 3 } })
  render(<Rules />)
  expect(await screen.findByText('每天签到得 8 积分')).toBeInTheDocument()
  expect(screen.getByText('连续签到第 3 天额外 +10 积分')).toBeInTheDocument()
  expect(screen.getByText('连续签到第 7 天额外 +30 积分')).toBeInTheDocument()
  expect(screen.getByText('可为最近 7 天内漏签的日子补签，每月最多 2 次，每次消耗 20 积分')).toBeInTheDocument()
  expect(screen.getByText('到店消费每 ¥1 得 1 积分（不足 ¥1 的部分不计）')).toBeInTheDocument()
  expect(screen.getByText('消费积分在 3 天后生效，期间退款将扣回')).toBeInTheDocument()
  expect(screen.getByText('新手任务「完善个人资料」+50 积分')).toBeInTheDocument()
  expect(screen.getByText('好友绑定手机号后首次签到，双方各得 100 积分')).toBeInTheDocument()
  expect(screen.getByText('注册即得 120 积分')).toBeInTheDocument()
  expect(screen.getByText('银卡会员：近期获得 1,000 积分，消费积分 ×1.2，升级奖励 1,000 积分')).toBeInTheDocument()
  expect(screen.getByText('每笔积分自获得之日起 12 个月后过期（当天结束时）')).toBeInTheDocument()
  expect(screen.getByText('会员日消费双倍积分：2026-11-01 至 2026-11-30，门店消费 ×2')).toBeInTheDocument()
})

it('leads on to 会员等级', async () => {
  const Taro = (await import('@tarojs/taro')).default
  const nav = jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.mocked(fetchPublicRules).mockResolvedValue(aPublicRules())
  render(<Rules />)
  ;(await screen.findByText('查看我的会员等级 ›')).click()
  expect(nav).toHaveBeenCalledWith({ url: '/member/tiers/index' })
})
