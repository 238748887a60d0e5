/**
 * 会员服务 (客服): find a member (op_find_members), everything about their points (op_member_detail) in tabs,
 * 积分调整 (op_adjust_points: above the approval threshold it waits for a second operator), and 待审批
 * (op_list_adjustments pending; op_decide_adjustment — the requester's own requests are not approvable).
 */
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd'
import { useState } from 'react'

import { redemptionStatusLabel } from '../../../src/domain/mall'
import { currentSession } from '../../../src/services/session'
import { operatorRpc, readTable, type OpResult, type Row } from '../api/ops'
import { FormProblem } from '../components/FormProblem'
import { LoadError } from '../components/LoadError'
import { errorText, textOfCode } from '../lib/errors'
import {
  ADJUSTMENT_REASONS,
  ADJUSTMENT_STATUS,
  adjustmentReasonLabel,
  dateTime,
  fenToYuan,
  formatPoints,
  signedPoints,
  sourceLabel,
} from '../lib/format'
import { useLoad } from '../lib/useLoad'
import { useMemberNames, type MemberNames } from '../lib/useMemberNames'

type Match = OpResult<'op_find_members'>[number]
type Detail = OpResult<'op_member_detail'>
type Adjustment = Row<'point_adjustments'>

export function MembersPage() {
  const [tab, setTab] = useState('find')
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      destroyOnHidden
      items={[
        { key: 'find', label: '查找会员', children: <FindMembers /> },
        { key: 'pending', label: '待审批调整', children: <PendingAdjustments /> },
      ]}
    />
  )
}

/** Tier code → name ('gold' → '金卡会员'). */
function useTierName(): (code: string | null | undefined) => string {
  const tiers = useLoad(() => readTable('tiers', 'rank'), [])
  return (code) => (code ? (tiers.data?.find((t) => t.code === code)?.name ?? code) : '—')
}

