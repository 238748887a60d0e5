/**
 * The store manager's screens (docs/staff.md 店长): what a typed phone, cap or look-up query is, and how staff
 * and members of the store read. Pure TypeScript.
 */
import type { StoreMember, StoreMemberDetail, StoreMemberPurchase, StoreStaff, StoreStaffInvitation, StoreStaffMember } from './responses'
import { fenToYuan, formatPoints } from './format'
import { roleLabel } from './member'
import { businessDate, businessDateTime, daysBetween } from './time'

export type { StoreMember, StoreMemberDetail, StoreMemberPurchase, StoreStaff, StoreStaffInvitation, StoreStaffMember }

/** A new clerk's daily award cap unless the manager types another (the backend's default). */
export const DEFAULT_CLERK_CAP = 20_000
/** The largest cap the backend accepts (`invalid_award_cap` above). */
export const MAX_AWARD_CAP = 100_000_000

/** Reasons offered when deactivating a clerk (the backend keeps up to 200 characters). */
export const DEACTIVATE_REASONS = ['离职', '调岗至其他门店', '违规操作', '其他'] as const

const MOBILE = /^1[3-9]\d{9}$/

/** A typed phone without spaces and dashes ('138 0000-0001' → '13800000001'), or null when it is not a mainland mobile. */
export function normalizePhone(input: string | null | undefined): string | null {
  const phone = (input ?? '').replace(/[\s-]/g, '')
  return MOBILE.test(phone) ? phone : null
}

/**
 * What is wrong with a typed phone, in Chinese, or null when it is a mobile number (or nothing is typed yet).
 * `typing`: while the phone is still being typed, too few digits is not yet a problem.
 */
export function phoneProblem(input: string | null | undefined, typing = false): string | null {
  const phone = (input ?? '').replace(/[\s-]/g, '')
  if (phone === '') return null
  if (!/^\d+$/.test(phone)) return '手机号只能是数字'
  if (typing && phone.length < 11) return null
  if (phone.length !== 11) return '请输入11位手机号'
  return MOBILE.test(phone) ? null : '请输入正确的手机号'
}

/** A phone as staff screens show it: 138****0001 (shorter text as it is). */
export function maskPhone(phone: string | null | undefined): string {
  const p = (phone ?? '').trim()
  return p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : p
}

/** A typed daily cap in points ('20000', '20,000') to a number, or null when it is not a whole 0 … 100,000,000. */
export function parseCap(input: string | null | undefined): number | null {
  const text = (input ?? '').replace(/[,，\s]/g, '')
  if (!/^\d{1,9}$/.test(text)) return null
  const cap = Number(text)
  return cap <= MAX_AWARD_CAP ? cap : null
}

/** What is wrong with a typed cap, in Chinese, or null when `parseCap` accepts it (or nothing is typed yet). */
export function capProblem(input: string | null | undefined): string | null {
  const text = (input ?? '').replace(/[,，\s]/g, '')
  if (text === '') return null
  if (/[-－−]/.test(text)) return '上限不能为负数'
  if (!/^\d+$/.test(text)) return '上限须为整数积分'
  return parseCap(text) === null ? `上限最多 ${formatPoints(MAX_AWARD_CAP)} 积分` : null
}

/** Today's awarded points against the cap: the text ('1,200 / 20,000'), the share (0–1, for a bar) and whether it is reached. */
export function capUsage(s: Pick<StoreStaffMember, 'awarded_today_points' | 'daily_award_cap_points'>): {
  text: string
  share: number
  reached: boolean
} {
  const cap = s.daily_award_cap_points
  const share = cap > 0 ? Math.min(1, s.awarded_today_points / cap) : 1
  return {
    text: `${formatPoints(s.awarded_today_points)} / ${formatPoints(cap)}`,
    share,
    reached: s.awarded_today_points >= cap,
  }
}

/** A staff member's line under the name: '店员 · 139****0001 · 2026-11-01 起'. */
export function staffMeta(s: Pick<StoreStaffMember, 'role' | 'phone' | 'since'>): string {
  return [roleLabel(s.role), s.phone, `${businessDate(s.since)} 起`].filter(Boolean).join(' · ')
}

/** The store's staff split for the screen: active ones (the manager first, as listed), then deactivated ones. */
export function splitStaff(staff: readonly StoreStaffMember[]): { active: StoreStaffMember[]; inactive: StoreStaffMember[] } {
  return { active: staff.filter((s) => s.active), inactive: staff.filter((s) => !s.active) }
}

/** Whether the manager may change this one's cap or deactivate them: an active clerk (never himself, never a manager). */
export function isManageable(s: Pick<StoreStaffMember, 'role' | 'active' | 'is_self'>): boolean {
  return s.role === 'clerk' && s.active && !s.is_self
}

/** An invitation's line: '店员 · 每日上限 3,000 · 2026-11-23 10:00 邀请'. */
export function invitationMeta(i: Pick<StoreStaffInvitation, 'role' | 'daily_award_cap_points' | 'invited_at'>): string {
  return `${roleLabel(i.role)} · 每日上限 ${formatPoints(i.daily_award_cap_points)} · ${businessDateTime(i.invited_at)} 邀请`
}

