/**
 * 门店与员工: stores (read from `stores`; op_save_store), their staff (op_list_staff) and open invitations
 * (op_list_staff_invitations); set a clerk or manager by phone with a daily award cap (op_set_staff: an
 * invitation when nobody signed in with the phone yet); deactivate with a reason (op_deactivate_staff).
 */
import { PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Empty, Form, Input, InputNumber, Modal, Radio, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'

import { operatorRpc, readTable, type OpResult, type Row } from '../api/ops'
import { FormProblem } from '../components/FormProblem'
import { LoadError } from '../components/LoadError'
import { errorText } from '../lib/errors'
import { dateTime, formatPoints } from '../lib/format'
import { useLoad } from '../lib/useLoad'

type Store = Row<'stores'>
type StaffRow = OpResult<'op_list_staff'>[number]
type Invitation = Row<'staff_invitations'>

const ROLE_LABELS: Readonly<Record<string, string>> = { clerk: '店员', manager: '店长' }

export function StoresPage() {
  const stores = useLoad(() => readTable('stores', 'created_at'), [])
  const [selected, setSelected] = useState<string | null>(null)
  const [editing, setEditing] = useState<Store | 'new' | null>(null)
  const store = stores.data?.find((s) => s.id === selected) ?? stores.data?.[0] ?? null

  return (
    <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start' }}>
      <Card
        title="门店"
        style={{ width: 320, flexShrink: 0 }}
        extra={
          <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            新建门店
          </Button>
        }
      >
        <LoadError error={stores.error} onRetry={() => void stores.reload()} />
        <Table<Store>
          rowKey="id"
          size="small"
          loading={stores.loading}
          dataSource={stores.data ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          rowClassName={(s) => (s.id === store?.id ? 'ant-table-row-selected' : '')}
          onRow={(s) => ({ onClick: () => setSelected(s.id), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: '名称',
              key: 'name',
              render: (_, s) => (
                <div>
                  <Typography.Text strong>{s.name}</Typography.Text>
                  <div style={{ fontSize: 12, color: '#595959' }}>{s.address || '未填写地址'}</div>
                </div>
              ),
            },
            {
              title: '',
              key: 'edit',
              width: 60,
              render: (_, s) => (
                <Button
                  size="small"
                  type="link"
                  onClick={(e) => {
                    e.stopPropagation()
                    setEditing(s)
                  }}
                >
                  编辑
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <div style={{ flex: 1, minWidth: 0 }}>{store ? <StoreStaff store={store} key={store.id} /> : <Empty description="还没有门店" />}</div>
      {editing && (
        <StoreModal
          store={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(row) => {
            setEditing(null)
            setSelected(row.id)
            void stores.reload()
          }}
        />
      )}
    </div>
  )
}

function StoreModal(props: { store: Store | null; onClose: () => void; onSaved: (row: Store) => void }) {
  const { message } = App.useApp()
  const [form] = Form.useForm<{ name: string; address?: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const save = async (v: { name: string; address?: string }) => {
    setSaving(true)
    setProblem(null)
    try {
      const row = await operatorRpc('op_save_store', { p_store_id: props.store?.id, p_name: v.name, p_address: v.address ?? '' })
      message.success(`已保存门店「${row.name}」`)
      props.onSaved(row)
    } catch (e) {
      setProblem(errorText(e))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Modal
      open
      title={props.store ? `编辑门店「${props.store.name}」` : '新建门店'}
      okText="保存"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={props.store ?? {}} onFinish={save}>
        <Form.Item label="门店名称" name="name" rules={[{ required: true, message: '请输入门店名称' }]}>
          <Input maxLength={40} showCount />
        </Form.Item>
        <Form.Item label="地址" name="address">
          <Input maxLength={120} showCount />
        </Form.Item>
      </Form>
      <FormProblem problem={problem} />
    </Modal>
  )
}

function StoreStaff({ store }: { store: Store }) {
  const { message } = App.useApp()
  const staff = useLoad(() => operatorRpc('op_list_staff', { p_store_id: store.id }), [store.id])
  const invitations = useLoad(() => operatorRpc('op_list_staff_invitations', { p_store_id: store.id }), [store.id])
  const [setting, setSetting] = useState<Partial<StaffRow> | null>(null)
  const [deactivating, setDeactivating] = useState<StaffRow | null>(null)
  const reload = () => void Promise.all([staff.reload(), invitations.reload()])

  return (
    <Card
      title={`${store.name} · 员工`}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setSetting({ role: 'clerk', daily_award_cap_points: 20000 })}>
          添加员工
        </Button>
      }
    >
      <LoadError error={staff.error ?? invitations.error} onRetry={reload} />
      <Table<StaffRow>
        rowKey={(s) => s.member_id ?? ''}
        size="middle"
        loading={staff.loading}
        dataSource={staff.data ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description="这家门店还没有员工" /> }}
        columns={[
          { title: '姓名', dataIndex: 'nickname', render: (n: string) => <span style={{ whiteSpace: 'nowrap' }}>{n}</span> },
          { title: '手机号', dataIndex: 'phone', width: 130, render: (p: string | null) => p ?? '—' },
          {
            title: '角色',
            dataIndex: 'role',
            width: 80,
            render: (r: string) => <Tag color={r === 'manager' ? 'warning' : 'blue'}>{ROLE_LABELS[r] ?? r}</Tag>,
          },
          {
            title: '每日发放上限',
            dataIndex: 'daily_award_cap_points',
            width: 130,
            align: 'right',
            render: (n: number) => formatPoints(n ?? 0),
          },
          {
            title: '状态',
            dataIndex: 'active',
            width: 80,
            render: (a: boolean) => (a ? <Tag color="success">在职</Tag> : <Tag>已停用</Tag>),
          },
          {
            title: '操作',
            key: 'actions',
            width: 150,
            render: (_, s) => (
              <Space size={4}>
                <Button size="small" type="link" disabled={!s.phone} onClick={() => setSetting(s)}>
                  {s.active ? '修改' : '重新启用'}
                </Button>
                {s.active && (
                  <Button size="small" type="link" danger onClick={() => setDeactivating(s)}>
                    停用
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        待接受的邀请
      </Typography.Title>
      <Table<Invitation>
        rowKey="id"
        size="small"
        loading={invitations.loading}
        dataSource={invitations.data ?? []}
        pagination={{ pageSize: 5, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有待接受的邀请" /> }}
        columns={[
          { title: '手机号', dataIndex: 'phone' },
          { title: '角色', dataIndex: 'role', render: (r: string) => ROLE_LABELS[r] ?? r },
          { title: '每日发放上限', dataIndex: 'daily_award_cap_points', align: 'right', render: formatPoints },
          { title: '邀请时间', dataIndex: 'created_at', render: dateTime },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        用手机号添加员工：该手机号已登录过会员账号的，立即成为员工；还没登录过的，生成邀请，对方首次登录时自动成为员工。
      </Typography.Paragraph>
      {setting && (
        <SetStaffModal
          store={store}
          initial={setting}
          onClose={() => setSetting(null)}
          onSaved={(result) => {
            setSetting(null)
            reload()
            message.success(result.invitation ? `已邀请 ${result.invitation.phone}：对方首次登录后成为员工` : '已保存员工')
          }}
        />
      )}
      {deactivating && (
        <DeactivateModal
          staff={deactivating}
          onClose={() => setDeactivating(null)}
          onDone={() => {
            setDeactivating(null)
            reload()
            message.success(`已停用「${deactivating.nickname}」`)
          }}
        />
      )}
    </Card>
  )
}

interface StaffValues {
  phone: string
  role: string
  daily_award_cap_points: number
}

function SetStaffModal(props: {
  store: Store
  initial: Partial<StaffRow>
  onClose: () => void
  onSaved: (r: OpResult<'op_set_staff'>) => void
}) {
  const [form] = Form.useForm<StaffValues>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const existing = !!props.initial.member_id
  const save = async (v: StaffValues) => {
    setSaving(true)
    setProblem(null)
    try {
      props.onSaved(
        await operatorRpc('op_set_staff', {
          p_phone: v.phone.trim(),
          p_store_id: props.store.id,
          p_role: v.role,
          p_daily_award_cap_points: v.daily_award_cap_points,
        }),
      )
    } catch (e) {
      setProblem(errorText(e))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Modal
      open
      title={existing ? `修改员工「${props.initial.nickname}」` : `添加员工到「${props.store.name}」`}
      okText="保存"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Form<StaffValues> form={form} layout="vertical" initialValues={props.initial} onFinish={save}>
        <Form.Item label="手机号" name="phone" rules={[{ required: true, message: '请输入手机号' }]}>
          <Input maxLength={11} disabled={existing} placeholder="11位手机号" />
        </Form.Item>
        <Form.Item label="角色" name="role" rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'clerk', label: '店员' },
              { value: 'manager', label: '店长' },
            ]}
          />
        </Form.Item>
        <Form.Item label="每日发放上限（积分）" name="daily_award_cap_points" rules={[{ required: true, message: '请输入上限' }]}>
          <InputNumber min={0} precision={0} style={{ width: 200 }} />
        </Form.Item>
      </Form>
      <FormProblem problem={problem} />
    </Modal>
  )
}

function DeactivateModal(props: { staff: StaffRow; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ reason: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const save = async ({ reason }: { reason: string }) => {
    setSaving(true)
    setProblem(null)
    try {
      await operatorRpc('op_deactivate_staff', { p_member_id: props.staff.member_id!, p_reason: reason })
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
      title={`停用员工「${props.staff.nickname}」`}
      okText="确认停用"
      okButtonProps={{ danger: true }}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>停用后不能再发放积分或核销；已发放的积分不变。</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={save}>
        <Form.Item label="原因" name="reason" rules={[{ required: true, message: '请填写原因' }]}>
          <Input maxLength={200} placeholder="如：离职" />
        </Form.Item>
      </Form>
      <FormProblem problem={problem} />
    </Modal>
  )
}
