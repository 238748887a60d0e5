/**
 * Platform seam (H5 and tests): the invite poster's platform differences — which code it carries (H5: a QR code
 * of the H5 invite link; WeChat: the member's 小程序码) and how it is kept on the device. A browser cannot write to the photo
 * album: the PNG is downloaded through an `<a download>` (desktop browsers, Android); on a phone the page also
 * shows the poster as an image to long-press (长按保存). album.weapp.ts saves to WeChat's album instead.
 */

/** 'saved', or why not: the member refused the album permission ('denied') or backed out ('cancelled'). */
export type SaveOutcome = 'saved' | 'denied' | 'cancelled'

/** The poster's code: a QR code of the H5 invite link (drawn from its modules). */
export const posterCode: 'qr' | 'wxacode' = 'qr'
/** Under the code on the poster. */
export const posterCodeHint = '扫码加入会员，或填写邀请码'

/** What the save button says on this platform. */
export const saveImageLabel = '下载海报'
/** The hint under the poster: a browser can long-press the image. */
export const saveImageHint = '长按图片保存，或点击下载海报'
/** The poster is shown as an image (long-press to save) rather than the canvas itself. */
export const showsPosterAsImage = true

/** Downloads `src` (a data URL of the poster) as `fileName`. */
export async function saveImage(src: string, fileName: string): Promise<SaveOutcome> {
  const link = document.createElement('a')
  link.href = src
  link.download = fileName
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.appendChild(link)
  try {
    link.click()
  } finally {
    link.remove()
  }
  return 'saved'
}
