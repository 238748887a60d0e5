import {
  amountProblem,
  actionDetail,
  actionFigure,
  actionLabel,
  awardBreakdown,
  awardConfirmText,
  awardedPointsLabel,
  canVoid,
  repeatAwardText,
  voidOffer,
  VOID_SAME_DAY_ONLY,
  classifyScan,
  normalizeOrderRef,
  parseYuanToFen,
  tierBadge,
  voidConfirmText,
  type StaffAction,
} from './staff'

const TOKEN = 'M1.00000000000040008000000000000001.1795489260.0123456789ABCDEF0123456789ABCDEF'

test('classifyScan: a member code, a voucher (grouped or not), anything else', () => {
  expect(classifyScan(TOKEN)).toEqual({ kind: 'member', code: TOKEN })
  expect(classifyScan(` ${TOKEN}\n`)).toEqual({ kind: 'member', code: TOKEN }) // scanners append a newline
  expect(classifyScan(TOKEN.toLowerCase())).toEqual({ kind: 'member', code: TOKEN }) // typed in lower case
  expect(classifyScan('123456789012')).toEqual({ kind: 'voucher', code: '123456789012' })
  expect(classifyScan('1234-5678-9012')).toEqual({ kind: 'voucher', code: '123456789012' })
  expect(classifyScan('1234 5678 9012 ')).toEqual({ kind: 'voucher', code: '123456789012' })
  // the numeric member code: 18 digits starting with 9, as scanned or read aloud in groups
  expect(classifyScan('912345678901234567')).toEqual({ kind: 'member', code: '912345678901234567' })
  expect(classifyScan('9123 4567 8901 2345 67')).toEqual({ kind: 'member', code: '912345678901234567' })
  expect(classifyScan('912345678901234567\r\n')).toEqual({ kind: 'member', code: '912345678901234567' })
  for (const other of [
    '',
    null,
    undefined,
    '12345678901',
    '1234567890123',
    'https://example.com',
    TOKEN.slice(0, -1),
    'M1.xyz',
    '812345678901234567',
    '91234567890123456',
  ]) {
    expect(classifyScan(other)).toEqual({ kind: 'unknown' })
  }
})

test('parseYuanToFen: exact yuan with up to 2 decimals, positive, at most ¥1,000,000', () => {
  expect(parseYuanToFen('88')).toBe(8800)
  expect(parseYuanToFen('88.5')).toBe(8850)
  expect(parseYuanToFen('88.05')).toBe(8805)
  expect(parseYuanToFen('0.01')).toBe(1)
  expect(parseYuanToFen('¥1,288.00')).toBe(128800)
  expect(parseYuanToFen(' 19.9 ')).toBe(1990)
  expect(parseYuanToFen('0.29')).toBe(29) // no floating point: 0.29 * 100 = 28.999…
  expect(parseYuanToFen('1000000')).toBe(100_000_000)
  for (const bad of ['', '0', '0.00', '-5', '1.234', 'abc', '1e3', '1000000.01', '12.3.4', null, undefined, '.5']) {
    expect(parseYuanToFen(bad)).toBeNull()
  }
})

test('normalizeOrderRef: trimmed, letters digits - _, 1–64', () => {
  expect(normalizeOrderRef(' POS-2026_0001 ')).toBe('POS-2026_0001')
  expect(normalizeOrderRef('A'.repeat(64))).toBe('A'.repeat(64))
  for (const bad of ['', '  ', 'A'.repeat(65), '订单1', 'a b', 'a/b', null]) expect(normalizeOrderRef(bad)).toBeNull()
})

test('award texts', () => {
  expect(awardConfirmText('林小满', 6800, 'POS-1')).toBe('为「林小满」登记消费 ¥68.00，订单号 POS-1？')
  expect(awardedPointsLabel({ points: 68, campaign_points: 68 })).toBe('+136 积分')
  expect(awardBreakdown({ points: 81, campaign_points: 81, multiplier: 1.2 })).toBe('消费积分 81 · 活动加赠 81 · 等级倍数 ×1.2')
  expect(awardBreakdown({ points: 68, campaign_points: 0, multiplier: 1 })).toBeNull()
})

const row = (over: Partial<StaffAction>): StaffAction => ({
  id: 1,
  action: 'award_purchase',
  created_at: '2026-11-23T10:00:00+00:00',
  staff_member_id: 's',
  staff_nickname: '店员王芳',
  store_id: 'st',
  member_id: 'm',
  member_nickname: '林小满',
  member_phone: '138****0001',
  ref: 'p',
  points: 136,
  amount_fen: 6800,
  detail: { order_ref: 'POS-1' },
  purchase: { id: 'p', order_ref: 'POS-1', status: 'awarded', business_date: '2026-11-23', voided_at: null },
  ...over,
})

