import { fireEvent, render, screen } from '@testing-library/react'

import ItemImage from './index'

// Taro's H5 <Image lazyLoad> watches visibility; jsdom has no IntersectionObserver
beforeAll(() => {
  ;(globalThis as any).IntersectionObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
})

it('a coloured tile per kind when there is no image', () => {
  const { container, rerender } = render(<ItemImage kind="coupon" faceValueFen={1000} />)
  expect(screen.getByText('券')).toBeInTheDocument()
  expect(screen.getByText('¥10')).toBeInTheDocument()
  expect(container.querySelector('.item-image--coupon')).not.toBeNull()

  rerender(<ItemImage kind="membership" imageUrl={null} size="hero" />)
  expect(screen.getByText('会员')).toBeInTheDocument()
  expect(screen.getByText('会员权益')).toBeInTheDocument()
  expect(container.querySelector('.item-image--hero.item-image--membership')).not.toBeNull()

  rerender(<ItemImage kind="gift" size="thumb" />)
  expect(screen.getByText('礼')).toBeInTheDocument()
  expect(screen.queryByText('实物礼品')).toBeNull()

  rerender(<ItemImage kind="mystery" />)
  expect(screen.getByText('礼')).toBeInTheDocument()
  expect(container.querySelector('.item-image--gift')).not.toBeNull()
})

it('the image when there is one, and the tile again if it fails to load', () => {
  const { container } = render(<ItemImage kind="gift" imageUrl="https://example.com/a.png" />)
  const img = container.querySelector('.item-image__img')
  expect(img).not.toBeNull()
  expect(img).toHaveAttribute('src', 'https://example.com/a.png')
  expect(screen.queryByText('礼')).toBeNull()
  fireEvent(img!, new Event('error'))
  expect(screen.getByText('礼')).toBeInTheDocument()
})