function FindMembers() {
  const tierName = useTierName()
  const [query, setQuery] = useState('')
  const [matches, setMatches] = useState<Match[] | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [searching, setSearching] = useState(false)
  const [open, setOpen] = useState<string | null>(null)

  const search = async (text: string) => {
    setQuery(text)
    if (!text.trim()) return
    setSearching(true)
    setProblem(null)
    try {
      const found = await operatorRpc('op_find_members', { p_query: text.trim() })
      setMatches(found)
      if (found.length === 1 && found[0].id) setOpen(found[0].id)
    } catch (e) {
      setProblem(errorText(e))
      setMatches(null)
    } finally {
      setSearching(false)
    }
  }

  return (
    <div>
      <div className="console-toolbar">
        <Input.Search
          placeholder="手机号（11位或后4位）、会员码 M1.… 或会员编号"
          enterButton="查找"
          style={{ width: 480 }}
          loading={searching}
          onSearch={(text) => void search(text)}
        />
        {query && matches && <Typography.Text type="secondary">找到 {matches.length} 位会员</Typography.Text>}
      </div>
      <FormProblem problem={problem} />
      <Table<Match>
        rowKey={(m) => m.id ?? ''}
        size="middle"
        dataSource={matches ?? []}
        locale={{ emptyText: <Empty description={matches ? '没有找到会员' : '输入手机号、会员码或会员编号查找'} /> }}
        pagination={{ pageSize: 10 }}
        onRow={(m) => ({ onClick: () => m.id && setOpen(m.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '昵称', dataIndex: 'nickname' },
          { title: '手机号', dataIndex: 'phone', render: (p: string | null) => p ?? '未绑定' },
          { title: '等级', dataIndex: 'tier_code', render: tierName },
          { title: '积分余额', dataIndex: 'balance_points', align: 'right', render: (n: number) => formatPoints(n ?? 0) },
          { title: '注册时间', dataIndex: 'created_at', render: dateTime },
          {
            title: '会员编号',
            dataIndex: 'id',
            render: (id: string) => <Typography.Text copyable={{ text: id }}>{id.slice(0, 8)}…</Typography.Text>,
          },
        ]}
      />
      {open && <MemberDrawer memberId={open} onClose={() => setOpen(null)} />}
    </div>
  )
}

function MemberDrawer({ memberId, onClose }: { memberId: string; onClose: () => void }) {
  const detail = useLoad(() => operatorRpc('op_member_detail', { p_member_id: memberId }), [memberId])
  const [adjusting, setAdjusting] = useState(false)
  const d = detail.data
  const m = d?.member
  return (
    <Drawer
      open
      size={960}
      title={m ? `会员：${m.nickname}` : '会员详情'}
      onClose={onClose}
      extra={
        <Button type="primary" disabled={!m} onClick={() => setAdjusting(true)}>
          积分调整
        </Button>
      }
    >
      <LoadError error={detail.error} onRetry={() => void detail.reload()} />
      {d && m && <MemberDetail detail={d} />}
      {adjusting && m && (
        <AdjustModal
          member={m}
          onClose={() => setAdjusting(false)}
          onDone={() => {
            setAdjusting(false)
            void detail.reload()
          }}
        />
      )}
    </Drawer>
  )
}

function MemberDetail({ detail }: { detail: Detail }) {
  const tierName = useTierName()
  const m = detail.member!
  const lots = detail.open_lots ?? []
  const now = Date.now()
  const pendingLots = lots.filter((l) => Date.parse(l.available_at) > now)
  const expiring = lots.filter((l) => Date.parse(l.available_at) <= now)
  return (
    <div>
      <Space size={40} style={{ marginBottom: 16 }}>
        <Statistic title="积分余额" value={detail.balance_points ?? 0} data-testid="member-balance" />
        <Statistic title="可用积分" value={detail.available_points ?? 0} />
        <Statistic title="待到账" value={pendingLots.reduce((s, l) => s + l.remaining_points, 0)} />
        <Statistic title="会员等级" value={tierName(detail.tier_code)} />
      </Space>
      <Tabs
        items={[
          {
            key: 'profile',
            label: '资料',
            children: (
              <Descriptions column={2} bordered size="small">
                <Descriptions.Item label="昵称">{m.nickname}</Descriptions.Item>
                <Descriptions.Item label="手机号">{m.phone ?? '未绑定'}</Descriptions.Item>
                <Descriptions.Item label="会员编号">
                  <Typography.Text copyable>{m.id}</Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label="注册时间">{dateTime(m.created_at)}</Descriptions.Item>
                <Descriptions.Item label="生日">{m.birthday ?? '未填写'}</Descriptions.Item>
                <Descriptions.Item label="邀请码">{m.invite_code}</Descriptions.Item>
                <Descriptions.Item label="邀请人">
                  {detail.referral ? `${detail.referral.referrer_id.slice(0, 8)}…（${detail.referral.status}）` : '无'}
                </Descriptions.Item>
                <Descriptions.Item label="已邀请">{detail.invitee_count ?? 0} 人</Descriptions.Item>
              </Descriptions>
            ),
          },
          {
            key: 'lots',
            label: `积分批次（${lots.length}）`,
            children: (
              <Table<Row<'point_lots'>>
                rowKey="id"
                size="small"
                dataSource={[...pendingLots, ...expiring]}
                pagination={{ pageSize: 8 }}
                columns={[
                  { title: '获得', dataIndex: 'earned_points', align: 'right', render: formatPoints },
                  { title: '剩余', dataIndex: 'remaining_points', align: 'right', render: formatPoints },
                  {
                    title: '状态',
                    key: 'state',
                    render: (_, l) => (Date.parse(l.available_at) > now ? <Tag color="blue">待到账</Tag> : <Tag color="success">可用</Tag>),
                  },
                  { title: '到账时间', dataIndex: 'available_at', render: dateTime },
                  { title: '过期时间', dataIndex: 'expires_at', render: dateTime },
                ]}
              />
            ),
          },
          {
            key: 'entries',
            label: '积分明细',
            children: (
              <Table<Row<'point_entries'>>
                rowKey="id"
                size="small"
                dataSource={detail.entries ?? []}
                pagination={{ pageSize: 8 }}
                columns={[
                  { title: '时间', dataIndex: 'created_at', render: dateTime, width: 150 },
                  { title: '来源', dataIndex: 'source', render: sourceLabel, width: 110 },
                  { title: '说明', dataIndex: 'description' },
                  {
                    title: '积分',
                    dataIndex: 'amount_points',
                    align: 'right',
                    width: 100,
                    render: (n: number) => <Typography.Text type={n < 0 ? 'danger' : 'success'}>{signedPoints(n)}</Typography.Text>,
                  },
                ]}
              />
            ),
          },
          {
            key: 'redemptions',
            label: '兑换记录',
            children: (
              <Table<Row<'redemptions'>>
                rowKey="id"
                size="small"
                dataSource={detail.redemptions ?? []}
                pagination={{ pageSize: 8 }}
                columns={[
                  { title: '时间', dataIndex: 'created_at', render: dateTime, width: 150 },
                  { title: '商品', dataIndex: 'item_title' },
                  { title: '积分', dataIndex: 'cost_points', align: 'right', render: formatPoints },
                  { title: '券码', dataIndex: 'voucher_code' },
                  { title: '状态', dataIndex: 'status', render: redemptionStatusLabel },
                ]}
              />
            ),
          },
          {
            key: 'purchases',
            label: '消费记录',
            children: (
              <Table<Row<'purchases'>>
                rowKey="id"
                size="small"
                dataSource={detail.purchases ?? []}
                pagination={{ pageSize: 8 }}
                columns={[
                  { title: '时间', dataIndex: 'created_at', render: dateTime, width: 150 },
                  { title: '订单号', dataIndex: 'order_ref' },
                  { title: '金额', dataIndex: 'amount_fen', align: 'right', render: (f: number) => `¥${fenToYuan(f)}` },
                  { title: '积分', dataIndex: 'points', align: 'right', render: formatPoints },
                  {
                    title: '状态',
                    dataIndex: 'status',
                    render: (s: string) => (s === 'voided' ? <Tag>已撤销</Tag> : <Tag color="success">已发放</Tag>),
                  },
                ]}
              />
            ),
          },
          {
            key: 'adjustments',
            label: '积分调整',
            children: <AdjustmentTable rows={detail.adjustments ?? []} />,
          },
        ]}
      />
    </div>
  )
}

function AdjustmentTable({
  rows,
  names,
  actions,
}: {
  rows: Adjustment[]
  names?: MemberNames
  actions?: (a: Adjustment) => React.ReactNode
}) {
  return (
    <Table<Adjustment>
      rowKey="id"
      size="small"
      dataSource={rows}
      pagination={{ pageSize: 10 }}
      locale={{ emptyText: <Empty description="没有调整记录" /> }}
      columns={[
        { title: '提交时间', dataIndex: 'created_at', render: dateTime, width: 150 },
        ...(names ? [{ title: '会员', key: 'member', render: (_: unknown, a: Adjustment) => names.label(a.member_id) }] : []),
        {
          title: '积分',
          dataIndex: 'points',
          align: 'right' as const,
          width: 100,
          render: (n: number) => <Typography.Text type={n < 0 ? 'danger' : 'success'}>{signedPoints(n)}</Typography.Text>,
        },
        { title: '原因', dataIndex: 'reason_code', render: adjustmentReasonLabel, width: 120 },
        { title: '备注', dataIndex: 'note' },
        ...(names ? [{ title: '申请人', key: 'requester', render: (_: unknown, a: Adjustment) => names.label(a.requested_by) }] : []),
        {
          title: '状态',
          dataIndex: 'status',
          width: 90,
          render: (s: string) => <Tag color={ADJUSTMENT_STATUS[s]?.color}>{ADJUSTMENT_STATUS[s]?.label ?? s}</Tag>,
        },
        ...(actions ? [{ title: '操作', key: 'actions', width: 200, render: (_: unknown, a: Adjustment) => actions(a) }] : []),
      ]}
    />
  )
}

function AdjustModal(props: { member: NonNullable<Detail['member']>; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp()
  const [form] = Form.useForm<{ points: number; reason_code: string; note?: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  // one request id per dialog: a retry after a timeout is answered with the first result, never applied twice
  const [requestId] = useState(() => crypto.randomUUID())
  const save = async (v: { points: number; reason_code: string; note?: string }) => {
    setSaving(true)
    setProblem(null)
    try {
      const row = await operatorRpc('op_adjust_points', {
        p_member_id: props.member.id,
        p_points: v.points,
        p_reason_code: v.reason_code,
        p_note: v.note ?? '',
        p_request_id: requestId,
      })
      if (row.status === 'pending') message.warning(`调整 ${signedPoints(row.points)} 超过审批额度，已提交，等待另一位运营审批`)
      else message.success(`已为「${props.member.nickname}」调整 ${signedPoints(row.points)} 积分`)
      props.onDone()
    } catch (e) {
      setProblem(errorText(e))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Modal
      open
      title={`积分调整：${props.member.nickname}`}
      okText="提交调整"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        正数为增加，负数为扣减（不能扣成负数）。超过审批额度（默认 1,000 积分）的调整需另一位运营审批后生效。会员在积分明细中看到「积分调整
        · 原因」。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={save}>
        <Form.Item label="调整积分" name="points" rules={[{ required: true, message: '请输入调整积分' }]}>
          <InputNumber precision={0} style={{ width: 200 }} placeholder="如 200 或 -50" />
        </Form.Item>
        <Form.Item label="原因" name="reason_code" rules={[{ required: true, message: '请选择原因' }]}>
          <Select placeholder="选择原因" options={ADJUSTMENT_REASONS.map((r) => ({ value: r.code, label: r.label }))} />
        </Form.Item>
        <Form.Item label="备注" name="note">
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="如：工单号、情况说明" />
        </Form.Item>
      </Form>
      <FormProblem problem={problem} />
    </Modal>
  )
}

function PendingAdjustments() {
  const { message, modal } = App.useApp()
  const me = currentSession()?.member.id
  const list = useLoad(() => operatorRpc('op_list_adjustments', { p_status: 'pending', p_limit: 100 }), [])
  const rows = list.data ?? []
  const names = useMemberNames(rows.flatMap((a) => [a.member_id, a.requested_by]))
  const [busy, setBusy] = useState<string | null>(null)

  const decide = async (a: Adjustment, approve: boolean) => {
    setBusy(a.id)
    try {
      const row = await operatorRpc('op_decide_adjustment', { p_adjustment_id: a.id, p_approve: approve })
      message.success(row.status === 'applied' ? `已批准，${signedPoints(row.points)} 积分已到账` : '已驳回')
      void list.reload()
    } catch (e) {
      message.error(errorText(e))
    } finally {
      setBusy(null)
    }
  }

  return (
    <div>
      <LoadError error={list.error ?? names.error} onRetry={() => void list.reload()} />
      <div className="console-toolbar">
        <Typography.Text type="secondary">超过审批额度的积分调整在这里等待另一位运营审批；申请人不能审批自己的申请。</Typography.Text>
        <div style={{ flex: 1 }} />
        <Button onClick={() => void list.reload()}>刷新</Button>
      </div>
      <AdjustmentTable
        rows={rows}
        names={names}
        actions={(a) =>
          a.requested_by === me ? (
            <Typography.Text type="secondary">{textOfCode('own_adjustment')}</Typography.Text>
          ) : (
            <Space size={4}>
              <Button size="small" type="primary" loading={busy === a.id} onClick={() => void decide(a, true)}>
                批准
              </Button>
              <Button
                size="small"
                danger
                disabled={busy === a.id}
                onClick={() =>
                  modal.confirm({
                    title: `驳回 ${signedPoints(a.points)} 积分的调整？`,
                    okText: '驳回',
                    okButtonProps: { danger: true },
                    onOk: () => decide(a, false),
                  })
                }
              >
                驳回
              </Button>
            </Space>
          )
        }
      />
    </div>
  )
}
