import {
  addClerkDoneText,
  capProblem,
  capUsage,
  classifyMemberQuery,
  deactivateConfirmText,
  expiresSoon,
  expiringText,
  invitationMeta,
  isManageable,
  maskPhone,
  normalizePhone,
  parseCap,
  phoneProblem,
  purchaseMeta,
  purchasePointsText,
  splitStaff,
  staffMeta,
  storeSpendText,
  storeVisitsText,
  visitRange,
  voidText,
} from './manager'
import { aStoreMemberPurchase, aStoreStaffMember } from '../../test/factories/manager'

const CODE = 'M1.00000000000040008000000000000001.1795489260.0123456789ABCDEF0123456789ABCDEF'
const ID = '00000000-0000-4000-8000-000000000001'

it('phones: a mainland mobile, spaces and dashes removed; what is wrong otherwise', () => {
  expect(normalizePhone(' 138 0000-0001 ')).toBe('13800000001')
  expect(normalizePhone('12800000001')).toBeNull()
  expect(normalizePhone('1380000000')).toBeNull()
  expect(normalizePhone(undefined)).toBeNull()
  expect(phoneProblem('')).toBeNull()
  expect(phoneProblem('138a')).toBe('手机号只能是数字')
  expect(phoneProblem('1380000')).toBe('请输入11位手机号')
  expect(phoneProblem('12800000001')).toBe('请输入正确的手机号')
  expect(phoneProblem('13800000001')).toBeNull()
  // while typing, too few digits is not yet a problem; too many or a wrong number is
  expect(phoneProblem('138', true)).toBeNull()
  expect(phoneProblem('138a', true)).toBe('手机号只能是数字')
  expect(phoneProblem('138000000012', true)).toBe('请输入11位手机号')
  expect(phoneProblem('12800000001', true)).toBe('请输入正确的手机号')
})

it('masking a phone as staff screens show it', () => {
  expect(maskPhone('13655501234')).toBe('136****1234')
  expect(maskPhone('')).toBe('')
  expect(maskPhone(null)).toBe('')
})

it('caps: whole points 0 … 100,000,000; what is wrong otherwise', () => {
  expect(parseCap('20,000')).toBe(20000)
  expect(parseCap('0')).toBe(0)
  expect(parseCap('100000000')).toBe(100_000_000)
  expect(parseCap('100000001')).toBeNull()
  expect(parseCap('1.5')).toBeNull()
  expect(parseCap('-5')).toBeNull()
  expect(parseCap('')).toBeNull()
  expect(capProblem('')).toBeNull()
  expect(capProblem('-5')).toBe('上限不能为负数')
  expect(capProblem('1.5')).toBe('上限须为整数积分')
  expect(capProblem('abc')).toBe('上限须为整数积分')
  expect(capProblem('999999999')).toBe('上限最多 100,000,000 积分')
  expect(capProblem('5000')).toBeNull()
})

it("today's awarded points against the cap", () => {
  expect(capUsage({ awarded_today_points: 1200, daily_award_cap_points: 20000 })).toEqual({
    text: '1,200 / 20,000',
    share: 0.06,
    reached: false,
  })
  expect(capUsage({ awarded_today_points: 500, daily_award_cap_points: 500 })).toMatchObject({ share: 1, reached: true })
  expect(capUsage({ awarded_today_points: 0, daily_award_cap_points: 0 })).toEqual({ text: '0 / 0', share: 1, reached: true })
})

it('staff lines, the split into active and deactivated, and who the manager may change', () => {
  const clerk = aStoreStaffMember({ since: '2026-11-01T02:00:00Z' })
  expect(staffMeta(clerk)).toBe('店员 · 139****0001 · 2026-11-01 起')
  expect(staffMeta({ ...clerk, phone: null, role: 'manager' })).toBe('店长 · 2026-11-01 起')
  const me = aStoreStaffMember({ member_id: 'm', role: 'manager', is_self: true })
  const gone = aStoreStaffMember({ member_id: 'g', active: false })
  expect(splitStaff([me, clerk, gone])).toEqual({ active: [me, clerk], inactive: [gone] })
  expect([clerk, me, gone].map(isManageable)).toEqual([true, false, false])
  expect(isManageable({ ...clerk, role: 'manager' })).toBe(false)
})

