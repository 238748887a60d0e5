/**
 * Every page's URL. The main package holds only home; member screens are a subpackage (`member/`), so
 * the mini-program's main package stays small (WeChat loads a subpackage when it is first opened).
 */
export const ROUTES = {
  home: '/pages/home/index',
  checkIn: '/member/checkin/index',
  tasks: '/member/tasks/index',
  mall: '/member/mall/index',
  item: '/member/item/index', // ?id=<item id>
  redemptions: '/member/redemptions/index',
  history: '/member/history/index',
  invite: '/member/invite/index',
  memberCode: '/member/code/index',
  profile: '/member/profile/index',
  dashboard: '/manager/dashboard/index',
} as const

export type Route = (typeof ROUTES)[keyof typeof ROUTES]
