/** Platform seam (WeChat mini-program): see ui.ts. */

/** WeChat's `digit` keypad has no minus key, so a negative amount cannot be typed. */
export const amountInputType: 'text' | 'digit' = 'digit'

/**
 * No avatar field: the proper control (`<Button openType='chooseAvatar'>`) yields a temporary local file that
 * must first be uploaded (an upload function / storage bucket: not in scope), so the avatar stays as it is.
 */
export const editsAvatarUrl = false

/** WeChat's share card (`onShareAppMessage`, the 邀请好友 button) carries the invite; no poster. */
export const invitesByShareCard = true

/** No 404 page in the main package: an outdated share card or QR code opens home. */
export const hasNotFoundPage = false
