import {
  boundDateLabel,
  inviteRulesText,
  inviteStats,
  inviteeRewardLabel,
  inviteeStatusLabel,
  isFinalBindError,
  normalizeInviteCode,
  qualifyingActionLabel,
  shareTitle,
} from './referral'

it('the rules text comes from the RPC numbers', () => {
  expect(inviteRulesText({ bonus_points: 100, daily_max_rewards: 10, qualifying_action: 'first_check_in_after_phone' })).toBe(
    '邀请好友注册并完成首次签到（需绑定手机号），双方各得100积分；每天最多奖励10次',
  )
  expect(inviteRulesText({ bonus_points: 50, daily_max_rewards: 3, qualifying_action: 'first_purchase' })).toBe(
    '邀请好友注册并完成首次到店消费，双方各得50积分；每天最多奖励3次',
  )
  expect(qualifyingActionLabel('something_new')).toBe('指定任务')
})

it('the stats line up', () => {
  const stats = inviteStats({ invited_count: 3, rewarded_count: 1, earned_points: 100, rewards_today: 1, daily_max_rewards: 10 })
  expect(stats.map((s) => `${s.label} ${s.value}`)).toEqual(['已邀请 3 人', '已奖励 1 人', '累计获得 100 积分', '今日 1/10'])
  expect(
    inviteStats({ invited_count: 12, rewarded_count: 12, earned_points: 1200, rewards_today: 10, daily_max_rewards: 10 })[2].value,
  ).toBe('1,200 积分')
})

it('invitee rows: status, reward, the daily cap, avatar initial and date', () => {
  expect(inviteeStatusLabel('pending')).toBe('待完成')
  expect(inviteeStatusLabel('rewarded')).toBe('已奖励')
  expect(inviteeRewardLabel({ status: 'rewarded', reward_points: 100, referrer_skipped: null })).toBe('+100 积分')
  expect(inviteeRewardLabel({ status: 'rewarded', reward_points: 0, referrer_skipped: 'daily_cap' })).toBe('今日奖励已达上限')
  expect(inviteeRewardLabel({ status: 'pending', reward_points: 0, referrer_skipped: null })).toBeNull()
  expect(boundDateLabel('2026-11-20T02:00:00+00:00')).toBe('2026-11-20 绑定')
  expect(boundDateLabel('')).toBe('')
})

it('invite codes: normalised like the backend, shapes that cannot exist refused', () => {
  expect(normalizeInviteCode(' abcd2345 ')).toBe('ABCD2345')
  expect(normalizeInviteCode('ABCD234')).toBeNull()
  expect(normalizeInviteCode('ABCD2340')).toBeNull() // 0 is not in the alphabet
  expect(normalizeInviteCode('ABCDI234')).toBeNull() // nor I
  expect(normalizeInviteCode(undefined)).toBeNull()
})

it('which bind refusals are final', () => {
  for (const code of [
    'referral_window_closed',
    'referrer_already_bound',
    'self_referral',
    'invite_code_not_found',
    'invalid_invite_code',
    'referral_cycle',
  ]) {
    expect(isFinalBindError(code)).toBe(true)
  }
  expect(isFinalBindError('network_error')).toBe(false)
  expect(isFinalBindError('not_authenticated')).toBe(false)
})

it('the share title promises the friend a gift, not the sharer a reward', () => {
  expect(shareTitle(100)).toBe('送你100积分，一起来赚积分')
})
