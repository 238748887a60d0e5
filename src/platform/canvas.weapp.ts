/**
 * Platform seam (WeChat mini-program): the 2D context of a `<Canvas type='2d' id=…>` from its node
 * (`createSelectorQuery … fields({ node, size })`). The node's drawing buffer is sized to the device
 * pixels here; the chart scales by `pixelRatio`. Animation frames come from the canvas node (the
 * mini-program has no global requestAnimationFrame).
 */
import Taro from '@tarojs/taro'

import type { Canvas2d, CanvasImage } from './canvas'

export type { Canvas2d, CanvasImage }

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
            canvas,
          })
        }),
    )
  })
}

/**
 * An image for the canvas from a local path or an http(s) URL (downloaded first with `Taro.downloadFile`: the
 * canvas's images load local files; the host must be a downloadFile domain of the mini-program), or null when
 * it cannot be had.
 */
export async function loadCanvasImage(target: Canvas2d, src: string): Promise<CanvasImage | null> {
  let path = src
  if (/^https?:\/\//i.test(src)) {
    try {
      const res = await Taro.downloadFile({ url: src })
      if (res.statusCode !== 200 || !res.tempFilePath) return null
      path = res.tempFilePath
    } catch {
      return null
    }
  }
  const canvas = target.canvas as { createImage(): any } | undefined
  if (!canvas) return null
  return new Promise((resolve) => {
    const img = canvas.createImage()
    img.onload = () => resolve(img)
    img.onerror = () => resolve(null)
    img.src = path
  })
}

/** What the canvas shows as a PNG in a temporary file (for `saveImageToPhotosAlbum`). */
export async function exportCanvasImage(target: Canvas2d): Promise<string> {
  const { tempFilePath } = await Taro.canvasToTempFilePath({ canvas: target.canvas as Taro.Canvas, fileType: 'png' })
  return tempFilePath
}
