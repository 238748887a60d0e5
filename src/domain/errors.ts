/**
 * Stable error codes (the backend's snake_case `message`, plus client-side codes) and the
 * Chinese text shown to users. Pure TypeScript: no Taro / React / network imports.
 */

export const FALLBACK_MESSAGE = '网络开小差了，请稍后再试'

const MESSAGES: Readonly<Record<string, string>> = {
  // client-side
  network_error: '网络连接失败，请检查网络后重试',
  request_timeout: '网络超时，请重试',
  bad_response: '服务异常，请稍后重试',
  camera_unavailable: '无法打开摄像头，请手动输入券码或会员码',
  // images (avatars; the console's item pictures): checked on the device, and Storage's refusals (docs/storage.md)
  invalid_image_type: '只能上传 JPEG、PNG 或 WebP 图片',
  image_too_large: '图片不能超过 2 MB',
  invalid_image_size: '图片尺寸需在 16–4096 像素之间',
  image_unreadable: '无法读取这张图片，请换一张',
  upload_failed: '图片上传失败，请重试',
  unknown: FALLBACK_MESSAGE,
  // auth
  invalid_jwt: '登录已过期，请重新登录',
  jwt_expired: '登录已过期，请重新登录',
  not_authenticated: '请先登录',
  member_not_found: '账号不存在，请重新登录',
  forbidden: '没有权限进行此操作',
  invalid_provider: '不支持的登录方式',
  invalid_subject: '登录信息无效，请重试',
  invalid_phone: '请输入正确的手机号',
  invalid_json: '请求格式错误',
  method_not_allowed: '请求方式错误',
  provider_disabled: '该登录方式未开放',
  invalid_wechat_code: '微信登录失败，请重试',
  wechat_rate_limited: '请求太频繁，请稍后再试',
  wechat_not_configured: '微信服务暂不可用',
  wechat_unavailable: '微信服务暂不可用，请稍后再试',
  server_misconfigured: '服务暂不可用，请稍后再试',
  payload_too_large: '提交的内容过大',
  // ledger
  request_id_reused: '请求重复，请刷新后重试',
  duplicate_reference: '该单据已处理，金额不一致',
  invalid_points: '积分数值无效',
  entry_not_found: '积分记录不存在',
  not_reversible: '该记录不可撤销',
  // business rules
  already_checked_in: '今天已经签到过了',
  insufficient_points: '积分不足',
  invalid_date: '只能补签今天之前的日期',
  make_up_window_passed: '只能补签最近7天内的日期',
  make_up_limit_reached: '本月补签次数已用完',
  invalid_month: '月份格式不正确',
  task_not_found: '任务不存在或已下线',
  task_not_completed: '任务尚未完成',
  daily_task_limit_reached: '今日任务奖励已达上限，明天再来吧',
  invalid_nickname: '昵称需为1–32个可见字符',
  invalid_avatar_url: '头像地址无效',
  avatar_not_own: '只能使用自己上传的头像',
  invalid_birthday: '请选择正确的生日',
  birthday_change_limited: '生日一年内只能修改一次',
  phone_taken: '该手机号已绑定其他账号',
  // points mall
  invalid_category: '商品分类不存在',
  request_id_required: '请求缺少编号，请刷新后重试',
  item_not_found: '商品不存在或已下架',
  not_on_sale: '商品不在兑换时间内',
  tier_too_low: '会员等级不足，暂不能兑换',
  out_of_stock: '商品已兑完',
  limit_reached: '已达到兑换上限',
  redemption_not_found: '兑换记录不存在',
  already_verified: '该券已核销',
  voucher_expired: '该券已过期',
  redemption_cancelled: '该兑换已取消，券码无效',
  invalid_status: '筛选状态无效',
  invalid_voucher_code: '请输入12位数字券码',
  voucher_not_found: '券码不存在，请核对后重试',
  // staff
  invalid_member_code: '会员码无效或已过期，请刷新后重试',
  not_staff: '仅限门店员工操作',
  not_manager: '仅限店长查看',
  // operator console (docs/operators.md)
  not_operator: '仅限总部运营操作',
  invalid_item_kind: '商品类型无效',
  invalid_title: '商品名称需为1–30个字',
  invalid_description: '商品描述最多500个字',
  invalid_image_urls: '商品图片地址无效（最多9张）',
  invalid_cost_points: '兑换所需积分无效',
  invalid_face_value: '面值无效',
  invalid_stock: '库存数量无效（新建时填写，之后请用库存调整）',
  invalid_member_limit: '每人限兑设置无效',
  invalid_tier: '会员等级不存在',
  invalid_sale_window: '上架时间段无效（开始须早于结束）',
  invalid_voucher_valid_days: '券有效天数无效',
  invalid_active: '上下架状态无效',
  invalid_stock_delta: '库存调整数量无效',
  invalid_change_reason: '请填写原因（1–200个字）',
  stock_below_zero: '库存不足，无法减少这么多',
  campaign_not_found: '活动不存在',
  campaign_ended: '活动已结束，不能再修改',
  invalid_campaign_name: '活动名称需为1–40个字',
  invalid_campaign_window: '活动时间无效（不能从过去开始，结束须晚于开始和现在，最长5年）',
  invalid_multiplier: '倍数需大于1且不超过10（最多两位小数）',
  invalid_sources: '请选择活动适用的积分来源',
  invalid_member_cap: '每人上限无效',
  invalid_budget: '活动预算无效（不能低于已发放的积分）',
  invalid_adjustment_points: '调整积分需为非零整数（不超过100万）',
  invalid_adjustment_reason: '请选择调整原因',
  invalid_note: '备注最多200个字',
  own_adjustment: '不能审批自己提交的调整',
  adjustment_not_found: '调整申请不存在',
  invalid_decision: '审批结果无效',
  adjustment_decided: '该调整已处理',
  invalid_query: '请输入完整手机号、手机号后4位、会员码或会员编号',
  store_not_found: '门店不存在',
  invalid_store_name: '门店名称需为1–40个字',
  invalid_address: '门店地址最多120个字',
  invalid_role: '员工角色无效',
  invalid_award_cap: '每日发放上限无效',
  invalid_member_ids: '会员编号列表无效',
  invalid_rule_subject: '规则类型无效',
  invalid_rule_change: '规则修改无效：请检查字段和取值',
  invalid_effective_at: '生效时间不能早于现在',
  tier_not_found: '会员等级不存在',
  rule_change_not_found: '规则修改不存在',
  rule_change_settled: '该规则修改已生效、失败或已取消',
  staff_not_found: '该员工不存在或已停用',
  staff_elsewhere: '该手机号已是其他门店员工或店长，请联系总部',
  invalid_member_query: '请输入完整的11位手机号、会员码或会员编号',
  store_member_not_found: '未找到该会员（仅可查看在本店消费过的会员）',
  invalid_category_code: '分类代码需为小写字母开头的字母、数字或下划线（最多32位）',
  invalid_category_name: '分类名称需为1–16个字',
  cannot_verify_self: '不能核销自己的券',
  invalid_limit: '分页参数无效',
  invalid_action_filter: '操作类型筛选无效',
  invalid_invite_code: '邀请码格式不正确',
  invalid_channel: '邀请方式无效',
  invite_code_not_found: '邀请码不存在，请核对后重试',
  self_referral: '不能填写自己的邀请码',
  referrer_already_bound: '你已绑定过邀请人',
  referral_window_closed: '仅新注册用户可填写邀请码',
  referral_cycle: '不能互相邀请',
  invalid_range: '日期范围无效（最长366天）',
  invalid_date_range: '导出日期范围无效（开始不能晚于结束，最长3660天）',
  invalid_after_id: '翻页位置无效，请重新导出',
  member_code_expired: '会员码已过期，请让顾客刷新会员码后重新扫码',
  too_many_code_attempts: '数字会员码核验失败次数过多，请稍后再试或扫描二维码',
  invalid_amount: '请输入正确的消费金额',
  invalid_order_ref: '订单号只能包含字母、数字、-和_，最多64位',
  cannot_award_self: '不能给自己的会员账号发放积分',
  duplicate_order_ref: '该订单号已用于其他会员或金额',
  staff_daily_cap_reached: '今日发放积分已达上限',
  purchase_not_found: '未找到该订单',
  void_not_allowed: '店员只能撤销当天的订单，请联系店长',
  invalid_reason: '撤销原因最多100个字',
  // scheduler (service role only)
  invalid_batch_size: '批处理数量无效',
  invalid_within_days: '天数参数无效',
  // 消息中心, subscribe messages, 小程序码 (docs/messages.md)
  invalid_subscribe_result: '订阅结果无效，请重试',
  member_required: '请先登录会员账号',
  storage_unavailable: '图片服务暂不可用，请稍后再试',
  // the sender (service role only)
  invalid_outcome: '发送结果无效',
  message_not_found: '消息不存在',
  lease_lost: '消息已由其他发送任务处理',
  invalid_access_token: '微信凭证无效',
  service_role_required: '没有权限进行此操作',
  not_found: '内容不存在或已下架',
}

