import Taro, { usePageNotFound } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'

import { hasNotFoundPage } from './platform/ui'
// H5: home in the initial bundle (the first screen without a second round trip); nothing in the mini-program
import './platform/eager'
import { notFoundTarget, ROUTES } from './routes'

import './app.scss'

function App({ children }: PropsWithChildren) {
  // an address the app does not have: H5 shows the 404 page (with the way home) in its place; the
  // mini-program (an outdated share card or QR code) opens home
  usePageNotFound((res) => {
    const target = notFoundTarget(hasNotFoundPage, res.path)
    if (target === ROUTES.home) void Taro.reLaunch({ url: ROUTES.home })
    else void Taro.redirectTo({ url: target })
  })
  // children is the page being rendered
  return children
}

export default App
