/**
 * The invite poster (邀请海报, docs/referrals.md "Sharing"): where everything goes on it, as a list of drawing
 * operations in poster units (CSS px of a 300 × 520 card), so any 2D canvas can paint it and tests can check the
 * layout without one. Text is measured by the caller's canvas (`measure`); wrapping and ellipsis happen here.
 * Colours are roles; the painter maps them to the theme. Pure TypeScript.
 */

export const POSTER_WIDTH = 300
export const POSTER_HEIGHT = 520
/** Side margin of the text and of the white body. */
const MARGIN = 20
const BAND_HEIGHT = 172
/** The QR / 小程序码 square. */
export const POSTER_CODE_SIZE = 124

export type PosterColor = 'brand' | 'onBrand' | 'surface' | 'text' | 'secondary' | 'tint'
export type FontWeight = 'normal' | 'bold'

export type PosterOp =
  /** The whole card, rounded: the painter clips everything to it. */
  | { kind: 'card'; width: number; height: number; radius: number; color: PosterColor }
  /** The coloured header band (the theme's band gradient). */
  | { kind: 'band'; x: number; y: number; width: number; height: number }
  | { kind: 'rect'; x: number; y: number; width: number; height: number; radius: number; color: PosterColor }
  /** The member's avatar in a circle with a white ring; its initial on the brand tint when there is no picture. */
  | { kind: 'avatar'; cx: number; cy: number; r: number; initial: string }
  /** One line, vertically centred on `y` (textBaseline 'middle'); `x` is its centre or its left edge. */
  | { kind: 'text'; x: number; y: number; text: string; size: number; weight: FontWeight; color: PosterColor; align: 'center' | 'left' }
  /** The square for the QR code (H5) or the 小程序码 (WeChat). */
  | { kind: 'code'; x: number; y: number; size: number }

/** Width of `text` at `size` px and `weight` in the poster's font. */
export type Measure = (text: string, size: number, weight: FontWeight) => number

export interface PosterInput {
  nickname: string
  /** The first character the avatar shows when there is no picture. */
  initial: string
  programName: string
  /** '送你100积分，一起来赚积分' */
  title: string
  /** The rules in one sentence (inviteRulesText). */
  rules: string
  /** Under the code: '长按识别小程序码，加入会员' / '扫码加入会员'. */
  codeHint: string
  inviteCode: string
}

export interface PosterLayout {
  width: number
  height: number
  ops: PosterOp[]
}

const ELLIPSIS = '…'
/** Punctuation that may not start a line (Chinese line-breaking rules): it takes the previous character along. */
const NO_LINE_START = /^[，。、；：！？）」』》〉’”,.;:!?)\]}%…]$/u

/**
 * Breaks `text` into at most `maxLines` lines no wider than `maxWidth`: Chinese may break between any two
 * characters, a Latin word or number only at a space (unless it is wider than a line by itself). A text that
 * needs more lines ends its last line with '…'. Leading spaces of a line are dropped.
 */