/** Chinese user message for an error code; unknown codes get the generic fallback. */
export function messageFor(code: string): string {
  return Object.prototype.hasOwnProperty.call(MESSAGES, code) ? MESSAGES[code] : FALLBACK_MESSAGE
}

/** True for a stable error code such as `already_checked_in` (what the backend puts in `message`). */
export function isErrorCode(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(value)
}

/** An error carrying a stable code; map it to text with `messageFor(error.code)`. */
export class AppError extends Error {
  readonly code: string

  constructor(code: string, options?: { cause?: unknown }) {
    super(code)
    this.name = 'AppError'
    this.code = code
    if (options && 'cause' in options) {
      ;(this as { cause?: unknown }).cause = options.cause
    }
  }
}

/** The code of any thrown value: an AppError's code, otherwise 'unknown'. */
export function errorCodeOf(error: unknown): string {
  return error instanceof AppError ? error.code : 'unknown'
}

/**
 * Whether a failed write may have reached the server (a network error, a timeout, an answer of the wrong shape or an unreadable one): a retry must
 * then reuse its request id, so the backend answers the first result instead of writing twice. Any other
 * code is a refusal that stored nothing.
 */
export function mayHaveReachedServer(code: string): boolean {
  return code === 'network_error' || code === 'request_timeout' || code === 'bad_response' || code === 'unknown'
}

/** An error toast stays at least this long (the platform default, 1.5 s, is too short to read at a till). */
export const ERROR_TOAST_MIN_MS = 3000

/** How long an error toast with `text` stays: ≥ 3 s, 150 ms a character for longer texts, at most 6 s. */
export function errorToastMs(text: string): number {
  return Math.min(6000, Math.max(ERROR_TOAST_MIN_MS, Array.from(text ?? '').length * 150))
}
