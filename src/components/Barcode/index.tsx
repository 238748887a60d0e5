import { View } from '@tarojs/components'
import { memo, useMemo } from 'react'

import { code128Modules } from '../../domain/barcode'
import { qrRuns } from '../../domain/qr'
import { COLORS } from '../../styles/colors'

interface Props {
  /** The text to encode (the member code's 18 digits). */
  value: string
  /** Outer width of the white box in CSS px (default 300); the bars are centred in it. */
  width?: number
  /** Height of the bars in CSS px (default 72). */
  height?: number
  className?: string
}

/**
 * A Code 128 barcode drawn with plain Views (no canvas), so it looks the same on H5 and in the mini-program:
 * one flex line of blocks, one per run of bars or spaces (jsbarcode's encoder, src/domain/barcode.ts). Every
 * module is a whole number of px, the largest that fits `width`, so edges stay sharp; what is left of the width
 * is white on both sides. Code 128 wants 10 modules of white on each side: 18 digits are 134 modules, 2 px each
 * in the default 300 px (16 px = 8 modules left on each side), so place it on a white card that adds the rest. Sizes are inline px (not SCSS, which
 * pxtransform would turn into rpx).
 *
 * DOM: `.barcode[data-barcode=value][data-modules][data-module-px] > .barcode__bar / .barcode__space`.
 */
function Barcode({ value, width = 300, height = 72, className }: Props) {
  const modules = useMemo(() => code128Modules(value), [value])
  const runs = useMemo(() => qrRuns(modules), [modules])
  const cell = Math.max(1, Math.floor(width / modules.length))
  const bars = modules.length * cell
  const outer = Math.max(width, bars)
  const offset = Math.floor((outer - bars) / 2)

  return (
    <View
      className={className ? `barcode ${className}` : 'barcode'}
      data-barcode={value}
      data-modules={modules.length}
      data-module-px={cell}
      style={{
        boxSizing: 'border-box',
        display: 'flex',
        flexDirection: 'row',
        width: `${outer}px`,
        height: `${height}px`,
        paddingLeft: `${offset}px`,
        backgroundColor: COLORS.qrPaper,
        flexShrink: 0,
        overflow: 'hidden',
      }}
    >
      {runs.map((run, i) => (
        <View
          key={i}
          className={run.dark ? 'barcode__bar' : 'barcode__space'}
          style={
            run.dark
              ? { width: `${run.length * cell}px`, height: `${height}px`, flexShrink: 0, backgroundColor: COLORS.qrInk }
              : { width: `${run.length * cell}px`, height: `${height}px`, flexShrink: 0 }
          }
        />
      ))}
    </View>
  )
}

export default memo(Barcode)
