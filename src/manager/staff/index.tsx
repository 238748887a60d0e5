import { Input, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf, messageFor } from '../../domain/errors'
import { formatPoints } from '../../domain/format'
import {
  addClerkDoneText,
  capProblem,
  capUsage,
  DEACTIVATE_REASONS,
  DEFAULT_CLERK_CAP,
  deactivateConfirmText,
  invitationMeta,
  isManageable,
  normalizePhone,
  parseCap,
  phoneProblem,
  splitStaff,
  staffMeta,
  type StoreStaffMember,
} from '../../domain/manager'
import { addClerk, deactivateClerk, setClerkCap, storeStaffStore, useStoreStaff } from '../../stores/manager'
import { COLORS } from '../../styles/colors'

import './index.scss'

/** 添加店员: a phone and a daily cap; what is wrong is said under the field as it is typed, a refusal under the button. */
function AddClerk() {
  const [phone, setPhone] = useState('')
  const [cap, setCap] = useState(String(DEFAULT_CLERK_CAP))
  const [busy, setBusy] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)

  async function onAdd() {
    if (busy) return
    const normalized = normalizePhone(phone)
    if (!normalized) return setRefusal(phoneProblem(phone) ?? messageFor('invalid_phone'))
    const capPoints = parseCap(cap)
    if (capPoints === null) return setRefusal(capProblem(cap) ?? messageFor('invalid_award_cap'))
    setBusy(true)
    setRefusal(null)
    try {
      const result = await addClerk(normalized, capPoints)
      void Taro.showToast({ title: addClerkDoneText(result, normalized), icon: 'none', duration: 2500 })
      setPhone('')
      setCap(String(DEFAULT_CLERK_CAP))
    } catch (e) {
      setRefusal(messageFor(errorCodeOf(e)))
    } finally {
      setBusy(false)
    }
  }

  const edit = (set: (v: string) => void) => (e: { detail: { value: string } }) => {
    setRefusal(null)
    set(e.detail.value)
  }

  return (
    <View className="mgr-staff__card">
      <Text className="mgr-staff__card-title">添加店员</Text>
      <View className="mgr-staff__field">
        <Text className="mgr-staff__field-label">手机号</Text>
        <Input
          className="mgr-staff__field-input"
          type="number"
          maxlength={11}
          placeholder="店员登录用的手机号"
          value={phone}
          onInput={edit(setPhone)}
        />
      </View>
      {phoneProblem(phone, true) && <Text className="mgr-staff__field-problem">{phoneProblem(phone, true)}</Text>}
      <View className="mgr-staff__field">
        <Text className="mgr-staff__field-label">每日上限</Text>
        <Input className="mgr-staff__field-input" type="number" placeholder="每日最多发放积分" value={cap} onInput={edit(setCap)} />
      </View>
      {capProblem(cap) && <Text className="mgr-staff__field-problem">{capProblem(cap)}</Text>}
      <Text className="mgr-staff__hint">已登录过的会员立即成为本店店员；未登录过的手机号将收到邀请，首次登录后生效。</Text>
      {refusal && <Text className="mgr-staff__refusal">{refusal}</Text>}
      <Button
        className="mgr-staff__button"
        disabled={busy || !phone.trim() || !cap.trim() || undefined}
        loading={busy}
        onClick={() => void onAdd()}
      >
        添加
      </Button>
    </View>
  )
}

