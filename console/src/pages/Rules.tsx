/**
 * 规则与任务: the program's point rules, tasks, tiers and check-in streak bonuses (tables anyone reads), grouped;
 * every edit is a SCHEDULED change (op_schedule_rule_change: only the changed columns, from an instant that is
 * now or later, with a reason), listed with the pending ones first and cancellable until applied
 * (op_list_rule_changes, op_cancel_rule_change).
 */
import {
  App,
  Badge,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Row as GridRow,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd'
import type { Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'

import { programTimeZone } from '../../../src/domain/time'
import { operatorRpc, readTable, type Row } from '../api/ops'
import { FormProblem } from '../components/FormProblem'
import { LoadError } from '../components/LoadError'
import { changedFields, type JsonValue } from '../lib/diff'
import { errorText } from '../lib/errors'
import { dateTime, formatPoints } from '../lib/format'
import {
  CHANGE_STATE_LABELS,
  changeLines,
  changeState,
  parseIntList,
  POINT_RULE_GROUPS,
  ruleValueText,
  STREAK_FIELDS,
  SUBJECT_LABELS,
  TASK_FIELDS,
  TIER_FIELDS,
  type RuleField,
  type RuleSubject,
} from '../lib/rules'
import { useLoad } from '../lib/useLoad'
import { wallToIso } from '../lib/zone'

type RuleChange = Row<'rule_changes'>

interface Editing {
  subject: RuleSubject
  subjectKey: string | null
  title: string
  fields: readonly RuleField[]
  current: Record<string, unknown>
}

export function RulesPage() {
  const rules = useLoad(async () => (await readTable('point_rules'))[0], [])
  const tasks = useLoad(() => readTable('tasks', 'sort_order'), [])
  const tiers = useLoad(() => readTable('tiers', 'rank'), [])
  const streak = useLoad(() => readTable('check_in_streak_bonuses', 'cycle_day'), [])
  const changes = useLoad(() => operatorRpc('op_list_rule_changes', { p_limit: 100 }), [])
  const [editing, setEditing] = useState<Editing | null>(null)
  const reloadAll = () => void Promise.all([rules.reload(), tasks.reload(), tiers.reload(), streak.reload(), changes.reload()])
  const loadError = rules.error ?? tasks.error ?? tiers.error ?? streak.error

  const r = rules.data as Record<string, unknown> | undefined
  const pending = (changes.data ?? []).filter((c) => changeState(c) === 'pending').length
  return (
    <div>
      <LoadError error={loadError} onRetry={reloadAll} />
      <Typography.Paragraph type="secondary">
        修改规则不会立即改写历史：每次修改都是一条「规则变更」，从指定时间（{programTimeZone()}
        ）起生效，之前发放的积分不变；生效前可以取消。
      </Typography.Paragraph>
      <Tabs
        items={[
          {
            key: 'rules',
            label: '积分规则',
            children: (
              <GridRow gutter={[16, 16]}>
                {POINT_RULE_GROUPS.map((g) => (
                  <Col span={12} key={g.key}>
                    <Card
                      size="small"
                      title={g.title}
                      extra={
                        <Button
                          size="small"
                          type="link"
                          disabled={!r}
                          onClick={() =>
                            r &&
                            setEditing({
                              subject: 'point_rules',
                              subjectKey: null,
                              title: `修改${g.title}规则`,
                              fields: g.fields.filter((x) => !x.readonly),
                              current: r,
                            })
                          }
                        >
                          修改
                        </Button>
                      }
                    >
                      <Descriptions column={1} size="small">
                        {g.fields.map((field) => (
                          <Descriptions.Item key={field.field} label={field.label}>
                            {r ? ruleValueText(field, r[field.field]) : '…'}
                            {field.readonly && <span className="console-sub">（由数据库管理员修改）</span>}
                          </Descriptions.Item>
                        ))}
                        {g.key === 'check_in' && (
                          <Descriptions.Item label="连签奖励">
                            {(streak.data ?? []).length
                              ? (streak.data ?? []).map((s) => `第${s.cycle_day}天 +${s.bonus_points}`).join('，')
                              : '无'}
                          </Descriptions.Item>
                        )}
                      </Descriptions>
                    </Card>
                  </Col>
                ))}
              </GridRow>
            ),
          },
          {
            key: 'tasks',
            label: '任务',
            children: (
              <Table<Row<'tasks'>>
                rowKey="code"
                size="middle"
                loading={tasks.loading}
                dataSource={tasks.data ?? []}
                pagination={false}
                columns={[
                  {
                    title: '任务',
                    key: 'title',
                    render: (_, t) => (
                      <div>
                        <Typography.Text strong>{t.title}</Typography.Text>
                        <div className="console-sub">{t.description}</div>
                      </div>
                    ),
                  },
                  {
                    title: '周期',
                    dataIndex: 'kind',
                    width: 90,
                    render: (k: string) => ({ one_time: '一次性', daily: '每日', weekly: '每周' })[k] ?? k,
                  },
                  { title: '奖励', dataIndex: 'reward_points', width: 90, align: 'right', render: formatPoints },
                  { title: '需完成次数', dataIndex: 'required_count', width: 100, align: 'right' },
                  { title: '每周期可领', dataIndex: 'period_limit', width: 100, align: 'right' },
                  { title: '排序', dataIndex: 'sort_order', width: 70, align: 'right' },
                  {
                    title: '状态',
                    dataIndex: 'active',
                    width: 80,
                    render: (a: boolean) => (a ? <Tag color="success">启用</Tag> : <Tag>停用</Tag>),
                  },
                  {
                    title: '操作',
                    key: 'edit',
                    width: 80,
                    render: (_, t) => (
                      <Button
                        size="small"
                        type="link"
                        onClick={() =>
                          setEditing({
                            subject: 'task',
                            subjectKey: t.code,
                            title: `修改任务「${t.title}」`,
                            fields: TASK_FIELDS,
                            current: t,
                          })
                        }
                      >
                        修改
                      </Button>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'tiers',
            label: '等级',
            children: (
              <Table<Row<'tiers'>>
                rowKey="code"
                size="middle"
                loading={tiers.loading}
                dataSource={tiers.data ?? []}
                pagination={false}
                columns={[
                  { title: '等级', dataIndex: 'name', render: (n: string, t) => `${n}（${t.code}）` },
                  { title: '升级所需积分', dataIndex: 'min_earned_points', align: 'right', render: formatPoints },
                  { title: '积分倍数', dataIndex: 'multiplier', align: 'right', render: (m: number) => `×${Number(m)}` },
                  { title: '升级奖励', dataIndex: 'upgrade_bonus_points', align: 'right', render: formatPoints },
                  {
                    title: '操作',
                    key: 'edit',
                    width: 80,
                    render: (_, t) => (
                      <Button
                        size="small"
                        type="link"
                        onClick={() =>
                          setEditing({
                            subject: 'tier',
                            subjectKey: t.code,
                            title: `修改等级「${t.name}」`,
                            fields: TIER_FIELDS,
                            current: { ...t, multiplier: Number(t.multiplier) },
                          })
                        }
                      >
                        修改
                      </Button>
                    ),
                  },
                ]}
              />
            ),
          },
          {
            key: 'streak',
            label: '连签奖励',
            children: <StreakBonuses rows={streak.data ?? []} cycleDays={Number(r?.check_in_cycle_days ?? 7)} onEdit={setEditing} />,
          },
          {
            key: 'changes',
            label: (
              <Badge count={pending} size="small" offset={[8, -2]}>
                变更记录
              </Badge>
            ),
            children: <RuleChanges changes={changes} current={{ rules: r, tasks: tasks.data, tiers: tiers.data }} />,
          },
        ]}
      />
      {editing && (
        <RuleChangeDrawer
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null)
            reloadAll()
          }}
        />
      )}
    </div>
  )
}

function StreakBonuses(props: { rows: Row<'check_in_streak_bonuses'>[]; cycleDays: number; onEdit: (e: Editing) => void }) {
  const [day, setDay] = useState<number | null>(null)
  const edit = (cycleDay: number, bonus: number) =>
    props.onEdit({
      subject: 'check_in_streak_bonus',
      subjectKey: String(cycleDay),
      title: `修改连签第 ${cycleDay} 天的奖励`,
      fields: STREAK_FIELDS,
      current: { bonus_points: bonus },
    })
  return (
    <div>
      <div className="console-toolbar">
        <Typography.Text>签到周期 {props.cycleDays} 天。连续签到到第几天时额外奖励：</Typography.Text>
        <InputNumber min={1} max={31} precision={0} placeholder="第几天" value={day} onChange={setDay} style={{ width: 110 }} />
        <Button disabled={!day} onClick={() => day && edit(day, props.rows.find((r) => r.cycle_day === day)?.bonus_points ?? 0)}>
          设置这一天
        </Button>
      </div>
      <Table<Row<'check_in_streak_bonuses'>>
        rowKey="cycle_day"
        size="middle"
        dataSource={props.rows}
        pagination={false}
        columns={[
          { title: '连签第几天', dataIndex: 'cycle_day', render: (d: number) => `第 ${d} 天` },
          { title: '额外奖励', dataIndex: 'bonus_points', align: 'right', render: (n: number) => `${formatPoints(n)} 积分` },
          {
            title: '操作',
            key: 'edit',
            width: 80,
            render: (_, s) => (
              <Button size="small" type="link" onClick={() => edit(s.cycle_day, s.bonus_points)}>
                修改
              </Button>
            ),
          },
        ]}
      />
    </div>
  )
}

/** The form's value of a field → the value sent (an int list typed as text is parsed). */
function sentValue(field: RuleField, value: unknown): unknown {
  if (field.kind === 'intList') return typeof value === 'string' ? (parseIntList(value) ?? value) : value
  if (field.kind === 'text' && typeof value === 'string') return value.trim()
  return value
}

function RuleChangeDrawer({ editing, onClose, onSaved }: { editing: Editing; onClose: () => void; onSaved: () => void }) {
  const { message } = App.useApp()
  const [form] = Form.useForm()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const values = Form.useWatch([], form) as Record<string, unknown> | undefined
  const initial = useMemo(() => {
    const v: Record<string, unknown> = { when: 'now' }
    for (const field of editing.fields) {
      const value = editing.current[field.field]
      v[field.field] = field.kind === 'intList' && Array.isArray(value) ? value.join(', ') : value
    }
    return v
  }, [editing])

  const changes = useMemo(() => {
    const edited: Record<string, unknown> = {}
    for (const field of editing.fields) if (values && field.field in values) edited[field.field] = sentValue(field, values[field.field])
    return changedFields(editing.current, edited)
  }, [values, editing])
  const lines = changeLines(changes, editing.current)

  const save = async (v: Record<string, unknown>) => {
    if (!Object.keys(changes).length) return setProblem('没有修改任何值')
    const when = v.when === 'at' ? (v.effective_at as Dayjs | undefined) : null
    if (v.when === 'at' && !when) return setProblem('请选择生效时间')
    setSaving(true)
    setProblem(null)
    try {
      const row = await operatorRpc('op_schedule_rule_change', {
        p_subject: editing.subject,
        // null for point_rules (the generated types know no nullable arguments)
        p_subject_key: editing.subjectKey as string,
        p_changes: changes as JsonValue,
        p_effective_at: when ? wallToIso(when) : undefined, // none: now
        p_reason: String(v.reason ?? ''),
      })
      message.success(row.applied_at ? '规则已生效' : `规则变更已安排，${dateTime(row.effective_at)} 生效`)
      onSaved()
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
      title={editing.title}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            提交变更
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={save}>
        <FormProblem problem={problem} />
        {editing.fields.map((field) => (
          <Form.Item
            key={field.field}
            label={`${field.label}${field.unit ? `（${field.unit}）` : ''}`}
            name={field.field}
            valuePropName={field.kind === 'bool' ? 'checked' : 'value'}
            rules={
              field.kind === 'intList'
                ? [
                    {
                      validator: (_, v) =>
                        parseIntList(String(v ?? '')) ? Promise.resolve() : Promise.reject(new Error('请输入整数，用逗号分隔')),
                    },
                  ]
                : field.kind === 'bool'
                  ? []
                  : [{ required: field.field !== 'description', message: '请输入' }]
            }
          >
            {field.kind === 'bool' ? (
              <Switch checkedChildren="启用" unCheckedChildren="停用" />
            ) : field.kind === 'text' ? (
              <Input maxLength={field.field === 'description' ? 200 : 30} />
            ) : field.kind === 'intList' ? (
              <Input placeholder="如 30, 7, 1" />
            ) : (
              <InputNumber min={field.min} max={field.max} precision={field.kind === 'decimal' ? 2 : 0} style={{ width: 200 }} />
            )}
          </Form.Item>
        ))}
        <Card size="small" title="变更内容（原值 → 新值）" style={{ marginBottom: 16 }}>
          {lines.length ? (
            <ul className="console-diff" style={{ paddingLeft: 16 }}>
              {lines.map((l) => (
                <li key={l.field}>
                  {l.label}：<span className="console-diff-old">{l.before}</span> → <span className="console-diff-new">{l.after}</span>
                </li>
              ))}
            </ul>
          ) : (
            <Typography.Text type="secondary">还没有修改</Typography.Text>
          )}
        </Card>
        <Form.Item label={`生效时间（${programTimeZone()}）`} name="when">
          <Radio.Group
            options={[
              { value: 'now', label: '立即' },
              { value: 'at', label: '指定时间' },
            ]}
          />
        </Form.Item>
        {values?.when === 'at' && (
          <Form.Item name="effective_at" rules={[{ required: true, message: '请选择生效时间' }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: 240 }} />
          </Form.Item>
        )}
        <Form.Item label="原因" name="reason" rules={[{ required: true, message: '请填写原因' }]}>
          <Input maxLength={200} placeholder="如：双十二活动期间提高签到积分" />
        </Form.Item>
      </Form>
    </Drawer>
  )
}

function RuleChanges(props: {
  changes: ReturnType<typeof useLoad<RuleChange[]>>
  current: { rules?: Record<string, unknown>; tasks?: Row<'tasks'>[]; tiers?: Row<'tiers'>[] }
}) {
  const { message } = App.useApp()
  const { changes } = props
  const [cancelling, setCancelling] = useState<RuleChange | null>(null)
  const subjectText = (c: RuleChange) => {
    if (c.subject === 'task') return `任务「${props.current.tasks?.find((t) => t.code === c.subject_key)?.title ?? c.subject_key}」`
    if (c.subject === 'tier') return `等级「${props.current.tiers?.find((t) => t.code === c.subject_key)?.name ?? c.subject_key}」`
    if (c.subject === 'check_in_streak_bonus') return `连签第 ${c.subject_key} 天`
    return SUBJECT_LABELS[c.subject as RuleSubject] ?? c.subject
  }
  return (
    <div>
      <div className="console-toolbar">
        <Typography.Text type="secondary">待生效的排在前面（最早生效的在先），然后是已生效、未能生效和已取消的。</Typography.Text>
        <div style={{ flex: 1 }} />
        <Button onClick={() => void changes.reload()}>刷新</Button>
      </div>
      <LoadError error={changes.error} onRetry={() => void changes.reload()} />
      <Table<RuleChange>
        rowKey="id"
        size="small"
        loading={changes.loading}
        dataSource={changes.data ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          { title: '对象', key: 'subject', width: 170, render: (_, c) => subjectText(c) },
          {
            title: '变更（原值 → 新值）',
            key: 'changes',
            render: (_, c) => (
              <ul className="console-diff" style={{ paddingLeft: 16 }}>
                {changeLines(c.changes as Record<string, JsonValue>, (c.before ?? undefined) as Record<string, unknown> | undefined).map(
                  (l) => (
                    <li key={l.field}>
                      {l.label}：{l.before && <span className="console-diff-old">{l.before}</span>} →{' '}
                      <span className="console-diff-new">{l.after}</span>
                    </li>
                  ),
                )}
              </ul>
            ),
          },
          { title: '生效时间', dataIndex: 'effective_at', width: 140, render: dateTime },
          { title: '原因', dataIndex: 'reason', width: 160, render: (r: string | null) => r ?? '—' },
          {
            title: '状态',
            key: 'state',
            width: 90,
            render: (_, c) => {
              const s = CHANGE_STATE_LABELS[changeState(c)]
              return (
                <Tag color={s.color} title={c.failed_reason ?? undefined}>
                  {s.label}
                </Tag>
              )
            },
          },
          {
            title: '操作',
            key: 'cancel',
            width: 80,
            render: (_, c) =>
              changeState(c) === 'pending' ? (
                <Button size="small" type="link" danger onClick={() => setCancelling(c)}>
                  取消
                </Button>
              ) : null,
          },
        ]}
      />
      {cancelling && (
        <CancelChangeModal
          change={cancelling}
          onClose={() => setCancelling(null)}
          onDone={() => {
            setCancelling(null)
            message.success('已取消这条规则变更')
            void changes.reload()
          }}
        />
      )}
    </div>
  )
}

function CancelChangeModal(props: { change: RuleChange; onClose: () => void; onDone: () => void }) {
  const [form] = Form.useForm<{ reason: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const save = async ({ reason }: { reason: string }) => {
    setSaving(true)
    setProblem(null)
    try {
      await operatorRpc('op_cancel_rule_change', { p_change_id: props.change.id, p_reason: reason })
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
      title="取消规则变更"
      okText="确认取消"
      okButtonProps={{ danger: true }}
      cancelText="返回"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>这条变更将不会生效（{dateTime(props.change.effective_at)}）。</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={save}>
        <Form.Item label="原因" name="reason" rules={[{ required: true, message: '请填写原因' }]}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
      <FormProblem problem={problem} />
    </Modal>
  )
}
