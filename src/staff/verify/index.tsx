import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'

import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf, mayHaveReachedServer } from '../../domain/errors'
import { fenToYuan, formatPoints } from '../../domain/format'
import { newRequestId } from '../../domain/id'
import { formatVoucherCode, kindLabel, redemptionDateText, redemptionStatusLabel } from '../../domain/mall'
import { businessDateTime } from '../../domain/time'
import { previewFor, useVoucher, verifyVoucher, voucherStore } from '../../stores/staff'
import Row from '../Row'

import './index.scss'
import { COLORS } from '../../styles/colors'

/** 兑换券核销: the voucher as it stands (preview), then 确认核销 once. */
function StaffVerify() {
  const code = useRouter().params.code ?? ''
  const voucherState = previewFor(useVoucher(), code)
  const [verifying, setVerifying] = useState(false)
  const [justVerified, setJustVerified] = useState(false)
  /** A confirm that may have reached the server: its retry reuses the id and gets the first success back. */
  const pendingRequestId = useRef<string | null>(null)

  useEffect(() => {
    void voucherStore.getState().load(code)
  }, [code])

  const voucher = voucherState.data?.voucher

  async function onVerify() {
    if (!voucher || verifying) return
    const { confirm } = await Taro.showModal({
      title: '确认核销',
      content: `核销「${voucher.item.title}」？核销后不可撤销。`,
      confirmColor: COLORS.brand,
    })
    if (!confirm) return
    setVerifying(true)
    pendingRequestId.current ??= newRequestId()
    try {
      await verifyVoucher(code, pendingRequestId.current) // the voucher store takes the answer (stores/staff)
      pendingRequestId.current = null
      setJustVerified(true)
      void Taro.showToast({ title: '核销成功', icon: 'success' })
    } catch (e) {
      const errorCode = errorCodeOf(e)
      showErrorToast(errorCode)
      // e.g. verified at another till meanwhile: the store shows it as it is; a refusal is a new request next time
      if (!mayHaveReachedServer(errorCode)) pendingRequestId.current = null
    } finally {
      setVerifying(false)
    }
  }

  return (
    <View className="staff-verify">
      <StateView status={voucherState.status} errorCode={voucherState.errorCode} hasData={!!voucher}>
        {voucher && (
          <>
            <View className="staff-verify__head">
              <Text className="staff-verify__title">{voucher.item.title}</Text>
              <Text className="staff-verify__code">{formatVoucherCode(voucher.voucher_code)}</Text>
              <Text className={`staff-verify__status staff-verify__status--${voucher.status}`}>
                {redemptionStatusLabel(voucher.status)}
              </Text>
              {justVerified && <Text className="staff-verify__done">核销成功</Text>}
            </View>
            <View className="staff-verify__card">
              <Row label="类型" value={kindLabel(voucher.item.kind)} />
              {voucher.item.face_value_fen != null && <Row label="面值" value={fenToYuan(voucher.item.face_value_fen)} />}
              <Row label="兑换积分" value={formatPoints(voucher.cost_points)} />
              <Row label="会员" value={`${voucher.member.nickname} ${voucher.member.phone ?? ''}`.trim()} />
              <Row label="兑换时间" value={businessDateTime(voucher.created_at)} />
              <Row label="券状态" value={redemptionDateText(voucher)} />
              {voucher.verified_by && <Row label="核销人" value={voucher.verified_by.nickname} />}
            </View>
            {voucher.status === 'issued' && (
              <Button
                className="staff-verify__button"
                disabled={verifying || undefined}
                loading={verifying}
                onClick={() => void onVerify()}
              >
                确认核销
              </Button>
            )}
          </>
        )}
      </StateView>
      {(justVerified || voucherState.status === 'error' || (voucher && voucher.status !== 'issued')) && (
        <Button className="staff-verify__button staff-verify__button--plain" onClick={() => void Taro.navigateBack()}>
          {justVerified ? '继续扫码' : '重新扫码'}
        </Button>
      )}
    </View>
  )
}

export default withSession(StaffVerify)
