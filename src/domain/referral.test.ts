import {
  bindDeadlineLabel,
  canBindReferrer,
  checkInviteCodeInput,
  inviteCodeFromScene,
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

describe('typed invite codes', () => {
  it('a good code, whatever the case, spaces or hyphens', () => {
    expect(checkInviteCodeInput('ABCD2345')).toEqual({ code: 'ABCD2345' })
    expect(checkInviteCodeInput(' abcd-2345 ')).toEqual({ code: 'ABCD2345' })
    expect(checkInviteCodeInput('abcd 2345')).toEqual({ code: 'ABCD2345' })
  })
  it('says what is wrong', () => {
    expect(checkInviteCodeInput('')).toEqual({ problem: '请输入邀请码' })
    expect(checkInviteCodeInput('   ')).toEqual({ problem: '请输入邀请码' })
    expect(checkInviteCodeInput('ABC')).toEqual({ problem: '邀请码为8位，还差5位' })
    expect(checkInviteCodeInput('ABCD23456')).toEqual({ problem: '邀请码为8位，多了1位' })
    expect(checkInviteCodeInput('ABCD234O')).toEqual({ problem: '邀请码不含数字0、1和字母I、O，请核对' })
    expect(checkInviteCodeInput('ABCD2341')).toEqual({ problem: '邀请码不含数字0、1和字母I、O，请核对' })
    expect(checkInviteCodeInput('ABCD234中')).toEqual({ problem: '邀请码只包含数字和字母' })
    expect(checkInviteCodeInput('ABCD234!')).toEqual({ problem: '邀请码只包含数字和字母' })
  })
  it('what passes the check is what normalizeInviteCode accepts', () => {
    for (const text of ['ABCD2345', 'zzzz9999', 'ab cd 23 45']) {
      const checked = checkInviteCodeInput(text)
      expect('code' in checked && normalizeInviteCode(checked.code)).toBe('code' in checked && checked.code)
    }
  })
})

describe('the bind window', () => {
  const now = Date.parse('2026-11-24T02:00:00Z')
  it('open while nobody is bound and bind_until is ahead', () => {
    expect(canBindReferrer({ referrer: null, bind_until: '2026-11-24T03:00:00+00:00' }, now)).toBe(true)
    expect(canBindReferrer({ referrer: null, bind_until: '2026-11-24T02:00:00+00:00' }, now)).toBe(false)
    expect(canBindReferrer({ referrer: null, bind_until: null }, now)).toBe(false)
    expect(canBindReferrer({ referrer: null, bind_until: 'garbage' }, now)).toBe(false)
    expect(
      canBindReferrer(
        {
          referrer: { nickname: '林', avatar_url: null, status: 'pending', bound_at: '2026-11-24T01:00:00+00:00' },
          bind_until: '2026-11-24T03:00:00+00:00',
        },
        now,
      ),
    ).toBe(false)
  })
  it('the deadline in the program zone', () => {
    expect(bindDeadlineLabel('2026-11-24T03:00:00+00:00')).toBe('请在 2026-11-24 11:00 前填写')
    expect(bindDeadlineLabel(null)).toBe('')
  })
})

it('the invite code a 小程序码 scene carries', () => {
  expect(inviteCodeFromScene('ABCD2345')).toBe('ABCD2345')
  expect(inviteCodeFromScene('inviter%3DABCD2345')).toBe('ABCD2345')
  expect(inviteCodeFromScene('i=abcd2345')).toBe('ABCD2345')
  expect(inviteCodeFromScene('x=1&inviter=ABCD2345')).toBe('ABCD2345')
  expect(inviteCodeFromScene('%E0%A4%A')).toBeNull()
  expect(inviteCodeFromScene('')).toBeNull()
  expect(inviteCodeFromScene(undefined)).toBeNull()
  expect(inviteCodeFromScene('inviter=SHORT')).toBeNull()
})
