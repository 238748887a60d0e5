import Taro from '@tarojs/taro'
import { fireEvent, render, screen } from '@testing-library/react'

import NotFound from './index'

afterEach(() => jest.restoreAllMocks())

it('says the page does not exist, names the address, and goes home', () => {
  jest
    .spyOn(Taro, 'useRouter')
    .mockReturnValue({ params: { path: encodeURIComponent('/member/nope/index') }, path: '/pages/not-found/index' } as any)
  jest.spyOn(Taro, 'reLaunch').mockResolvedValue({ errMsg: 'reLaunch:ok' })
  render(<NotFound />)
  expect(screen.getByText('页面不存在')).toBeInTheDocument()
  expect(screen.getByText('链接可能有误或已失效：/member/nope/index')).toBeInTheDocument()
  fireEvent.click(screen.getByText('返回首页'))
  expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' })
})
