import { Button, Result } from 'antd'
import { Component, type ReactNode } from 'react'

/** A screen that throws while rendering shows this, with 重新加载, instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  static getDerivedStateFromError(error: Error) {
    return { error }
  }

  state = { error: null as Error | null }

  render() {
    if (!this.state.error) return this.props.children
    return (
      <Result
        status="error"
        title="页面出错了"
        subTitle={this.state.error.message}
        extra={
          <Button type="primary" onClick={() => window.location.reload()}>
            重新加载
          </Button>
        }
      />
    )
  }
}
