/**
 * The charts, drawn by AntV F2 (v5) on a 2D context from the canvas platform seam. F2 describes a chart as
 * its own JSX tree; this file builds that tree with F2's `jsx` function (no JSX syntax, so it cannot mix
 * with React's JSX). Only the manager subpackage imports this file, so F2 lands there and not in the main
 * package (docs/client.md, "Dashboard").
 */
import { Axis, Canvas, Chart, Interval, jsx, Legend, Line } from '@antv/f2'

import { niceAxisMax, Y_INTERVALS, type ChartSpec } from '../../../domain/reports'
import type { Canvas2d } from '../../../platform/canvas'
import { COLORS } from '../../../styles/colors'

/**
 * F2's classic `el(type, props, ...children)`. Its declared parameter type only fits what F2's own JSX
 * compiler emits (generic component classes do not match it), so the call is untyped here.
 */
const el = (type: unknown, props: Record<string, unknown>, ...children: unknown[]) =>
  (jsx as (...args: unknown[]) => { props: any })(type, props, ...children)

/** The series' colours, in order (the brand first), from the theme. */
export const SERIES_COLORS = [COLORS.brand, COLORS.info, COLORS.accent, COLORS.success]

/**
 * F2 sizes are in 750-wide design px, like the app's styles: half of it is a CSS px ('24px' = 12 px). F2's
 * own conversion reads the root font size, which Taro's H5 rem layout sets (≈ 20 px at 390 px width), and
 * would shrink every label to a few pixels; the mini-program has no root font size at all.
 */
const px2hd = (px: number) => px / 2

const THEME = {
  fontSize: '24px',
  axis: { label: { fill: COLORS.textSecondary, fontSize: '22px' } },
}

/** 12345 → '1.2万' for the y axis. */
function shortNumber(unit = '') {
  return (v: number) => {
    const n = Number(v)
    const abs = Math.abs(n)
    const text = abs >= 10000 ? `${Math.round(n / 1000) / 10}万` : `${Math.round(n * 100) / 100}`
    return `${unit}${text}`
  }
}

function tree(target: Canvas2d, spec: ChartSpec) {
  const xCount = new Set(spec.rows.map((r) => r.x)).size
  const ys = spec.rows.map((r) => r.y)
  const color = { field: 'series', range: SERIES_COLORS }
  const geometry =
    spec.kind === 'bar'
      ? el(Interval, { x: 'x', y: 'y', color: { field: 'series', range: [SERIES_COLORS[1]] } })
      : el(Line, { x: 'x', y: 'y', color, lineWidth: '3px' })
  const chart = el(
    Chart,
    {
      data: spec.rows,
      scale: {
        // lines: a little room at both ends, so the first and last day's labels are not cut off
        x: { type: 'cat', tickCount: Math.min(xCount, spec.kind === 'bar' ? 7 : 5), range: spec.kind === 'bar' ? undefined : [0.06, 0.94] },
        // from 0 (or the lowest value, if negative) to a round top
        y: { min: Math.min(0, ...ys), max: niceAxisMax(ys), tickCount: Y_INTERVALS + 1, nice: false },
      },
    },
    el(Axis, { field: 'x' }),
    el(Axis, { field: 'y', formatter: shortNumber(spec.unit) }),
    geometry,
    spec.series.length > 1
      ? el(Legend, {
          position: 'top',
          layoutMode: 'adaptive',
          style: { justifyContent: 'flex-start' },
          itemStyle: { paddingRight: '32px' },
          nameStyle: { fill: COLORS.text, fontSize: '24px' },
        })
      : null,
  )
  return el(Canvas, {
    context: target.context,
    pixelRatio: target.pixelRatio,
    width: target.width,
    height: target.height,
    animate: false,
    theme: THEME,
    px2hd,
    requestAnimationFrame: target.requestAnimationFrame,
    cancelAnimationFrame: target.cancelAnimationFrame,
    children: chart,
  })
}

export interface DrawnChart {
  update: (spec: ChartSpec) => void
  destroy: () => void
}

/** Draw a chart on the canvas; update it with new data; destroy it with its page. */
export function drawChart(target: Canvas2d, spec: ChartSpec): DrawnChart {
  const canvas = new Canvas(tree(target, spec).props)
  void canvas.render()
  return {
    update: (next) => void canvas.update(tree(target, next).props),
    destroy: () => canvas.destroy(),
  }
}
