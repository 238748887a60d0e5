import {
  AVATAR_SIDE,
  avatarFileProblem,
  avatarKey,
  avatarKeyOf,
  avatarUrl,
  centreSquare,
  isAvatarKey,
  isOwnAvatarKey,
  outputSide,
  sniffImageType,
} from './avatar'
import { messageFor, FALLBACK_MESSAGE } from './errors'

const ID = '7d2f6c1e-3b4a-4c5d-8e9f-0a1b2c3d4e5f'
const API = 'http://127.0.0.1:54321'

describe('centreSquare', () => {
  it.each([
    [640, 480, { sx: 80, sy: 0, side: 480 }],
    [480, 640, { sx: 0, sy: 80, side: 480 }],
    [300, 300, { sx: 0, sy: 0, side: 300 }],
    [641, 480, { sx: 80, sy: 0, side: 480 }],
    [1, 4096, { sx: 0, sy: 2047, side: 1 }],
    [100.7, 50.2, { sx: 25, sy: 0, side: 50 }],
  ])('%i×%i → %o', (w, h, crop) => {
    expect(centreSquare(w, h)).toEqual(crop)
  })

  it('the crop stays inside the picture and is square', () => {
    for (let w = 1; w < 60; w += 7)
      for (let h = 1; h < 60; h += 5) {
        const { sx, sy, side } = centreSquare(w, h)
        expect(sx).toBeGreaterThanOrEqual(0)
        expect(sy).toBeGreaterThanOrEqual(0)
        expect(sx + side).toBeLessThanOrEqual(w)
        expect(sy + side).toBeLessThanOrEqual(h)
        expect(side).toBe(Math.min(w, h))
      }
  })

  it.each([
    [0, 10],
    [10, 0],
    [-1, 10],
    [Number.NaN, 10],
    [Number.POSITIVE_INFINITY, 10],
  ])('no size (%p×%p) throws', (w, h) => {
    expect(() => centreSquare(w, h)).toThrow(RangeError)
  })
})

it('the upload is 256 px a side, never scaled up', () => {
  expect(AVATAR_SIDE).toBe(256)
  expect(outputSide({ sx: 0, sy: 0, side: 3000 })).toBe(256)
  expect(outputSide({ sx: 0, sy: 0, side: 80 })).toBe(80)
  expect(outputSide({ sx: 0, sy: 0, side: 256 })).toBe(256)
})

it('keys: <member id>/avatar-<unique>.<ext>, own folder only', () => {
  const key = avatarKey(ID, 'abc123')
  expect(key).toBe(`${ID}/avatar-abc123.jpg`)
  expect(avatarKey(ID, 'x', 'image/png')).toBe(`${ID}/avatar-x.png`)
  expect(isAvatarKey(key)).toBe(true)
  expect(isOwnAvatarKey(key, ID)).toBe(true)
  expect(isOwnAvatarKey(key, ID.toUpperCase())).toBe(true)
  expect(isOwnAvatarKey(key, '00000000-0000-4000-8000-000000000000')).toBe(false)
  for (const bad of [`${ID}/a/b.jpg`, `${ID}/../x.jpg`, `${ID}/x.gif`, 'x.jpg', `/${ID}/x.jpg`, `${ID}/.jpg`, `${ID}/a b.jpg`])
    expect(isAvatarKey(bad)).toBe(false)
})

it('avatarUrl: a key becomes the bucket’s public URL; a URL stays; anything else shows nothing', () => {
  const key = `${ID}/avatar-abc.jpg`
  expect(avatarUrl(key, API)).toBe(`${API}/storage/v1/object/public/avatars/${key}`)
  expect(avatarUrl(key, `${API}/`)).toBe(`${API}/storage/v1/object/public/avatars/${key}`)
  expect(avatarUrl('https://thirdwx.qlogo.cn/mmopen/a/132', API)).toBe('https://thirdwx.qlogo.cn/mmopen/a/132')
  expect(avatarUrl(key, '')).toBeNull()
  expect(avatarUrl(null, API)).toBeNull()
  expect(avatarUrl('', API)).toBeNull()
  expect(avatarUrl('javascript:alert(1)', API)).toBeNull()
  expect(avatarUrl('items/x.png', API)).toBeNull()
  // and back, to delete a replaced upload
  expect(avatarKeyOf(avatarUrl(key, API), API)).toBe(key)
  expect(avatarKeyOf(key, API)).toBe(key)
  expect(avatarKeyOf('https://example.com/a.png', API)).toBeNull()
  expect(avatarKeyOf(`${API}/storage/v1/object/public/item-images/items/x.png`, API)).toBeNull()
  expect(avatarKeyOf(null, API)).toBeNull()
})

it('the format comes from the bytes', () => {
  expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
  expect(sniffImageType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png')
  expect(sniffImageType(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]))).toBe('image/webp')
  expect(sniffImageType(Uint8Array.from('GIF89a', (c) => c.charCodeAt(0)))).toBeNull()
  expect(sniffImageType(Uint8Array.from('<svg xmlns=', (c) => c.charCodeAt(0)))).toBeNull()
  expect(sniffImageType(new Uint8Array([]))).toBeNull()
})

it('a picked file that is not an image, or huge, is refused with a message', () => {
  expect(avatarFileProblem({ type: null, size: 10 })).toBe('invalid_image_type')
  expect(avatarFileProblem({ type: 'image/png', size: 41 * 1024 * 1024 })).toBe('image_too_large')
  expect(avatarFileProblem({ type: 'image/jpeg', size: 5 * 1024 * 1024 })).toBeNull()
  for (const code of ['invalid_image_type', 'image_too_large', 'image_unreadable', 'upload_failed', 'avatar_not_own'])
    expect(messageFor(code)).not.toBe(FALLBACK_MESSAGE)
})
