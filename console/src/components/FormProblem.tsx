import { Alert } from 'antd'

/** Why a write was refused: the backend's message (nothing was changed). */
export function FormProblem({ problem }: { problem: string | null }) {
  if (!problem) return null
  return <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} role="alert" />
}
