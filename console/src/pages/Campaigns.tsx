/**
 * 活动: campaigns (op_list_campaigns: running and scheduled first, what each paid against its budget), create /
 * edit (op_save_campaign; after saving, the campaigns it overlaps and the "highest multiplier wins" rule), end
 * early with a reason (op_end_campaign).
 */
import { PlusOutlined } from '@ant-design/icons'
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Progress,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { CheckboxGroupProps } from 'antd/es/checkbox'
import dayjs, { type Dayjs } from 'dayjs'
import { useState } from 'react'

import { programTimeZone } from '../../../src/domain/time'
import { operatorRpc, type OpResult, type Row } from '../api/ops'
import { FormProblem } from '../components/FormProblem'
import { LoadError } from '../components/LoadError'
import { errorText } from '../lib/errors'
import { CAMPAIGN_SOURCES, CAMPAIGN_STATE, dateTime, formatPoints, sourceLabel } from '../lib/format'
import { useLoad } from '../lib/useLoad'
import { isoToWall, wallToIso } from '../lib/zone'

/**
 * The sources' checkboxes without the aria-required that Form.Item adds to its control: a role="group" may not
 * carry it (axe-core's aria-allowed-attr, critical); the form still refuses an empty choice.
 */
function SourcesGroup({ 'aria-required': _required, ...props }: CheckboxGroupProps & { 'aria-required'?: unknown }) {
  return <Checkbox.Group aria-label="适用的积分来源" {...props} />
}

type Campaign = Row<'campaigns'>
type ListRow = { campaign: Campaign; state: string }

