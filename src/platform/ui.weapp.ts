/** Platform seam (WeChat mini-program): see ui.ts. */

/** WeChat's `digit` keypad has no minus key, so a negative amount cannot be typed. */
export const amountInputType: 'text' | 'digit' = 'digit'

/**
 * WeChat's avatar control (`<Button openType='chooseAvatar'>`, required by WeChat's review rules): it answers a
 * temporary file, which src/platform/avatar.weapp.ts compresses and reads for the upload.
 */
export const avatarPicker: 'file' | 'chooseAvatar' = 'chooseAvatar'

/** WeChat's share card (`onShareAppMessage`, the 邀请好友 button) carries the invite; no poster. */
export const invitesByShareCard = true

/** No 404 page in the main package: an outdated share card or QR code opens home. */
export const hasNotFoundPage = false
