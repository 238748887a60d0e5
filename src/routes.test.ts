import { notFoundTarget, ROUTES } from './routes'

it('an unknown address: the 404 page naming it on H5, home in the mini-program', () => {
  expect(notFoundTarget('h5', '/member/nope/index')).toBe('/pages/not-found/index?path=%2Fmember%2Fnope%2Findex')
  expect(notFoundTarget('h5', undefined)).toBe('/pages/not-found/index?path=')
  expect(notFoundTarget('weapp', '/member/nope/index')).toBe(ROUTES.home)
})