it('invitations, the result of adding a clerk, and the deactivation confirm', () => {
  expect(invitationMeta({ role: 'clerk', daily_award_cap_points: 3000, invited_at: '2026-11-23T02:00:00Z' })).toBe(
    '店员 · 每日上限 3,000 · 2026-11-23 10:00 邀请',
  )
  expect(addClerkDoneText({ staff: {}, invitation: null }, '13655501234')).toBe('已将 136****1234 设为店员')
  expect(addClerkDoneText({ staff: null, invitation: {} }, '13655501234')).toBe('已邀请 136****1234，对方首次登录后成为店员')
  expect(deactivateConfirmText(aStoreStaffMember(), '离职')).toBe(
    '停用店员「店员王芳」（139****0001）？原因：离职。停用后其不能再发放积分，已发放的记录不变。',
  )
})

describe('classifyMemberQuery', () => {
  it.each([
    ['13800000001', { kind: 'phone', query: '13800000001' }],
    [' 138 0000 0001 ', { kind: 'phone', query: '13800000001' }],
    ['138-0000-0001', { kind: 'phone', query: '13800000001' }],
    [CODE, { kind: 'code', query: CODE }],
    [`${CODE.toLowerCase()}\n`, { kind: 'code', query: CODE }],
    [ID, { kind: 'id', query: ID }],
    [ID.toUpperCase(), { kind: 'id', query: ID }],
  ])('%j is a %s', (input, expected) => {
    expect(classifyMemberQuery(input)).toEqual(expected)
  })

  it.each([
    ['', '请输入手机号、会员码或会员编号'],
    ['   ', '请输入手机号、会员码或会员编号'],
    ['0001', '请输入完整的11位手机号'],
    ['1380000000', '请输入完整的11位手机号'],
    ['12800000001', '请输入完整的11位手机号'],
    ['M1.00000000', '会员码不完整，请重新扫码'],
    ['林小满', '请输入完整的11位手机号、会员码或会员编号'],
  ])('%j is refused: %s', (input, problem) => {
    expect(classifyMemberQuery(input)).toEqual({ kind: 'invalid', problem })
  })
})

it("a member's figures at the store, purchases and expiring points", () => {
  expect(storeSpendText({ purchase_count: 3, purchase_amount_fen: 12300 })).toBe('消费 3 笔 · 共 ¥123.00')
  expect(storeVisitsText({ first_purchase_at: '2026-10-01T02:00:00Z', last_purchase_at: '2026-11-23T02:00:00Z' })).toBe(
    '首次 2026-10-01 · 最近 2026-11-23',
  )
  expect(storeVisitsText({ first_purchase_at: '2026-11-23T02:00:00Z', last_purchase_at: '2026-11-23T05:00:00Z' })).toBe('到店 2026-11-23')
  const p = aStoreMemberPurchase({ points: 68, campaign_points: 68 })
  expect(purchasePointsText(p)).toBe('+136')
  expect(purchaseMeta(p)).toBe('¥68.00 · 2026-11-23 10:00 · 店员王芳')
  expect(voidText(p)).toBeNull()
  expect(voidText({ status: 'voided', void_reason: '顾客退货', voided_at: '2026-11-23T03:00:00Z' })).toBe(
    '已撤销 · 顾客退货 · 2026-11-23 11:00',
  )
  expect(voidText({ status: 'voided', void_reason: null, voided_at: '2026-11-23T03:00:00Z' })).toBe('已撤销 · 2026-11-23 11:00')
  expect(expiringText({ points: 120, expires_on: '2026-12-31', expires_at: '2026-12-31T16:00:00Z' })).toBe('120 积分将于 2026-12-31 过期')
  expect(expiringText(null)).toBeNull()
  const expiring = { points: 120, expires_on: '2026-12-31', expires_at: '2026-12-31T16:00:00Z' }
  expect([expiresSoon(expiring, '2026-12-01'), expiresSoon(expiring, '2026-11-30'), expiresSoon(null, '2026-12-01')]).toEqual([
    true,
    false,
    false,
  ])
  expect(visitRange({ first_purchase_at: '2026-10-01T02:00:00Z', last_purchase_at: '2026-11-23T02:00:00Z' })).toBe(
    '2026-10-01 至 2026-11-23',
  )
  expect(visitRange({ first_purchase_at: '2026-11-23T02:00:00Z', last_purchase_at: '2026-11-23T05:00:00Z' })).toBe('2026-11-23')
})
