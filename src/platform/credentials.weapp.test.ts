import Taro from '@tarojs/taro'

import { signsInSilently, silentCredentials } from './credentials.weapp'
import { silentCredentials as h5Credentials } from './credentials'

afterEach(() => jest.restoreAllMocks())

it('the mini-program signs in with a fresh wx.login code, without asking', async () => {
  jest.spyOn(Taro, 'login').mockResolvedValue({ code: 'wx-code-1', errMsg: 'login:ok' })
  expect(signsInSilently).toBe(true)
  await expect(silentCredentials()).resolves.toEqual({ provider: 'wechat', code: 'wx-code-1' })
})

it('no code from wx.login: no credentials', async () => {
  jest.spyOn(Taro, 'login').mockResolvedValue({ code: '', errMsg: 'login:ok' })
  await expect(silentCredentials()).resolves.toBeNull()
})

it('H5 signs in again with the saved dev phone, or not at all', async () => {
  await expect(h5Credentials({ devPhone: '13800000001' })).resolves.toEqual({ provider: 'dev', phone: '13800000001' })
  await expect(h5Credentials({})).resolves.toBeNull()
  await expect(h5Credentials(null)).resolves.toBeNull()
})
