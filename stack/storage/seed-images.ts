// `npm run seed:images`: draws the seeded mall items' pictures (supabase/seed/item-images/items/*.png, committed)
// — flat illustrations, 480×360: a gradient and a few rounded shapes, 4× supersampled; PNG-encoded by pngjs.
// Run once; rerun only to change the pictures (the seed and its tests use the committed files).
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { PNG } from 'pngjs'
import { ROOT } from '../config'

type Rgb = [number, number, number]
/** Inside test in image coordinates (px); a shape is drawn where it is true. */
type Shape = { inside: (x: number, y: number) => boolean; color: Rgb; alpha?: number }

const W = 480
const H = 360
export const SEED_IMAGES_DIR = path.join(ROOT, 'supabase', 'seed', 'item-images', 'items')

const hex = (h: string): Rgb => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb
const WHITE: Rgb = [255, 255, 255]

function roundRect(x: number, y: number, w: number, h: number, r: number) {
  return (px: number, py: number) => {
    const dx = Math.max(x + r - px, 0, px - (x + w - r))
    const dy = Math.max(y + r - py, 0, py - (y + h - r))
    return px >= x && px <= x + w && py >= y && py <= y + h && dx * dx + dy * dy <= r * r
  }
}
const circle = (cx: number, cy: number, r: number) => (px: number, py: number) => (px - cx) ** 2 + (py - cy) ** 2 <= r * r
const ring = (cx: number, cy: number, r: number, width: number) => (px: number, py: number) => {
  const d = Math.hypot(px - cx, py - cy)
  return d <= r && d >= r - width
}
const minus =
  (a: (x: number, y: number) => boolean, ...bs: ((x: number, y: number) => boolean)[]) =>
  (x: number, y: number) =>
    a(x, y) && !bs.some((b) => b(x, y))
const upperHalf = (f: (x: number, y: number) => boolean, yMax: number) => (x: number, y: number) => y <= yMax && f(x, y)

function render(from: Rgb, to: Rgb, shapes: Shape[]): Buffer {
  const png = new PNG({ width: W, height: H })
  const S = 2 // 2×2 samples per pixel
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const acc = [0, 0, 0]
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const px = x + (sx + 0.5) / S
          const py = y + (sy + 0.5) / S
          const t = (px / W + py / H) / 2
          let c = from.map((f, i) => f + (to[i] - f) * t) as Rgb
          for (const s of shapes) {
            if (!s.inside(px, py)) continue
            const a = s.alpha ?? 1
            c = c.map((v, i) => v * (1 - a) + s.color[i] * a) as Rgb
          }
          for (let i = 0; i < 3; i++) acc[i] += c[i]
        }
      }
      const o = (y * W + x) * 4
      for (let i = 0; i < 3; i++) png.data[o + i] = Math.round(acc[i] / (S * S))
      png.data[o + 3] = 255
    }
  }
  return PNG.sync.write(png, { colorType: 2 })
}

/** Soft background circles every picture shares. */
const decor = (): Shape[] => [
  { inside: circle(420, 40, 120), color: WHITE, alpha: 0.12 },
  { inside: circle(40, 330, 90), color: WHITE, alpha: 0.1 },
]

export const SEED_IMAGES: Record<string, () => Buffer> = {
  // ¥10 coupon: a ticket with notches and a dashed tear line
  'coupon-10.png': () =>
    render(hex('#ff8a3d'), hex('#e8452c'), [
      ...decor(),
      {
        inside: minus(
          roundRect(92, 102, 300, 166, 20),
          circle(84, 175, 20),
          circle(384, 175, 20),
          circle(92, 185, 20),
          circle(392, 185, 20),
        ),
        color: [0, 0, 0],
        alpha: 0.12,
      },
      { inside: minus(roundRect(84, 92, 300, 166, 20), circle(84, 175, 20), circle(384, 175, 20)), color: hex('#fff6ec') },
      { inside: (x, y) => x >= 286 && x <= 290 && y > 108 && y < 242 && Math.floor(y / 10) % 2 === 0, color: hex('#f2b38a') },
      { inside: roundRect(120, 140, 130, 22, 11), color: hex('#e8452c') },
      { inside: roundRect(120, 182, 90, 14, 7), color: hex('#f6c9a8') },
      { inside: circle(336, 175, 24), color: hex('#e8452c') },
    ]),
  // membership: a card with a chip and a stripe
  'membership-month.png': () =>
    render(hex('#7b6cf6'), hex('#4338ca'), [
      ...decor(),
      { inside: roundRect(108, 92, 270, 176, 22), color: [0, 0, 0], alpha: 0.15 },
      { inside: roundRect(100, 82, 270, 176, 22), color: hex('#f5f3ff') },
      { inside: (x, y) => roundRect(100, 82, 270, 176, 22)(x, y) && y > 112 && y < 138, color: hex('#312e81') },
      { inside: roundRect(126, 160, 50, 38, 8), color: hex('#fbbf24') },
      { inside: roundRect(126, 216, 150, 12, 6), color: hex('#c7d2fe') },
      { inside: circle(330, 212, 20), color: hex('#818cf8') },
    ]),
  // power bank: a rounded slab with charge lights
  'power-bank.png': () =>
    render(hex('#2dd4bf'), hex('#0f766e'), [
      ...decor(),
      { inside: roundRect(168, 62, 150, 250, 30), color: [0, 0, 0], alpha: 0.15 },
      { inside: roundRect(160, 52, 150, 250, 30), color: hex('#f0fdfa') },
      { inside: roundRect(216, 40, 38, 18, 6), color: hex('#99f6e4') },
      ...[0, 1, 2, 3].map((i) => ({ inside: circle(235, 110 + i * 34, 11), color: i < 3 ? hex('#14b8a6') : hex('#ccfbf1') })),
      { inside: roundRect(196, 252, 78, 12, 6), color: hex('#5eead4') },
    ]),
  // vacuum cup: a body, a lid and a band
  'vacuum-cup.png': () =>
    render(hex('#60a5fa'), hex('#1d4ed8'), [
      ...decor(),
      { inside: roundRect(190, 92, 110, 230, 26), color: [0, 0, 0], alpha: 0.15 },
      { inside: roundRect(182, 84, 110, 230, 26), color: hex('#eff6ff') },
      { inside: roundRect(176, 52, 122, 42, 14), color: hex('#1e3a8a') },
      { inside: roundRect(182, 170, 110, 26, 0), color: hex('#93c5fd') },
    ]),
  // canvas tote: a bag with a handle ring and a star-ish dot
  'canvas-bag.png': () =>
    render(hex('#f87171'), hex('#b91c1c'), [
      ...decor(),
      { inside: upperHalf(ring(240, 130, 56, 12), 130), color: hex('#fde68a') },
      { inside: roundRect(156, 128, 176, 190, 18), color: [0, 0, 0], alpha: 0.15 },
      { inside: roundRect(148, 120, 176, 190, 18), color: hex('#fef3c7') },
      { inside: circle(236, 214, 34), color: hex('#dc2626') },
      { inside: circle(236, 214, 14), color: hex('#fef3c7') },
    ]),
}

if (require.main === module) {
  mkdirSync(SEED_IMAGES_DIR, { recursive: true })
  for (const [name, draw] of Object.entries(SEED_IMAGES)) {
    const bytes = draw()
    writeFileSync(path.join(SEED_IMAGES_DIR, name), bytes)
    console.log(`${path.relative(ROOT, path.join(SEED_IMAGES_DIR, name))}: ${bytes.length} bytes`)
  }
}