test('action rows: label, figure, detail, whether 撤销 is offered', () => {
  expect(actionLabel('award_purchase')).toBe('消费积分')
  expect(actionLabel('void_purchase')).toBe('撤销积分')
  expect(actionLabel('verify_redemption')).toBe('核销兑换券')
  expect(actionLabel('something_new')).toBe('something_new')
  expect(actionFigure(row({}))).toBe('+136')
  expect(actionFigure(row({ action: 'void_purchase', points: -136 }))).toBe('-136')
  expect(actionFigure(row({ action: 'verify_redemption', detail: { item_title: '¥10无门槛券' } }))).toBe('¥10无门槛券')
  expect(actionDetail(row({}))).toBe('订单 POS-1 · ¥68.00')
  expect(actionDetail(row({ action: 'void_purchase', detail: { order_ref: 'POS-1', reason: '顾客退货退款' } }))).toBe(
    '订单 POS-1 · ¥68.00 · 顾客退货退款',
  )
  expect(actionDetail(row({ action: 'verify_redemption', purchase: null, detail: { voucher_code: '123456789012' } }))).toBe(
    '券码 1234-5678-9012',
  )
  expect(canVoid(row({}))).toBe(true)
  expect(canVoid(row({ purchase: { ...row({}).purchase!, status: 'voided' } }))).toBe(false)
  expect(canVoid(row({ action: 'void_purchase' }))).toBe(false)
  expect(voidConfirmText(row({}))).toBe('撤销订单 POS-1 发给「林小满」的 136 积分？')
  expect(tierBadge({ name: '银卡会员', multiplier: 1.2 })).toBe('银卡会员 ×1.2')
  expect(tierBadge({ name: '普通会员', multiplier: 1 })).toBe('普通会员')
})

test('amountProblem: a minus sign, letters, 3 decimals, zero and too much each say so; a good amount has none', () => {
  expect(amountProblem('-5')).toBe('消费金额不能为负数')
  expect(amountProblem('－5')).toBe('消费金额不能为负数')
  expect(amountProblem('5a')).toBe('消费金额只能是数字，如 68 或 68.50')
  expect(amountProblem('.')).toBe('消费金额只能是数字，如 68 或 68.50')
  expect(amountProblem('1.2.3')).toBe('消费金额只能是数字，如 68 或 68.50')
  expect(amountProblem('12.345')).toBe('消费金额最多两位小数')
  expect(amountProblem('0')).toBe('消费金额须大于0')
  expect(amountProblem('0.00')).toBe('消费金额须大于0')
  expect(amountProblem('1000000.01')).toBe('单笔消费金额不能超过¥1,000,000.00')
  expect(amountProblem('12345678')).toBe('单笔消费金额不能超过¥1,000,000.00')
  for (const ok of ['', '68', '68.5', '68.50', '¥1,288.00', '0.01', '1000000', '68.']) {
    expect(amountProblem(ok)).toBeNull()
    if (ok) expect(parseYuanToFen(ok)).not.toBeNull()
  }
})

test("voidOffer: a manager any standing award; a clerk only today's, else says why", () => {
  const today = '2026-11-23'
  const earlier = row({ purchase: { ...row({}).purchase!, business_date: '2026-11-22' } })
  expect(voidOffer(row({}), 'clerk', today)).toEqual({ kind: 'button' })
  expect(voidOffer(earlier, 'clerk', today)).toEqual({ kind: 'refused', text: VOID_SAME_DAY_ONLY })
  expect(VOID_SAME_DAY_ONLY).toBe('仅当日可撤销，请联系店长')
  expect(voidOffer(earlier, 'manager', today)).toEqual({ kind: 'button' })
  expect(voidOffer(row({}), 'manager', today)).toEqual({ kind: 'button' })
  // role not known yet: only what any staff member may do
  expect(voidOffer(row({}), undefined, today)).toEqual({ kind: 'button' })
  expect(voidOffer(earlier, undefined, today)).toEqual({ kind: 'none' })
  // nothing to void
  for (const role of ['clerk', 'manager'] as const) {
    expect(voidOffer(row({ purchase: { ...row({}).purchase!, status: 'voided' } }), role, today)).toEqual({ kind: 'none' })
    expect(voidOffer(row({ action: 'void_purchase' }), role, today)).toEqual({ kind: 'none' })
    expect(voidOffer(row({ action: 'verify_redemption', purchase: null }), role, today)).toEqual({ kind: 'none' })
  }
})

test('repeatAwardText: when (Shanghai time) and by whom the order was awarded', () => {
  expect(repeatAwardText({ created_at: '2026-11-23T02:00:00+00:00', awarded_by: { member_id: 's', nickname: '店员王芳' } })).toBe(
    '该订单已于 2026-11-23 10:00 由 店员王芳 发放积分',
  )
})
