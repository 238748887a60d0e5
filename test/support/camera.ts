// A video for Chromium's fake camera (launchChromium({ fakeCamera })): a QR code on a white frame, as a
// Y4M file (YUV 4:2:0, the format Chromium's file capture reads). Chromium loops the file.
import { writeFileSync } from 'node:fs'
import qrcode from 'qrcode-generator'

const WIDTH = 640
const HEIGHT = 480

/** Write a one-frame Y4M video of `text` as a QR code (error correction M, 6 px modules, centred). */
export function writeQrVideo(file: string, text: string): void {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  const modules = qr.getModuleCount()
  const scale = 6
  const left = Math.floor((WIDTH - modules * scale) / 2)
  const top = Math.floor((HEIGHT - modules * scale) / 2)
  const luma = Buffer.alloc(WIDTH * HEIGHT, 255) // white
  for (let row = 0; row < modules; row++) {
    for (let col = 0; col < modules; col++) {
      if (!qr.isDark(row, col)) continue
      for (let y = 0; y < scale; y++)
        luma.fill(0, (top + row * scale + y) * WIDTH + left + col * scale, (top + row * scale + y) * WIDTH + left + (col + 1) * scale)
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128) // U and V planes: no colour
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), luma, chroma]))
}
