import * as h5 from './ui'
import * as weapp from './ui.weapp'

it('the mini-program: the digit keypad, chooseAvatar, the share card, home for an unknown address, the WeChat service chat', () => {
  expect(weapp).toEqual({
    amountInputType: 'digit',
    avatarPicker: 'chooseAvatar',
    invitesByShareCard: true,
    hasNotFoundPage: false,
    contactsByWeChat: true,
    servicePhone: '',
  })
})

it('H5 (and the tests): a checked text field, the file picker for the avatar, the invite poster, the 404 page, the service phone', () => {
  expect(h5).toEqual({
    amountInputType: 'text',
    avatarPicker: 'file',
    invitesByShareCard: false,
    hasNotFoundPage: true,
    contactsByWeChat: false,
    servicePhone: '',
  })
})

it('both builds offer the same names', () => {
  expect(Object.keys(weapp).sort()).toEqual(Object.keys(h5).sort())
})
