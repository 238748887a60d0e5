/**
 * Paints the invite poster's layout (src/domain/poster.ts) on a 2D canvas: the same code for H5's `<canvas>` and
 * WeChat's canvas node. Only calls every 2D context of both has (no `roundRect`, no filters). The code square
 * gets the 小程序码 image (WeChat) or the QR modules of the H5 invite link.
 */
import { posterLayout, type FontWeight, type Measure, type PosterColor, type PosterInput, type PosterLayout } from '../../domain/poster'
import { qrRuns, type QrMatrix } from '../../domain/qr'
import type { Canvas2d, CanvasImage } from '../../platform/canvas'
import { COLORS } from '../../styles/colors'

const FONT_FAMILY = '-apple-system, "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif'

export function fontOf(size: number, weight: FontWeight): string {
  return `${weight === 'bold' ? 'bold ' : ''}${size}px ${FONT_FAMILY}`
}

const COLOR: Record<PosterColor, string> = {
  brand: COLORS.brand,
  onBrand: COLORS.onBrand,
  surface: COLORS.surface,
  text: COLORS.text,
  secondary: COLORS.textSecondary,
  tint: COLORS.brandTint,
}

/** Text widths from the canvas's own font metrics. */
export function canvasMeasure(ctx: CanvasRenderingContext2D): Measure {
  return (text, size, weight) => {
    ctx.font = fontOf(size, weight)
    return ctx.measureText(text).width
  }
}

export interface PosterImages {
  /** The member's avatar; null: the initial on the brand tint. */
  avatar: CanvasImage | null
  /** The 小程序码 (WeChat), drawn in the code square. */
  code?: CanvasImage | null
  /** Otherwise the QR code's modules (H5). */
  qr?: QrMatrix
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number) {
  ctx.beginPath()
  ctx.moveTo(x + r, y)
  ctx.arcTo(x + w, y, x + w, y + h, r)
  ctx.arcTo(x + w, y + h, x, y + h, r)
  ctx.arcTo(x, y + h, x, y, r)
  ctx.arcTo(x, y, x + w, y, r)
  ctx.closePath()
}

function paintQr(ctx: CanvasRenderingContext2D, matrix: QrMatrix, x: number, y: number, size: number) {
  ctx.fillStyle = COLORS.qrPaper
  ctx.fillRect(x, y, size, size)
  const quiet = 2
  const cell = size / (matrix.length + 2 * quiet)
  ctx.fillStyle = COLORS.qrInk
  matrix.forEach((row, r) => {
    let col = 0
    for (const run of qrRuns(row)) {
      // whole runs, a hair wider, so neighbouring modules leave no hairline gaps when scaled
      if (run.dark) ctx.fillRect(x + (quiet + col) * cell, y + (quiet + r) * cell, run.length * cell + 0.3, cell + 0.3)
      col += run.length
    }
  })
}

/** Lays the poster out with the canvas's fonts and paints it, scaled to the canvas's CSS width. */
export function paintPoster(target: Canvas2d, input: PosterInput, images: PosterImages): PosterLayout {
  const ctx = target.context
  const layout = posterLayout(input, canvasMeasure(ctx))
  const scale = (target.width / layout.width) * target.pixelRatio
  ctx.setTransform(1, 0, 0, 1, 0, 0)
  ctx.clearRect(0, 0, target.width * target.pixelRatio, target.height * target.pixelRatio)
  ctx.save() // the card's clip ends with this paint
  ctx.setTransform(scale, 0, 0, scale, 0, 0)
  ctx.textBaseline = 'middle'

  for (const op of layout.ops) {
    switch (op.kind) {
      case 'card':
        roundRect(ctx, 0, 0, op.width, op.height, op.radius)
        ctx.clip()
        ctx.fillStyle = COLOR[op.color]
        ctx.fillRect(0, 0, op.width, op.height)
        break
      case 'band': {
        const gradient = ctx.createLinearGradient(op.x, op.y, op.x + op.width, op.y + op.height)
        gradient.addColorStop(0, COLORS.brand)
        gradient.addColorStop(1, COLORS.brandDark)
        ctx.fillStyle = gradient
        ctx.fillRect(op.x, op.y, op.width, op.height)
        break
      }
      case 'rect':
        roundRect(ctx, op.x, op.y, op.width, op.height, op.radius)
        ctx.fillStyle = COLOR[op.color]
        ctx.fill()
        break
      case 'avatar':
        ctx.beginPath()
        ctx.arc(op.cx, op.cy, op.r + 3, 0, Math.PI * 2)
        ctx.fillStyle = COLORS.surface
        ctx.fill()
        ctx.save()
        ctx.beginPath()
        ctx.arc(op.cx, op.cy, op.r, 0, Math.PI * 2)
        ctx.clip()
        if (images.avatar) {
          ctx.drawImage(images.avatar, op.cx - op.r, op.cy - op.r, op.r * 2, op.r * 2)
        } else {
          ctx.fillStyle = COLORS.brandTint
          ctx.fillRect(op.cx - op.r, op.cy - op.r, op.r * 2, op.r * 2)
          ctx.fillStyle = COLORS.brand
          ctx.font = fontOf(Math.round(op.r), 'bold')
          ctx.textAlign = 'center'
          ctx.fillText(op.initial, op.cx, op.cy)
        }
        ctx.restore()
        break
      case 'text':
        ctx.fillStyle = COLOR[op.color]
        ctx.font = fontOf(op.size, op.weight)
        ctx.textAlign = op.align
        ctx.fillText(op.text, op.x, op.y)
        break
      case 'code':
        if (images.code) ctx.drawImage(images.code, op.x, op.y, op.size, op.size)
        else if (images.qr) paintQr(ctx, images.qr, op.x, op.y, op.size)
        break
    }
  }
  ctx.restore()
  return layout
}
