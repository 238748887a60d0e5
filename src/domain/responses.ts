/**
 * The shapes of the backend's answers as the screens read them (src/domain/shape.ts). The services check
 * every answer against its shape where it enters the app; one that does not fit is AppError('bad_response')
 * and the screen shows its error view with 重试 instead of crashing on `data.tier.name`.
 */
import { any, arr, bool, nullable, num, numeric, obj, optional, str } from './shape'

const tier = obj({ code: str, name: str, multiplier: numeric })

/** RPC `me` (src/domain/member.ts `Me`). */
export const ME = obj({
  id: str,
  nickname: str,
  avatar_url: nullable(str),
  phone: nullable(str),
  birthday: nullable(str),
  business_date: str,
  staff: nullable(obj({ store_id: str, store_name: str, role: str })),
  tier,
  qualifying_points: num,
  next_tier: nullable(obj({ code: str, name: str, min_earned_points: num, points_needed: num })),
  downgrade: nullable(obj({ due_at: str, to_tier_name: str })),
  balance_points: num,
  pending_points: num,
  expiring: nullable(obj({ points: num, expires_on: str })),
  streak_days: num,
  checked_in_today: bool,
})

/** RPC `get_program`. */
export const PROGRAM = obj({ name: str, time_zone: str, business_date: str, server_time: str })

/** RPC `check_in` / `make_up_check_in`. */
export const CHECK_IN_RESULT = obj({
  check_in_date: str,
  points: num,
  bonus_points: num,
  campaign_points: num,
  streak_days: num,
  balance_points: num,
  cost_points: optional(num),
})

/** RPC `check_in_calendar`. */
export const CHECK_IN_CALENDAR = obj({
  month: str,
  today: str,
  days: arr(obj({ date: str, checked_in: bool, made_up: bool, points: num, bonus_points: num, can_make_up: bool })),
  streak_days: num,
  make_ups_used: num,
  make_ups_left: num,
  make_up_cost_points: num,
  checked_in_today: bool,
})

/** `point_rules` (check-in part) and `check_in_streak_bonuses` rows. */
export const CHECK_IN_RULE_ROWS = arr(
  obj({ check_in_points: num, check_in_cycle_days: num, make_up_window_days: num, make_up_monthly_limit: num, make_up_cost_points: num }),
)
export const STREAK_BONUS_ROWS = arr(obj({ cycle_day: num, bonus_points: num }))
/** `point_rules.expiry_reminder_days`. */
export const REMINDER_DAY_ROWS = arr(obj({ expiry_reminder_days: arr(num) }))

const task = obj({
  code: str,
  title: str,
  description: str,
  kind: str,
  reward_points: num,
  required_count: num,
  period_limit: num,
  progress: num,
  claimable: num,
  done: bool,
})

/** RPC `list_tasks`. */
export const TASK_LIST = obj({
  business_date: str,
  daily: obj({ rewards_used: num, rewards_max: num, points_used: num, points_max: num }),
  tasks: arr(task),
})

/** RPC `claim_task`. */
export const CLAIM_RESULT = obj({ task_code: str, points: num, campaign_points: num, balance_points: num })

const mallItem = obj({
  id: str,
  kind: str,
  title: str,
  description: str,
  category_code: str,
  image_urls: arr(str),
  cost_points: num,
  face_value_fen: nullable(num),
  stock_remaining: num,
  member_limit: nullable(num),
  min_tier_name: nullable(str),
  sale_starts_at: nullable(str),
  sale_ends_at: nullable(str),
  voucher_valid_days: num,
  upcoming: bool,
  member_redeemed: num,
  member_limit_left: nullable(num),
})

/** RPC `list_mall_items`. */
export const MALL_LISTING = obj({
  server_time: str,
  balance_points: num,
  tier: obj({ code: str, name: str, rank: num }),
  categories: arr(obj({ code: str, name: str })),
  items: arr(mallItem),
})

const redemptionFields = {
  id: str,
  item: obj({ id: str, kind: str, title: str, face_value_fen: nullable(num), image_url: nullable(str) }),
  cost_points: num,
  voucher_code: str,
  status: str,
  created_at: str,
  expires_at: str,
  verified_at: nullable(str),
  verified_store: nullable(obj({ id: str, name: str })),
  cancelled_at: nullable(str),
}
export const REDEMPTION = obj(redemptionFields)
/** RPC `list_my_redemptions`. */
export const REDEMPTIONS = arr(REDEMPTION)
/** RPC `redeem_item`. */
export const REDEEM_RESULT = obj({ ...redemptionFields, balance_points: num })
/** RPC `cancel_redemption`. */
export const CANCEL_RESULT = obj({ ...redemptionFields, refunded_points: num, balance_points: num })

/** Own rows of `point_entries` (history). */
export const POINT_ENTRIES = arr(obj({ id: num, amount_points: num, kind: str, source: str, description: nullable(str), business_date: str, created_at: str }))
/** Own rows of `point_lots` (expiry schedule). */
export const EXPIRY_LOTS = arr(obj({ remaining_points: num, expires_at: str }))

/** RPC `issue_member_code`. */
export const MEMBER_CODE = obj({ token: str, expires_at: str, ttl_seconds: num, server_time: str })

/** RPC `update_profile`. */
export const PROFILE = obj({ id: str, nickname: str, avatar_url: nullable(str), phone: nullable(str), birthday: nullable(str), birthday_editable_from: nullable(str) })

const invitee = obj({ nickname: str, avatar_url: nullable(str), bound_at: str, status: str, reward_points: num })
/** RPC `list_invitees`. */
export const INVITE_SUMMARY = obj({
  invite_code: str,
  referrer: nullable(obj({ nickname: str, status: str, bound_at: str })),
  bonus_points: num,
  qualifying_action: str,
  invited_count: num,
  rewarded_count: num,
  earned_points: num,
  invitees: arr(invitee),
})
/** RPC `bind_referrer`. */
export const BIND_REFERRER_RESULT = obj({ referrer: obj({ nickname: str }), status: str, bonus_points: num })

/** RPC `staff_preview_member`. */
export const MEMBER_PREVIEW = obj({
  member_id: str,
  nickname: str,
  avatar_url: nullable(str),
  phone: nullable(str),
  tier,
  balance_points: num,
  pending_points: num,
  is_self: bool,
})

/** RPC `staff_award_purchase`. */
export const PURCHASE_RESULT = obj({
  order_ref: str,
  member: obj({ nickname: str, phone: nullable(str) }),
  amount_fen: num,
  multiplier: numeric,
  points: num,
  campaign_points: num,
  available_at: str,
  pending: bool,
  status: str,
  created_at: str,
  balance_points: num,
})

/** RPC `staff_void_purchase`. */
export const VOID_RESULT = obj({ purchase: obj({ order_ref: str }), reversed_points: num, reversed_campaign_points: num, balance_points: num })

/** RPC `staff_verify_redemption` (preview and confirm). */
export const VOUCHER_PREVIEW = obj({
  ...redemptionFields,
  verified_by: nullable(obj({ nickname: str })),
  member: obj({ nickname: str, phone: nullable(str) }),
})

/** RPC `staff_recent_actions`. */
export const STAFF_ACTIONS = arr(
  obj({
    id: num,
    action: str,
    created_at: str,
    staff_nickname: str,
    member_nickname: nullable(str),
    points: nullable(num),
    amount_fen: nullable(num),
    detail: obj({}),
    purchase: nullable(obj({ order_ref: str, status: str })),
    ref: optional(any),
  }),
)
