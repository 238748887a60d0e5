import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import { useState } from 'react'

import { checkPhoneInput, type Session } from '../../../src/domain/session'
import { signIn } from '../../../src/services/session'
import { errorText } from '../lib/errors'

/**
 * Sign-in with a phone through the `auth` Edge Function's dev provider (the local stack, AUTH_DEV_LOGIN=true).
 * Production needs a provider a desktop browser can use (docs/operators.md, "Console": sign-in).
 */
export function LoginPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)

  const submit = async ({ phone }: { phone: string }) => {
    const checked = checkPhoneInput(phone)
    if ('problem' in checked) return setProblem(checked.problem)
    setBusy(true)
    setProblem(null)
    try {
      onSignedIn(await signIn({ provider: 'dev', phone: checked.phone }))
    } catch (e) {
      setProblem(errorText(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="console-center">
      <Card className="console-login" title="积分会员 · 运营后台">
        <Typography.Paragraph type="secondary">总部运营人员使用手机号登录（本地开发环境）。</Typography.Paragraph>
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label="手机号" name="phone" rules={[{ required: true, message: '请输入手机号' }]}>
            <Input placeholder="请输入手机号" maxLength={16} autoFocus />
          </Form.Item>
          {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} />}
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  )
}
