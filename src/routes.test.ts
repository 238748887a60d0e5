import { notFoundTarget, ROUTES } from './routes'

it('an unknown address: the 404 page naming it on H5, home in the mini-program', () => {
  expect(notFoundTarget(true, '/member/nope/index')).toBe('/pages/not-found/index?path=%2Fmember%2Fnope%2Findex')
  expect(notFoundTarget(true, undefined)).toBe('/pages/not-found/index?path=')
  expect(notFoundTarget(false, '/member/nope/index')).toBe(ROUTES.home)
})

it('every route is a page of src/app.config.ts (main package or a subpackage)', () => {
  const g = globalThis as { defineAppConfig?: <T>(config: T) => T }
  g.defineAppConfig = (config) => config
  try {
    const config = jest.requireActual<{ default: { pages: string[]; subPackages: { root: string; pages: string[] }[] } }>(
      './app.config',
    ).default
    const pages = new Set(
      [...config.pages, ...config.subPackages.flatMap((p) => p.pages.map((page) => `${p.root}/${page}`))].map((p) => `/${p}`),
    )
    // the 404 page is H5's only (tests run as H5)
    expect(Object.values(ROUTES).filter((route) => !pages.has(route))).toEqual([])
    expect([ROUTES.managerStaff, ROUTES.managerMembers, ROUTES.managerMember].every((r) => r.startsWith('/manager/'))).toBe(true)
  } finally {
    delete g.defineAppConfig
  }
})
