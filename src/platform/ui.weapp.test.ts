import * as h5 from './ui'
import * as weapp from './ui.weapp'

it('the mini-program: the digit keypad, chooseAvatar, the share card, home for an unknown address', () => {
  expect(weapp).toEqual({ amountInputType: 'digit', avatarPicker: 'chooseAvatar', invitesByShareCard: true, hasNotFoundPage: false })
})

it('H5 (and the tests): a checked text field, the file picker for the avatar, the invite poster, the 404 page', () => {
  expect(h5).toEqual({ amountInputType: 'text', avatarPicker: 'file', invitesByShareCard: false, hasNotFoundPage: true })
})

it('both builds offer the same names', () => {
  expect(Object.keys(weapp).sort()).toEqual(Object.keys(h5).sort())
})
