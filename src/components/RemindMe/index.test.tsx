// H5 (and any build without the templates configured): no subscribe messages, so no 提醒我 anywhere and no modal
// after a redemption. The mini-program's moments are in moments.weapp.test.tsx.
import Taro from '@tarojs/taro'
import { act, render } from '@testing-library/react'

import { recordSubscribeConsent } from '../../services/messages'
import { askForReminders } from '../../stores/messages'
import RemindMe, { offerReminders } from './index'

jest.mock('../../services/messages')

beforeEach(() => {
  jest.resetAllMocks()
  jest.spyOn(Taro, 'showModal')
})
afterEach(() => jest.restoreAllMocks())

it('H5 shows no 提醒我', () => {
  const { container } = render(<RemindMe keys={['points_expiring']} text="积分过期前，通过微信通知提醒你" />)
  expect(container).toBeEmptyDOMElement()
})

it('H5 offers nothing after a redemption: no modal, resolved at once', async () => {
  await expect(offerReminders(['voucher_expiring', 'voucher_used'], '兑换成功', '…')).resolves.toBe(false)
  expect(Taro.showModal).not.toHaveBeenCalled()
})

it('H5 records nothing: nothing was asked', async () => {
  await act(async () => expect(await askForReminders(['points_expiring'])).toEqual({}))
  expect(recordSubscribeConsent).not.toHaveBeenCalled()
})
