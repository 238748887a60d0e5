/**
 * The backend's answers: one shape per answer (src/domain/shape.ts), and the type of each answer inferred from
 * it (`type Me = Infer<typeof ME>`), so the check and the type cannot drift apart. The services check every
 * answer against its shape where it enters the app; one that does not fit is AppError('bad_response') and the
 * screen shows its error view with 重试 instead of crashing on `data.tier.name`. src/services/contract.ts holds
 * every RPC's shape against the database's generated result type (`npm run gen:types`): a field the database
 * does not answer, or answers with another type, does not compile.
 */
import { arr, bool, type Infer, nullable, num, numeric, obj, oneOf, record, str } from './shape'

// ---------------------------------------------------------------------------------------------- member, program

/** RPC `get_program`. */
export const PROGRAM = obj({
  name: str,
  /** IANA zone, e.g. 'Asia/Shanghai'. */
  time_zone: str,
  /** Today's business date in the program's time zone, YYYY-MM-DD. */
  business_date: str,
  /** Server clock, ISO 8601. */
  server_time: str,
})
export type Program = Infer<typeof PROGRAM>

const profileFields = {
  id: str,
  nickname: str,
  avatar_url: nullable(str),
  phone: nullable(str),
  birthday: nullable(str),
  /** When the birthday may be changed again (null: never set, so free to set). */
  birthday_editable_from: nullable(str),
  created_at: str,
}
/** RPC `update_profile`; also the first part of `me`. */
export const PROFILE = obj(profileFields)
export type Profile = Infer<typeof PROFILE>

const TIER = obj({ code: str, name: str, rank: num, multiplier: numeric })
export type Tier = Infer<typeof TIER>

/** RPC `me`. */
export const ME = obj({
  ...profileFields,
  business_date: str,
  staff: nullable(obj({ store_id: str, store_name: str, role: oneOf('clerk', 'manager') })),
  tier: TIER,
  qualifying_points: num,
  next_tier: nullable(obj({ code: str, name: str, min_earned_points: num, points_needed: num })),
  downgrade: nullable(obj({ due_at: str, to_tier_code: str, to_tier_name: str })),
  balance_points: num,
  pending_points: num,
  expiring: nullable(obj({ points: num, expires_on: str, expires_at: str })),
  streak_days: num,
  checked_in_today: bool,
})
export type Me = Infer<typeof ME>

/** `point_rules.expiry_reminder_days`. */
export const REMINDER_DAY_ROWS = arr(obj({ expiry_reminder_days: arr(num) }))

// ---------------------------------------------------------------------------------------------------- check-in

const checkInFields = {
  check_in_date: str,
  made_up: bool,
  points: num,
  bonus_points: num,
  campaign_points: num,
  streak_days: num,
  cycle_day: num,
  balance_points: num,
}
/** RPC `check_in`. */
export const CHECK_IN_RESULT = obj(checkInFields)
export type CheckInResult = Infer<typeof CHECK_IN_RESULT>
/** RPC `make_up_check_in` (补签): a check-in that cost points. */
export const MAKE_UP_RESULT = obj({ ...checkInFields, cost_points: num })
export type MakeUpResult = Infer<typeof MAKE_UP_RESULT>

const CALENDAR_DAY = obj({
  date: str,
  checked_in: bool,
  made_up: bool,
  /** Base check-in points paid for the day (0 when not checked in). */
  points: num,
  /** Streak bonus paid for the day (0: none). */
  bonus_points: num,
  /** A missed day the member may make up now (ignores the balance). */
  can_make_up: bool,
})
export type CalendarDay = Infer<typeof CALENDAR_DAY>

/** RPC `check_in_calendar`. */
export const CHECK_IN_CALENDAR = obj({
  month: str,
  today: str,
  days: arr(CALENDAR_DAY),
  /** Through today, or through yesterday while today is still open. */
  streak_days: num,
  /** Make-ups of the current business month, whichever month is shown. */
  make_ups_used: num,
  make_ups_left: num,
  make_up_cost_points: num,
  checked_in_today: bool,
})
export type CheckInCalendar = Infer<typeof CHECK_IN_CALENDAR>

