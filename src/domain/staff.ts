/**
 * The staff app (docs/staff.md): what a scan is, amounts and order numbers as the cashier types them, and
 * how actions read. Pure TypeScript.
 */
import type { MemberPreview, PurchaseResult, VoidResult, VoucherPreview, StaffAction } from './responses'
import { fenToYuan, formatPoints } from './format'
import { formatVoucherCode, voucherDigits } from './mall'
import { numericMemberCode } from './membercode'
import { businessDateTime } from './time'

export type { MemberPreview, PurchaseResult, VoidResult, VoucherPreview, StaffAction }

export type StaffRole = 'clerk' | 'manager'

export type PurchaseStatus = 'awarded' | 'voided'

export type StaffActionKind = 'preview_member' | 'award_purchase' | 'void_purchase' | 'preview_redemption' | 'verify_redemption'

/** What the staff app lists (every scan also writes a preview row, which would bury these). */
export const LISTED_ACTIONS: readonly StaffActionKind[] = ['award_purchase', 'void_purchase', 'verify_redemption']

export const STAFF_ACTIONS_PAGE_SIZE = 20

/**
 * What was scanned or typed: a member code (`M1.…` token, or 18 digits starting with 9, docs/staff.md) or a
 * 12-digit voucher. Digits may come in groups (spaces or dashes), as the screens show them.
 */
export type Scanned = { kind: 'member'; code: string } | { kind: 'voucher'; code: string } | { kind: 'unknown' }

const MEMBER_CODE = /^M1\.[0-9A-F]{32}\.[1-9]\d{9}\.[0-9A-F]{32}$/

export function classifyScan(text: string | null | undefined): Scanned {
  const raw = (text ?? '').trim()
  if (MEMBER_CODE.test(raw.toUpperCase())) return { kind: 'member', code: raw.toUpperCase() }
  const digits = numericMemberCode(raw)
  if (digits) return { kind: 'member', code: digits }
  // a voucher may be typed in groups (1234-5678-9012 / 1234 5678 9012), as the member's screen shows it
  if (/^[\d\s-]+$/.test(raw) && voucherDigits(raw).length === 12) return { kind: 'voucher', code: voucherDigits(raw) }
  return { kind: 'unknown' }
}

/** The largest amount the backend accepts (`invalid_amount` above): ¥1,000,000. */
export const MAX_AMOUNT_FEN = 100_000_000

/**
 * The amount the cashier typed, in yuan ('88', '88.5', '88.50', '¥1,288.00'), to fen; null when it is not a
 * positive amount with at most 2 decimals up to ¥1,000,000. Exact: no floating point.
 */
export function parseYuanToFen(input: string | null | undefined): number | null {
  const text = (input ?? '').replace(/[¥,，\s]/g, '')
  const m = /^(\d{1,7})(?:\.(\d{0,2}))?$/.exec(text)
  if (!m) return null
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
  return fen > 0 && fen <= MAX_AMOUNT_FEN ? fen : null
}

/**
 * What is wrong with a typed amount, in Chinese, or null when `parseYuanToFen` accepts it (or nothing is typed
 * yet). A minus sign is refused, never dropped: '-5' is not ¥5.00.
 */
export function amountProblem(input: string | null | undefined): string | null {
  const text = (input ?? '').replace(/[¥,，\s]/g, '')
  if (text === '') return null
  if (/[-－−]/.test(text)) return '消费金额不能为负数'
  if (!/^\d*\.?\d*$/.test(text) || !/\d/.test(text)) return '消费金额只能是数字，如 68 或 68.50'
  if (/\.\d{3,}$/.test(text)) return '消费金额最多两位小数'
  const fen = parseYuanToFen(text)
  if (fen === null && !/[1-9]/.test(text)) return '消费金额须大于0'
  if (fen === null) return `单笔消费金额不能超过${fenToYuan(MAX_AMOUNT_FEN)}`
  return null
}

/** The till's order number as the backend accepts it (trimmed; letters, digits, - and _, 1–64), else null. */
export function normalizeOrderRef(input: string | null | undefined): string | null {
  const ref = (input ?? '').trim()
  return /^[A-Za-z0-9_-]{1,64}$/.test(ref) ? ref : null
}

export function awardConfirmText(nickname: string, amountFen: number, orderRef: string): string {
  return `为「${nickname}」登记消费 ${fenToYuan(amountFen)}，订单号 ${orderRef}？`
}

/** The result headline: '+136 积分' (base and campaign extra together: what the member got). */
export function awardedPointsLabel(result: Pick<PurchaseResult, 'points' | 'campaign_points'>): string {
  return `+${formatPoints(result.points + result.campaign_points)} 积分`
}

