import * as h5 from './a11y'
import * as weapp from './a11y.weapp'

it('H5: a tappable element is a focusable button with its name and state', () => {
  expect(h5.tapTargetProps({ label: '上月' })).toEqual({ role: 'button', tabIndex: 0, 'aria-label': '上月' })
  expect(h5.tapTargetProps({ disabled: true, busy: true })).toMatchObject({
    role: 'button',
    tabIndex: -1,
    'aria-disabled': 'true',
    'aria-busy': 'true',
  })
  expect(h5.tapTargetProps({ pressed: false })['aria-pressed']).toBe('false')
  expect(h5.activatesByKeyboard).toBe(true)
  expect(h5.imageAltProps('头像')).toEqual({ nativeProps: { alt: '头像' } })
})

it('the mini-program: nothing (its templates drop role and aria-*), no keyboard', () => {
  expect(weapp.tapTargetProps({ label: '上月', disabled: true })).toEqual({})
  expect(weapp.activatesByKeyboard).toBe(false)
  expect(weapp.imageAltProps('头像')).toEqual({})
})

it('both builds offer the same names', () => {
  expect(Object.keys(weapp).sort()).toEqual(Object.keys(h5).sort())
})