/** `point_rules` (check-in part) and `check_in_streak_bonuses` rows. */
export const CHECK_IN_RULE_ROWS = arr(
  obj({ check_in_points: num, check_in_cycle_days: num, make_up_window_days: num, make_up_monthly_limit: num, make_up_cost_points: num }),
)
export const STREAK_BONUS_ROWS = arr(obj({ cycle_day: num, bonus_points: num }))
export type StreakBonus = Infer<typeof STREAK_BONUS_ROWS>[number]

// ------------------------------------------------------------------------------------------------------- tasks

const TASK_KIND = oneOf('one_time', 'daily', 'weekly')
export type TaskKind = Infer<typeof TASK_KIND>

const TASK = obj({
  code: str,
  title: str,
  description: str,
  kind: TASK_KIND,
  /** 'checked_in', 'profile_completed', 'phone_bound', 'item_redeemed', 'purchase_awarded', … */
  event: str,
  reward_points: num,
  /** Events per completion. */
  required_count: num,
  /** Rewarded completions per period. */
  period_limit: num,
  /** 'once', 'D2026-11-24' or 'W2026-11-23' (the Monday). */
  period_key: str,
  /** The member's events in the current period. */
  progress: num,
  completions: num,
  claimed: num,
  claimable: num,
  /** Every rewarded completion of the period has been claimed. */
  done: bool,
})
export type Task = Infer<typeof TASK>

const TASK_DAILY_USAGE = obj({ rewards_used: num, rewards_max: num, points_used: num, points_max: num })
export type TaskDailyUsage = Infer<typeof TASK_DAILY_USAGE>

/** RPC `list_tasks`. */
export const TASK_LIST = obj({ business_date: str, daily: TASK_DAILY_USAGE, tasks: arr(TASK) })
export type TaskList = Infer<typeof TASK_LIST>

/** RPC `claim_task`. */
export const CLAIM_RESULT = obj({
  task_code: str,
  period_key: str,
  seq: num,
  /** The task's base reward. */
  points: num,
  /** A running campaign's extra on top. */
  campaign_points: num,
  balance_points: num,
})
export type ClaimResult = Infer<typeof CLAIM_RESULT>

// -------------------------------------------------------------------------------------------------------- mall

const MALL_ITEM = obj({
  id: str,
  /** 'coupon', 'membership', 'gift' (an older app shows an unknown kind as a gift). */
  kind: str,
  title: str,
  description: str,
  category_code: str,
  image_urls: arr(str),
  cost_points: num,
  face_value_fen: nullable(num),
  stock_remaining: num,
  member_limit: nullable(num),
  member_limit_days: nullable(num),
  min_tier_code: nullable(str),
  min_tier_name: nullable(str),
  sale_starts_at: nullable(str),
  sale_ends_at: nullable(str),
  voucher_valid_days: num,
  /** The sale starts later: listed, not redeemable yet. */
  upcoming: bool,
  /** This member's non-cancelled redemptions in the current limit window. */
  member_redeemed: num,
  member_limit_left: nullable(num),
  /** 'YYYY-MM-DD' the next slot frees (rolling limit used up), else null. */
  limit_resets_on: nullable(str),
  redeemable: bool,
  /** 'not_on_sale', 'tier_too_low', 'limit_reached', 'out_of_stock', 'insufficient_points', or null. */
  reason: nullable(str),
})
export type MallItem = Infer<typeof MALL_ITEM>

const MALL_CATEGORY = obj({ code: str, name: str })
export type MallCategory = Infer<typeof MALL_CATEGORY>

