import { Input, Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useEffect, useState } from 'react'

import Tappable from '../../components/Tappable'
import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf, messageFor } from '../../domain/errors'
import { roleLabel } from '../../domain/member'
import { classifyScan } from '../../domain/staff'
import { scanCode } from '../../platform/scan'
import { useWedgeScans } from '../../components/wedge'
import { ROUTES } from '../../routes'
import { meStore, useMe } from '../../stores/member'

import './index.scss'

/** Where a scanned or typed code leads: the member's award screen, or the voucher's. */
function openScanned(text: string): boolean {
  const scanned = classifyScan(text)
  if (scanned.kind === 'member') void Taro.navigateTo({ url: `${ROUTES.staffAward}?code=${encodeURIComponent(scanned.code)}` })
  else if (scanned.kind === 'voucher') void Taro.navigateTo({ url: `${ROUTES.staffVerify}?code=${scanned.code}` })
  else showErrorToast('无法识别，请扫描会员码或兑换券')
  return scanned.kind !== 'unknown'
}

/**
 * 门店工作台: scan (or type) a member code or a voucher; the recent actions; for managers the dashboard, 店员管理 and
 * 会员查询.
 */
function StaffHome() {
  const me = useMe()
  const [typed, setTyped] = useState('')
  const [scanning, setScanning] = useState(false)

  useEffect(() => {
    void meStore.getState().load()
  }, [])
  useDidShow(() => void meStore.getState().refresh())
  // a keyboard-wedge barcode scanner (H5): its scan of a member code or voucher opens it, no tap needed
  useWedgeScans((text) => classifyScan(text).kind !== 'unknown' && openScanned(text))

  async function onScan() {
    if (scanning) return
    setScanning(true)
    try {
      const text = await scanCode()
      if (text !== null) openScanned(text)
    } catch (e) {
      showErrorToast(errorCodeOf(e))
    } finally {
      setScanning(false)
    }
  }

  function onSubmitTyped() {
    if (openScanned(typed)) setTyped('')
  }

  const staff = me.data?.staff
  return (
    <View className="staff-home">
      <StateView status={me.status} errorCode={me.errorCode} onRetry={() => void me.load()} hasData={!!me.data}>
        {me.data && !staff && <View className="staff-home__notice">{messageFor('not_staff')}</View>}
        {me.data && staff && (
          <>
            <View className="staff-home__card">
              <Text className="staff-home__store">{staff.store_name}</Text>
              <Text className="staff-home__who">
                {me.data.nickname} · {roleLabel(staff.role)}
              </Text>
            </View>

            <Tappable className="staff-home__scan" busy={scanning} onTap={() => void onScan()}>
              <Text className="staff-home__scan-title">{scanning ? '正在打开摄像头…' : '扫一扫'}</Text>
              <Text className="staff-home__scan-hint">扫会员码发积分 · 扫兑换券核销</Text>
            </Tappable>

            <View className="staff-home__card">
              <Text className="staff-home__card-title">手动输入</Text>
              <View className="staff-home__manual">
                <Input
                  className="staff-home__input"
                  placeholder="输入12位券码或会员码"
                  value={typed}
                  onInput={(e) => setTyped(e.detail.value)}
                  onConfirm={onSubmitTyped}
                />
                <Button className="staff-home__go" size="mini" disabled={!typed.trim() || undefined} onClick={onSubmitTyped}>
                  确定
                </Button>
              </View>
            </View>

            <View className="staff-home__card">
              <Tappable className="staff-home__link" onTap={() => void Taro.navigateTo({ url: ROUTES.staffActions })}>
                <Text>{staff.role === 'manager' ? '门店最近操作' : '我的最近操作'}</Text>
                <Text className="staff-home__arrow">撤销积分 ›</Text>
              </Tappable>
              {staff.role === 'manager' && (
                <>
                  <Tappable className="staff-home__link" onTap={() => void Taro.navigateTo({ url: ROUTES.dashboard })}>
                    <Text>经营看板</Text>
                    <Text className="staff-home__arrow">发放 · 兑换 · 负债 ›</Text>
                  </Tappable>
                  <Tappable className="staff-home__link" onTap={() => void Taro.navigateTo({ url: ROUTES.managerStaff })}>
                    <Text>店员管理</Text>
                    <Text className="staff-home__arrow">添加 · 上限 · 停用 ›</Text>
                  </Tappable>
                  <Tappable className="staff-home__link" onTap={() => void Taro.navigateTo({ url: ROUTES.managerMembers })}>
                    <Text>会员查询</Text>
                    <Text className="staff-home__arrow">本店会员 · 消费记录 ›</Text>
                  </Tappable>
                </>
              )}
            </View>
          </>
        )}
      </StateView>
    </View>
  )
}

export default withSession(StaffHome)
