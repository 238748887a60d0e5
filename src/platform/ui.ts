/**
 * Platform seam: the few places where a screen looks different on H5 than in the mini-program. This file is
 * H5's (and the tests'); the weapp build picks ui.weapp.ts instead. Pages read these values, never TARO_ENV.
 */

/**
 * The award amount field. H5's `digit` field drops a typed '-' silently ('-5' became ¥5.00): a text field
 * (with the decimal keypad), checked as typed.
 */
export const amountInputType: 'text' | 'digit' = 'text'

/**
 * How 个人资料 picks an avatar: H5 opens the file picker (src/platform/avatar.ts crops and resizes it on the
 * device); the mini-program uses WeChat's `<Button openType='chooseAvatar'>`.
 */
export const avatarPicker: 'file' | 'chooseAvatar' = 'file'

/**
 * How a member invites: H5 shows a poster with a QR code of the invite link (to screenshot and send); there is
 * no share card.
 */
export const invitesByShareCard = false

/** An unknown address shows the 404 page (H5 has one; src/routes.ts `notFoundTarget`). */
export const hasNotFoundPage = true

/**
 * 联系客服: the mini-program opens WeChat's customer-service chat (`<Button openType="contact">`); H5 has none, so
 * it calls the service phone (a `tel:` link through Taro.makePhoneCall).
 */
export const contactsByWeChat = false

/** The service phone shown and dialled by 联系客服 (build-time `TARO_APP_SERVICE_PHONE`; empty: no phone entry). */
export const servicePhone = (process.env.TARO_APP_SERVICE_PHONE ?? '').trim()