/** RPC `list_mall_items`. */
export const MALL_LISTING = obj({
  server_time: str,
  /** Spendable now. */
  balance_points: num,
  tier: obj({ code: str, name: str, rank: num }),
  categories: arr(MALL_CATEGORY),
  items: arr(MALL_ITEM),
})
export type MallListing = Infer<typeof MALL_LISTING>

const redemptionFields = {
  id: str,
  /** The voucher's terms (title, face value) as at redemption. */
  item: obj({ id: str, kind: str, title: str, face_value_fen: nullable(num), image_url: nullable(str) }),
  cost_points: num,
  /** 12 digits. */
  voucher_code: str,
  /** 'issued', 'verified', 'cancelled', 'expired'. */
  status: str,
  created_at: str,
  /** Exclusive: valid until just before this instant (00:00 in the program's zone of the day after the last valid day). */
  expires_at: str,
  verified_at: nullable(str),
  verified_store: nullable(obj({ id: str, name: str })),
  cancelled_at: nullable(str),
}
export const REDEMPTION = obj(redemptionFields)
export type Redemption = Infer<typeof REDEMPTION>
/** RPC `list_my_redemptions`. */
export const REDEMPTIONS = arr(REDEMPTION)
/** RPC `redeem_item`. */
export const REDEEM_RESULT = obj({ ...redemptionFields, balance_points: num })
export type RedeemResult = Infer<typeof REDEEM_RESULT>
/** RPC `cancel_redemption`. */
export const CANCEL_RESULT = obj({ ...redemptionFields, refunded_points: num, balance_points: num })
export type CancelResult = Infer<typeof CANCEL_RESULT>

// ----------------------------------------------------------------------------------------------------- history

const ENTRY_KIND = oneOf('earn', 'spend', 'expire', 'reverse')
export type EntryKind = Infer<typeof ENTRY_KIND>
const ENTRY_SOURCE = oneOf(
  'registration',
  'birthday',
  'tier_upgrade',
  'check_in',
  'check_in_streak',
  'task',
  'purchase',
  'referral',
  'campaign',
  'adjustment',
  'make_up',
  'redemption',
  'expiry',
)
export type EntrySource = Infer<typeof ENTRY_SOURCE>

/** Own rows of `point_entries` (history). */
export const POINT_ENTRIES = arr(
  obj({
    id: num,
    amount_points: num,
    kind: ENTRY_KIND,
    source: ENTRY_SOURCE,
    /** '' when the writer gave none. */
    description: str,
    business_date: str,
    created_at: str,
  }),
)
export type PointEntry = Infer<typeof POINT_ENTRIES>[number]
/** Own rows of `point_lots` (expiry schedule). */
export const EXPIRY_LOTS = arr(obj({ remaining_points: num, expires_at: str }))
export type ExpiryLot = Infer<typeof EXPIRY_LOTS>[number]

// -------------------------------------------------------------------------------------------- code, referrals

/** RPC `issue_member_code`. */
export const MEMBER_CODE = obj({
  /** 'M1.<member id>.<expiry>.<MAC>': exactly what the QR carries. */
  token: str,
  /** ISO timestamp: the last second the code is valid. */
  expires_at: str,
  ttl_seconds: num,
  /** ISO timestamp: the server's clock when it issued the code. */
  server_time: str,
  /** The same code as 18 digits ('9' + 17 random digits) for the barcode and reading aloud; valid as long. */
  digits: str,
})
export type MemberCode = Infer<typeof MEMBER_CODE>

const REFERRAL_STATUS = oneOf('pending', 'rewarded')
export type ReferralStatus = Infer<typeof REFERRAL_STATUS>

const INVITEE = obj({
  nickname: str,
  avatar_url: nullable(str),
  bound_at: str,
  status: REFERRAL_STATUS,
  qualified_at: nullable(str),
  /** What this invitee earned me (the referrer), net; 0 while pending or when skipped. */
  reward_points: num,
  /** 'daily_cap': my reward for this invitee was skipped for good (the daily limit was reached). */
  referrer_skipped: nullable(str),
})
export type Invitee = Infer<typeof INVITEE>

