import Taro from '@tarojs/taro'

import { getCanvas2d } from './canvas.weapp'
import { getCanvas2d as h5Canvas2d } from './canvas'

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
  expect(target).toMatchObject({ context, width: 343, height: 220, pixelRatio: 3 })
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
  await expect(h5Canvas2d('chart-b')).resolves.toEqual({ context, width: 335.5, height: 200, pixelRatio: 2 })
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
