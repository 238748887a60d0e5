import Taro from '@tarojs/taro'

import { saveImage } from './poster.weapp'
import * as h5 from './poster'
import * as weapp from './poster.weapp'

afterEach(() => jest.restoreAllMocks())

const SCOPE = 'scope.writePhotosAlbum'

/** WeChat's permission answers: the current setting, the prompt, the dialog, the settings page. */
function stub(opts: { setting?: boolean; authorize?: 'ok' | 'deny'; confirm?: boolean; afterSetting?: boolean; save?: 'ok' | string }) {
  const calls: string[] = []
  jest.spyOn(Taro, 'getSetting').mockImplementation((() => {
    calls.push('getSetting')
    return Promise.resolve({ authSetting: opts.setting === undefined ? {} : { [SCOPE]: opts.setting }, errMsg: 'getSetting:ok' })
  }) as any)
  jest.spyOn(Taro, 'authorize').mockImplementation(((o: { scope: string }) => {
    calls.push(`authorize ${o.scope}`)
    return opts.authorize === 'deny' ? Promise.reject({ errMsg: 'authorize:fail auth deny' }) : Promise.resolve({ errMsg: 'authorize:ok' })
  }) as any)
  jest.spyOn(Taro, 'showModal').mockImplementation(((o: { title: string; confirmText: string }) => {
    calls.push(`showModal ${o.title} / ${o.confirmText}`)
    return Promise.resolve({ confirm: !!opts.confirm, cancel: !opts.confirm, errMsg: 'showModal:ok' })
  }) as any)
  jest.spyOn(Taro, 'openSetting').mockImplementation((() => {
    calls.push('openSetting')
    return Promise.resolve({ authSetting: { [SCOPE]: !!opts.afterSetting }, errMsg: 'openSetting:ok' })
  }) as any)
  jest.spyOn(Taro, 'saveImageToPhotosAlbum').mockImplementation(((o: { filePath: string }) => {
    calls.push(`save ${o.filePath}`)
    return !opts.save || opts.save === 'ok'
      ? Promise.resolve({ errMsg: 'saveImageToPhotosAlbum:ok' })
      : Promise.reject({ errMsg: opts.save })
  }) as any)
  return calls
}

it('granted before: saved at once', async () => {
  const calls = stub({ setting: true })
  await expect(saveImage('wxfile://tmp/p.png', 'x.png')).resolves.toBe('saved')
  expect(calls).toEqual(['getSetting', 'save wxfile://tmp/p.png'])
})

it('never asked: WeChat asks; allowed → saved, refused → denied (nothing saved)', async () => {
  let calls = stub({ authorize: 'ok' })
  await expect(saveImage('wxfile://tmp/p.png', 'x.png')).resolves.toBe('saved')
  expect(calls).toEqual(['getSetting', `authorize ${SCOPE}`, 'save wxfile://tmp/p.png'])
  jest.restoreAllMocks()
  calls = stub({ authorize: 'deny' })
  await expect(saveImage('wxfile://tmp/p.png', 'x.png')).resolves.toBe('denied')
  expect(calls).toEqual(['getSetting', `authorize ${SCOPE}`])
})

it('refused earlier: a dialog leads to the settings; switched on there → saved', async () => {
  const calls = stub({ setting: false, confirm: true, afterSetting: true })
  await expect(saveImage('wxfile://tmp/p.png', 'x.png')).resolves.toBe('saved')
  expect(calls).toEqual(['getSetting', 'showModal 需要相册权限 / 去设置', 'openSetting', 'save wxfile://tmp/p.png'])
})

it('refused earlier: left off in the settings → denied', async () => {
  const calls = stub({ setting: false, confirm: true, afterSetting: false })
  await expect(saveImage('wxfile://tmp/p.png', 'x.png')).resolves.toBe('denied')
  expect(calls).toEqual(['getSetting', 'showModal 需要相册权限 / 去设置', 'openSetting'])
})

it('refused earlier and the dialog cancelled → cancelled, no settings page', async () => {
  const calls = stub({ setting: false, confirm: false })
  await expect(saveImage('wxfile://tmp/p.png', 'x.png')).resolves.toBe('cancelled')
  expect(calls).toEqual(['getSetting', 'showModal 需要相册权限 / 去设置'])
})

it('the save itself: cancelled by the member, refused, or another failure', async () => {
  stub({ setting: true, save: 'saveImageToPhotosAlbum:fail cancel' })
  await expect(saveImage('p', 'x.png')).resolves.toBe('cancelled')
  jest.restoreAllMocks()
  stub({ setting: true, save: 'saveImageToPhotosAlbum:fail auth deny' })
  await expect(saveImage('p', 'x.png')).resolves.toBe('denied')
  jest.restoreAllMocks()
  stub({ setting: true, save: 'saveImageToPhotosAlbum:fail file not found' })
  await expect(saveImage('p', 'x.png')).rejects.toMatchObject({ errMsg: 'saveImageToPhotosAlbum:fail file not found' })
})

it('the platforms side by side: code, labels, image or canvas', () => {
  expect([weapp.posterCode, weapp.saveImageLabel, weapp.showsPosterAsImage]).toEqual(['wxacode', '保存到相册', false])
  expect([h5.posterCode, h5.saveImageLabel, h5.showsPosterAsImage]).toEqual(['qr', '下载海报', true])
  expect(weapp.posterCodeHint).toBe('长按识别小程序码，加入会员')
})

it('H5: the PNG is downloaded through an <a download>', async () => {
  const clicked: { href: string; download: string; attached: boolean }[] = []
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download, attached: document.body.contains(this) })
  })
  await expect(h5.saveImage('data:image/png;base64,UE5H', '邀请海报-ABCD2345.png')).resolves.toBe('saved')
  expect(clicked).toEqual([{ href: 'data:image/png;base64,UE5H', download: '邀请海报-ABCD2345.png', attached: true }])
  expect(document.querySelector('a')).toBeNull()
})
