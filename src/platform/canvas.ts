/**
 * Platform seam (H5 and tests): the 2D context of a Taro `<Canvas type='2d' id=…>`. On H5 Taro renders
 * `<taro-canvas-core id=…>` with the real `<canvas>` inside, drawn by the custom element a moment after
 * React mounted it, so the element is looked for during a few frames. Null when there is none (jsdom has
 * no 2D context).
 */
export interface Canvas2d {
  context: CanvasRenderingContext2D
  /** CSS pixels. */
  width: number
  height: number
  pixelRatio: number
  requestAnimationFrame?: (cb: () => void) => number
  cancelAnimationFrame?: (id: number) => void
}

const FRAMES = 30

const nextFrame = () =>
  new Promise<void>((resolve) =>
    typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => resolve()) : setTimeout(resolve, 16),
  )

export async function getCanvas2d(id: string): Promise<Canvas2d | null> {
  for (let frame = 0; frame < FRAMES; frame += 1) {
    const host = document.getElementById(id)
    const canvas = host instanceof HTMLCanvasElement ? host : host?.querySelector('canvas')
    const rect = canvas?.getBoundingClientRect()
    if (canvas && rect && rect.width > 0 && rect.height > 0) {
      const context = canvas.getContext('2d')
      if (!context) return null
      const pixelRatio = window.devicePixelRatio || 1
      canvas.width = Math.round(rect.width * pixelRatio)
      canvas.height = Math.round(rect.height * pixelRatio)
      return { context, width: rect.width, height: rect.height, pixelRatio }
    }
    await nextFrame()
  }
  return null
}
