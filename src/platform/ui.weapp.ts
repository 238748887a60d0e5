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

/** 联系客服 opens WeChat's customer-service chat (`<Button openType="contact">`, set up in the mini-program's admin). */
export const contactsByWeChat = true

/** The service phone shown and dialled by 联系客服 (build-time `TARO_APP_SERVICE_PHONE`; empty: no phone entry). */
export const servicePhone = (process.env.TARO_APP_SERVICE_PHONE ?? '').trim()
