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
  /** The canvas itself (H5: the `<canvas>` element; WeChat: the canvas node), for images and export. */
  canvas?: unknown
}

/** Something `drawImage` takes (an `<img>` on H5, a canvas node's image in WeChat). */
export type CanvasImage = CanvasImageSource

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
      return { context, width: rect.width, height: rect.height, pixelRatio, canvas }
    }
    await nextFrame()
  }
  return null
}

/**
 * An image to draw on the canvas, or null when it does not load. Asked for with CORS (`crossOrigin`), so a
 * drawn image never taints the canvas: a picture whose server does not allow it fails to load here (the
 * poster then shows the member's initial) rather than making the PNG export throw.
 */
export function loadCanvasImage(_target: Canvas2d, src: string): Promise<CanvasImage | null> {
  return new Promise((resolve) => {
    const img = new Image()
    img.crossOrigin = 'anonymous'
    img.onload = () => resolve(img)
    img.onerror = () => resolve(null)
    img.src = src
  })
}

/** What the canvas shows as a PNG: a data URL on H5 (for `<a download>` and an `<img>` to long-press). */
export async function exportCanvasImage(target: Canvas2d): Promise<string> {
  return (target.canvas as HTMLCanvasElement).toDataURL('image/png')
}
