/**
 * Until the Storage work is in (branch `storage`: `itemImageUrl` and `ITEM_IMAGES_BUCKET` in src/domain/mall.ts),
 * the same contract here: an entry of `mall_items.image_urls` is an object key of bucket item-images
 * (`items/<uuid>.png`), shown from the bucket's public URL, or an absolute / root-relative URL kept as it is.
 */
export const ITEM_IMAGES_BUCKET = 'item-images'
const OBJECT_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/

export function itemImageUrl(entry: string | null | undefined, apiUrl: string): string | null {
  if (!entry) return null
  if (/^https?:\/\/\S+$/.test(entry) || /^\/(?!\/)\S*$/.test(entry)) return entry
  if (!OBJECT_KEY.test(entry) || !apiUrl) return null
  return `${apiUrl.replace(/\/+$/, '')}/storage/v1/object/public/${ITEM_IMAGES_BUCKET}/${entry.split('/').map(encodeURIComponent).join('/')}`
}
