import { Input, Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'

import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { useWedgeScans } from '../../components/wedge'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf, mayHaveReachedServer } from '../../domain/errors'
import { fenToYuan, formatPoints } from '../../domain/format'
import { newRequestId } from '../../domain/id'
import { nicknameInitial } from '../../domain/member'
import {
  classifyScan,
  awardBreakdown,
  awardConfirmText,
  amountProblem,
  awardedPointsLabel,
  tierBadge,
  normalizeOrderRef,
  parseYuanToFen,
  repeatAwardText,
  type MemberPreview,
  type PurchaseResult,
} from '../../domain/staff'
import { businessDateTime } from '../../domain/time'
import { scanCode } from '../../platform/scan'
import { amountInputType } from '../../platform/ui'
import { ROUTES } from '../../routes'
import { awardPurchase, memberPreviewStore, previewFor, useMemberPreview } from '../../stores/staff'
import Row from '../Row'

import './index.scss'
import { COLORS } from '../../styles/colors'

function MemberCard({ member }: { member: MemberPreview }) {
  return (
    <View className="staff-award__card">
      <View className="staff-award__member">
        <Text className="staff-award__avatar">{nicknameInitial(member.nickname)}</Text>
        <View className="staff-award__who">
          <Text className="staff-award__nickname">{member.nickname}</Text>
          {member.phone && <Text className="staff-award__phone">{member.phone}</Text>}
        </View>
        <Text className="staff-award__tier">{tierBadge(member.tier)}</Text>
      </View>
      <View className="staff-award__balances">
        <Text>可用积分 {formatPoints(member.balance_points)}</Text>
        {member.pending_points > 0 && <Text>待生效 {formatPoints(member.pending_points)}</Text>}
      </View>
    </View>
  )
}

/**
 * The answer: the points awarded; or, for an order awarded before (`repeat`), when and by whom, and that nothing
 * was awarded this time; or, for an order voided since, that it was voided. Only a fresh award looks like success.
 */
function Result({ result }: { result: PurchaseResult }) {
  const voided = result.status === 'voided'
  const repeat = result.repeat === true
  let title = '积分已发放'
  let headline = awardedPointsLabel(result)
  if (voided) {
    title = '该订单已撤销'
    headline = '本次未发放积分'
  } else if (repeat) {
    title = repeatAwardText(result)
    headline = '本次未重复发放'
  }
  return (
    <>
      <View className={`staff-award__result${voided || repeat ? ' staff-award__result--nothing' : ''}`}>
        <Text className="staff-award__result-title">{title}</Text>
        <Text className="staff-award__points">{headline}</Text>
        {!voided && !repeat && awardBreakdown(result) && <Text className="staff-award__breakdown">{awardBreakdown(result)}</Text>}
      </View>
      <View className="staff-award__card">
        <Row label="会员" value={`${result.member.nickname} ${result.member.phone ?? ''}`.trim()} />
        <Row label="消费金额" value={fenToYuan(result.amount_fen)} />
        <Row label="订单号" value={result.order_ref} />
        {repeat && !voided && <Row label="当时发放" value={awardedPointsLabel(result)} />}
        <Row label="会员可用积分" value={formatPoints(result.balance_points)} />
        {result.pending && <Row label="积分生效时间" value={businessDateTime(result.available_at)} />}
        {result.awarded_by?.nickname && <Row label="经办人" value={result.awarded_by.nickname} />}
        <Row label={repeat ? '发放时间' : '时间'} value={businessDateTime(result.created_at)} />
      </View>
    </>
  )
}

/**
 * 消费积分: the scanned member (preview), amount paid and order number, confirm, the points awarded. Opened with a
 * code (from 扫一扫 on the workbench) or without one (the counter: it waits for a code). A keyboard-wedge barcode
 * scanner works here at any time on H5, with no tap (src/platform/wedge.ts): its scan of a member code starts
 * the next customer, filling the code and loading the preview; the code can also be typed (digits with or
 * without spaces, or the token) or scanned with the camera.
 */
