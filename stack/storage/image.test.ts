// The upload byte checks (stack/storage/image.ts): the format from the magic numbers, never the name or the declared
// type; each side 16–4096 px; and the bucket MIME rules.
import * as crc32 from 'buffer-crc32'
import { encode as encodeJpeg } from 'jpeg-js'
import { PNG } from 'pngjs'
import { inspectImage, isImageBucket, mimeAllowed } from './image'

const png = (w: number, h: number) => PNG.sync.write(new PNG({ width: w, height: h }))
const jpeg = (w: number, h: number) => encodeJpeg({ width: w, height: h, data: Buffer.alloc(w * h * 4, 200) }, 80).data
/** A lossless WebP's header (RIFF, 'WEBP', a VP8L chunk: signature 0x2f, then width-1 and height-1 in 14 bits each). */
function webp(w: number, h: number): Buffer {
  const bits = (w - 1) | ((h - 1) << 14)
  const vp8l = Buffer.concat([
    Buffer.from([0x2f]),
    Buffer.from([bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff]),
    Buffer.alloc(8),
  ])
  const chunk = Buffer.concat([Buffer.from('VP8L'), u32le(vp8l.length), vp8l])
  return Buffer.concat([Buffer.from('RIFF'), u32le(4 + chunk.length), Buffer.from('WEBP'), chunk])
}
function u32le(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}
/** A PNG whose IHDR claims w×h (CRC recomputed): what a decompression bomb looks like from its header. */
function pngClaiming(w: number, h: number): Buffer {
  const b = Buffer.from(png(16, 16))
  b.writeUInt32BE(w, 16)
  b.writeUInt32BE(h, 20)
  b.writeUInt32BE(crc32.unsigned(b.subarray(12, 29)), 29)
  return b
}
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

test.each([
  ['PNG', png(64, 32), 'image/png', 64, 32],
  ['JPEG', jpeg(40, 30), 'image/jpeg', 40, 30],
  ['WebP', webp(300, 200), 'image/webp', 300, 200],
  ['PNG at the side limits', png(16, 4096), 'image/png', 16, 4096],
])('%s: recognised from its bytes', (_label, bytes, mimetype, width, height) => {
  expect(inspectImage(bytes)).toEqual({ ok: true, mimetype, width, height })
})

test.each([
  ['text', Buffer.from('hello, I am not a picture'), 'not_an_image'],
  ['an empty file', Buffer.alloc(0), 'not_an_image'],
  ['an SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"></svg>'), 'unsupported_format'],
  ['a GIF', GIF, 'unsupported_format'],
  ['a 1×1 PNG', png(1, 1), 'bad_dimensions'],
  ['a 15×100 PNG', png(15, 100), 'bad_dimensions'],
  ['a 4097×16 PNG', png(4097, 16), 'bad_dimensions'],
  ['a PNG claiming 10000×10000', pngClaiming(10000, 10000), 'bad_dimensions'],
  ['a truncated PNG', png(64, 64).subarray(0, 12), 'not_an_image'],
])('%s is refused', (_label, bytes, reason) => {
  expect(inspectImage(bytes)).toMatchObject({ ok: false, reason })
})

test('bucket MIME rules: exact types, wildcards, no list = anything; image buckets', () => {
  const images = ['image/jpeg', 'image/png', 'image/webp']
  expect(mimeAllowed('image/png', images)).toBe(true)
  expect(mimeAllowed('IMAGE/PNG; charset=binary', images)).toBe(true)
  expect(mimeAllowed('image/gif', images)).toBe(false)
  expect(mimeAllowed('image/gif', ['image/*'])).toBe(true)
  expect(mimeAllowed('text/plain', null)).toBe(true)
  expect(isImageBucket(images)).toBe(true)
  expect(isImageBucket(['image/*', 'application/pdf'])).toBe(false)
  expect(isImageBucket(null)).toBe(false)
})
