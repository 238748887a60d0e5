/**
 * Platform seam: scan a QR code (member code or voucher) or the member code's Code 128 barcode with the camera. Resolves the scanned text, or null
 * when the user cancels; `camera_unavailable` when there is no camera or no permission (the page then offers
 * typing the code). H5: html5-qrcode (a well-kept camera scanner on getUserMedia + ZXing), loaded on first use
 * so it stays out of the initial bundle, in a full-screen layer with 取消. Browsers give the camera only to
 * secure pages (https, or localhost). The mini-program build picks scan.weapp.ts (wx.scanCode) instead.
 */
import { AppError } from '../domain/errors'
import { COLORS } from '../styles/colors'

const LAYER_STYLE = `position:fixed;inset:0;z-index:10000;background:${COLORS.scrim};display:flex;flex-direction:column;align-items:center;justify-content:center;gap:16px`
const BUTTON_STYLE = `padding:10px 36px;border:1px solid ${COLORS.surface};border-radius:20px;background:transparent;color:${COLORS.surface};font-size:16px`

export async function scanCode(): Promise<string | null> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) throw new AppError('camera_unavailable')
  const { Html5Qrcode, Html5QrcodeSupportedFormats } = await import('html5-qrcode')

  const layer = document.createElement('div')
  layer.className = 'scan-layer'
  layer.setAttribute('style', LAYER_STYLE)
  const region = document.createElement('div')
  region.id = `scan-region-${Date.now()}`
  region.setAttribute('style', 'width:100%;max-width:480px')
  const hint = document.createElement('div')
  hint.textContent = '将二维码或条形码放入框内，即可自动扫描'
  hint.setAttribute('style', `color:${COLORS.surface};font-size:14px`)
  const cancel = document.createElement('button')
  cancel.textContent = '取消'
  cancel.setAttribute('style', BUTTON_STYLE)
  layer.append(region, hint, cancel)
  document.body.append(layer)

  const scanner = new Html5Qrcode(region.id, {
    formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE, Html5QrcodeSupportedFormats.CODE_128],
    verbose: false,
  })
  return new Promise((resolve, reject) => {
    let settled = false
    const finish = async (text: string | null, error?: AppError) => {
      if (settled) return
      settled = true
      try {
        if (scanner.isScanning) await scanner.stop()
      } catch {
        // already stopped
      }
      layer.remove()
      if (error) reject(error)
      else resolve(text)
    }
    cancel.onclick = () => void finish(null)
    scanner
      .start(
        { facingMode: 'environment' },
        {
          fps: 10,
          // wide enough for a barcode held sideways-on, tall enough for a QR
          qrbox: (w: number, h: number) => ({ width: Math.floor(w * 0.85), height: Math.floor(Math.min(w, h) * 0.7) }),
        },
        (text: string) => void finish(text),
        () => undefined, // no code in this frame
      )
      .catch((e: unknown) => void finish(null, new AppError('camera_unavailable', { cause: e })))
  })
}
