import Taro from '@tarojs/taro'

import { exportCanvasImage, getCanvas2d, loadCanvasImage } from './canvas.weapp'
import { exportCanvasImage as h5Export, getCanvas2d as h5Canvas2d, loadCanvasImage as h5Load } from './canvas'

afterEach(() => {
  jest.restoreAllMocks()
  document.body.innerHTML = ''
})

/** A selector query answering `fields({ node, size })` with `result`, recording the selector. */
function stubQuery(result: unknown) {
  const selected: string[] = []
  const query = {
    select: (selector: string) => {
      selected.push(selector)
      return query
    },
    fields: () => query,
    exec: (cb: (res: unknown[]) => void) => cb([result]),
  }
  jest.spyOn(Taro, 'nextTick').mockImplementation((cb: () => void) => cb())
  jest.spyOn(Taro, 'createSelectorQuery').mockReturnValue(query as any)
  jest.spyOn(Taro, 'getSystemInfoSync').mockReturnValue({ pixelRatio: 3 } as any)
  return selected
}

it('the mini-program: the canvas node by id, its buffer sized to device pixels, frames from the node', async () => {
  const context = { name: '2d' }
  const node = {
    width: 0,
    height: 0,
    getContext: jest.fn(() => context),
    requestAnimationFrame: jest.fn(() => 7),
    cancelAnimationFrame: jest.fn(),
  }
  const selected = stubQuery({ node, width: 343, height: 220 })
  const target = await getCanvas2d('chart-a')
  expect(selected).toEqual(['#chart-a'])
  expect(node.getContext).toHaveBeenCalledWith('2d')
  expect(target).toMatchObject({ context, width: 343, height: 220, pixelRatio: 3, canvas: node })
  expect([node.width, node.height]).toEqual([1029, 660])
  const cb = () => {}
  expect(target!.requestAnimationFrame!(cb)).toBe(7)
  expect(node.requestAnimationFrame).toHaveBeenCalledWith(cb)
  target!.cancelAnimationFrame!(7)
  expect(node.cancelAnimationFrame).toHaveBeenCalledWith(7)
})

it('the mini-program: no node (or no size) yet, no canvas', async () => {
  stubQuery(null)
  await expect(getCanvas2d('missing')).resolves.toBeNull()
  stubQuery({ node: {}, width: 0, height: 0 })
  await expect(getCanvas2d('hidden')).resolves.toBeNull()
})

it('H5: the <canvas> inside the element with the id, sized to device pixels', async () => {
  document.body.innerHTML = '<taro-canvas-core id="chart-b"><canvas></canvas></taro-canvas-core>'
  const canvas = document.querySelector('canvas')!
  const context = { name: '2d' } as unknown as CanvasRenderingContext2D
  jest.spyOn(canvas, 'getContext').mockReturnValue(context as any)
  jest.spyOn(canvas, 'getBoundingClientRect').mockReturnValue({ width: 335.5, height: 200 } as DOMRect)
  Object.defineProperty(window, 'devicePixelRatio', { value: 2, configurable: true })
  await expect(h5Canvas2d('chart-b')).resolves.toEqual({ context, width: 335.5, height: 200, pixelRatio: 2, canvas })
  expect([canvas.width, canvas.height]).toEqual([671, 400])
})

it('H5: waits a few frames for the canvas, then gives up', async () => {
  jest.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => {
    cb(0)
    return 0
  })
  await expect(h5Canvas2d('nowhere')).resolves.toBeNull()
  expect(window.requestAnimationFrame).toHaveBeenCalledTimes(30)
})

describe('images and export', () => {
  it('the mini-program: an http(s) image is downloaded, then loaded by the canvas node', async () => {
    const created: { src?: string; onload?: () => void; onerror?: () => void }[] = []
    const node = {
      createImage: () => {
        const img: any = {}
        Object.defineProperty(img, 'src', { set: (v: string) => ((img._src = v), setTimeout(() => img.onload())), get: () => img._src })
        created.push(img)
        return img
      },
    }
    const download = jest.spyOn(Taro, 'downloadFile').mockResolvedValue({ statusCode: 200, tempFilePath: 'wxfile://tmp/code.png' } as any)
    const target = { context: {} as any, width: 300, height: 520, pixelRatio: 2, canvas: node }
    const img = await loadCanvasImage(target, 'https://cdn.test/wxacode/ABCD2345.png')
    expect(download).toHaveBeenCalledWith({ url: 'https://cdn.test/wxacode/ABCD2345.png' })
    expect(img).toBe(created[0])
    expect((img as any).src).toBe('wxfile://tmp/code.png')
    // a failed download: no image
    download.mockResolvedValueOnce({ statusCode: 404, tempFilePath: '' } as any)
    await expect(loadCanvasImage(target, 'https://cdn.test/missing.png')).resolves.toBeNull()
    download.mockRejectedValueOnce({ errMsg: 'downloadFile:fail' })
    await expect(loadCanvasImage(target, 'https://cdn.test/x.png')).resolves.toBeNull()
  })

  it('the mini-program: the canvas node to a temporary PNG file', async () => {
    const node = {}
    const toFile = jest.spyOn(Taro, 'canvasToTempFilePath').mockResolvedValue({ tempFilePath: 'wxfile://tmp/poster.png' } as any)
    await expect(exportCanvasImage({ context: {} as any, width: 300, height: 520, pixelRatio: 2, canvas: node })).resolves.toBe(
      'wxfile://tmp/poster.png',
    )
    expect(toFile).toHaveBeenCalledWith({ canvas: node, fileType: 'png' })
  })

  it('H5: the <canvas> to a PNG data URL; images are asked for with CORS', async () => {
    const canvas = document.createElement('canvas')
    jest.spyOn(canvas, 'toDataURL').mockReturnValue('data:image/png;base64,UE5H')
    await expect(h5Export({ context: {} as any, width: 1, height: 1, pixelRatio: 1, canvas })).resolves.toBe('data:image/png;base64,UE5H')
    expect(canvas.toDataURL).toHaveBeenCalledWith('image/png')
    const created: HTMLImageElement[] = []
    const RealImage = window.Image
    window.Image = class extends RealImage {
      constructor() {
        super()
        created.push(this)
      }
    } as typeof Image
    try {
      const target = { context: {} as any, width: 1, height: 1, pixelRatio: 1 }
      const loaded = h5Load(target, 'https://cdn.test/a.png')
      expect(created[0].crossOrigin).toBe('anonymous')
      expect(created[0].src).toBe('https://cdn.test/a.png')
      created[0].onload!(new Event('load'))
      await expect(loaded).resolves.toBe(created[0])
      // a picture whose server sends no CORS headers fails to load: null (the poster draws the initial)
      const failed = h5Load(target, 'https://elsewhere.test/b.png')
      created[1].onerror!(new Event('error'))
      await expect(failed).resolves.toBeNull()
    } finally {
      window.Image = RealImage
    }
  })
})
