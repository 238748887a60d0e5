import { fenToYuan, formatPoints } from './format'

describe('formatPoints', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1,000'],
    [12345, '12,345'],
    [1234567, '1,234,567'],
    [-1200, '-1,200'],
  ])('%d → %s', (n, text) => {
    expect(formatPoints(n)).toBe(text)
  })
})

describe('fenToYuan', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [1234, '¥12.34'],
    [100000, '¥1,000.00'],
    [123456789, '¥1,234,567.89'],
    [-250, '-¥2.50'],
  ])('%d fen → %s', (fen, text) => {
    expect(fenToYuan(fen)).toBe(text)
  })
})
