/**
 * Every page's URL. The main package holds the four tab pages (首页 / 商城 / 会员码 / 我的: WeChat requires tab pages
 * there); the other member screens are a subpackage (`member/`), so the mini-program's main package stays small
 * (WeChat loads a subpackage when it is first opened).
 */
export const ROUTES = {
  home: '/pages/home/index',
  notFound: '/pages/not-found/index', // H5 only (?path=<the unknown address>); the mini-program goes home
  checkIn: '/member/checkin/index',
  tasks: '/member/tasks/index',
  mall: '/pages/mall/index', // tab 商城
  memberCode: '/pages/code/index', // tab 会员码
  me: '/pages/me/index', // tab 我的
  item: '/member/item/index', // ?id=<item id>
  redemptions: '/member/redemptions/index',
  history: '/member/history/index',
  invite: '/member/invite/index',
  profile: '/member/profile/index',
  purchases: '/member/purchases/index', // 我的消费
  tiers: '/member/tiers/index', // 会员等级
  rules: '/member/rules/index', // 积分规则
  messages: '/member/messages/index', // 消息中心
  // staff subpackage (`staff/`): shown to staff only
  staff: '/staff/home/index',
  staffAward: '/staff/award/index', // ?code=<member code>
  staffVerify: '/staff/verify/index', // ?code=<12-digit voucher>
  staffActions: '/staff/actions/index',
  // managers (`manager/` subpackage: the charts library loads only there)
  dashboard: '/manager/dashboard/index',
  managerStaff: '/manager/staff/index', // 店员管理
  managerMembers: '/manager/members/index', // 会员查询
  managerMember: '/manager/member/index', // ?id=<member id>
} as const

export type Route = (typeof ROUTES)[keyof typeof ROUTES]

/** The tab bar's pages, in its order (src/app.config.ts `tabBar`). */
export const TAB_ROUTES: readonly Route[] = [ROUTES.home, ROUTES.mall, ROUTES.memberCode, ROUTES.me]

/**
 * Whether a URL opens a tab page: those are reached with `switchTab` (WeChat refuses `navigateTo` to a tab page)
 * and take no query.
 */
export function isTabRoute(url: string): boolean {
  const path = url.split('?')[0]
  return (TAB_ROUTES as readonly string[]).includes(path)
}

/**
 * Where an address the app does not have goes (`onPageNotFound` in src/app.ts): on H5 the 404 page naming it;
 * in the mini-program (no 404 page in its main package; an outdated share card or QR code) home.
 */
export function notFoundTarget(hasNotFoundPage: boolean, path: string | null | undefined): string {
  if (!hasNotFoundPage) return ROUTES.home
  return `${ROUTES.notFound}?path=${encodeURIComponent(path ?? '')}`
}
