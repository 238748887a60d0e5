import { render } from '@testing-library/react'
import jsQR from 'jsqr'

import { qrMatrix, qrToRgba } from '../../domain/qr'
import QrCode from './index'

const MEMBER_TOKEN = 'M1.00000000000040008000000000000001.1795463055.FA912993EC34B3E44ED6F78C3980BB06'
const VOUCHER = '123456789012'

const px = (value: string) => {
  const m = /^(\d+)px$/.exec(value)
  if (!m) throw new Error(`expected whole px, got "${value}"`)
  return Number(m[1])
}

function qrRoot(container: HTMLElement): HTMLElement {
  const root = container.querySelector<HTMLElement>('.qr-code')
  if (!root) throw new Error('no .qr-code element')
  return root
}

/** Reads the drawn code back from the DOM: every block's width in px and colour → module matrix. */
function readMatrix(root: HTMLElement): boolean[][] {
  return [...root.querySelectorAll<HTMLElement>('.qr-code__row')].map((row) => {
    const cell = px(row.style.height)
    const line: boolean[] = []
    for (const block of [...row.children] as HTMLElement[]) {
      const width = px(block.style.width)
      expect(width % cell).toBe(0)
      expect(px(block.style.height)).toBe(cell)
      const dark = block.style.backgroundColor === 'rgb(0, 0, 0)'
      for (let i = 0; i < width / cell; i++) line.push(dark)
    }
    return line
  })
}

function decodeDom(root: HTMLElement): string | undefined {
  const { data, width, height } = qrToRgba(readMatrix(root), 3)
  return jsQR(data, width, height)?.data
}

it('draws one row per module row, each as wide as the code', () => {
  const { container } = render(<QrCode value={MEMBER_TOKEN} />)
  const root = qrRoot(container)
  const modules = qrMatrix(MEMBER_TOKEN).length
  const rows = root.querySelectorAll<HTMLElement>('.qr-code__row')
  expect(rows).toHaveLength(modules)
  expect(root.getAttribute('data-qr')).toBe(MEMBER_TOKEN)
  expect(root.getAttribute('data-modules')).toBe(String(modules))
  const cell = Number(root.getAttribute('data-cell'))
  for (const row of rows) {
    expect(px(row.style.width)).toBe(modules * cell)
    const sum = [...row.children].reduce((s, b) => s + px((b as HTMLElement).style.width), 0)
    expect(sum).toBe(modules * cell)
  }
})

it('merges runs of same-coloured modules: a few hundred nodes, not one per module', () => {
  const { container } = render(<QrCode value={MEMBER_TOKEN} />)
  const root = qrRoot(container)
  const modules = qrMatrix(MEMBER_TOKEN).length
  const blocks = root.querySelectorAll('.qr-code__dark, .qr-code__light').length
  expect(blocks).toBeLessThan((modules * modules) / 2)
  // neighbours within a row always differ in colour
  for (const row of root.querySelectorAll('.qr-code__row')) {
    const classes = [...row.children].map((b) => b.className)
    classes.slice(1).forEach((c, i) => expect(c).not.toBe(classes[i]))
  }
})

it('uses whole-px modules with at least a 4-module white quiet zone inside `size`', () => {
  const { container } = render(<QrCode value={MEMBER_TOKEN} size={200} />)
  const root = qrRoot(container)
  const modules = qrMatrix(MEMBER_TOKEN).length // 33
  const cell = Number(root.getAttribute('data-cell'))
  expect(cell).toBe(Math.floor(200 / (modules + 8))) // 4 px
  expect(root.style.width).toBe('200px')
  expect(root.style.height).toBe('200px')
  expect(root.style.backgroundColor).toBe('rgb(255, 255, 255)')
  const offset = px(root.style.paddingLeft)
  expect(px(root.style.paddingTop)).toBe(offset)
  expect(offset).toBeGreaterThanOrEqual(4 * cell)
  expect(200 - offset - modules * cell).toBeGreaterThanOrEqual(4 * cell)
})

it('grows past `size` rather than drawing modules under 1 px', () => {
  const { container } = render(<QrCode value={MEMBER_TOKEN} size={20} />)
  const root = qrRoot(container)
  expect(root.getAttribute('data-cell')).toBe('1')
  expect(root.style.width).toBe('41px')
})

it('passes className through next to qr-code', () => {
  const { container } = render(<QrCode value={VOUCHER} className="voucher__qr" />)
  expect(qrRoot(container)).toHaveClass('qr-code', 'voucher__qr')
})

it('re-renders when value changes', () => {
  const { container, rerender } = render(<QrCode value={VOUCHER} />)
  expect(container.querySelectorAll('.qr-code__row')).toHaveLength(21)
  expect(decodeDom(qrRoot(container))).toBe(VOUCHER)

  rerender(<QrCode value={MEMBER_TOKEN} />)
  expect(container.querySelectorAll('.qr-code')).toHaveLength(1)
  expect(container.querySelectorAll('.qr-code__row')).toHaveLength(33)
  expect(qrRoot(container).getAttribute('data-qr')).toBe(MEMBER_TOKEN)
  expect(decodeDom(qrRoot(container))).toBe(MEMBER_TOKEN)

  rerender(<QrCode value={VOUCHER} />)
  expect(container.querySelectorAll('.qr-code__row')).toHaveLength(21)
  expect(decodeDom(qrRoot(container))).toBe(VOUCHER)
})

it.each([
  ['a voucher code', VOUCHER, 200],
  ['a member token', MEMBER_TOKEN, 200],
  ['a member token, small', MEMBER_TOKEN, 120],
  ['Chinese text in a URL', 'https://example.com/兑换?券=满100减20&门店=静安寺店', 240],
])('the drawn cells decode back to the value: %s', (_name, value, size) => {
  const { container } = render(<QrCode value={value} size={size} />)
  const root = qrRoot(container)
  expect(readMatrix(root)).toEqual(qrMatrix(value))
  expect(decodeDom(root)).toBe(value)
})
