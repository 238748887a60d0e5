import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, within } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { listMallItems } from '../../services/mall'
import { mallStore } from '../../stores/mall'
import Mall from './index'
import { aMallItem, aMallListing } from '../../../test/factories/mall'

jest.mock('../../services/mall')

const initial = mallStore.getState()

// Taro's H5 <Image lazyLoad> watches visibility; jsdom has no IntersectionObserver
beforeAll(() => {
  ;(globalThis as any).IntersectionObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
})

beforeEach(() => {
  jest.resetAllMocks()
  mallStore.setState(initial, true)
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
})
afterEach(() => jest.restoreAllMocks())

function card(title: string): HTMLElement {
  const el = screen.getByText(title).closest<HTMLElement>('.mall-card')
  if (!el) throw new Error(`no card for ${title}`)
  return el
}

function tab(name: string): HTMLElement {
  const el = [...document.querySelectorAll<HTMLElement>('.mall__tab')].find((t) => t.textContent === name)
  if (!el) throw new Error(`no tab ${name}`)
  return el
}

it('loading, then the balance, the tabs and a card per item with its badges and reason', async () => {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing())
  render(<Mall />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()

  expect(await screen.findByText('469')).toBeInTheDocument()
  expect(screen.getByText('普通会员')).toBeInTheDocument()
  const tabs = document.querySelectorAll('.mall__tab')
  expect([...tabs].map((t) => t.textContent)).toEqual(['全部', '优惠券', '会员权益', '精选好礼'])
  expect(tabs[0]).toHaveClass('mall__tab--active')

  const coupon = within(card('¥10无门槛券'))
  expect(coupon.getByText('100 积分')).toBeInTheDocument()
  expect(coupon.getByText('价值¥10')).toBeInTheDocument()
  expect(coupon.getByText('券')).toBeInTheDocument()
  expect(card('¥10无门槛券')).not.toHaveClass('mall-card--muted')

  const gold = within(card('金卡专享·季度会员'))
  expect(gold.getByText('1,200 积分')).toBeInTheDocument()
  expect(gold.getByText('金卡专享')).toBeInTheDocument()
  expect(gold.getByText('限兑 1 次')).toBeInTheDocument()
  expect(gold.getByText('金卡会员及以上可兑')).toBeInTheDocument()
  expect(gold.getByText('会员')).toBeInTheDocument()
  expect(card('金卡专享·季度会员')).toHaveClass('mall-card--muted')

  const cup = within(card('限量保温杯'))
  expect(cup.getAllByText('已兑完')).toHaveLength(2) // the badge and the reason
  expect(cup.getByText('礼')).toBeInTheDocument()

  const bag = within(card('新年限定帆布袋'))
  expect(bag.getByText('即将开兑')).toBeInTheDocument()
  expect(bag.getByText('2026-12-01 10:00 开兑')).toBeInTheDocument()
})

it('a category tab filters the grid; 全部 shows everything again', async () => {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing())
  render(<Mall />)
  await screen.findByText('469')

  fireEvent.click(tab('精选好礼'))
  expect(screen.getByText('限量保温杯')).toBeInTheDocument()
  expect(screen.getByText('新年限定帆布袋')).toBeInTheDocument()
  expect(screen.queryByText('¥10无门槛券')).toBeNull()
  expect(tab('精选好礼')).toHaveClass('mall__tab--active')

  fireEvent.click(tab('全部'))
  expect(screen.getByText('¥10无门槛券')).toBeInTheDocument()
  expect(document.querySelectorAll('.mall-card')).toHaveLength(4)
  expect(listMallItems).toHaveBeenCalledTimes(1) // tabs filter on the device
})

it('a category without items, and a mall without any', async () => {
  jest.mocked(listMallItems).mockResolvedValueOnce(
    aMallListing({
      categories: [
        { code: 'coupons', name: '优惠券' },
        { code: 'vip', name: '专属' },
      ],
      items: [aMallItem()],
    }),
  )
  const { unmount } = render(<Mall />)
  await screen.findByText('469')
  fireEvent.click(tab('专属'))
  expect(screen.getByText('该分类暂无商品')).toBeInTheDocument()
  unmount()

  mallStore.setState(initial, true)
  jest.mocked(listMallItems).mockResolvedValueOnce(aMallListing({ items: [] }))
  render(<Mall />)
  expect(await screen.findByText('商城暂无商品，敬请期待')).toBeInTheDocument()
})

it('tapping a card opens the item; 我的兑换 opens the redemptions', async () => {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing())
  render(<Mall />)
  await screen.findByText('469')
  fireEvent.click(screen.getByText('限量保温杯'))
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/member/item/index?id=00000000-0000-4000-b000-000000000006' })
  fireEvent.click(screen.getByText('我的兑换 ›'))
  expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: '/member/redemptions/index' })
})

it('an item with a picture shows it instead of the tile', async () => {
  jest.mocked(listMallItems).mockResolvedValue(aMallListing({ items: [aMallItem({ image_urls: ['https://cdn.example.com/c.png'] })] }))
  const { container } = render(<Mall />)
  await screen.findByText('469')
  expect(container.querySelector('.item-image__img')).toHaveAttribute('src', 'https://cdn.example.com/c.png')
  expect(screen.queryByText('券')).toBeNull()
})

it('an error shows the message and 重试 recovers', async () => {
  jest.mocked(listMallItems).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(aMallListing())
  render(<Mall />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('469')).toBeInTheDocument()
})
