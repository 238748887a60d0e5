import { imageProblem, sniffImageType, storageErrorCode } from './images'

const bytes = (...b: number[]) => new Uint8Array([...b, ...new Array(16).fill(0)])

describe('sniffImageType', () => {
  it('reads JPEG, PNG and WebP from their magic numbers', () => {
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg')
    expect(sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png')
    expect(sniffImageType(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50))).toBe('image/webp')
  })
  it('refuses anything else, whatever the name says', () => {
    expect(sniffImageType(bytes(0x47, 0x49, 0x46, 0x38))).toBeNull() // GIF
    expect(sniffImageType(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x41, 0x56, 0x49, 0x20))).toBeNull() // AVI in RIFF
    expect(sniffImageType(Uint8Array.from('<svg xmlns="http://www.w3.org/2000/svg"/>', (c) => c.charCodeAt(0)))).toBeNull()
    expect(sniffImageType(new Uint8Array())).toBeNull()
  })
})

describe('imageProblem', () => {
  it('checks type, size and sides', () => {
    expect(imageProblem({ type: 'image/png', size: 1000, width: 480, height: 360 })).toBeNull()
    expect(imageProblem({ type: null, size: 1000 })).toBe('invalid_image_type')
    expect(imageProblem({ type: 'image/png', size: 2 * 1024 * 1024 + 1 })).toBe('image_too_large')
    expect(imageProblem({ type: 'image/png', size: 10, width: 8, height: 300 })).toBe('invalid_image_size')
    expect(imageProblem({ type: 'image/png', size: 10, width: 300, height: 5000 })).toBe('invalid_image_size')
  })
})

it("maps Storage's error names to the console's codes", () => {
  expect(storageErrorCode('EntityTooLarge')).toBe('image_too_large')
  expect(storageErrorCode('InvalidMimeType')).toBe('invalid_image_type')
  expect(storageErrorCode('AccessDenied')).toBe('forbidden')
  expect(storageErrorCode(undefined)).toBe('upload_failed')
})
