import Taro from '@tarojs/taro'

import { canAskForReminders, requestSubscribe, templateIds } from './subscribe.weapp'
import { canAskForReminders as h5CanAsk, requestSubscribe as h5RequestSubscribe } from './subscribe'

const ENV = {
  TARO_APP_WX_TEMPLATE_POINTS_EXPIRING: 'tpl-points',
  TARO_APP_WX_TEMPLATE_VOUCHER_EXPIRING: ' tpl-voucher-exp ',
  TARO_APP_WX_TEMPLATE_VOUCHER_USED: 'tpl-voucher-used',
  TARO_APP_WX_TEMPLATE_TIER_CHANGED: 'tpl-tier',
  TARO_APP_WX_TEMPLATE_CHECK_IN_REMINDER: '',
}
const saved = Object.fromEntries(Object.keys(ENV).map((k) => [k, process.env[k]]))

let request: jest.SpyInstance
beforeEach(() => {
  Object.assign(process.env, ENV)
  ;(Taro as any).requestSubscribeMessage ??= () => undefined
  request = jest.spyOn(Taro, 'requestSubscribeMessage')
  jest.spyOn(console, 'warn').mockImplementation(() => undefined)
})
afterEach(() => {
  jest.restoreAllMocks()
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
})

/** WeChat's answer: errMsg plus one field per template id. */
function answers(byId: Record<string, string>) {
  request.mockImplementation(async () => ({ errMsg: 'requestSubscribeMessage:ok', ...byId }))
}

it('reads the template ids from the build configuration, trimmed; an empty one is left out', () => {
  expect(templateIds()).toEqual({
    points_expiring: 'tpl-points',
    voucher_expiring: 'tpl-voucher-exp',
    voucher_used: 'tpl-voucher-used',
    tier_changed: 'tpl-tier',
  })
  expect(canAskForReminders(['check_in_reminder'])).toBe(false)
  expect(canAskForReminders(['check_in_reminder', 'points_expiring'])).toBe(true)
})

it('asks for the configured templates and maps each answer back to its key', async () => {
  answers({ 'tpl-voucher-exp': 'accept', 'tpl-voucher-used': 'reject' })
  await expect(requestSubscribe(['voucher_expiring', 'voucher_used'])).resolves.toEqual({
    voucher_expiring: 'accept',
    voucher_used: 'reject',
  })
  expect(request).toHaveBeenCalledTimes(1)
  expect(request.mock.calls[0][0]).toEqual({ tmplIds: ['tpl-voucher-exp', 'tpl-voucher-used'] })
})

it('calls WeChat synchronously, in the tap that asked (before any await)', () => {
  answers({})
  void requestSubscribe(['points_expiring'])
  expect(request).toHaveBeenCalledTimes(1)
})

it('a key without a template id is skipped; nothing configured asks nothing', async () => {
  answers({ 'tpl-points': 'accept' })
  await expect(requestSubscribe(['check_in_reminder', 'points_expiring'])).resolves.toEqual({ points_expiring: 'accept' })
  expect(request.mock.calls[0][0]).toEqual({ tmplIds: ['tpl-points'] })

  request.mockClear()
  await expect(requestSubscribe(['check_in_reminder'])).resolves.toEqual({})
  expect(request).not.toHaveBeenCalled()
})

it('at most 3 template ids in one call (WeChat’s limit)', async () => {
  process.env.TARO_APP_WX_TEMPLATE_CHECK_IN_REMINDER = 'tpl-checkin'
  answers({ 'tpl-points': 'accept', 'tpl-voucher-exp': 'ban', 'tpl-voucher-used': 'filter', 'tpl-tier': 'accept' })
  const results = await requestSubscribe(['points_expiring', 'voucher_expiring', 'voucher_used', 'tier_changed', 'check_in_reminder'])
  expect(request.mock.calls[0][0]).toEqual({ tmplIds: ['tpl-points', 'tpl-voucher-exp', 'tpl-voucher-used'] })
  expect(results).toEqual({ points_expiring: 'accept', voucher_expiring: 'ban', voucher_used: 'filter' })
})

it('two keys sharing one template id: asked once, both keys get the answer', async () => {
  process.env.TARO_APP_WX_TEMPLATE_CHECK_IN_REMINDER = 'tpl-points'
  answers({ 'tpl-points': 'accept' })
  await expect(requestSubscribe(['check_in_reminder', 'points_expiring'])).resolves.toEqual({
    check_in_reminder: 'accept',
    points_expiring: 'accept',
  })
  expect(request.mock.calls[0][0]).toEqual({ tmplIds: ['tpl-points'] })
})

it('a failed call (subscriptions switched off, not from a tap) answers nothing and does not throw', async () => {
  request.mockRejectedValue({ errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.', errCode: 20001 })
  await expect(requestSubscribe(['points_expiring'])).resolves.toEqual({})
  expect(console.warn).toHaveBeenCalled()
})

it('answers that are not a known result are left out', async () => {
  answers({ 'tpl-points': 'maybe' })
  await expect(requestSubscribe(['points_expiring'])).resolves.toEqual({})
})

it('H5 has no subscribe messages: nothing to ask, {} at once, WeChat never called', async () => {
  expect(h5CanAsk(['points_expiring', 'voucher_used'])).toBe(false)
  await expect(h5RequestSubscribe(['points_expiring'])).resolves.toEqual({})
  expect(request).not.toHaveBeenCalled()
})
