import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fireEvent, render, screen } from '@testing-library/react'
import { Text } from '@tarojs/components'

import Button from '../Button'
import Tappable from './index'

it('is a focusable button named by its label (or its text) that a tap and Enter / Space activate', () => {
  const tap = jest.fn()
  render(
    <Tappable className="arrow" label="上月" onTap={tap}>
      ‹
    </Tappable>,
  )
  const button = screen.getByRole('button', { name: '上月' })
  expect(button).toHaveAttribute('tabindex', '0')
  fireEvent.click(button)
  fireEvent.keyDown(button, { key: 'Enter' })
  fireEvent.keyDown(button, { key: ' ' })
  fireEvent.keyDown(button, { key: 'a' })
  expect(tap).toHaveBeenCalledTimes(3)
})

it('disabled: announced, out of the tab order, and does nothing', () => {
  const tap = jest.fn()
  render(
    <Tappable label="下月" disabled onTap={tap}>
      ›
    </Tappable>,
  )
  const button = screen.getByRole('button', { name: '下月' })
  expect(button).toHaveAttribute('aria-disabled', 'true')
  expect(button).toHaveAttribute('tabindex', '-1')
  fireEvent.click(button)
  fireEvent.keyDown(button, { key: 'Enter' })
  expect(tap).not.toHaveBeenCalled()
})

it('a tab says whether it is on; data-* attributes pass through; inline renders a Text', () => {
  const { container } = render(
    <>
      <Tappable pressed data={{ item: 'x1' }}>
        <Text>全部</Text>
      </Tappable>
      <Tappable inline pressed={false}>
        上拉加载更多
      </Tappable>
    </>,
  )
  expect(screen.getByRole('button', { name: '全部' })).toHaveAttribute('aria-pressed', 'true')
  expect(screen.getByRole('button', { name: '全部' })).toHaveAttribute('data-item', 'x1')
  expect(screen.getByRole('button', { name: '上拉加载更多' })).toHaveAttribute('aria-pressed', 'false')
  expect(container.querySelector('taro-text-core[role="button"]')).not.toBeNull()
})

it("the Button: Taro's H5 button becomes a named, focusable button; disabled and loading are announced", () => {
  const tap = jest.fn()
  const { rerender } = render(<Button onClick={tap}>登录</Button>)
  const button = screen.getByRole('button', { name: '登录' })
  expect(button).toHaveAttribute('tabindex', '0')
  fireEvent.keyDown(button, { key: 'Enter' })
  expect(tap).toHaveBeenCalledTimes(1)
  rerender(
    <Button onClick={tap} disabled loading>
      登录
    </Button>,
  )
  expect(screen.getByRole('button', { name: '登录' })).toHaveAttribute('aria-disabled', 'true')
  expect(screen.getByRole('button', { name: '登录' })).toHaveAttribute('aria-busy', 'true')
  fireEvent.keyDown(screen.getByRole('button', { name: '登录' }), { key: 'Enter' })
  expect(tap).toHaveBeenCalledTimes(1)
})

// ---------------------------------------------------------------------------------------------------------------
// Every tappable element is a button (issue 17): no screen gives a View or Text its own onClick — that renders a
// <taro-view-core> a screen reader does not announce and a keyboard cannot reach. Use Tappable or Button.

const SRC = join(__dirname, '..', '..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return /\.tsx$/.test(e.name) && !/\.test\.tsx$/.test(e.name) ? [path] : []
  })
}

/** `<View …onClick…>` / `<Text …onClick…>` opening tags (their attributes up to the tag's end). */
function clickableViews(text: string): string[] {
  const found: string[] = []
  for (const m of text.matchAll(/<(View|Text|Image)\b/g)) {
    // the opening tag: up to the first '>' that is not inside {…}
    let depth = 0
    let i = m.index! + m[0].length
    for (; i < text.length; i++) {
      const c = text[i]
      if (c === '{') depth++
      else if (c === '}') depth--
      else if (c === '>' && depth === 0 && text[i - 1] !== '=') break
    }
    const tag = text.slice(m.index!, i + 1)
    if (/\sonClick=/.test(tag)) found.push(tag.replace(/\s+/g, ' '))
  }
  return found
}

it('the check finds a View with onClick', () => {
  expect(clickableViews('<View className="a" onClick={() => go({ a: 1 })}>x</View>')).toHaveLength(1)
  expect(clickableViews('<Text\n  className="b"\n  onClick={() => f()}\n>')).toHaveLength(1)
  expect(clickableViews('<View className="a" data-x={a > b ? 1 : 2}>x</View><Tappable onTap={f} />')).toEqual([])
})

it.each(sources(SRC).map((f) => relative(SRC, f)))('%s has no View or Text with its own onClick (use Tappable)', (file) => {
  expect(clickableViews(readFileSync(join(SRC, file), 'utf8'))).toEqual([])
})
