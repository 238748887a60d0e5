import Taro from '@tarojs/taro'

import { brightenScreen } from './brightness.weapp'
import { brightenScreen as h5BrightenScreen } from './brightness'

afterEach(() => jest.restoreAllMocks())

function mockBrightness(initial: number) {
  let value = initial
  ;(Taro as any).getScreenBrightness ??= () => undefined
  ;(Taro as any).setScreenBrightness ??= () => undefined
  const get = jest.spyOn(Taro, 'getScreenBrightness').mockImplementation(async () => ({ value, errMsg: 'ok' }) as any)
  const set = jest.spyOn(Taro, 'setScreenBrightness').mockImplementation(async (o: any) => {
    value = o.value
    return { errMsg: 'ok' } as any
  })
  return { get, set, value: () => value }
}

it('the mini-program: full brightness while the code shows, the previous value back after', async () => {
  const b = mockBrightness(0.35)
  const restore = await brightenScreen()
  expect(b.value()).toBe(1)
  await restore()
  expect(b.value()).toBe(0.35)
  expect(b.set.mock.calls.map((c) => (c[0] as any).value)).toEqual([1, 0.35])
})

it('a refused API leaves the screen as it is and restoring does nothing', async () => {
  const b = mockBrightness(0.5)
  b.get.mockRejectedValueOnce({ errMsg: 'getScreenBrightness:fail' })
  const restore = await brightenScreen()
  await restore()
  expect(b.set).not.toHaveBeenCalled()
})

it('H5 has no brightness API: nothing happens', async () => {
  const b = mockBrightness(0.5)
  await (
    await h5BrightenScreen()
  )()
  expect(b.set).not.toHaveBeenCalled()
})
