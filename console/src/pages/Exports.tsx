/**
 * 导出: a date range (business days in the program's zone) and a kind → a CSV file, read page by page
 * (op_export_* with `Accept: text/csv`, src/services/exports.ts).
 */
import { DownloadOutlined } from '@ant-design/icons'
import { Alert, Button, Card, DatePicker, Form, Progress, Radio, Space, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useRef, useState } from 'react'

import { businessToday, programTimeZone } from '../../../src/domain/time'
import { downloadExport, EXPORT_KINDS, EXPORTS, type ExportKind } from '../api/exports'
import { FormProblem } from '../components/FormProblem'
import { errorText } from '../lib/errors'
import { formatPoints } from '../lib/format'

const HINTS: Record<ExportKind, string> = {
  ledger_entries: '每一笔积分变动（获得、消耗、过期、调整），含来源、活动、门店、批次到期时间',
  redemptions: '每一笔积分兑换，含商品、券状态、核销门店',
  purchases: '每一笔门店消费积分，含门店、店员、金额、倍数、撤销情况',
  liability: '每天的积分发放、消耗、过期与未兑付积分余额（负债）',
}

interface Values {
  kind: ExportKind
  range: [Dayjs, Dayjs]
}

export function ExportsPage() {
  const today = businessToday(Date.now())
  const [form] = Form.useForm<Values>()
  const [running, setRunning] = useState(false)
  const [rows, setRows] = useState(0)
  const [problem, setProblem] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const abort = useRef<AbortController | null>(null)

  const run = async (v: Values) => {
    const controller = new AbortController()
    abort.current = controller
    setRunning(true)
    setRows(0)
    setProblem(null)
    setDone(null)
    try {
      const range = { from: v.range[0].format('YYYY-MM-DD'), to: v.range[1].format('YYYY-MM-DD') }
      const result = await downloadExport(v.kind, range, { onProgress: setRows, signal: controller.signal })
      setDone(`已导出 ${formatPoints(result.rows)} 行：${result.fileName}`)
    } catch (e) {
      setProblem(controller.signal.aborted ? '已取消导出' : errorText(e))
    } finally {
      setRunning(false)
      abort.current = null
    }
  }

  return (
    <Card style={{ maxWidth: 760 }}>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={run}
        initialValues={{ kind: 'ledger_entries', range: [dayjs(today).startOf('month'), dayjs(today)] }}
      >
        <Form.Item label="导出内容" name="kind" rules={[{ required: true }]}>
          <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            {EXPORT_KINDS.map((kind) => (
              <Radio key={kind} value={kind}>
                <Typography.Text strong>{EXPORTS[kind].label}</Typography.Text>
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  {HINTS[kind]}
                </Typography.Text>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item label={`日期范围（营业日，${programTimeZone()}）`} name="range" rules={[{ required: true, message: '请选择日期范围' }]}>
          <DatePicker.RangePicker disabledDate={(d) => d.isAfter(dayjs(today), 'day')} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" icon={<DownloadOutlined />} loading={running}>
            导出 CSV
          </Button>
          {running && <Button onClick={() => abort.current?.abort()}>取消</Button>}
        </Space>
      </Form>
      {running && (
        <div style={{ marginTop: 16 }}>
          <Typography.Text>已读取 {formatPoints(rows)} 行…</Typography.Text>
          <Progress aria-label="正在导出" percent={100} status="active" showInfo={false} />
        </div>
      )}
      <div style={{ marginTop: 16 }}>
        <FormProblem problem={problem} />
        {done && <Alert type="success" showIcon title={done} />}
      </div>
    </Card>
  )
}