/** One staff member: name, role, phone, since; today's awarded points against the cap; 修改上限 and 停用 for clerks. */
function StaffRow(props: { staff: StoreStaffMember; busy: boolean; onBusy: (busy: boolean) => void }) {
  const { staff: s } = props
  const usage = capUsage(s)
  const [editing, setEditing] = useState(false)
  const [cap, setCap] = useState('')

  async function onSaveCap() {
    const capPoints = parseCap(cap)
    if (capPoints === null) return showErrorToast(capProblem(cap) ?? 'invalid_award_cap')
    props.onBusy(true)
    try {
      await setClerkCap(s.member_id, capPoints)
      setEditing(false)
      void Taro.showToast({ title: `上限已改为 ${formatPoints(capPoints)}`, icon: 'none' })
    } catch (e) {
      showErrorToast(errorCodeOf(e))
    } finally {
      props.onBusy(false)
    }
  }

  async function onDeactivate() {
    let reason: string
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: [...DEACTIVATE_REASONS] })
      reason = DEACTIVATE_REASONS[tapIndex]
    } catch {
      return // the sheet was dismissed
    }
    const { confirm } = await Taro.showModal({
      title: '停用店员',
      content: deactivateConfirmText(s, reason),
      confirmText: '确认停用',
      confirmColor: COLORS.brand,
    })
    if (!confirm) return
    props.onBusy(true)
    try {
      await deactivateClerk(s.member_id, reason)
      void Taro.showToast({ title: `已停用「${s.nickname}」`, icon: 'none' })
    } catch (e) {
      showErrorToast(errorCodeOf(e))
    } finally {
      props.onBusy(false)
    }
  }

  return (
    <View className={`mgr-staff__row${s.active ? '' : ' mgr-staff__row--inactive'}`}>
      <View className="mgr-staff__row-head">
        <Text className="mgr-staff__name">
          {s.nickname}
          {s.is_self ? '（我）' : ''}
        </Text>
        {!s.active && <Text className="mgr-staff__badge">已停用</Text>}
      </View>
      <Text className="mgr-staff__meta">{staffMeta(s)}</Text>
      {s.active && (
        <View className="mgr-staff__usage">
          <View className="mgr-staff__usage-line">
            <Text className="mgr-staff__usage-label">今日已发 / 每日上限</Text>
            <Text className={`mgr-staff__usage-text${usage.reached ? ' mgr-staff__usage-text--reached' : ''}`}>{usage.text}</Text>
          </View>
          <View className="mgr-staff__track">
            <View
              className={`mgr-staff__bar${usage.reached ? ' mgr-staff__bar--reached' : ''}`}
              style={{ width: `${Math.round(usage.share * 100)}%` }}
            />
          </View>
        </View>
      )}
      {isManageable(s) && !editing && (
        <View className="mgr-staff__actions">
          <Button
            className="mgr-staff__action"
            size="mini"
            disabled={props.busy || undefined}
            onClick={() => {
              setCap(String(s.daily_award_cap_points))
              setEditing(true)
            }}
          >
            修改上限
          </Button>
          <Button
            className="mgr-staff__action mgr-staff__action--danger"
            size="mini"
            disabled={props.busy || undefined}
            onClick={() => void onDeactivate()}
          >
            停用
          </Button>
        </View>
      )}
      {editing && (
        <View className="mgr-staff__edit">
          <Input
            className="mgr-staff__edit-input"
            type="number"
            placeholder="新的每日上限"
            value={cap}
            focus
            onInput={(e) => setCap(e.detail.value)}
          />
          <Button
            className="mgr-staff__action"
            size="mini"
            disabled={props.busy || !cap.trim() || undefined}
            loading={props.busy}
            onClick={() => void onSaveCap()}
          >
            保存
          </Button>
          <Button className="mgr-staff__action mgr-staff__action--plain" size="mini" onClick={() => setEditing(false)}>
            取消
          </Button>
        </View>
      )}
      {editing && capProblem(cap) && <Text className="mgr-staff__field-problem mgr-staff__field-problem--inline">{capProblem(cap)}</Text>}
    </View>
  )
}

/** 店员管理 (managers): the store's staff with today's awarded points vs cap, invitations, 添加店员, 修改上限, 停用. */
function StaffManage() {
  const list = useStoreStaff()
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    void storeStaffStore.getState().load()
  }, [])
  useDidShow(() => void storeStaffStore.getState().refresh())

  const data = list.data
  const { active, inactive } = splitStaff(data?.staff ?? [])
  return (
    <View className="mgr-staff">
      <StateView status={list.status} errorCode={list.errorCode} onRetry={() => void list.load()} hasData={!!data}>
        {data && (
          <>
            <View className="mgr-staff__head">
              <Text className="mgr-staff__store">{data.store_name}</Text>
              <Text className="mgr-staff__date">
                今日 {data.business_date} · 在职 {active.length} 人
              </Text>
            </View>

            <AddClerk />

            <View className="mgr-staff__card">
              <Text className="mgr-staff__card-title">在职员工</Text>
              {active.map((s) => (
                <StaffRow key={s.member_id} staff={s} busy={busy} onBusy={setBusy} />
              ))}
            </View>

            {data.invitations.length > 0 && (
              <View className="mgr-staff__card">
                <Text className="mgr-staff__card-title">待接受的邀请</Text>
                {data.invitations.map((i) => (
                  <View key={i.id} className="mgr-staff__row">
                    <Text className="mgr-staff__name">{i.phone}</Text>
                    <Text className="mgr-staff__meta">{invitationMeta(i)}</Text>
                  </View>
                ))}
                <Text className="mgr-staff__hint">对方用该手机号首次登录后自动成为店员；重新添加同一手机号可更改上限。</Text>
              </View>
            )}

            {inactive.length > 0 && (
              <View className="mgr-staff__card">
                <Text className="mgr-staff__card-title">已停用</Text>
                {inactive.map((s) => (
                  <StaffRow key={s.member_id} staff={s} busy={busy} onBusy={setBusy} />
                ))}
                <Text className="mgr-staff__hint">重新添加其手机号即可恢复为店员。</Text>
              </View>
            )}
          </>
        )}
      </StateView>
    </View>
  )
}

export default withSession(StaffManage)
