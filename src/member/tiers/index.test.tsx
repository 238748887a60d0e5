import { act, fireEvent, render, screen } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { fetchMe } from '../../services/member'
import { fetchPublicRules } from '../../services/rules'
import { meStore } from '../../stores/member'
import { rulesStore } from '../../stores/rules'
import Tiers from './index'
import { aMe } from '../../../test/factories/me'
import { aPublicRules } from '../../../test/factories/rules'

jest.mock('../../services/member')
jest.mock('../../services/rules')
jest.mock('../../services/session')

const initial = { me: meStore.getState(), rules: rulesStore.getState() }
beforeEach(() => {
  jest.resetAllMocks()
  meStore.setState(initial.me, true)
  rulesStore.setState(initial.rules, true)
  jest.mocked(fetchPublicRules).mockResolvedValue(aPublicRules())
})

it('the tier, progress to the next, and the ladder from the live tiers', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  render(<Tiers />)
  expect(await screen.findByText('再获得 431 积分升级银卡会员')).toBeInTheDocument()
  expect(screen.getByText('近 12 个月已获得 569 积分 · 消费积分 ×1')).toBeInTheDocument()
  expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '56')
  expect(screen.getByText('近期获得 5,000 积分')).toBeInTheDocument()
  expect(screen.getByText('消费积分 ×1.5 · 升级奖励 1,000 积分')).toBeInTheDocument()
  expect(document.querySelector('[data-tier="basic"]')!.className).toContain('tiers__step--current')
  expect(screen.getByText('当前')).toBeInTheDocument()
  expect(screen.getByText(/提前 30 天通知/)).toBeInTheDocument()
  expect(screen.queryByText('等级调整提醒')).toBeNull()
})

it('a pending downgrade shows its notice with the date and the lower tier', async () => {
  jest.mocked(fetchMe).mockResolvedValue(
    aMe({
      tier: { code: 'gold', name: '金卡会员', rank: 2, multiplier: 1.5 },
      downgrade: { due_at: '2026-12-24T16:00:00Z', to_tier_code: 'silver', to_tier_name: '银卡会员' },
    }),
  )
  render(<Tiers />)
  expect(await screen.findByText('等级调整提醒')).toBeInTheDocument()
  expect(screen.getByText(/等级将于 2026-12-25 调整为银卡会员/)).toBeInTheDocument()
})

it('an error shows its message; 重试 loads what failed', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(fetchPublicRules).mockReset().mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(aPublicRules())
  render(<Tiers />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('等级规则')).toBeInTheDocument()
  expect(fetchMe).toHaveBeenCalledTimes(1)
})
