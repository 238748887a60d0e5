/**
 * `@tarojs/taro` for jest (mapped in jest.config.js): Taro's H5 API implementations
 * (the named exports of @tarojs/taro-h5) on one mutable object, so tests can
 * `jest.spyOn(Taro, 'showToast')` and app code calling `Taro.showToast` or
 * `import { showToast } from '@tarojs/taro'` sees the spy; plus the React page hooks
 * (useLoad, useDidShow, …) attached the way @tarojs/taro's entry does it at build time.
 */
const React = require('react')
const ReactDOM = require('react-dom')
const h5 = require('@tarojs/taro-h5')
const { hooks } = require('@tarojs/runtime')
const reactRuntime = require('@tarojs/plugin-framework-react/dist/runtime')

const Taro = {}
for (const key of Object.keys(h5)) {
  if (key !== 'default' && key !== '__esModule') Taro[key] = h5[key]
}

// The runtime registered an `initNativeApi` hook that copies the React page hooks onto Taro.
hooks.call('initNativeApi', Taro)
// Give those hooks a React to use outside a real Taro app (what createReactApp does in the build).
reactRuntime.createH5NativeComponentConfig(null, React, ReactDOM)

// Marked as an ES module so babel's interop reads named imports from this very object (live),
// instead of copying them into a namespace object before a test can spy on them.
Object.defineProperty(Taro, '__esModule', { value: true })
Taro.default = Taro
module.exports = Taro