/** RPC `list_invitees`. */
export const INVITE_SUMMARY = obj({
  invite_code: str,
  /** Who invited me, or null. */
  referrer: nullable(obj({ nickname: str, avatar_url: nullable(str), status: REFERRAL_STATUS, bound_at: str })),
  bonus_points: num,
  /** 'first_check_in_after_phone' or 'first_purchase'. */
  qualifying_action: str,
  daily_max_rewards: num,
  rewards_today: num,
  invited_count: num,
  rewarded_count: num,
  earned_points: num,
  /** Newest first; page with `p_before` = the last row's `bound_at`. */
  invitees: arr(INVITEE),
  /** Until when I may still bind a referrer (type a code); null once bound or after the bind window. */
  bind_until: nullable(str),
})
export type InviteSummary = Infer<typeof INVITE_SUMMARY>

/** Edge Function `wxacode`: the member's 小程序码 (an image URL for `downloadFile`) and what it opens. */
export const WXACODE = obj({ url: str, scene: str, page: str })
export type Wxacode = Infer<typeof WXACODE>

/** RPC `bind_referrer`. */
export const BIND_REFERRER_RESULT = obj({
  referrer: obj({ nickname: str, avatar_url: nullable(str) }),
  channel: oneOf('code', 'share'),
  status: REFERRAL_STATUS,
  bound_at: str,
  qualifying_action: str,
  bonus_points: num,
})
export type BindReferrerResult = Infer<typeof BIND_REFERRER_RESULT>

// ------------------------------------------------------------------------------------------------------- staff

/** RPC `staff_check_member_code`: the same answer whether the digits are a member's code or not. */
export const MEMBER_CODE_CHECK = obj({ checked_at: str })
export type MemberCodeCheck = Infer<typeof MEMBER_CODE_CHECK>

/** RPC `staff_preview_member`. */
export const MEMBER_PREVIEW = obj({
  member_id: str,
  nickname: str,
  avatar_url: nullable(str),
  /** masked: 138****0001 */
  phone: nullable(str),
  tier: obj({ code: str, name: str, multiplier: numeric }),
  balance_points: num,
  pending_points: num,
  /** the code is the staff member's own: no award */
  is_self: bool,
})
export type MemberPreview = Infer<typeof MEMBER_PREVIEW>

const purchaseFields = {
  purchase_id: str,
  store_id: str,
  order_ref: str,
  member: obj({ id: str, nickname: str, phone: nullable(str) }),
  amount_fen: num,
  tier_code: str,
  multiplier: numeric,
  points: num,
  campaign_points: num,
  available_at: str,
  pending: bool,
  /** 'awarded' or 'voided'. */
  status: str,
  created_at: str,
  /** the staff member who made the award (this call's caller on a fresh award) */
  awarded_by: obj({ member_id: str, nickname: str }),
}

/** RPC `staff_award_purchase`. */
export const PURCHASE_RESULT = obj({
  ...purchaseFields,
  balance_points: num,
  /** this order was already awarded before this call (this answer is that award; nothing new) */
  repeat: bool,
})
export type PurchaseResult = Infer<typeof PURCHASE_RESULT>

const memberPoints = obj({ member_id: str, points: num })
const tierRef = obj({ code: str, name: str })

/** RPC `staff_void_purchase`. */
export const VOID_RESULT = obj({
  purchase: obj({ ...purchaseFields, voided_at: nullable(str), void_reason: nullable(str) }),
  reversed_points: num,
  reversed_campaign_points: num,
  balance_points: num,
  /** the task rewards this purchase had completed (今日到店消费 …), taken back with it */
  task_rewards_reversed: arr(obj({ task_code: str, period_key: str, points: num })),
  /** the referral rewards this purchase had paid, taken back (or kept when already spent); null: none */
  referral_rewards: nullable(obj({ reversed: arr(memberPoints), unrecovered: arr(memberPoints) })),
  tier_before: tierRef,
  tier_after: tierRef,
  bonuses_reversed: arr(obj({ tier_code: str, points: num })),
  bonuses_kept: arr(obj({ tier_code: str, points: num, reason: str })),
})
export type VoidResult = Infer<typeof VOID_RESULT>

