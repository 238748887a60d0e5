import Taro from '@tarojs/taro'

import { avatarFromChosen, pickAvatar } from './avatar.weapp'
import { pickAvatar as h5PickAvatar, squareAvatar } from './avatar'

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1])
const GIF = Uint8Array.from('GIF89a\u0001\u0000\u0001\u0000', (c) => c.charCodeAt(0))

afterEach(() => {
  jest.restoreAllMocks()
  document.body.innerHTML = ''
})

/** Taro's file system manager answering `bytes` for any path, recording the paths read. */
function stubFiles(bytes: Uint8Array | null) {
  const read: string[] = []
  jest.spyOn(Taro, 'getFileSystemManager').mockReturnValue({
    readFile: ({
      filePath,
      success,
      fail,
    }: {
      filePath: string
      success: (r: { data: ArrayBuffer }) => void
      fail: (e: unknown) => void
    }) => {
      read.push(filePath)
      if (bytes) success({ data: bytes.buffer.slice(0) as ArrayBuffer })
      else fail({ errMsg: 'readFile:fail no such file' })
    },
  } as any)
  return read
}

describe('the mini-program (chooseAvatar)', () => {
  it('a chosen avatar wider than 256 px is compressed to 256 px, read, and typed from its bytes', async () => {
    const read = stubFiles(JPEG)
    jest.spyOn(Taro, 'getImageInfo').mockResolvedValue({ width: 1080, height: 1080 } as any)
    const compress = jest.spyOn(Taro, 'compressImage').mockResolvedValue({ tempFilePath: 'wxfile://small.jpg', errMsg: 'ok' })
    const image = await avatarFromChosen('wxfile://tmp_avatar.jpg')
    expect(compress).toHaveBeenCalledWith({ src: 'wxfile://tmp_avatar.jpg', quality: 85, compressedWidth: 256 })
    expect(read).toEqual(['wxfile://small.jpg'])
    expect(image.type).toBe('image/jpeg')
    expect([...new Uint8Array(image.bytes)]).toEqual([...JPEG])
  })

  it('a small avatar (WeChat’s own, 132 px) is read as it is; a failed compression keeps the original', async () => {
    let read = stubFiles(JPEG)
    jest.spyOn(Taro, 'getImageInfo').mockResolvedValue({ width: 132, height: 132 } as any)
    const compress = jest.spyOn(Taro, 'compressImage')
    await avatarFromChosen('wxfile://wx.jpg')
    expect(compress).not.toHaveBeenCalled()
    expect(read).toEqual(['wxfile://wx.jpg'])

    jest.restoreAllMocks()
    read = stubFiles(JPEG)
    jest.spyOn(Taro, 'getImageInfo').mockResolvedValue({ width: 2000, height: 2000 } as any)
    jest.spyOn(Taro, 'compressImage').mockRejectedValue({ errMsg: 'compressImage:fail' })
    await avatarFromChosen('wxfile://big.jpg')
    expect(read).toEqual(['wxfile://big.jpg'])
  })

  it('a file that is not JPEG, PNG or WebP, an unreadable file, or no path is refused', async () => {
    jest.spyOn(Taro, 'getImageInfo').mockResolvedValue({ width: 100, height: 100 } as any)
    stubFiles(GIF)
    await expect(avatarFromChosen('wxfile://a.gif')).rejects.toMatchObject({ code: 'invalid_image_type' })
    jest.restoreAllMocks()
    jest.spyOn(Taro, 'getImageInfo').mockResolvedValue({ width: 100, height: 100 } as any)
    stubFiles(null)
    await expect(avatarFromChosen('wxfile://gone.jpg')).rejects.toMatchObject({ code: 'image_unreadable' })
    await expect(avatarFromChosen('')).rejects.toMatchObject({ code: 'image_unreadable' })
  })

  it('has no file picker (the page shows the chooseAvatar button)', async () => {
    await expect(pickAvatar()).resolves.toBeNull()
  })
})

describe('H5 (file picker)', () => {
  it('opens a hidden image file input; cancelling answers null and removes it', async () => {
    const click = jest.spyOn(HTMLInputElement.prototype, 'click').mockImplementation(function (this: HTMLInputElement) {
      queueMicrotask(() => this.dispatchEvent(new Event('cancel')))
    })
    await expect(h5PickAvatar()).resolves.toBeNull()
    expect(click).toHaveBeenCalledTimes(1)
    const input = click.mock.contexts[0] as HTMLInputElement
    expect([input.type, input.accept]).toEqual(['file', 'image/*'])
    expect(document.querySelector('input[type=file]')).toBeNull()
  })

  it('refuses a file that is not an image by its bytes, before decoding it', async () => {
    const svg = new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>'], { type: 'image/png' })
    await expect(squareAvatar(svg)).rejects.toMatchObject({ code: 'invalid_image_type' })
    await expect(squareAvatar(new Blob([GIF], { type: 'image/gif' }))).rejects.toMatchObject({ code: 'invalid_image_type' })
  })
})
