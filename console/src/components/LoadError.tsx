import { Alert, Button } from 'antd'

/** A failed load: the backend's message and 重试 (never a blank page). */
export function LoadError({ error, onRetry }: { error: string | null; onRetry: () => void }) {
  if (!error) return null
  return (
    <Alert
      type="error"
      showIcon
      title="加载失败"
      description={error}
      style={{ marginBottom: 16 }}
      action={
        <Button size="small" onClick={onRetry}>
          重试
        </Button>
      }
    />
  )
}
