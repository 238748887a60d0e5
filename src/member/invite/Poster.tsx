import { Canvas, Image, Text, View } from '@tarojs/components'

import Taro from '@tarojs/taro'
import { useCallback, useEffect, useRef, useState } from 'react'

import Button from '../../components/Button'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf, messageFor } from '../../domain/errors'
import { POSTER_HEIGHT, POSTER_WIDTH, type PosterInput } from '../../domain/poster'
import { qrMatrix } from '../../domain/qr'
import { exportCanvasImage, getCanvas2d, loadCanvasImage, type Canvas2d } from '../../platform/canvas'
import { posterCode, posterCodeHint, saveImage, saveImageHint, saveImageLabel, showsPosterAsImage } from '../../platform/poster'
import { getInviteWxacode } from '../../stores/referral'
import { paintPoster } from './paint'

export const POSTER_CANVAS_ID = 'invite-poster'

interface Props {
  /** Everything the poster says but the code hint (this platform's). */
  content: Omit<PosterInput, 'codeHint'>
  avatarUrl: string | null
  /** H5: what the QR code encodes (the H5 invite link). */
  qrText: string
  onClose: () => void
}

type Status = 'drawing' | 'ready' | 'error'

/**
 * 邀请海报: a layer over the invite page with the poster drawn on a canvas (nickname, avatar, program name,
 * invite copy, and a QR code of the H5 invite link or the member's 小程序码), and a button to keep it: 保存到相册
 * (WeChat, with the album permission flow) or 下载海报 (H5, where the poster is also shown as an image to
 * long-press).
 */
export default function Poster({ content, avatarUrl, qrText, onClose }: Props) {
  const [status, setStatus] = useState<Status>('drawing')
  const [errorCode, setErrorCode] = useState<string>()
  const [image, setImage] = useState<string>()
  const [saving, setSaving] = useState(false)
  const target = useRef<Canvas2d | null>(null)
  const live = useRef(true)

  const draw = useCallback(async () => {
    setStatus('drawing')
    setErrorCode(undefined)
    try {
      const canvas = target.current ?? (await getCanvas2d(POSTER_CANVAS_ID))
      if (!canvas) throw new Error('no canvas')
      target.current = canvas
      const [avatar, code] = await Promise.all([
        avatarUrl ? loadCanvasImage(canvas, avatarUrl) : Promise.resolve(null),
        posterCode === 'wxacode' ? getInviteWxacode().then((w) => loadCanvasImage(canvas, w.url)) : Promise.resolve(null),
      ])
      if (posterCode === 'wxacode' && !code) throw new Error('the 小程序码 did not load')
      paintPoster(
        canvas,
        { ...content, codeHint: posterCodeHint },
        { avatar, code, qr: posterCode === 'qr' ? qrMatrix(qrText) : undefined },
      )
      const png = showsPosterAsImage ? await exportCanvasImage(canvas) : undefined
      if (!live.current) return
      setImage(png)
      setStatus('ready')
    } catch (e) {
      if (!live.current) return
      const code = errorCodeOf(e)
      setErrorCode(code === 'unknown' ? undefined : code)
      setStatus('error')
    }
  }, [avatarUrl, content, qrText])

  useEffect(() => {
    live.current = true
    void draw()
    return () => {
      live.current = false
    }
    // drawn once when opened; 重试 draws again
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  async function save() {
    if (!target.current || saving) return
    setSaving(true)
    try {
      const src = image ?? (await exportCanvasImage(target.current))
      const outcome = await saveImage(src, `邀请海报-${content.inviteCode}.png`)
      if (outcome === 'saved') void Taro.showToast({ title: showsPosterAsImage ? '海报已下载' : '已保存到相册', icon: 'success' })
      else if (outcome === 'denied') showErrorToast('未获得相册权限，海报未保存')
    } catch {
      showErrorToast('保存失败，请重试')
    } finally {
      setSaving(false)
    }
  }

  const size = { width: `${POSTER_WIDTH}px`, height: `${POSTER_HEIGHT}px` }
  return (
    <View className="poster" role="dialog" aria-modal="true" aria-label="邀请海报">
      <View className="poster__backdrop" />
      <View className="poster__sheet">
        <View className="poster__stage" style={size}>
          {/* the canvas stays laid out (it is what is drawn on); H5 shows its PNG over it, to long-press */}
          <Canvas type="2d" id={POSTER_CANVAS_ID} canvasId={POSTER_CANVAS_ID} className="poster__canvas" style={size} />
          {image && <Image className="poster__image" src={image} style={size} mode="scaleToFill" nativeProps={{ alt: '邀请海报' }} />}
          {status !== 'ready' && (
            <View className="poster__cover" style={size}>
              {status === 'drawing' ? (
                <Text className="poster__status">海报生成中…</Text>
              ) : (
                <>
                  <Text className="poster__status">{errorCode ? messageFor(errorCode) : '海报生成失败'}</Text>
                  <Button className="poster__retry" onClick={() => void draw()}>
                    重试
                  </Button>
                </>
              )}
            </View>
          )}
        </View>
        {status === 'ready' && <Text className="poster__hint">{saveImageHint}</Text>}
        <View className="poster__actions">
          <Button className="poster__button poster__button--ghost" onClick={onClose}>
            关闭
          </Button>
          <Button
            className="poster__button poster__button--primary"
            disabled={status !== 'ready' || saving || undefined}
            onClick={() => void save()}
          >
            {saving ? '保存中…' : saveImageLabel}
          </Button>
        </View>
      </View>
    </View>
  )
}
