import Taro from '@tarojs/taro'

import { openRoute } from './navigation'
import { isTabRoute, ROUTES, TAB_ROUTES } from './routes'

beforeEach(() => {
  jest.spyOn(Taro, 'navigateTo').mockResolvedValue({ errMsg: 'navigateTo:ok' })
  jest.spyOn(Taro, 'switchTab').mockResolvedValue({ errMsg: 'switchTab:ok' })
})
afterEach(() => jest.restoreAllMocks())

it('the four tabs, in the tab bar order of app.config.ts', () => {
  expect(TAB_ROUTES).toEqual(['/pages/home/index', '/pages/mall/index', '/pages/code/index', '/pages/me/index'])
  const g = globalThis as { defineAppConfig?: <T>(config: T) => T }
  g.defineAppConfig = (config) => config
  try {
    const config = jest.requireActual<{ default: { pages: string[]; tabBar: { list: { pagePath: string; text: string }[] } } }>(
      './app.config',
    ).default
    expect(config.tabBar.list.map((t) => [`/${t.pagePath}`, t.text])).toEqual([
      [ROUTES.home, '首页'],
      [ROUTES.mall, '商城'],
      [ROUTES.memberCode, '会员码'],
      [ROUTES.me, '我的'],
    ])
    // tab pages live in the main package
    expect(TAB_ROUTES.every((r) => config.pages.includes(r.slice(1)))).toBe(true)
  } finally {
    delete g.defineAppConfig
  }
})

it('a tab page opens with switchTab (no query), any other page with navigateTo', () => {
  expect(isTabRoute('/pages/mall/index?x=1')).toBe(true)
  expect(isTabRoute(ROUTES.item)).toBe(false)
  openRoute(ROUTES.mall)
  expect(Taro.switchTab).toHaveBeenCalledWith({ url: '/pages/mall/index' })
  openRoute(`${ROUTES.item}?id=1`)
  expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/member/item/index?id=1' })
})