/** RPC `staff_verify_redemption` (preview and confirm). */
export const VOUCHER_PREVIEW = obj({
  ...redemptionFields,
  verified_by: nullable(obj({ staff_member_id: str, nickname: str })),
  member: obj({ nickname: str, phone: nullable(str) }),
})
export type VoucherPreview = Infer<typeof VOUCHER_PREVIEW>

const STAFF_ACTION = obj({
  id: num,
  /** 'preview_member', 'award_purchase', 'void_purchase', 'preview_redemption', 'verify_redemption'. */
  action: str,
  created_at: str,
  staff_member_id: str,
  staff_nickname: str,
  store_id: str,
  member_id: nullable(str),
  member_nickname: nullable(str),
  member_phone: nullable(str),
  ref: nullable(str),
  points: nullable(num),
  amount_fen: nullable(num),
  detail: record,
  purchase: nullable(obj({ id: str, order_ref: str, status: str, business_date: str, voided_at: nullable(str) })),
})
export type StaffAction = Infer<typeof STAFF_ACTION>
/** RPC `staff_recent_actions`. */
export const STAFF_ACTIONS = arr(STAFF_ACTION)

// ----------------------------------------------------------------------------------------------------- reports

const periodFields = {
  earned_points: num,
  earn_reversed_points: num,
  issued_points: num,
  spent_points: num,
  spend_reversed_points: num,
  net_spent_points: num,
  expired_points: num,
}
const POINTS_DAY = obj({ ...periodFields, date: str, net_points: num, outstanding_points: num })
export type PointsDay = Infer<typeof POINTS_DAY>

/** RPC `report_points_daily`. */
export const POINTS_DAILY = obj({ from: str, to: str, days: arr(POINTS_DAY) })
export type PointsDaily = Infer<typeof POINTS_DAILY>

/** RPC `report_summary`. */
export const REPORT_SUMMARY = obj({
  from: str,
  to: str,
  ...periodFields,
  redeemed_points: num,
  redemption_rate: nullable(numeric),
  breakage_rate: nullable(numeric),
  as_of: str,
  outstanding_points: num,
  pending_points: num,
  members_with_balance: num,
  point_value_fen: numeric,
  outstanding_liability_fen: numeric,
})
export type ReportSummary = Infer<typeof REPORT_SUMMARY>

/** 'YYYY-MM' the points expire in. */
const LIABILITY_MONTH = obj({ month: str, points: num, liability_fen: numeric })
export type LiabilityMonth = Infer<typeof LIABILITY_MONTH>

/** RPC `report_liability_by_expiry_month`. */
export const LIABILITY_BY_MONTH = obj({
  as_of: str,
  months: arr(LIABILITY_MONTH),
  total_points: num,
  total_liability_fen: numeric,
  due_points: num,
  outstanding_points: num,
  point_value_fen: numeric,
})
export type LiabilityByMonth = Infer<typeof LIABILITY_BY_MONTH>

const CHECK_IN_DAY = obj({ date: str, checked_in_members: num, make_ups: num })
export type CheckInDay = Infer<typeof CHECK_IN_DAY>

/** RPC `report_check_in_actives`. */
export const CHECK_IN_ACTIVES = obj({ from: str, to: str, days: arr(CHECK_IN_DAY) })
export type CheckInActives = Infer<typeof CHECK_IN_ACTIVES>

const TOP_ITEM = obj({
  item_id: str,
  title: str,
  kind: oneOf('coupon', 'membership', 'gift'),
  redemptions: num,
  points_spent: num,
  verified: num,
  cancelled: num,
})
export type TopItem = Infer<typeof TOP_ITEM>

