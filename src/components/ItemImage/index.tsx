import { Image, Text, View } from '@tarojs/components'
import { useState } from 'react'

import { kindGlyph, kindLabel, yuanShort } from '../../domain/mall'
import { imageAltProps } from '../../platform/a11y'

import './index.scss'

interface Props {
  kind: string
  /** The item's first picture, if any. */
  imageUrl?: string | null
  /** A coupon's money value: the tile shows '¥10' under the glyph. */
  faceValueFen?: number | null
  /** 'card': the mall grid; 'hero': the top of the item screen; 'thumb': a small square in lists. */
  size?: 'card' | 'hero' | 'thumb'
  className?: string
}

const KNOWN_KINDS = new Set(['coupon', 'membership', 'gift'])

/**
 * An item's picture: its image, or (the seeded items have none, or the image failed to load) a coloured tile
 * per kind with a big glyph — 券 coupon, 会员 membership, 礼 gift — and the face value or kind below it.
 */
export default function ItemImage({ kind, imageUrl, faceValueFen, size = 'card', className }: Props) {
  const [failed, setFailed] = useState<string | null>(null)
  const base = `item-image item-image--${size}${className ? ` ${className}` : ''}`

  if (imageUrl && failed !== imageUrl) {
    return (
      <View className={base}>
        {/* alt '': the item's title is next to every picture, so the picture only decorates */}
        <Image
          className="item-image__img"
          src={imageUrl}
          mode="aspectFill"
          lazyLoad
          onError={() => setFailed(imageUrl)}
          {...imageAltProps('')}
        />
      </View>
    )
  }

  const tone = KNOWN_KINDS.has(kind) ? kind : 'gift'
  const glyph = kindGlyph(kind)
  const caption = typeof faceValueFen === 'number' && faceValueFen > 0 ? yuanShort(faceValueFen) : kindLabel(kind)
  return (
    <View className={`${base} item-image--tile item-image--${tone}`} data-kind={kind}>
      <View className="item-image__ring" />
      <View className="item-image__dot" />
      <Text className={`item-image__glyph${glyph.length > 1 ? ' item-image__glyph--wide' : ''}`}>{glyph}</Text>
      {size !== 'thumb' && <Text className="item-image__caption">{caption}</Text>}
    </View>
  )
}
