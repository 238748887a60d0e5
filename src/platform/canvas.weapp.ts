/**
 * Platform seam (WeChat mini-program): the 2D context of a `<Canvas type='2d' id=…>` from its node
 * (`createSelectorQuery … fields({ node, size })`). The node's drawing buffer is sized to the device
 * pixels here; the chart scales by `pixelRatio`. Animation frames come from the canvas node (the
 * mini-program has no global requestAnimationFrame).
 */
import Taro from '@tarojs/taro'

import type { Canvas2d } from './canvas'

export type { Canvas2d }

export function getCanvas2d(id: string): Promise<Canvas2d | null> {
  return new Promise((resolve) => {
    // after the current render is laid out
    Taro.nextTick(() =>
      Taro.createSelectorQuery()
        .select(`#${id}`)
        .fields({ node: true, size: true })
        .exec((res) => {
          const found = res?.[0]
          const canvas = found?.node
          if (!canvas || !found.width || !found.height) return resolve(null)
          const pixelRatio = Taro.getSystemInfoSync().pixelRatio || 1
          canvas.width = Math.round(found.width * pixelRatio)
          canvas.height = Math.round(found.height * pixelRatio)
          resolve({
            context: canvas.getContext('2d'),
            width: found.width,
            height: found.height,
            pixelRatio,
            requestAnimationFrame: (cb) => canvas.requestAnimationFrame(cb),
            cancelAnimationFrame: (frame) => canvas.cancelAnimationFrame(frame),
          })
        }),
    )
  })
}
