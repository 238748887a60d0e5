import { fireEvent, render, screen } from '@testing-library/react'
import { Text } from '@tarojs/components'

import StateView from './index'

it('loading, unless data is already shown', () => {
  const { rerender } = render(
    <StateView status="loading">
      <Text>内容</Text>
    </StateView>,
  )
  expect(screen.getByText('加载中…')).toBeInTheDocument()
  rerender(
    <StateView status="loading" hasData>
      <Text>内容</Text>
    </StateView>,
  )
  expect(screen.getByText('内容')).toBeInTheDocument()
})

it('an error shows the Chinese message and 重试', () => {
  const retry = jest.fn()
  render(<StateView status="error" errorCode="network_error" onRetry={retry} />)
  expect(screen.getByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  fireEvent.click(screen.getByText('重试'))
  expect(retry).toHaveBeenCalled()
})

it('empty, or the content', () => {
  const { rerender } = render(
    <StateView status="ready" empty emptyText="还没有兑换记录">
      <Text>内容</Text>
    </StateView>,
  )
  expect(screen.getByText('还没有兑换记录')).toBeInTheDocument()
  rerender(
    <StateView status="ready">
      <Text>内容</Text>
    </StateView>,
  )
  expect(screen.getByText('内容')).toBeInTheDocument()
})
