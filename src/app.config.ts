// the window colours come from the theme (src/styles/colors.ts: the build's THEME_COLORS constant)
import { COLORS } from './styles/colors'

/** A three-digit hex colour written out in six digits: WeChat's app.json takes six-digit colours only. */
const hex6 = (c: string) => (/^#[0-9a-f]{3}$/i.test(c) ? '#' + [...c.slice(1)].map((d) => d + d).join('') : c)

// the tab pages (WeChat keeps them in the main package); src/routes.ts TAB_ROUTES in the same order
const TAB_PAGES = ['pages/home/index', 'pages/mall/index', 'pages/code/index', 'pages/me/index']

export default defineAppConfig({
  // H5 shows unknown addresses a 404 page (src/app.ts); the mini-program goes home instead, so its main
  // package does not carry the page
  pages: process.env.TARO_ENV === 'h5' ? [...TAB_PAGES, 'pages/not-found/index'] : TAB_PAGES,
  // secondary screens load on first use (keeps the main package small; see src/routes.ts)
  subPackages: [
    {
      root: 'member',
      pages: [
        'checkin/index',
        'tasks/index',
        'item/index',
        'redemptions/index',
        'history/index',
        'invite/index',
        'profile/index',
        'purchases/index',
        'tiers/index',
        'rules/index',
        'messages/index',
      ],
    },
    {
      root: 'staff',
      pages: ['home/index', 'award/index', 'verify/index', 'actions/index'],
    },
    // manager screens (the F2 charts library lives here only)
    { root: 'manager', pages: ['dashboard/index', 'staff/index', 'members/index', 'member/index'] },
  ],
  // 首页 / 商城 / 会员码 / 我的 on both platforms (H5: Taro's own tab bar). Text-only tabs (WeChat allows them; no
  // icon files in the main package); the colours keep 4.5:1 contrast on the bar's white.
  tabBar: {
    color: hex6(COLORS.textSecondary),
    selectedColor: hex6(COLORS.brand),
    backgroundColor: hex6(COLORS.surface),
    borderStyle: 'black',
    list: [
      { pagePath: TAB_PAGES[0], text: '首页' },
      { pagePath: TAB_PAGES[1], text: '商城' },
      { pagePath: TAB_PAGES[2], text: '会员码' },
      { pagePath: TAB_PAGES[3], text: '我的' },
    ],
  },
  // inject only the components a page renders (WeChat's 按需注入; miniprogram-ci's code-quality advisory)
  lazyCodeLoading: 'requiredComponents',
  // dist/weapp/sitemap.json, copied from src/sitemap.json (config/index.ts copy)
  sitemapLocation: 'sitemap.json',
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: COLORS.brand,
    navigationBarTitleText: '积分会员',
    navigationBarTextStyle: 'white',
    backgroundColor: COLORS.bg,
  },
})