/** What adding a clerk did: made a signed-in member a clerk, or invited a phone nobody signed in with yet. */
export function addClerkDoneText(result: { staff: unknown | null; invitation: unknown | null }, phone: string): string {
  return result.staff ? `已将 ${maskPhone(phone)} 设为店员` : `已邀请 ${maskPhone(phone)}，对方首次登录后成为店员`
}

export function deactivateConfirmText(s: Pick<StoreStaffMember, 'nickname' | 'phone'>, reason: string): string {
  return `停用店员「${s.nickname}」${s.phone ? `（${s.phone}）` : ''}？原因：${reason}。停用后其不能再发放积分，已发放的记录不变。`
}

// ------------------------------------------------------------------------------------------------ members

/** What the member look-up box holds: a phone, a member code (`M1.…`), a member id, or a problem to show. */
export type MemberQuery = { kind: 'phone' | 'code' | 'id'; query: string } | { kind: 'invalid'; problem: string }

const MEMBER_CODE = /^M1\.[0-9A-F]{32}\.[1-9]\d{9}\.[0-9A-F]{32}$/
const MEMBER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * A typed or scanned query as `staff_find_members` takes it: all 11 digits of a phone (spaces / dashes removed),
 * a member code (upper-cased), or a member id (lower-cased); anything else is a problem in Chinese (the backend's
 * `invalid_member_query` would be the same: no call is made).
 */
export function classifyMemberQuery(input: string | null | undefined): MemberQuery {
  const raw = (input ?? '').trim()
  if (raw === '') return { kind: 'invalid', problem: '请输入手机号、会员码或会员编号' }
  if (MEMBER_CODE.test(raw.toUpperCase())) return { kind: 'code', query: raw.toUpperCase() }
  if (MEMBER_ID.test(raw.toLowerCase())) return { kind: 'id', query: raw.toLowerCase() }
  if (/^[\d\s-]+$/.test(raw)) {
    const phone = normalizePhone(raw)
    return phone ? { kind: 'phone', query: phone } : { kind: 'invalid', problem: '请输入完整的11位手机号' }
  }
  if (/^m1\./i.test(raw)) return { kind: 'invalid', problem: '会员码不完整，请重新扫码' }
  return { kind: 'invalid', problem: '请输入完整的11位手机号、会员码或会员编号' }
}

/** A member's figures at the store: '消费 3 笔 · 共 ¥123.00'. */
export function storeSpendText(m: Pick<StoreMember, 'purchase_count' | 'purchase_amount_fen'>): string {
  return `消费 ${m.purchase_count} 笔 · 共 ${fenToYuan(m.purchase_amount_fen)}`
}

/** When the member bought at the store: '首次 2026-10-01 · 最近 2026-11-23' (one day when it is the same). */
export function storeVisitsText(m: Pick<StoreMember, 'first_purchase_at' | 'last_purchase_at'>): string {
  const first = businessDate(m.first_purchase_at)
  const last = businessDate(m.last_purchase_at)
  return first === last ? `到店 ${last}` : `首次 ${first} · 最近 ${last}`
}

/** The member's visits for a label of their own (到店): '2026-11-23', or '2026-10-01 至 2026-11-23'. */
export function visitRange(m: Pick<StoreMember, 'first_purchase_at' | 'last_purchase_at'>): string {
  const first = businessDate(m.first_purchase_at)
  const last = businessDate(m.last_purchase_at)
  return first === last ? last : `${first} 至 ${last}`
}

/** Expiring points within this many days are shown in the warning colour (the default reminder window). */
export const EXPIRING_SOON_DAYS = 30

/** A purchase's points: '+136' (base and campaign together), struck through by the screen when voided. */
export function purchasePointsText(p: Pick<StoreMemberPurchase, 'points' | 'campaign_points'>): string {
  return `+${formatPoints(p.points + p.campaign_points)}`
}

/** A purchase's detail line: '¥68.00 · 2026-11-23 10:00 · 店员王芳'. */
export function purchaseMeta(p: Pick<StoreMemberPurchase, 'amount_fen' | 'created_at' | 'awarded_by'>): string {
  return [fenToYuan(p.amount_fen), businessDateTime(p.created_at), p.awarded_by.nickname].filter(Boolean).join(' · ')
}

/** Why and when a voided purchase was voided: '已撤销 · 顾客退货 · 2026-11-23 11:00'. */
export function voidText(p: Pick<StoreMemberPurchase, 'status' | 'void_reason' | 'voided_at'>): string | null {
  if (p.status !== 'voided') return null
  return ['已撤销', p.void_reason, businessDateTime(p.voided_at)].filter(Boolean).join(' · ')
}

/** The expiring points line: '120 积分将于 2026-12-31 过期', or null when nothing expires. */
export function expiringText(expiring: StoreMemberDetail['expiring']): string | null {
  return expiring && expiring.points > 0 ? `${formatPoints(expiring.points)} 积分将于 ${expiring.expires_on} 过期` : null
}

/** Whether the expiring points expire within EXPIRING_SOON_DAYS of `today` (the business day): the warning colour. */
export function expiresSoon(expiring: StoreMemberDetail['expiring'], today: string): boolean {
  if (!expiring) return false
  const left = daysBetween(today, expiring.expires_on)
  return Number.isFinite(left) && left <= EXPIRING_SOON_DAYS
}