export function CampaignsPage() {
  const { message } = App.useApp()
  const list = useLoad(async () => (await operatorRpc('op_list_campaigns', { p_limit: 100 })) as ListRow[], [])
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null)
  const [ending, setEnding] = useState<Campaign | null>(null)
  const [saved, setSaved] = useState<OpResult<'op_save_campaign'> | null>(null)

  return (
    <div>
      <LoadError error={list.error} onRetry={() => void list.reload()} />
      <div className="console-toolbar">
        <Typography.Text type="secondary">
          同一笔积分只适用一个活动：时间和来源重叠时，倍数最高的活动生效（倍数相同取先开始的），直到它的每人上限或预算用完。
        </Typography.Text>
        <div style={{ flex: 1 }} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          新建活动
        </Button>
      </div>
      <Table<ListRow>
        rowKey={(r) => r.campaign.id}
        size="middle"
        loading={list.loading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 10, showTotal: (n) => `共 ${n} 个` }}
        columns={[
          { title: '活动', key: 'name', render: (_, r) => <Typography.Text strong>{r.campaign.name}</Typography.Text> },
          {
            title: '状态',
            dataIndex: 'state',
            width: 88,
            render: (s: string) => <Tag color={CAMPAIGN_STATE[s]?.color}>{CAMPAIGN_STATE[s]?.label ?? s}</Tag>,
          },
          {
            title: '时间',
            key: 'window',
            width: 190,
            render: (_, r) => (
              <span style={{ fontSize: 12 }}>
                {dateTime(r.campaign.starts_at)}
                <br />~ {dateTime(r.campaign.ends_at)}
              </span>
            ),
          },
          { title: '倍数', key: 'multiplier', width: 70, render: (_, r) => `×${Number(r.campaign.multiplier)}` },
          {
            title: '适用来源',
            key: 'sources',
            render: (_, r) => r.campaign.sources.map((s) => <Tag key={s}>{sourceLabel(s)}</Tag>),
          },
          {
            title: '每人上限',
            key: 'cap',
            width: 96,
            align: 'right',
            render: (_, r) => (r.campaign.member_cap_points == null ? '不限' : formatPoints(r.campaign.member_cap_points)),
          },
          {
            title: '已发放 / 预算',
            key: 'budget',
            width: 200,
            render: (_, r) =>
              r.campaign.budget_points == null ? (
                `${formatPoints(r.campaign.awarded_points)} / 不限`
              ) : (
                <div>
                  <div style={{ fontSize: 12 }}>
                    {formatPoints(r.campaign.awarded_points)} / {formatPoints(r.campaign.budget_points)}
                  </div>
                  <Progress
                    aria-label="预算已用"
                    size="small"
                    percent={Math.min(100, Math.round((r.campaign.awarded_points / r.campaign.budget_points) * 1000) / 10)}
                    status={r.campaign.awarded_points >= r.campaign.budget_points ? 'exception' : 'normal'}
                  />
                </div>
              ),
          },
          {
            title: '操作',
            key: 'actions',
            width: 140,
            render: (_, r) =>
              r.state === 'ended' ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Space size={4}>
                  <Button size="small" type="link" onClick={() => setEditing(r.campaign)}>
                    编辑
                  </Button>
                  <Button size="small" type="link" danger onClick={() => setEnding(r.campaign)}>
                    提前结束
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {editing && (
        <CampaignDrawer
          campaign={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(result) => {
            setEditing(null)
            setSaved(result)
            void list.reload()
            message.success(`已保存活动「${result.campaign?.name}」`)
          }}
        />
      )}
      {ending && (
        <EndModal
          campaign={ending}
          onClose={() => setEnding(null)}
          onEnded={(row) => {
            setEnding(null)
            void list.reload()
            message.success(`活动「${row.name}」已结束`)
          }}
        />
      )}
      {saved && <OverlapModal result={saved} onClose={() => setSaved(null)} />}
    </div>
  )
}

interface CampaignValues {
  name: string
  start_now: boolean
  window: [Dayjs | null, Dayjs | null]
  multiplier: number
  sources: string[]
  member_cap_points?: number | null
  budget_points?: number | null
}

function CampaignDrawer(props: { campaign: Campaign | null; onClose: () => void; onSaved: (r: OpResult<'op_save_campaign'>) => void }) {
  const { campaign } = props
  const started = !!campaign && dayjs(campaign.starts_at).isBefore(dayjs())
  const [form] = Form.useForm<CampaignValues>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const startNow = Form.useWatch('start_now', form)
  const initial: Partial<CampaignValues> = campaign
    ? {
        name: campaign.name,
        start_now: false,
        window: [isoToWall(campaign.starts_at), isoToWall(campaign.ends_at)],
        multiplier: Number(campaign.multiplier),
        sources: campaign.sources,
        member_cap_points: campaign.member_cap_points,
        budget_points: campaign.budget_points,
      }
    : {
        start_now: true,
        multiplier: 2,
        sources: ['check_in'],
        window: [null, isoToWall(new Date().toISOString()).add(7, 'day').endOf('day')],
      }

  const save = async (v: CampaignValues) => {
    const picked = v.window?.[0]
    const start =
      campaign && started
        ? campaign.starts_at
        : !campaign && v.start_now
          ? new Date().toISOString()
          : picked
            ? wallToIso(picked)
            : undefined
    const end = v.window?.[1] ? wallToIso(v.window[1]) : undefined
    if (!start || !end) return setProblem('请选择活动的开始和结束时间')
    setSaving(true)
    setProblem(null)
    try {
      props.onSaved(
        await operatorRpc('op_save_campaign', {
          p_campaign_id: campaign?.id,
          p_name: v.name,
          p_starts_at: start,
          p_ends_at: end,
          p_multiplier: v.multiplier,
          p_sources: v.sources,
          p_member_cap_points: v.member_cap_points ?? undefined,
          p_budget_points: v.budget_points ?? undefined,
        }),
      )
    } catch (e) {
      setProblem(errorText(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Drawer
      open
      size={520}
      title={campaign ? `编辑活动「${campaign.name}」` : '新建活动'}
      onClose={props.onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={props.onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            保存
          </Button>
        </Space>
      }
    >
      <Form<CampaignValues> form={form} layout="vertical" initialValues={initial} onFinish={save} requiredMark="optional">
        <FormProblem problem={problem} />
        <Form.Item label="活动名称" name="name" rules={[{ required: true, message: '请输入活动名称' }]}>
          <Input maxLength={40} showCount placeholder="如：周五会员日双倍积分" />
        </Form.Item>
        {!campaign && (
          <Form.Item name="start_now" valuePropName="checked">
            <Checkbox>立即开始</Checkbox>
          </Form.Item>
        )}
        <Form.Item
          label={`活动时间（${programTimeZone()} 时间${started ? '；已开始，开始时间不能修改' : ''}）`}
          name="window"
          rules={[{ required: true, message: '请选择活动时间' }]}
        >
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            disabled={[started || (!campaign && !!startNow), false]}
            allowEmpty={[!campaign && !!startNow, false]}
            placeholder={[!campaign && startNow ? '现在' : '开始时间', '结束时间']}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item label="积分倍数（大于 1，最多 10，两位小数）" name="multiplier" rules={[{ required: true, message: '请输入倍数' }]}>
          <InputNumber min={1.01} max={10} step={0.5} precision={2} style={{ width: 160 }} prefix="×" />
        </Form.Item>
        <Form.Item label="适用的积分来源" name="sources" rules={[{ required: true, message: '请选择积分来源' }]}>
          <SourcesGroup options={CAMPAIGN_SOURCES.map((s) => ({ value: s, label: sourceLabel(s) }))} />
        </Form.Item>
        <Space size={16} wrap>
          <Form.Item label="每人上限（加赠积分，不填：不限）" name="member_cap_points">
            <InputNumber min={1} precision={0} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item label="活动预算（加赠积分，不填：不限）" name="budget_points">
            <InputNumber min={1} precision={0} style={{ width: 200 }} />
          </Form.Item>
        </Space>
        <Alert
          type="info"
          showIcon
          title="活动重叠时"
          description="同一笔积分只用一个活动：时间和来源都重叠时，倍数最高的活动生效（倍数相同取先开始的），直到它的每人上限或预算用完。修改只对之后发放的积分生效，已发放的不变。"
        />
      </Form>
    </Drawer>
  )
}

function OverlapModal({ result, onClose }: { result: OpResult<'op_save_campaign'>; onClose: () => void }) {
  const overlapping = result.overlapping ?? []
  const mine = result.campaign
  return (
    <Modal
      open
      title={`已保存「${mine?.name}」`}
      onCancel={onClose}
      onOk={onClose}
      cancelButtonProps={{ style: { display: 'none' } }}
      okText="知道了"
    >
      {overlapping.length === 0 ? (
        <Typography.Paragraph>没有与它时间和来源重叠的活动。</Typography.Paragraph>
      ) : (
        <>
          <Typography.Paragraph>
            以下 {overlapping.length} 个活动与它在时间和积分来源上重叠（按倍数从高到低）。重叠期间，同一笔积分只用一个活动：
            <Typography.Text strong>倍数最高的生效</Typography.Text>（倍数相同取先开始的），直到它的上限或预算用完。
          </Typography.Paragraph>
          <List
            size="small"
            bordered
            dataSource={overlapping}
            renderItem={(c) => (
              <List.Item>
                <Space direction="vertical" size={0}>
                  <Typography.Text strong>
                    {c.name} ×{Number(c.multiplier)}
                    {mine && Number(c.multiplier) > Number(mine.multiplier) ? '（重叠时它优先）' : ''}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {dateTime(c.starts_at)} ~ {dateTime(c.ends_at)} · {c.sources.map(sourceLabel).join('、')}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
    </Modal>
  )
}

function EndModal(props: { campaign: Campaign; onClose: () => void; onEnded: (row: Campaign) => void }) {
  const [form] = Form.useForm<{ reason: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const end = async ({ reason }: { reason: string }) => {
    setSaving(true)
    setProblem(null)
    try {
      props.onEnded(await operatorRpc('op_end_campaign', { p_campaign_id: props.campaign.id, p_reason: reason }))
    } catch (e) {
      setProblem(errorText(e))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Modal
      open
      title={`提前结束「${props.campaign.name}」`}
      okText="确认结束"
      okButtonProps={{ danger: true }}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>活动将立即结束（未开始的不再开始）；已发放的加赠积分不变。</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={end}>
        <Form.Item label="原因" name="reason" rules={[{ required: true, message: '请填写原因' }]}>
          <Input maxLength={200} placeholder="如：预算调整" />
        </Form.Item>
      </Form>
      <FormProblem problem={problem} />
    </Modal>
  )
}
