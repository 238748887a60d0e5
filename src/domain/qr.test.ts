import jsQR from 'jsqr'

import { qrMatrix, qrRuns, qrToRgba, qrVersion } from './qr'

const VOUCHER = '123456789012'
const MEMBER_TOKEN = 'M1.00000000000040008000000000000001.1795463055.FA912993EC34B3E44ED6F78C3980BB06'
const CHINESE_URL = 'https://example.com/兑换?券=满100减20&门店=静安寺店 😀'

/** Renders the matrix like a screen would and reads it back the way a scanner does. */
function decode(matrix: boolean[][], scale = 4): string | undefined {
  const { data, width, height } = qrToRgba(matrix, scale)
  return jsQR(data, width, height)?.data
}

describe('qrMatrix decodes back to the input', () => {
  it.each([
    ['a 12-digit voucher code', VOUCHER],
    ['a 79-char member token', MEMBER_TOKEN],
    ['Chinese text in a URL (UTF-8, with an emoji)', CHINESE_URL],
    ['lower-case ASCII', 'hello, world'],
  ])('%s', (_name, text) => {
    expect(decode(qrMatrix(text))).toBe(text)
  })

  it.each(['L', 'M', 'Q', 'H'] as const)('at error-correction level %s', (ecc) => {
    expect(decode(qrMatrix(MEMBER_TOKEN, { ecc }))).toBe(MEMBER_TOKEN)
  })

  it('at 1, 2 and 3 pixels per module', () => {
    const matrix = qrMatrix(MEMBER_TOKEN)
    for (const scale of [1, 2, 3]) expect(decode(matrix, scale)).toBe(MEMBER_TOKEN)
  })
})

describe('qrMatrix shape', () => {
  it('is square, 17 + 4·version modules', () => {
    for (const text of [VOUCHER, MEMBER_TOKEN, CHINESE_URL]) {
      const matrix = qrMatrix(text)
      for (const row of matrix) expect(row).toHaveLength(matrix.length)
      expect(Number.isInteger(qrVersion(matrix))).toBe(true)
    }
  })

  it('has the three finder patterns in the corners', () => {
    const m = qrMatrix(VOUCHER)
    const n = m.length
    for (const [r, c] of [
      [0, 0],
      [0, n - 7],
      [n - 7, 0],
    ]) {
      // 7×7 dark ring, light ring, 3×3 dark centre: sample the corners, ring and centre
      expect([m[r][c], m[r + 6][c + 6], m[r + 3][c + 3], m[r + 1][c + 1]]).toEqual([true, true, true, false])
    }
  })

  it('uses the smallest version that fits: larger text → larger version', () => {
    expect(qrVersion(qrMatrix(VOUCHER))).toBe(1) // 21×21
    expect(qrVersion(qrMatrix(MEMBER_TOKEN))).toBe(4) // 33×33, alphanumeric mode
    expect(qrVersion(qrMatrix(MEMBER_TOKEN.toLowerCase()))).toBe(5) // byte mode needs more room
    const sizes = [VOUCHER, MEMBER_TOKEN, MEMBER_TOKEN.repeat(3), 'x'.repeat(1000)].map((t) => qrMatrix(t).length)
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b))
    expect(new Set(sizes).size).toBe(sizes.length)
  })

  it('higher error correction needs a larger version for the same text', () => {
    expect(qrMatrix(MEMBER_TOKEN, { ecc: 'H' }).length).toBeGreaterThan(qrMatrix(MEMBER_TOKEN, { ecc: 'L' }).length)
  })

  it('is deterministic', () => {
    expect(qrMatrix(MEMBER_TOKEN)).toEqual(qrMatrix(MEMBER_TOKEN))
  })

  it('throws a RangeError when the text cannot fit', () => {
    expect(() => qrMatrix('x'.repeat(3000))).toThrow(RangeError)
  })
})

describe('qrToRgba', () => {
  it('draws black modules on white with a quiet zone', () => {
    const { data, width, height } = qrToRgba(
      [
        [true, false],
        [false, true],
      ],
      2,
      1,
    )
    expect([width, height]).toEqual([8, 8])
    const px = (x: number, y: number) => [...data.slice((y * width + x) * 4, (y * width + x) * 4 + 4)]
    expect(px(0, 0)).toEqual([255, 255, 255, 255]) // quiet zone
    expect(px(2, 2)).toEqual([0, 0, 0, 255]) // dark module (0,0)
    expect(px(3, 3)).toEqual([0, 0, 0, 255])
    expect(px(4, 2)).toEqual([255, 255, 255, 255]) // light module (0,1)
    expect(px(5, 5)).toEqual([0, 0, 0, 255]) // dark module (1,1)
  })

  it('rejects a non-integer scale', () => {
    expect(() => qrToRgba([[true]], 1.5)).toThrow(RangeError)
  })
})

describe('qrRuns', () => {
  it('merges consecutive same-coloured modules', () => {
    expect(qrRuns([true, true, false, true, false, false, false])).toEqual([
      { dark: true, length: 2 },
      { dark: false, length: 1 },
      { dark: true, length: 1 },
      { dark: false, length: 3 },
    ])
    expect(qrRuns([])).toEqual([])
  })
})
