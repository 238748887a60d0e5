// the window colours come from the theme (src/styles/colors.ts: the build's THEME_COLORS constant)
import { COLORS } from './styles/colors'

export default defineAppConfig({
  // H5 shows unknown addresses a 404 page (src/app.ts); the mini-program goes home instead, so its main
  // package does not carry the page
  pages: process.env.TARO_ENV === 'h5' ? ['pages/home/index', 'pages/not-found/index'] : ['pages/home/index'],
  // secondary screens load on first use (keeps the main package small; see src/routes.ts)
  subPackages: [
    {
      root: 'member',
      pages: [
        'checkin/index',
        'tasks/index',
        'mall/index',
        'item/index',
        'redemptions/index',
        'history/index',
        'invite/index',
        'code/index',
        'profile/index',
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
