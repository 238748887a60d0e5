import { useDidHide, useDidShow } from '@tarojs/taro'
import { useEffect, useRef } from 'react'

import { listenForWedgeScans } from '../platform/wedge'

/**
 * A keyboard-wedge barcode scanner's scans (src/platform/wedge.ts) for the page on top only: listening starts
 * when the page mounts or shows and stops when it hides or unmounts (H5 keeps the pages below mounted, and a
 * scan must not reach them too). `onScan` answers whether it took the scan. Nothing happens in the
 * mini-program.
 */
export function useWedgeScans(onScan: (text: string) => boolean): void {
  const handler = useRef(onScan)
  handler.current = onScan
  const stop = useRef<() => void>()
  const start = () => {
    stop.current ??= listenForWedgeScans((text) => handler.current(text))
  }
  const end = () => {
    stop.current?.()
    stop.current = undefined
  }
  useEffect(() => {
    start()
    return end
  }, [])
  useDidShow(start)
  useDidHide(end)
}
