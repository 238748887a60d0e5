/**
 * The member's 小程序码 for the invite poster: the Edge Function `wxacode` (`POST /functions/v1/wxacode` with the
 * member's token, body `{}`) answers `{ url, scene, page }`: an image URL to download (`Taro.downloadFile`), the
 * `scene` it carries (the invite code) and the page it opens.
 */
import { WXACODE, type Wxacode } from '../domain/responses'
import { expectShape } from './rpc'
import { memberFunction } from './session'

export type { Wxacode }

export async function getInviteWxacode(): Promise<Wxacode> {
  return expectShape(WXACODE, await memberFunction('wxacode', {}))
}
