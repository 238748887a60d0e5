import { multiplierText, ruleSections, tierSteps } from './rules'
import { aPublicRules } from '../../test/factories/rules'

it('multipliers read as numbers', () => {
  expect([multiplierText(1), multiplierText('1.50'), multiplierText(1.2)]).toEqual(['1', '1.5', '1.2'])
})

it('sections follow the rules: no tasks or campaigns, no section; no make-ups, says so; other purchase rates', () => {
  const base = aPublicRules()
  const sections = ruleSections({
    ...base,
    tasks: [],
    campaigns: [],
    pointRules: { ...base.pointRules, make_up_monthly_limit: 0, purchase_fen_per_point: 200, referral_qualifying_action: 'first_purchase' },
  })
  const titles = sections.map((s) => s.title)
  expect(titles).toEqual(['每日签到', '消费积分', '邀请好友', '更多奖励', '会员等级', '积分有效期'])
  const lines = sections.flatMap((s) => s.lines)
  expect(lines).toContain('暂不支持补签')
  expect(lines).toContain('到店消费每 ¥2.00 得 1 积分（不足的部分不计）')
  expect(lines).toContain('好友完成首次到店消费，双方各得 100 积分')
  expect(lines).toContain('普通会员：注册即是，消费积分 ×1')
})

it('a streak bonus past the cycle is not promised', () => {
  const base = aPublicRules({
    streakBonuses: [
      { cycle_day: 3, bonus_points: 10 },
      { cycle_day: 10, bonus_points: 50 },
    ],
  })
  const lines = ruleSections(base)[0].lines
  expect(lines).toContain('连续签到第 3 天额外 +10 积分')
  expect(lines.some((l) => l.includes('第 10 天'))).toBe(false)
})

it('the tier ladder marks the current tier and those reached', () => {
  const steps = tierSteps(aPublicRules().tiers.slice().reverse(), 1)
  expect(steps.map((s) => [s.code, s.current, s.reached])).toEqual([
    ['basic', false, true],
    ['silver', true, true],
    ['gold', false, false],
    ['platinum', false, false],
  ])
})
