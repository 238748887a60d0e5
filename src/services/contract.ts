/**
 * Every RPC the app calls, with the shape its answer is checked against (src/domain/responses.ts), held against
 * the result type the database declares (`npm run gen:types`: each RPC returns a composite type). A shape field
 * the database does not answer, or answers with another type, is a compile error here naming the RPC; the
 * runtime check then holds what the types cannot (which fields are never null, enums).
 */
import type { Infer, Shape } from '../domain/shape'
import {
  BIND_REFERRER_RESULT,
  CANCEL_RESULT,
  CHECK_IN_ACTIVES,
  CHECK_IN_CALENDAR,
  CHECK_IN_RESULT,
  CLAIM_RESULT,
  CONSENT_RECORDED,
  INVITE_SUMMARY,
  LIABILITY_BY_MONTH,
  MAKE_UP_RESULT,
  MALL_LISTING,
  ME,
  MEMBER_CODE,
  MEMBER_CODE_CHECK,
  MEMBER_PREVIEW,
  MY_PURCHASES,
  MESSAGES,
  POINTS_DAILY,
  PROFILE,
  PROGRAM,
  PURCHASE_RESULT,
  REDEEM_RESULT,
  REDEMPTIONS,
  REPORT_SUMMARY,
  SET_CLERK_RESULT,
  STAFF_ROW,
  STORE_MEMBER_DETAIL,
  STORE_MEMBERS,
  STORE_STAFF,
  STAFF_ACTIONS,
  TASK_LIST,
  TOP_ITEMS,
  UNREAD_COUNT,
  VOID_RESULT,
  VOUCHER_PREVIEW,
} from '../domain/responses'
import type { Json } from './database.types'
import type { RpcName, RpcReturns } from './rpc'

export const RESULT_SHAPES = {
  get_program: PROGRAM,
  me: ME,
  update_profile: PROFILE,
  check_in: CHECK_IN_RESULT,
  make_up_check_in: MAKE_UP_RESULT,
  check_in_calendar: CHECK_IN_CALENDAR,
  list_tasks: TASK_LIST,
  claim_task: CLAIM_RESULT,
  list_mall_items: MALL_LISTING,
  redeem_item: REDEEM_RESULT,
  cancel_redemption: CANCEL_RESULT,
  list_my_redemptions: REDEMPTIONS,
  list_my_purchases: MY_PURCHASES,
  issue_member_code: MEMBER_CODE,
  list_invitees: INVITE_SUMMARY,
  bind_referrer: BIND_REFERRER_RESULT,
  staff_check_member_code: MEMBER_CODE_CHECK,
  staff_preview_member: MEMBER_PREVIEW,
  staff_award_purchase: PURCHASE_RESULT,
  staff_void_purchase: VOID_RESULT,
  staff_verify_redemption: VOUCHER_PREVIEW,
  staff_recent_actions: STAFF_ACTIONS,
  report_points_daily: POINTS_DAILY,
  report_summary: REPORT_SUMMARY,
  report_liability_by_expiry_month: LIABILITY_BY_MONTH,
  report_check_in_actives: CHECK_IN_ACTIVES,
  report_top_items: TOP_ITEMS,
  staff_list_store_staff: STORE_STAFF,
  staff_set_clerk: SET_CLERK_RESULT,
  staff_set_clerk_cap: STAFF_ROW,
  staff_deactivate_clerk: STAFF_ROW,
  staff_find_members: STORE_MEMBERS,
  staff_store_member_detail: STORE_MEMBER_DETAIL,
  list_my_messages: MESSAGES,
  mark_messages_read: UNREAD_COUNT,
  count_unread_messages: UNREAD_COUNT,
  record_subscribe_consent: CONSENT_RECORDED,
} satisfies { [F in RpcName]?: Shape<unknown> }

/** The RPCs the app calls. */
export type AppRpcName = keyof typeof RESULT_SHAPES
/** What the app reads from an RPC's answer: the type of its checked shape. */
export type RpcResult<F extends AppRpcName> = Infer<(typeof RESULT_SHAPES)[F]>

/**
 * Whether a value of the shape's type `A` can come from the database's type `G`: every field `A` reads exists
 * in `G` with a compatible type (nulls aside: the shape decides those), recursively through objects and arrays.
 * A `Json` in `G` (a jsonb attribute) holds anything.
 */
type Fits<A, G> = [Json] extends [G]
  ? true
  : [NonNullable<A>] extends [never]
    ? true
    : [NonNullable<A>] extends [readonly (infer AE)[]]
      ? [NonNullable<G>] extends [readonly (infer GE)[]]
        ? Fits<AE, GE>
        : false
      : [NonNullable<A>] extends [Record<string, unknown>]
        ? [NonNullable<G>] extends [object]
          ? false extends {
              [K in keyof NonNullable<A>]-?: K extends keyof NonNullable<G> ? Fits<NonNullable<A>[K], NonNullable<G>[K]> : false
            }[keyof NonNullable<A>]
            ? false
            : true
          : false
        : [NonNullable<A>] extends [NonNullable<G>]
          ? true
          : false

/** The RPCs whose shape does not fit the database's result type (never, when all fit). */
type Misfits = { [F in AppRpcName]: Fits<RpcResult<F>, RpcReturns<F>> extends true ? never : F }[AppRpcName]

/** A compile error naming every RPC whose shape does not fit what the database answers. */
export const EVERY_SHAPE_FITS: [Misfits] extends [never] ? true : { [F in Misfits]: 'the shape does not fit the generated result type' } =
  true