/** RPC `report_top_items`. */
export const TOP_ITEMS = obj({ from: str, to: str, items: arr(TOP_ITEM) })
export type TopItems = Infer<typeof TOP_ITEMS>

// ------------------------------------------------------------------------------------------- store managers

/** A `public.staff` row: RPCs `staff_set_clerk_cap`, `staff_deactivate_clerk` (and `staff_set_clerk`'s staff). */
export const STAFF_ROW = obj({
  member_id: str,
  store_id: str,
  role: oneOf('clerk', 'manager'),
  daily_award_cap_points: num,
  active: bool,
  created_at: str,
})
export type StaffRow = Infer<typeof STAFF_ROW>

const INVITATION_ROW = obj({
  id: str,
  phone: str,
  store_id: str,
  role: oneOf('clerk', 'manager'),
  daily_award_cap_points: num,
  created_at: str,
})

/** RPC `staff_set_clerk`: the member became a clerk (staff), or the phone was invited (invitation). */
export const SET_CLERK_RESULT = obj({ staff: nullable(STAFF_ROW), invitation: nullable(INVITATION_ROW) })
export type SetClerkResult = Infer<typeof SET_CLERK_RESULT>

const STORE_STAFF_MEMBER = obj({
  member_id: str,
  nickname: str,
  /** masked: 139****0001 (null: signed in without a phone) */
  phone: nullable(str),
  role: oneOf('clerk', 'manager'),
  active: bool,
  daily_award_cap_points: num,
  /** points awarded on the business day (what the daily cap counts) */
  awarded_today_points: num,
  since: str,
  /** the calling manager */
  is_self: bool,
})
export type StoreStaffMember = Infer<typeof STORE_STAFF_MEMBER>

const STORE_STAFF_INVITATION = obj({
  id: str,
  /** masked */
  phone: str,
  role: oneOf('clerk', 'manager'),
  daily_award_cap_points: num,
  invited_at: str,
})
export type StoreStaffInvitation = Infer<typeof STORE_STAFF_INVITATION>

/** RPC `staff_list_store_staff`. */
export const STORE_STAFF = obj({
  store_id: str,
  store_name: str,
  business_date: str,
  staff: arr(STORE_STAFF_MEMBER),
  invitations: arr(STORE_STAFF_INVITATION),
})
export type StoreStaff = Infer<typeof STORE_STAFF>

const STORE_MEMBER = obj({
  member_id: str,
  nickname: str,
  /** masked */
  phone: nullable(str),
  tier_code: str,
  tier_name: str,
  /** spendable now */
  balance_points: num,
  first_purchase_at: str,
  last_purchase_at: str,
  /** standing purchases at the store (voided ones excluded) and what they paid */
  purchase_count: num,
  purchase_amount_fen: num,
})
export type StoreMember = Infer<typeof STORE_MEMBER>

/** RPC `staff_find_members`: the member the query names, if they bought at the store; else empty. */
export const STORE_MEMBERS = arr(STORE_MEMBER)

const STORE_MEMBER_PURCHASE = obj({
  purchase_id: str,
  order_ref: str,
  amount_fen: num,
  points: num,
  campaign_points: num,
  status: oneOf('awarded', 'voided'),
  business_date: str,
  created_at: str,
  awarded_by: obj({ member_id: str, nickname: str }),
  voided_at: nullable(str),
  void_reason: nullable(str),
})
export type StoreMemberPurchase = Infer<typeof STORE_MEMBER_PURCHASE>

/** RPC `staff_store_member_detail`. */
export const STORE_MEMBER_DETAIL = obj({
  member: STORE_MEMBER,
  avatar_url: nullable(str),
  member_since: str,
  tier_multiplier: numeric,
  pending_points: num,
  expiring: nullable(obj({ points: num, expires_on: str, expires_at: str })),
  purchase_points: num,
  voided_count: num,
  /** newest first, voided ones included (the newest 50) */
  purchases: arr(STORE_MEMBER_PURCHASE),
})
export type StoreMemberDetail = Infer<typeof STORE_MEMBER_DETAIL>

