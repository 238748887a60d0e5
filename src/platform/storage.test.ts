import Taro from '@tarojs/taro'

import * as h5 from './storage'
import * as weapp from './storage.weapp'

afterEach(() => localStorage.clear())

it.each([
  ['H5 (localStorage)', h5],
  ['mini-program (Taro storage)', weapp],
])('%s: set, get, remove', (_, storage) => {
  expect(storage.getItem('k')).toBeNull()
  storage.setItem('k', '{"a":1}')
  expect(storage.getItem('k')).toBe('{"a":1}')
  storage.removeItem('k')
  expect(storage.getItem('k')).toBeNull()
})

it('the mini-program storage goes through Taro', () => {
  const spy = jest.spyOn(Taro, 'setStorageSync')
  weapp.setItem('x', 'y')
  expect(spy).toHaveBeenCalledWith('x', 'y')
  spy.mockRestore()
})
