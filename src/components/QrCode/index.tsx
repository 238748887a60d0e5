import { View } from '@tarojs/components'
import { memo, useMemo } from 'react'

import { qrMatrix, qrRuns, type QrEcc } from '../../domain/qr'
import { COLORS } from '../../styles/colors'

/** White border around the code, in modules (the QR spec's minimum). */
export const QR_QUIET_ZONE = 4

interface Props {
  /** The text to encode (voucher code, member token, URL…). */
  value: string
  /** Outer size of the white square in CSS px (default 200); the code is centred in it. */
  size?: number
  /** Error correction level (default 'M'). */
  ecc?: QrEcc
  className?: string
}

/**
 * A QR code drawn with plain Views (no canvas), so it looks the same on H5 and in the mini-program:
 * one row View per module row, each row a flex line of blocks, one per run of same-coloured modules.
 * Every module is a whole number of px (the largest that fits `size` with a 4-module quiet zone),
 * so edges stay sharp. Sizes are inline px (not SCSS, which pxtransform would turn into rpx).
 *
 * DOM: `.qr-code[data-qr=value] > .qr-code__row × modules > .qr-code__dark / .qr-code__light`.
 */
function QrCode({ value, size = 200, ecc, className }: Props) {
  const matrix = useMemo(() => qrMatrix(value, { ecc }), [value, ecc])
  const modules = matrix.length
  const cell = Math.max(1, Math.floor(size / (modules + 2 * QR_QUIET_ZONE)))
  const code = modules * cell
  const outer = Math.max(size, code + 2 * QR_QUIET_ZONE * cell)
  // centre in whole px: any odd pixel goes to the right / bottom
  const offset = Math.floor((outer - code) / 2)
  const rows = useMemo(() => matrix.map(qrRuns), [matrix])

  return (
    <View
      className={className ? `qr-code ${className}` : 'qr-code'}
      data-qr={value}
      data-modules={modules}
      data-cell={cell}
      style={{
        boxSizing: 'border-box',
        width: `${outer}px`,
        height: `${outer}px`,
        paddingTop: `${offset}px`,
        paddingLeft: `${offset}px`,
        backgroundColor: COLORS.qrPaper,
        flexShrink: 0,
        overflow: 'hidden',
      }}
    >
      {rows.map((runs, r) => (
        <View key={r} className="qr-code__row" style={{ display: 'flex', width: `${code}px`, height: `${cell}px` }}>
          {runs.map((run, i) => (
            <View
              key={i}
              className={run.dark ? 'qr-code__dark' : 'qr-code__light'}
              style={
                run.dark
                  ? { width: `${run.length * cell}px`, height: `${cell}px`, flexShrink: 0, backgroundColor: COLORS.qrInk }
                  : { width: `${run.length * cell}px`, height: `${cell}px`, flexShrink: 0 }
              }
            />
          ))}
        </View>
      ))}
    </View>
  )
}

export default memo(QrCode)
