import { render } from '@testing-library/react'

import { decodeCode128, modulesFromRuns } from '../../../test/support/barcode'
import Barcode from './index'

const DIGITS = '912345678901234567'

const px = (value: string) => {
  const m = /^(\d+)px$/.exec(value)
  if (!m) throw new Error(`expected whole px, got "${value}"`)
  return Number(m[1])
}

/** The drawn bars read back from the DOM (each block's width and colour) and decoded with ZXing. */
function decodeDom(container: HTMLElement): string {
  const root = container.querySelector<HTMLElement>('.barcode')!
  const modulePx = Number(root.getAttribute('data-module-px'))
  const runs = [...root.children].map((el) => {
    const block = el as HTMLElement
    return { dark: block.style.backgroundColor === 'rgb(0, 0, 0)', widthPx: px(block.style.width) }
  })
  expect(runs[0].dark).toBe(true)
  expect(runs.at(-1)!.dark).toBe(true)
  return decodeCode128(modulesFromRuns(runs, modulePx))
}

it('the rendered bars decode (ZXing Code 128) to the digits', () => {
  const { container } = render(<Barcode value={DIGITS} />)
  expect(decodeDom(container)).toBe(DIGITS)
})

it.each([
  [300, 2],
  [150, 1],
  [600, 4],
])('width %i px: whole-px modules of %i px, centred, every block as tall as the code', (width, modulePx) => {
  const { container } = render(<Barcode value={DIGITS} width={width} height={60} />)
  const root = container.querySelector<HTMLElement>('.barcode')!
  expect(root.getAttribute('data-barcode')).toBe(DIGITS)
  expect(root.getAttribute('data-modules')).toBe('134')
  expect(Number(root.getAttribute('data-module-px'))).toBe(modulePx)
  expect(px(root.style.width)).toBe(Math.max(width, 134 * modulePx))
  expect(px(root.style.paddingLeft)).toBe(Math.floor((Math.max(width, 134 * modulePx) - 134 * modulePx) / 2))
  const blocks = [...root.children] as HTMLElement[]
  expect(blocks.reduce((sum, b) => sum + px(b.style.width), 0)).toBe(134 * modulePx)
  for (const b of blocks) expect(px(b.style.height)).toBe(60)
  expect(decodeDom(container)).toBe(DIGITS)
})

it('another value draws another code', () => {
  const a = render(<Barcode value={DIGITS} />)
  const b = render(<Barcode value="900000000000000001" />)
  expect(decodeDom(b.container)).toBe('900000000000000001')
  expect(a.container.innerHTML).not.toBe(b.container.innerHTML)
})
