/**
 * 商品: the mall's items (every one, published or not: `mall_items` is readable by anyone) with filters;
 * create / edit in a drawer (op_save_mall_item), publish / unpublish (op_set_mall_item_active), 库存调整
 * (op_adjust_item_stock), categories (op_save_mall_category). Images go to Storage (bucket item-images).
 */
import { PlusOutlined } from '@ant-design/icons'
import {
  App,
  Button,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd'
import type { Dayjs } from 'dayjs'
import { useMemo, useState } from 'react'

import { kindGlyph, kindLabel } from '../../../src/domain/mall'
import { programTimeZone } from '../../../src/domain/time'
import { operatorRpc, readTable, type Row } from '../api/ops'
import { imageSrc, uploadItemImage } from '../api/storage'
import { FormProblem } from '../components/FormProblem'
import { LoadError } from '../components/LoadError'
import { errorText } from '../lib/errors'
import { dateTime, fenFromYuan, formatPoints, yuanFromFen } from '../lib/format'
import { useLoad } from '../lib/useLoad'
import { isoToWall, wallToIso } from '../lib/zone'

type Item = Row<'mall_items'>
type Category = Row<'mall_categories'>
type Tier = Row<'tiers'>

const KINDS = ['coupon', 'membership', 'gift'].map((k) => ({ value: k, label: kindLabel(k) }))

export function CatalogPage() {
  const { message } = App.useApp()
  const items = useLoad(() => readTable('mall_items', 'sort_order'), [])
  const categories = useLoad(() => readTable('mall_categories', 'sort_order'), [])
  const tiers = useLoad(() => readTable('tiers', 'rank'), [])
  const [filter, setFilter] = useState<{ text: string; category?: string; status?: 'on' | 'off'; kind?: string }>({ text: '' })
  const [editing, setEditing] = useState<Item | 'new' | null>(null)
  const [stockOf, setStockOf] = useState<Item | null>(null)
  const [showCategories, setShowCategories] = useState(false)

  const categoryName = (code: string) => categories.data?.find((c) => c.code === code)?.name ?? code
  const tierName = (code: string | null) => (code ? (tiers.data?.find((t) => t.code === code)?.name ?? code) : '不限')

  const rows = useMemo(
    () =>
      (items.data ?? []).filter(
        (i) =>
          (!filter.text || i.title.includes(filter.text.trim())) &&
          (!filter.category || i.category_code === filter.category) &&
          (!filter.kind || i.kind === filter.kind) &&
          (!filter.status || i.active === (filter.status === 'on')),
      ),
    [items.data, filter],
  )

  /** The fresh row replaces the old one in the table. */
  const put = (row: Item) => {
    void items.reload()
    return row
  }

  const setActive = async (item: Item, active: boolean) => {
    try {
      put(await operatorRpc('op_set_mall_item_active', { p_item_id: item.id, p_active: active }))
      message.success(active ? `已上架「${item.title}」` : `已下架「${item.title}」`)
    } catch (e) {
      message.error(errorText(e))
    }
  }

  return (
    <div>
      <LoadError
        error={items.error ?? categories.error ?? tiers.error}
        onRetry={() => void Promise.all([items.reload(), categories.reload(), tiers.reload()])}
      />
      <div className="console-toolbar">
        <Input.Search
          placeholder="搜索商品名称"
          allowClear
          style={{ width: 220 }}
          onSearch={(text) => setFilter((f) => ({ ...f, text }))}
        />
        <Select
          placeholder="全部分类"
          aria-label="全部分类"
          allowClear
          style={{ width: 140 }}
          value={filter.category}
          options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
          onChange={(category) => setFilter((f) => ({ ...f, category }))}
        />
        <Select
          placeholder="全部类型"
          aria-label="全部类型"
          allowClear
          style={{ width: 130 }}
          value={filter.kind}
          options={KINDS}
          onChange={(kind) => setFilter((f) => ({ ...f, kind }))}
        />
        <Select
          placeholder="上架状态"
          aria-label="上架状态"
          allowClear
          style={{ width: 120 }}
          value={filter.status}
          options={[
            { value: 'on', label: '已上架' },
            { value: 'off', label: '未上架' },
          ]}
          onChange={(status) => setFilter((f) => ({ ...f, status }))}
        />
        <div style={{ flex: 1 }} />
        <Button onClick={() => setShowCategories(true)}>分类管理</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          新建商品
        </Button>
      </div>
      <Table<Item>
        rowKey="id"
        size="middle"
        loading={items.loading}
        dataSource={rows}
        pagination={{ pageSize: 10, showTotal: (n) => `共 ${n} 件` }}
        columns={[
          {
            title: '图片',
            key: 'image',
            width: 72,
            render: (_, i) =>
              i.image_urls[0] && imageSrc(i.image_urls[0]) ? (
                <img className="console-thumb" src={imageSrc(i.image_urls[0]) ?? undefined} alt={i.title} />
              ) : (
                <div className="console-thumb console-thumb-empty">{kindGlyph(i.kind)}</div>
              ),
          },
          {
            title: '商品',
            dataIndex: 'title',
            render: (t: string, i) => (
              <div>
                <Typography.Text strong>{t}</Typography.Text>
                <div className="console-sub">{kindLabel(i.kind)}</div>
              </div>
            ),
          },
          { title: '分类', dataIndex: 'category_code', width: 90, render: categoryName },
          { title: '所需积分', dataIndex: 'cost_points', width: 90, align: 'right', render: formatPoints },
          { title: '库存', dataIndex: 'stock_remaining', width: 76, align: 'right', render: formatPoints },
          {
            title: '状态',
            dataIndex: 'active',
            width: 84,
            render: (a: boolean) => (a ? <Tag color="success">已上架</Tag> : <Tag>未上架</Tag>),
          },
          {
            title: '兑换时间',
            key: 'window',
            width: 150,
            render: (_, i) =>
              i.sale_starts_at || i.sale_ends_at ? (
                <span className="console-sub">
                  {i.sale_starts_at ? dateTime(i.sale_starts_at) : '不限'} 起
                  <br />
                  {i.sale_ends_at ? dateTime(i.sale_ends_at) : '不限'} 止
                </span>
              ) : (
                '不限'
              ),
          },
          { title: '等级限制', dataIndex: 'min_tier_code', width: 90, render: tierName },
          {
            title: '操作',
            key: 'actions',
            width: 180,
            render: (_, i) => (
              <Space size={0}>
                <Button size="small" type="link" onClick={() => setEditing(i)}>
                  编辑
                </Button>
                {i.active ? (
                  <Popconfirm title={`下架「${i.title}」？已兑换的券仍可使用。`} onConfirm={() => setActive(i, false)}>
                    <Button size="small" type="link">
                      下架
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button size="small" type="link" onClick={() => void setActive(i, true)}>
                    上架
                  </Button>
                )}
                <Button size="small" type="link" onClick={() => setStockOf(i)}>
                  库存调整
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <ItemDrawer
          item={editing === 'new' ? null : editing}
          categories={categories.data ?? []}
          tiers={tiers.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={(row) => {
            put(row)
            setEditing(null)
            message.success(`已保存「${row.title}」`)
          }}
        />
      )}
      {stockOf && (
        <StockModal
          item={stockOf}
          onClose={() => setStockOf(null)}
          onSaved={(row) => {
            put(row)
            setStockOf(null)
            message.success(`「${row.title}」库存现为 ${formatPoints(row.stock_remaining)}`)
          }}
        />
      )}
      {showCategories && (
        <CategoriesModal
          categories={categories.data ?? []}
          onClose={() => setShowCategories(false)}
          onChanged={() => void categories.reload()}
        />
      )}
    </div>
  )
}

interface ItemValues {
  kind: string
  title: string
  description?: string
  category_code: string
  cost_points: number
  face_value_yuan?: number | null
  stock?: number
  member_limit?: number | null
  member_limit_days?: number | null
  min_tier_code?: string | null
  sale_window?: [Dayjs | null, Dayjs | null] | null
  voucher_valid_days: number
  sort_order: number
}

type ImageFile = UploadFile & { key?: string }

function ItemDrawer(props: {
  item: Item | null
  categories: Category[]
  tiers: Tier[]
  onClose: () => void
  onSaved: (row: Item) => void
}) {
  const { item } = props
  const { message } = App.useApp()
  const [form] = Form.useForm<ItemValues>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [images, setImages] = useState<ImageFile[]>(() =>
    (item?.image_urls ?? []).map((entry, n) => ({
      uid: `old-${n}`,
      name: entry.split('/').pop() ?? entry,
      status: 'done',
      url: imageSrc(entry) ?? undefined,
      key: entry,
    })),
  )
  const kind = Form.useWatch('kind', form)

  const initial: Partial<ItemValues> = item
    ? {
        kind: item.kind,
        title: item.title,
        description: item.description,
        category_code: item.category_code,
        cost_points: item.cost_points,
        face_value_yuan: item.face_value_fen == null ? null : yuanFromFen(item.face_value_fen),
        member_limit: item.member_limit,
        member_limit_days: item.member_limit_days,
        min_tier_code: item.min_tier_code,
        sale_window:
          item.sale_starts_at || item.sale_ends_at
            ? [item.sale_starts_at ? isoToWall(item.sale_starts_at) : null, item.sale_ends_at ? isoToWall(item.sale_ends_at) : null]
            : null,
        voucher_valid_days: item.voucher_valid_days,
        sort_order: item.sort_order,
      }
    : { kind: 'coupon', voucher_valid_days: 30, sort_order: 0, stock: 100, description: '' }

  const save = async (v: ItemValues) => {
    if (images.some((f) => f.status === 'uploading')) return setProblem('图片还在上传，请稍候')
    setSaving(true)
    setProblem(null)
    try {
      const row = await operatorRpc('op_save_mall_item', {
        p_item_id: item?.id,
        p_kind: v.kind,
        p_title: v.title,
        p_description: v.description ?? '',
        p_category_code: v.category_code,
        p_cost_points: v.cost_points,
        p_face_value_fen: v.face_value_yuan == null ? undefined : fenFromYuan(v.face_value_yuan),
        p_stock: item ? undefined : v.stock,
        p_member_limit: v.member_limit ?? undefined,
        p_member_limit_days: v.member_limit_days ?? undefined,
        p_min_tier_code: v.min_tier_code ?? undefined,
        p_sale_starts_at: v.sale_window?.[0] ? wallToIso(v.sale_window[0]) : undefined,
        p_sale_ends_at: v.sale_window?.[1] ? wallToIso(v.sale_window[1]) : undefined,
        p_voucher_valid_days: v.voucher_valid_days,
        p_sort_order: v.sort_order,
        p_image_urls: images.filter((f) => f.status === 'done' && f.key).map((f) => f.key as string),
      })
      props.onSaved(row)
    } catch (e) {
      setProblem(errorText(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Drawer
      open
      size={560}
      title={item ? `编辑商品「${item.title}」` : '新建商品'}
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
      <Form<ItemValues> form={form} layout="vertical" initialValues={initial} onFinish={save} requiredMark="optional">
        <FormProblem problem={problem} />
        <Space.Compact block>
          <Form.Item label="类型" name="kind" rules={[{ required: true }]} style={{ width: '40%' }}>
            <Select options={KINDS} />
          </Form.Item>
          <Form.Item label="分类" name="category_code" rules={[{ required: true, message: '请选择分类' }]} style={{ width: '60%' }}>
            <Select placeholder="选择分类" options={props.categories.map((c) => ({ value: c.code, label: c.name }))} />
          </Form.Item>
        </Space.Compact>
        <Form.Item label="商品名称" name="title" rules={[{ required: true, message: '请输入商品名称' }]}>
          <Input maxLength={30} showCount placeholder="如：10元无门槛券" />
        </Form.Item>
        <Form.Item label="商品说明" name="description">
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
        <Form.Item label="商品图片（JPEG / PNG / WebP，≤ 2 MB，最多 9 张）">
          <Upload
            listType="picture-card"
            accept="image/jpeg,image/png,image/webp"
            fileList={images}
            maxCount={9}
            onChange={({ fileList }) => setImages((old) => fileList.map((f) => ({ ...old.find((o) => o.uid === f.uid), ...f })))}
            customRequest={({ file, onSuccess, onError }) => {
              uploadItemImage(file as File).then(
                (key) => {
                  setImages((list) =>
                    list.map((f) =>
                      f.uid === (file as ImageFile).uid ? { ...f, key, url: imageSrc(key) ?? undefined, status: 'done' } : f,
                    ),
                  )
                  onSuccess?.(key)
                },
                (e) => {
                  setImages((list) =>
                    list.map((f) => (f.uid === (file as ImageFile).uid ? { ...f, status: 'error', response: errorText(e) } : f)),
                  )
                  message.error(`图片「${(file as ImageFile).name}」未上传：${errorText(e)}`)
                  onError?.(new Error(errorText(e)))
                },
              )
            }}
          >
            {images.length < 9 && (
              <div>
                <PlusOutlined />
                <div style={{ marginTop: 8 }}>上传图片</div>
              </div>
            )}
          </Upload>
        </Form.Item>
        <Space size={16} align="start" wrap>
          <Form.Item label="所需积分" name="cost_points" rules={[{ required: true, message: '请输入所需积分' }]}>
            <InputNumber min={1} precision={0} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item label={kind === 'coupon' ? '面值（元）' : '价值（元，可不填）'} name="face_value_yuan">
            <InputNumber min={0.01} precision={2} style={{ width: 150 }} />
          </Form.Item>
          {!item && (
            <Form.Item label="初始库存" name="stock" rules={[{ required: true, message: '请输入库存' }]}>
              <InputNumber min={0} precision={0} style={{ width: 150 }} />
            </Form.Item>
          )}
        </Space>
        {item && (
          <Typography.Paragraph type="secondary">
            当前库存 {formatPoints(item.stock_remaining)}：在列表中用「库存调整」增减（需填写原因）。
          </Typography.Paragraph>
        )}
        <Space size={16} align="start" wrap>
          <Form.Item label="每人限兑（件）" name="member_limit" tooltip="不填：不限">
            <InputNumber min={1} precision={0} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item label="限兑周期（天）" name="member_limit_days" tooltip="不填：限兑数量为永久累计">
            <InputNumber min={1} max={3660} precision={0} style={{ width: 150 }} />
          </Form.Item>
          <Form.Item label="最低会员等级" name="min_tier_code">
            <Select
              allowClear
              placeholder="不限"
              style={{ width: 150 }}
              options={props.tiers.map((t) => ({ value: t.code, label: t.name }))}
            />
          </Form.Item>
        </Space>
        <Form.Item label={`兑换时间（${programTimeZone()} 时间；不填：一直可兑）`} name="sale_window">
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            allowEmpty={[true, true]}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Space size={16} align="start" wrap>
          <Form.Item label="券有效期（天，0：不过期）" name="voucher_valid_days" rules={[{ required: true }]}>
            <InputNumber min={0} max={3660} precision={0} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item label="排序（小的在前）" name="sort_order" rules={[{ required: true }]}>
            <InputNumber precision={0} style={{ width: 150 }} />
          </Form.Item>
        </Space>
      </Form>
    </Drawer>
  )
}

function StockModal(props: { item: Item; onClose: () => void; onSaved: (row: Item) => void }) {
  const [form] = Form.useForm<{ delta: number; reason: string }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const save = async (v: { delta: number; reason: string }) => {
    setSaving(true)
    setProblem(null)
    try {
      props.onSaved(await operatorRpc('op_adjust_item_stock', { p_item_id: props.item.id, p_delta: v.delta, p_reason: v.reason }))
    } catch (e) {
      setProblem(errorText(e))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Modal
      open
      title={`库存调整：${props.item.title}`}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okText="确认调整"
      destroyOnHidden
    >
      <Typography.Paragraph>
        当前库存：{formatPoints(props.item.stock_remaining)}。正数为补货，负数为减少（不能低于 0，已兑换的不受影响）。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={save}>
        <Form.Item label="增减数量" name="delta" rules={[{ required: true, message: '请输入增减数量' }]}>
          <InputNumber precision={0} style={{ width: 200 }} placeholder="如 50 或 -10" />
        </Form.Item>
        <Form.Item label="原因" name="reason" rules={[{ required: true, message: '请填写原因' }]}>
          <Input maxLength={200} placeholder="如：补货、盘点差异" />
        </Form.Item>
        <FormProblem problem={problem} />
      </Form>
    </Modal>
  )
}

function CategoriesModal(props: { categories: Category[]; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp()
  const [form] = Form.useForm<{ code: string; name: string; sort_order: number }>()
  const [saving, setSaving] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const [editingCode, setEditingCode] = useState<string | null>(null)
  const save = async (v: { code: string; name: string; sort_order: number }) => {
    setSaving(true)
    setProblem(null)
    try {
      const row = await operatorRpc('op_save_mall_category', { p_code: v.code, p_name: v.name, p_sort_order: v.sort_order })
      message.success(`已保存分类「${row.name}」`)
      form.resetFields()
      setEditingCode(null)
      props.onChanged()
    } catch (e) {
      setProblem(errorText(e))
    } finally {
      setSaving(false)
    }
  }
  return (
    <Modal open title="分类管理" width={640} footer={null} onCancel={props.onClose}>
      <Table<Category>
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={props.categories}
        columns={[
          { title: '编码', dataIndex: 'code' },
          { title: '名称', dataIndex: 'name' },
          { title: '排序', dataIndex: 'sort_order', width: 70 },
          {
            title: '操作',
            key: 'edit',
            width: 80,
            render: (_, c) => (
              <Button
                size="small"
                type="link"
                onClick={() => {
                  setEditingCode(c.code)
                  form.setFieldsValue(c)
                }}
              >
                编辑
              </Button>
            ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {editingCode ? `编辑分类 ${editingCode}（编码不可修改）` : '新增分类'}
      </Typography.Title>
      <Form form={form} layout="inline" onFinish={save} initialValues={{ sort_order: 0 }}>
        <Form.Item name="code" rules={[{ required: true, message: '请输入编码' }]}>
          <Input placeholder="编码，如 drinks" disabled={!!editingCode} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="name" rules={[{ required: true, message: '请输入名称' }]}>
          <Input placeholder="名称，如 饮品" style={{ width: 140 }} maxLength={16} />
        </Form.Item>
        <Form.Item name="sort_order">
          <InputNumber placeholder="排序" precision={0} style={{ width: 80 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>
          保存
        </Button>
        {editingCode && (
          <Button
            type="link"
            onClick={() => {
              setEditingCode(null)
              form.resetFields()
            }}
          >
            取消编辑
          </Button>
        )}
      </Form>
      <div style={{ marginTop: 12 }}>
        <FormProblem problem={problem} />
      </div>
    </Modal>
  )
}