export function wrapText(text: string, maxWidth: number, measure: (s: string) => number, maxLines = Infinity): string[] {
  const tokens = text.match(/[A-Za-z0-9@#%&+._'-]+|\s+|[^\sA-Za-z0-9@#%&+._'-]/gu) ?? []
  const lines: string[] = []
  let line = ''
  const push = () => {
    lines.push(line.trimEnd())
    line = ''
  }
  for (const token of tokens) {
    if (/^\s+$/.test(token)) {
      if (line) line += ' '
      continue
    }
    if (measure(line + token) <= maxWidth) {
      line += token
      continue
    }
    if (NO_LINE_START.test(token) && line.trim()) {
      // never start a line with '，': the line's last character moves down with it
      const chars = Array.from(line)
      let moved = token
      do moved = chars.pop()! + moved
      while (chars.length > 1 && NO_LINE_START.test(moved[0]))
      line = chars.join('')
      if (line.trim()) push()
      line = moved
      continue
    }
    if (line.trim() && measure(token) <= maxWidth) {
      push()
      line = token
      continue
    }
    // a word wider than a line (or the line is empty): break it between characters
    for (const ch of Array.from(token)) {
      if (line && measure(line + ch) > maxWidth) push()
      line += ch
    }
  }
  if (line.trim()) push()
  if (lines.length <= maxLines) return lines
  const kept = lines.slice(0, maxLines)
  kept[maxLines - 1] = ellipsize(kept[maxLines - 1] + ELLIPSIS, maxWidth, measure)
  return kept
}

/** `text` on one line: as it is when it fits, otherwise cut and ended with '…'. */
export function fitLine(text: string, maxWidth: number, measure: (s: string) => number): string {
  return measure(text) <= maxWidth ? text : ellipsize(text + ELLIPSIS, maxWidth, measure)
}

function ellipsize(withEllipsis: string, maxWidth: number, measure: (s: string) => number): string {
  const chars = Array.from(withEllipsis.slice(0, -ELLIPSIS.length))
  while (chars.length && measure(chars.join('').trimEnd() + ELLIPSIS) > maxWidth) chars.pop()
  return chars.join('').trimEnd() + ELLIPSIS
}

/**
 * The poster: a band with the avatar, the nickname, 邀请你加入 and the program's name; below it the title (two
 * lines at most) and the rules (three at most); the code square, its hint and the invite code are anchored to
 * the bottom, so a long text never pushes them off the card.
 */
export function posterLayout(input: PosterInput, measure: Measure): PosterLayout {
  const width = POSTER_WIDTH
  const height = POSTER_HEIGHT
  const inner = width - 2 * MARGIN
  const cx = width / 2
  const ops: PosterOp[] = [
    { kind: 'card', width, height, radius: 16, color: 'surface' },
    { kind: 'band', x: 0, y: 0, width, height: BAND_HEIGHT },
    { kind: 'avatar', cx, cy: 54, r: 30, initial: input.initial },
  ]
  const text = (y: number, value: string, size: number, weight: FontWeight, color: PosterColor) =>
    ops.push({ kind: 'text', x: cx, y, text: value, size, weight, color, align: 'center' })

  text(
    106,
    fitLine(input.nickname, inner, (s) => measure(s, 16, 'bold')),
    16,
    'bold',
    'onBrand',
  )
  text(128, '邀请你加入', 13, 'normal', 'onBrand')
  text(
    152,
    fitLine(input.programName, inner, (s) => measure(s, 20, 'bold')),
    20,
    'bold',
    'onBrand',
  )

  let y = BAND_HEIGHT + 30
  for (const line of wrapText(input.title, inner, (s) => measure(s, 18, 'bold'), 2)) {
    text(y, line, 18, 'bold', 'brand')
    y += 26
  }
  y += 4
  for (const line of wrapText(input.rules, inner, (s) => measure(s, 12, 'normal'), 3)) {
    text(y, line, 12, 'normal', 'secondary')
    y += 18
  }

  // bottom block: code square, hint, invite code
  const codeY = height - 28 - 24 - POSTER_CODE_SIZE - 12
  ops.push({
    kind: 'rect',
    x: cx - POSTER_CODE_SIZE / 2 - 6,
    y: codeY - 6,
    width: POSTER_CODE_SIZE + 12,
    height: POSTER_CODE_SIZE + 12,
    radius: 8,
    color: 'tint',
  })
  ops.push({ kind: 'code', x: cx - POSTER_CODE_SIZE / 2, y: codeY, size: POSTER_CODE_SIZE })
  text(
    height - 46,
    fitLine(input.codeHint, inner, (s) => measure(s, 12, 'normal')),
    12,
    'normal',
    'secondary',
  )
  text(height - 24, `邀请码 ${input.inviteCode}`, 15, 'bold', 'text')
  return { width, height, ops }
}

/** The text ops' top and bottom edges (a line is `size` high around its centre), for overlap checks. */
export function textBox(
  op: Extract<PosterOp, { kind: 'text' }>,
  measure: Measure,
): { left: number; right: number; top: number; bottom: number } {
  const w = measure(op.text, op.size, op.weight)
  const left = op.align === 'center' ? op.x - w / 2 : op.x
  return { left, right: left + w, top: op.y - op.size / 2, bottom: op.y + op.size / 2 }
}
