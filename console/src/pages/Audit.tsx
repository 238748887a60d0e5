/**
 * 审计日志: every operator and manager write (op_list_audit), newest first, filtered by table and target;
 * before → after as the changed fields.
 */
import { Button, Empty, Input, Select, Table, Tag, Typography } from 'antd'
import { useState } from 'react'

import { operatorRpc, type Row } from '../api/ops'
import { LoadError } from '../components/LoadError'
import { fieldChanges, type JsonValue } from '../lib/diff'
import { errorText } from '../lib/errors'
import { dateTime } from '../lib/format'
import { actionLabel, fieldLabel, TABLE_LABELS } from '../lib/labels'
import { useLoad } from '../lib/useLoad'
import { useMemberNames } from '../lib/useMemberNames'
import { changeLines } from '../lib/rules'

type Audit = Row<'operator_audit'>
const PAGE = 50
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** A value of an audit row for reading: instants in the program's zone. */
const readable = (text: string) => (TIMESTAMP.test(text) ? dateTime(text) : text)

/**
 * An audit row's changes as lines. A created row leaves out its id and creation time (noise); a scheduled rule
 * change reads as the rule's old → new value and its instant.
 */
function auditLines(r: Audit): { field: string; label: string; before: string; after: string }[] {
  const after = (r.after ?? {}) as Record<string, unknown>
  if (r.action === 'schedule_rule_change' && after.changes && typeof after.changes === 'object') {
    return [
      ...changeLines(after.changes as Record<string, JsonValue>, (r.before ?? {}) as Record<string, unknown>),
      { field: 'effective_at', label: '生效时间', before: '—', after: dateTime(String(after.effective_at ?? '')) },
    ]
  }
  return fieldChanges(r.before, r.after)
    .filter((c) => r.before !== null || (c.field !== 'id' && c.field !== 'created_at'))
    .map((c) => ({ field: c.field, label: fieldLabel(c.field), before: readable(c.before), after: readable(c.after) }))
}

export function AuditPage() {
  const [filter, setFilter] = useState<{ table?: string; target?: string }>({})
  const [more, setMore] = useState<Audit[]>([])
  const [loadingMore, setLoadingMore] = useState(false)
  const [moreError, setMoreError] = useState<string | null>(null)
  const [exhausted, setExhausted] = useState(false)
  const first = useLoad(async () => {
    setMore([])
    const rows = await operatorRpc('op_list_audit', {
      p_limit: PAGE,
      p_target_table: filter.table,
      p_target_id: filter.target || undefined,
    })
    setExhausted(rows.length < PAGE)
    return rows
  }, [filter.table, filter.target])
  const rows = [...(first.data ?? []), ...more]
  const names = useMemberNames(rows.map((r) => r.actor_id))

  const loadMore = async () => {
    setLoadingMore(true)
    setMoreError(null)
    try {
      const next = await operatorRpc('op_list_audit', {
        p_limit: PAGE,
        p_before_id: rows[rows.length - 1]?.id,
        p_target_table: filter.table,
        p_target_id: filter.target || undefined,
      })
      setMore((m) => [...m, ...next])
      setExhausted(next.length < PAGE)
    } catch (e) {
      setMoreError(errorText(e))
    } finally {
      setLoadingMore(false)
    }
  }

  return (
    <div>
      <LoadError error={first.error ?? moreError ?? names.error} onRetry={() => void first.reload()} />
      <div className="console-toolbar">
        <Select
          placeholder="全部对象"
          aria-label="全部对象"
          allowClear
          style={{ width: 160 }}
          value={filter.table}
          options={Object.entries(TABLE_LABELS).map(([value, label]) => ({ value, label }))}
          onChange={(table) => setFilter((f) => ({ ...f, table }))}
        />
        <Input.Search
          placeholder="对象编号（如商品 id）"
          allowClear
          style={{ width: 360 }}
          onSearch={(target) => setFilter((f) => ({ ...f, target: target.trim() }))}
        />
      </div>
      <Table<Audit>
        rowKey="id"
        size="small"
        loading={first.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description="没有符合条件的操作记录" /> }}
        columns={[
          { title: '时间', dataIndex: 'created_at', render: dateTime, width: 140 },
          { title: '操作人', dataIndex: 'actor_id', width: 170, render: (id: string) => names.label(id) },
          { title: '操作', dataIndex: 'action', width: 120, render: (a: string) => <Tag>{actionLabel(a)}</Tag> },
          {
            title: '对象',
            key: 'target',
            width: 170,
            render: (_, r) => (
              <span>
                {TABLE_LABELS[r.target_table] ?? r.target_table}
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: r.target_id }}>
                  {r.target_id.length > 12 ? `${r.target_id.slice(0, 8)}…` : r.target_id}
                </Typography.Text>
              </span>
            ),
          },
          {
            title: '变更（之前 → 之后）',
            key: 'diff',
            render: (_, r) => {
              const changes = auditLines(r)
              if (!changes.length) return <Typography.Text type="secondary">无字段变化</Typography.Text>
              return (
                <ul className="console-diff" style={{ paddingLeft: 16 }}>
                  {changes.map((c) => (
                    <li key={c.field}>
                      {c.label}：
                      {c.before !== '—' && (
                        <>
                          <span className="console-diff-old">{c.before}</span> →{' '}
                        </>
                      )}
                      <span className="console-diff-new">{c.after}</span>
                    </li>
                  ))}
                </ul>
              )
            },
          },
          { title: '原因', dataIndex: 'reason', width: 140, render: (r: string | null) => r ?? '—' },
        ]}
      />
      <div style={{ textAlign: 'center', marginTop: 16 }}>
        {exhausted ? (
          <Typography.Text type="secondary">{rows.length ? `共 ${rows.length} 条，已全部显示` : ''}</Typography.Text>
        ) : (
          <Button onClick={() => void loadMore()} loading={loadingMore}>
            加载更多
          </Button>
        )}
      </div>
    </div>
  )
}
