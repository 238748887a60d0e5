// QR code as a plain module matrix (true = dark), so any platform can draw it: the QrCode component
// lays it out with Views (no canvas), tests render it to RGBA and decode it with jsQR.
import qrcode from 'qrcode-generator'

export type QrEcc = 'L' | 'M' | 'Q' | 'H'

export interface QrOptions {
  /** Error correction level; default 'M' (≈ 15 % of the code may be damaged). */
  ecc?: QrEcc
}

/** A QR code's modules, row by row: `matrix[row][col]`, true = dark. Square, without the quiet zone. */
export type QrMatrix = boolean[][]

const NUMERIC = /^[0-9]+$/
/** The QR alphanumeric set: digits, upper-case letters, space and $ % * + - . / : */
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]+$/

/**
 * Encodes `text` as a QR code and returns its module matrix. The version (size) is chosen
 * automatically. The densest single mode the text allows is used: Numeric (digits only),
 * Alphanumeric (e.g. upper-case member tokens), otherwise Byte mode with the text as UTF-8 (no ECI
 * header; WeChat, phone cameras and jsQR read UTF-8 byte data as such).
 * Throws a RangeError if the text does not fit the largest QR code (version 40) at that level.
 */
export function qrMatrix(text: string, opts: QrOptions = {}): QrMatrix {
  const qr = qrcode(0, opts.ecc ?? 'M')
  if (NUMERIC.test(text)) {
    qr.addData(text, 'Numeric')
  } else if (ALPHANUMERIC.test(text)) {
    qr.addData(text, 'Alphanumeric')
  } else {
    // The library's Byte mode keeps the low 8 bits of each UTF-16 unit: hand it the UTF-8 bytes
    // as a "binary string" (one char per byte) instead of swapping its global stringToBytes.
    qr.addData(String.fromCharCode(...utf8Bytes(text)), 'Byte')
  }
  try {
    qr.make()
  } catch (e) {
    // the library throws plain strings, e.g. 'code length overflow. (…>…)'
    throw new RangeError(`qrMatrix: text too long for a QR code (${text.length} chars, ecc ${opts.ecc ?? 'M'}): ${String(e)}`)
  }
  const n = qr.getModuleCount()
  const matrix: QrMatrix = []
  for (let row = 0; row < n; row++) {
    const line: boolean[] = []
    for (let col = 0; col < n; col++) line.push(qr.isDark(row, col))
    matrix.push(line)
  }
  return matrix
}

/** The QR version (1–40) of a matrix: 21 modules for version 1, 4 more per version. */
export function qrVersion(matrix: QrMatrix): number {
  return (matrix.length - 17) / 4
}

/**
 * One matrix row as runs of same-coloured modules, left to right (e.g. for drawing a row with
 * one block per run instead of one per module).
 */
export function qrRuns(row: readonly boolean[]): { dark: boolean; length: number }[] {
  const runs: { dark: boolean; length: number }[] = []
  for (const dark of row) {
    const last = runs[runs.length - 1]
    if (last && last.dark === dark) last.length++
    else runs.push({ dark, length: 1 })
  }
  return runs
}

/**
 * Renders a matrix to an RGBA bitmap (black on white, `scale` pixels per module, a white border
 * of `quietZone` modules), the shape jsQR and `ImageData` take.
 */
export function qrToRgba(matrix: QrMatrix, scale: number, quietZone = 4): { data: Uint8ClampedArray; width: number; height: number } {
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`qrToRgba: scale must be a positive integer, got ${scale}`)
  const modules = matrix.length + 2 * quietZone
  const width = modules * scale
  const height = width
  const data = new Uint8ClampedArray(width * height * 4).fill(255)
  matrix.forEach((line, row) => {
    line.forEach((dark, col) => {
      if (!dark) return
      const x0 = (col + quietZone) * scale
      const y0 = (row + quietZone) * scale
      for (let y = y0; y < y0 + scale; y++) {
        for (let x = x0; x < x0 + scale; x++) {
          const i = (y * width + x) * 4
          data[i] = data[i + 1] = data[i + 2] = 0
        }
      }
    })
  })
  return { data, width, height }
}

/** UTF-8 bytes of a string (no TextEncoder: older WeChat base libraries lack it). Lone surrogates → U+FFFD. */
function utf8Bytes(text: string): number[] {
  const bytes: number[] = []
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00)
        i++
      } else {
        c = 0xfffd
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      c = 0xfffd
    }
    if (c < 0x80) bytes.push(c)
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f))
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f))
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f))
  }
  return bytes
}