/** A repeat of an order already awarded: when and by whom, e.g. '该订单已于 2026-11-23 10:00 由 店员王芳 发放积分'. */
export function repeatAwardText(result: Pick<PurchaseResult, 'created_at' | 'awarded_by'>): string {
  const by = result.awarded_by?.nickname ? ` 由 ${result.awarded_by.nickname}` : ''
  return `该订单已于 ${businessDateTime(result.created_at)}${by} 发放积分`
}

/** The breakdown under it, e.g. '消费积分 68 · 活动加赠 68 · 银卡 ×1.2'; null when there is nothing to break down. */
export function awardBreakdown(result: Pick<PurchaseResult, 'points' | 'campaign_points' | 'multiplier'>): string | null {
  const parts = [`消费积分 ${formatPoints(result.points)}`]
  if (result.campaign_points > 0) parts.push(`活动加赠 ${formatPoints(result.campaign_points)}`)
  if (Number(result.multiplier) !== 1) parts.push(`等级倍数 ×${Number(result.multiplier)}`)
  return parts.length > 1 ? parts.join(' · ') : null
}

const ACTION_LABELS: Record<string, string> = {
  preview_member: '查看会员',
  award_purchase: '消费积分',
  void_purchase: '撤销积分',
  preview_redemption: '查看券码',
  verify_redemption: '核销兑换券',
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action
}

/** The figure on the right of a row: points for purchases ('+136' / '-136'), the item for a verification. */
export function actionFigure(a: Pick<StaffAction, 'action' | 'points' | 'detail'>): string {
  if (a.action === 'verify_redemption') return String(a.detail.item_title ?? '')
  const points = a.points ?? 0
  return `${points > 0 ? '+' : ''}${formatPoints(points)}`
}

/** The detail line: order number and amount for purchases, the voucher for verifications. */
export function actionDetail(a: Pick<StaffAction, 'action' | 'amount_fen' | 'detail' | 'purchase'>): string {
  if (a.action === 'verify_redemption') return `券码 ${formatVoucherCode(String(a.detail.voucher_code ?? ''))}`
  const parts = [`订单 ${a.purchase?.order_ref ?? String(a.detail.order_ref ?? '')}`]
  if (a.amount_fen != null) parts.push(fenToYuan(a.amount_fen))
  if (a.action === 'void_purchase' && a.detail.reason) parts.push(String(a.detail.reason))
  return parts.join(' · ')
}

/** An award whose purchase still stands may be voided by someone (`voidOffer`: by this caller?). */
export function canVoid(a: Pick<StaffAction, 'action' | 'purchase'>): boolean {
  return a.action === 'award_purchase' && a.purchase?.status === 'awarded'
}

/** Shown instead of 撤销 on a clerk's award of an earlier business day. */
export const VOID_SAME_DAY_ONLY = '仅当日可撤销，请联系店长'

/**
 * What a row offers its caller, by the backend's rule (`staff_void_purchase`, docs/staff.md): a manager may void
 * any standing purchase of the store; a clerk only purchases awarded on the current business day (`today`,
 * `businessToday` in the program's zone), otherwise the row says why (`refused`). An unknown role (the caller's `me` not loaded yet)
 * gets the button only where any staff member may use it. The backend still decides (`void_not_allowed`).
 */
export type VoidOffer = { kind: 'button' } | { kind: 'refused'; text: string } | { kind: 'none' }

export function voidOffer(
  a: Pick<StaffAction, 'action' | 'purchase'>,
  role: StaffRole | string | null | undefined,
  today: string,
): VoidOffer {
  if (!canVoid(a)) return { kind: 'none' }
  if (role === 'manager') return { kind: 'button' }
  if (a.purchase?.business_date === today) return { kind: 'button' }
  return role === 'clerk' ? { kind: 'refused', text: VOID_SAME_DAY_ONLY } : { kind: 'none' }
}

/** Reasons offered when voiding (the backend keeps up to 100 characters). */
export const VOID_REASONS = ['顾客退货退款', '金额录入错误', '会员选择错误', '其他'] as const

export function voidConfirmText(a: Pick<StaffAction, 'points' | 'member_nickname' | 'purchase'>): string {
  return `撤销订单 ${a.purchase?.order_ref ?? ''} 发给「${a.member_nickname ?? ''}」的 ${formatPoints(a.points ?? 0)} 积分？`
}

/** The member's tier on the preview, with its purchase multiplier when it earns more: '银卡会员 ×1.2', '普通会员'. */
export function tierBadge(tier: Pick<MemberPreview['tier'], 'name' | 'multiplier'>): string {
  return Number(tier.multiplier) === 1 ? tier.name : `${tier.name} ×${Number(tier.multiplier)}`
}
