/** The Chinese text of any error the console meets: the backend's stable code through src/domain/errors.ts. */
import { errorCodeOf, FALLBACK_MESSAGE, messageFor } from '../../../src/domain/errors'

/**
 * Codes of the rule-change and export contracts (branches `rules`, `exports`) until src/domain/errors.ts has them:
 * the domain's message wins once it does.
 */
const CONTRACT_MESSAGES: Readonly<Record<string, string>> = {
  invalid_effective_at: '生效时间不能早于现在',
  invalid_rule_change: '规则取值无效',
  invalid_rule_subject: '规则类型无效',
  tier_not_found: '会员等级不存在',
  rule_change_not_found: '规则变更不存在',
  rule_change_settled: '该变更已生效或已取消',
  invalid_export_range: '导出日期范围无效',
  invalid_image_type: '只能上传 JPEG、PNG 或 WebP 图片',
  image_too_large: '图片不能超过 2 MB',
  upload_failed: '图片上传失败，请重试',
}

export function textOfCode(code: string): string {
  const text = messageFor(code)
  return text === FALLBACK_MESSAGE && code in CONTRACT_MESSAGES ? CONTRACT_MESSAGES[code] : text
}

/** What to show for a failed request: the message, and the code for support (`积分不足（insufficient_points）`). */
export function errorText(error: unknown): string {
  const code = errorCodeOf(error)
  return code === 'unknown' ? textOfCode(code) : `${textOfCode(code)}（${code}）`
}
