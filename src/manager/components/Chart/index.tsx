import { Canvas } from '@tarojs/components'
import { useEffect, useRef } from 'react'

import type { ChartSpec } from '../../../domain/reports'
import { getCanvas2d } from '../../../platform/canvas'
import { drawChart, type DrawnChart } from './f2'

import './index.scss'

interface Props {
  /** Unique on the page: the canvas is found by id. */
  id: string
  spec: ChartSpec
  /** CSS px. */
  height?: number
}

/**
 * A chart on a Taro `<Canvas type='2d'>`: the context comes from the platform seam once the canvas is in
 * the page, F2 draws the spec, and a new spec (memoize it) redraws the same chart.
 */
export default function Chart({ id, spec, height = 220 }: Props) {
  const chart = useRef<DrawnChart | null>(null)
  const latest = useRef(spec)
  latest.current = spec

  useEffect(() => {
    let mounted = true
    void getCanvas2d(id).then((target) => {
      if (mounted && target) chart.current = drawChart(target, latest.current)
    })
    return () => {
      mounted = false
      chart.current?.destroy()
      chart.current = null
    }
  }, [id])

  useEffect(() => {
    chart.current?.update(spec)
  }, [spec])

  return <Canvas type="2d" id={id} canvasId={id} className="chart" style={{ height: `${height}px` }} />
}
