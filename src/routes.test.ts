import { notFoundTarget, ROUTES } from './routes'

it('an unknown address: the 404 page naming it on H5, home in the mini-program', () => {
  expect(notFoundTarget(true, '/member/nope/index')).toBe('/pages/not-found/index?path=%2Fmember%2Fnope%2Findex')
  expect(notFoundTarget(true, undefined)).toBe('/pages/not-found/index?path=')
  expect(notFoundTarget(false, '/member/nope/index')).toBe(ROUTES.home)
})
