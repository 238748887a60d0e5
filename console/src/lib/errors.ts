/** The Chinese text of any error the console meets: the backend's stable code through src/domain/errors.ts. */
import { errorCodeOf, FALLBACK_MESSAGE, messageFor } from '../../../src/domain/errors'

/**
 * Codes of the export contract and the storage uploads (branches `exports`, `storage`) until src/domain/errors.ts has them:
 * the domain's message wins once it does.
 */
const CONTRACT_MESSAGES: Readonly<Record<string, string>> = {
  invalid_export_range: '导出日期范围无效',
  invalid_image_type: '只能上传 JPEG、PNG 或 WebP 图片',
  image_too_large: '图片不能超过 2 MB',
  upload_failed: '图片上传失败，请重试',
  invalid_image_size: '图片尺寸需在 16–4096 像素之间',
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