function StaffAward() {
  const routeCode = decodeURIComponent(useRouter().params.code ?? '')
  const [code, setCode] = useState(routeCode)
  /** The code this visit has previewed: a preview of it from an earlier visit is not shown (it may have expired). */
  const [previewed, setPreviewed] = useState<string | null>(null)
  const preview = previewFor(useMemberPreview(), code, previewed === code)
  const [amount, setAmount] = useState('')
  const [orderRef, setOrderRef] = useState('')
  const [typed, setTyped] = useState('')
  const [submitting, setSubmitting] = useState(false)
  const [result, setResult] = useState<PurchaseResult | null>(null)
  /** The request id of an award that may have reached the server: a retry of the same input reuses it. */
  const pendingRequestId = useRef<string | null>(null)

  /** The next customer: a member code from a scan or typed. Answers whether the text was a member code. */
  function startWith(text: string): boolean {
    const scanned = classifyScan(text)
    if (scanned.kind !== 'member') return false
    pendingRequestId.current = null
    setResult(null)
    setAmount('')
    setOrderRef('')
    setTyped('')
    setCode(scanned.code)
    if (scanned.code === code)
      void memberPreviewStore
        .getState()
        .load(code)
        .then(() => setPreviewed(code))
    return true
  }
  useWedgeScans(startWith)

  useEffect(() => {
    setPreviewed(null)
    if (!code) return
    void memberPreviewStore
      .getState()
      .load(code)
      .then(() => setPreviewed(code))
  }, [code])

  async function onCamera() {
    try {
      const text = await scanCode()
      if (text !== null && !startWith(text)) showErrorToast('invalid_member_code')
    } catch (e) {
      showErrorToast(errorCodeOf(e))
    }
  }

  // other input is another award: a new request id
  function edit(set: (v: string) => void) {
    return (e: { detail: { value: string } }) => {
      pendingRequestId.current = null
      set(e.detail.value)
    }
  }

  const member = preview.data?.member

  async function onSubmit() {
    if (!member || submitting) return
    const amountFen = parseYuanToFen(amount)
    if (amountFen === null) return showErrorToast(amountProblem(amount) ?? 'invalid_amount')
    const ref = normalizeOrderRef(orderRef)
    if (ref === null) return showErrorToast('invalid_order_ref')
    const { confirm } = await Taro.showModal({
      title: '确认发放积分',
      content: awardConfirmText(member.nickname, amountFen, ref),
      confirmColor: COLORS.brand,
    })
    if (!confirm) return
    setSubmitting(true)
    pendingRequestId.current ??= newRequestId()
    try {
      setResult(await awardPurchase({ memberCode: code, amountFen, orderRef: ref, requestId: pendingRequestId.current }))
      pendingRequestId.current = null
    } catch (e) {
      const errorCode = errorCodeOf(e)
      showErrorToast(errorCode)
      if (!mayHaveReachedServer(errorCode)) pendingRequestId.current = null
    } finally {
      setSubmitting(false)
    }
  }

  if (!code) {
    return (
      <View className="staff-award">
        <View className="staff-award__card staff-award__waiting">
          <Text className="staff-award__waiting-title">请扫描顾客会员码</Text>
          <Text className="staff-award__waiting-hint">扫码枪对准顾客的条形码或二维码即可，无需点屏幕</Text>
          <View className="staff-award__field">
            <Input
              className="staff-award__field-input"
              placeholder="或输入会员码数字"
              value={typed}
              onInput={(e) => setTyped(e.detail.value)}
              onConfirm={() => void (startWith(typed) || showErrorToast('invalid_member_code'))}
            />
          </View>
          <Button
            className="staff-award__button staff-award__submit"
            disabled={!typed.trim() || undefined}
            onClick={() => void (startWith(typed) || showErrorToast('invalid_member_code'))}
          >
            查询会员
          </Button>
          <Button className="staff-award__button staff-award__button--plain" onClick={() => void onCamera()}>
            摄像头扫码
          </Button>
        </View>
      </View>
    )
  }

  return (
    <View className="staff-award">
      {result ? (
        <>
          <Result result={result} />
          {/* opened from the workbench: back to it; the counter (opened without a code): wait for the next code here */}
          <Button className="staff-award__button" onClick={() => (routeCode ? void Taro.navigateBack() : setCode(''))}>
            继续扫码
          </Button>
          <Button
            className="staff-award__button staff-award__button--plain"
            onClick={() => void Taro.redirectTo({ url: ROUTES.staffActions })}
          >
            查看最近操作
          </Button>
        </>
      ) : (
        <StateView status={preview.status} errorCode={preview.errorCode} hasData={!!member}>
          {member && (
            <>
              <MemberCard member={member} />
              {member.is_self ? (
                <View className="staff-award__notice">这是您自己的会员码，不能给自己发放积分</View>
              ) : (
                <View className="staff-award__card">
                  <View className="staff-award__field">
                    <Text className="staff-award__field-label">消费金额</Text>
                    {/* H5's digit field drops a typed '-' silently ('-5' became ¥5.00): a text field with the
                        decimal keypad, checked as typed; WeChat's digit keypad has no minus key */}
                    <Input
                      className="staff-award__field-input"
                      type={amountInputType}
                      nativeProps={{ inputmode: 'decimal' }}
                      placeholder="实付金额（元）"
                      value={amount}
                      onInput={edit(setAmount)}
                    />
                  </View>
                  {amountProblem(amount) && <Text className="staff-award__field-problem">{amountProblem(amount)}</Text>}
                  <View className="staff-award__field">
                    <Text className="staff-award__field-label">订单号</Text>
                    <Input
                      className="staff-award__field-input"
                      placeholder="小票上的订单号"
                      maxlength={64}
                      value={orderRef}
                      onInput={edit(setOrderRef)}
                    />
                  </View>
                  <Button
                    className="staff-award__button staff-award__submit"
                    disabled={submitting || !amount.trim() || !orderRef.trim() || undefined}
                    loading={submitting}
                    onClick={() => void onSubmit()}
                  >
                    确认发放
                  </Button>
                </View>
              )}
            </>
          )}
        </StateView>
      )}
      {!result && preview.status === 'error' && (
        <Button className="staff-award__button staff-award__button--plain" onClick={() => void Taro.navigateBack()}>
          重新扫码
        </Button>
      )}
    </View>
  )
}

export default withSession(StaffAward)