// ---------------------------------------------------------------------------------- 我的消费, 积分规则 (issue 17)

/** One element of RPC `list_my_purchases`. */
export const MY_PURCHASE = obj({
  id: str,
  store: obj({ id: str, name: str }),
  order_ref: str,
  amount_fen: num,
  tier_code: str,
  multiplier: numeric,
  /** Base points × tier multiplier: what the purchase earned. */
  points: num,
  /** A campaign's extra on top. */
  campaign_points: num,
  status: oneOf('awarded', 'voided'),
  /** Awarded, points held until available_at. */
  pending: bool,
  available_at: str,
  created_at: str,
  voided_at: nullable(str),
})
export type MyPurchase = Infer<typeof MY_PURCHASE>
/** RPC `list_my_purchases`. */
export const MY_PURCHASES = arr(MY_PURCHASE)

/** Table `point_rules` (readable by anyone): the fields 积分规则 and 会员等级 show. */
export const POINT_RULES_ROWS = arr(
  obj({
    registration_bonus_points: num,
    birthday_bonus_points: num,
    birthday_min_notice_days: num,
    purchase_fen_per_point: num,
    purchase_hold_days: num,
    check_in_points: num,
    check_in_cycle_days: num,
    make_up_window_days: num,
    make_up_monthly_limit: num,
    make_up_cost_points: num,
    task_daily_max_rewards: num,
    task_daily_max_points: num,
    referral_bonus_points: num,
    referral_daily_max_rewards: num,
    referral_qualifying_action: str,
    lot_validity_months: num,
    tier_window_months: num,
    tier_grace_days: num,
  }),
)
export type PublicPointRules = Infer<typeof POINT_RULES_ROWS>[number]

/** Table `tiers` (readable by anyone), by rank. */
export const TIER_ROWS = arr(
  obj({ code: str, name: str, rank: num, min_earned_points: num, multiplier: numeric, upgrade_bonus_points: num }),
)
export type TierRow = Infer<typeof TIER_ROWS>[number]

/** Table `check_in_streak_bonuses`: STREAK_BONUS_ROWS (check-in, above). */
export type StreakBonusRow = StreakBonus

/** Table `tasks` (readable by anyone), the active ones. */
export const TASK_RULE_ROWS = arr(
  obj({ code: str, title: str, kind: oneOf('one_time', 'daily', 'weekly'), reward_points: num, period_limit: num, required_count: num }),
)
export type TaskRuleRow = Infer<typeof TASK_RULE_ROWS>[number]

/** Table `campaigns` (readable by anyone): the running and coming ones. */
export const CAMPAIGN_ROWS = arr(
  obj({ id: str, name: str, starts_at: str, ends_at: str, multiplier: numeric, sources: arr(str), member_cap_points: nullable(num) }),
)
export type CampaignRow = Infer<typeof CAMPAIGN_ROWS>[number]
// ------------------------------------------------------------------------------------------- 消息中心, consent

/** One message of `list_my_messages` (newest first). `kind` stays a string: a kind added later still shows. */
export const MESSAGE = obj({
  id: num,
  kind: str,
  title: str,
  body: str,
  /** An app path the message opens ('/member/redemptions/index'), or null. */
  link: nullable(str),
  created_at: str,
  read_at: nullable(str),
})
export type Message = Infer<typeof MESSAGE>
/** RPC `list_my_messages`. */
export const MESSAGES = arr(MESSAGE)
/** RPCs `mark_messages_read` and `count_unread_messages`. */
export const UNREAD_COUNT = obj({ unread_count: num })
export type UnreadCount = Infer<typeof UNREAD_COUNT>
/** RPC `record_subscribe_consent`: how many templates were accepted. */
export const CONSENT_RECORDED = obj({ accepted: num })
export type ConsentRecorded = Infer<typeof CONSENT_RECORDED>
