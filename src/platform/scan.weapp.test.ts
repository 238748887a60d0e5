import Taro from '@tarojs/taro'

import { scanCode } from './scan.weapp'
import { scanCode as h5ScanCode } from './scan'

afterEach(() => jest.restoreAllMocks())

it('the mini-program scans with the camera only, and answers the text', async () => {
  const scan = jest.spyOn(Taro, 'scanCode').mockResolvedValue({ result: '123456789012', errMsg: 'scanCode:ok' } as any)
  await expect(scanCode()).resolves.toBe('123456789012')
  expect(scan).toHaveBeenCalledWith({ onlyFromCamera: true, scanType: ['barCode', 'qrCode'] })
})

it('a cancelled scan is null; any other failure is camera_unavailable', async () => {
  jest.spyOn(Taro, 'scanCode').mockRejectedValueOnce({ errMsg: 'scanCode:fail cancel' })
  await expect(scanCode()).resolves.toBeNull()
  jest.spyOn(Taro, 'scanCode').mockRejectedValueOnce({ errMsg: 'scanCode:fail auth deny' })
  await expect(scanCode()).rejects.toMatchObject({ code: 'camera_unavailable' })
})

it('H5 without a camera API (an http page, an old browser) is camera_unavailable', async () => {
  // jsdom, like a page served over plain http, has no navigator.mediaDevices
  await expect(h5ScanCode()).rejects.toMatchObject({ code: 'camera_unavailable' })
})
