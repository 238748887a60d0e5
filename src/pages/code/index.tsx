import { Text, View } from '@tarojs/components'
import Taro, { useDidHide, useDidShow } from '@tarojs/taro'
import { useEffect, useRef, useState } from 'react'

import Tappable from '../../components/Tappable'
import Barcode from '../../components/Barcode'
import { withSession } from '../../components/SessionGate'
import QrCode from '../../components/QrCode'
import StateView from '../../components/StateView'
import { errorCodeOf, messageFor } from '../../domain/errors'
import {
  codeRemainingMs,
  groupMemberCodeDigits,
  MIN_REFRESH_DELAY_MS,
  refreshCountdownLabel,
  refreshCountdownSeconds,
  refreshDelayMs,
  type MemberCode,
} from '../../domain/membercode'
import { nicknameInitial } from '../../domain/member'
import { brightenScreen } from '../../platform/brightness'
import type { ResourceStatus } from '../../stores/resource'
import { issueMemberCode } from '../../stores/membercode'
import { meStore, useMe } from '../../stores/member'

import './index.scss'

interface Shown {
  code: MemberCode
  /** When it arrived, on this device's clock (only differences of it are used). */
  receivedAtMs: number
}

interface State {
  status: ResourceStatus
  shown?: Shown
  errorCode?: string
}

/** Keep the screen on while the code is shown (mini-program); H5 has no such API: ignore its refusal. */
function keepScreenOn(on: boolean): void {
  try {
    void Promise.resolve(Taro.setKeepScreenOn({ keepScreenOn: on })).catch(() => undefined)
  } catch {
    // not available on this platform
  }
}

/**
 * 会员码: the rotating code a clerk scans: a Code 128 barcode of the 18 digits (POS barcode scanners), the digits
 * in groups (read aloud, typed), and the QR of the signed token (the staff app's camera; docs/staff.md). The
 * screen is at full brightness while it shows (mini-program), as it was before once it leaves. A new code is fetched 10 s before the current one expires (timed with
 * the server's timestamps, not the phone's clock), on tap, and whenever the page is shown again; timers stop
 * while the page is hidden.
 */
function MemberCodePage() {
  const me = useMe()
  const [state, setState] = useState<State>({ status: 'idle' })
  const [now, setNow] = useState(() => Date.now())

  const refreshTimer = useRef<ReturnType<typeof setTimeout>>()
  const ticker = useRef<ReturnType<typeof setInterval>>()
  const latestCall = useRef(0)
  const visible = useRef(false)
  const shownRef = useRef<Shown>()
  /** Restores the brightness the screen had before the code showed (while it shows). */
  const restoreBrightness = useRef<Promise<() => Promise<void>>>()

  function clearRefresh() {
    if (refreshTimer.current !== undefined) clearTimeout(refreshTimer.current)
    refreshTimer.current = undefined
  }

  function scheduleRefresh(delayMs: number) {
    clearRefresh()
    refreshTimer.current = setTimeout(() => void load(), delayMs)
  }

  async function load() {
    clearRefresh()
    const call = ++latestCall.current
    setState((s) => ({ ...s, status: 'loading', errorCode: undefined }))
    try {
      const code = await issueMemberCode()
      if (call !== latestCall.current || !visible.current) return
      const receivedAtMs = Date.now()
      const shown = { code, receivedAtMs }
      shownRef.current = shown
      setState({ status: 'ready', shown })
      setNow(receivedAtMs)
      scheduleRefresh(refreshDelayMs(code, receivedAtMs))
    } catch (e) {
      if (call !== latestCall.current || !visible.current) return
      setState((s) => ({ ...s, status: 'error', errorCode: errorCodeOf(e) }))
      // the code on screen is still good for a while: try again quietly before it runs out
      const old = shownRef.current
      if (old && codeRemainingMs(old.code, old.receivedAtMs, Date.now()) > MIN_REFRESH_DELAY_MS) {
        scheduleRefresh(MIN_REFRESH_DELAY_MS)
      }
    }
  }

  function start() {
    visible.current = true
    keepScreenOn(true)
    restoreBrightness.current ??= brightenScreen()
    if (ticker.current === undefined) ticker.current = setInterval(() => setNow(Date.now()), 1000)
    void load()
  }

  function stop() {
    visible.current = false
    latestCall.current += 1 // answers still on the way are dropped
    clearRefresh()
    if (ticker.current !== undefined) clearInterval(ticker.current)
    ticker.current = undefined
    keepScreenOn(false)
    const restore = restoreBrightness.current
    restoreBrightness.current = undefined
    void restore?.then((r) => r())
  }

  useEffect(() => {
    start()
    if (meStore.getState().status === 'idle') void meStore.getState().load()
    return stop
    // mount and unmount only: start and stop work on refs, and show/hide call them again (useDidShow/useDidHide)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  useDidShow(() => {
    if (!visible.current) start()
  })
  useDidHide(() => stop())

  const shown = state.shown && codeRemainingMs(state.shown.code, state.shown.receivedAtMs, now) > 0 ? state.shown : undefined
  // a code that ran out while nothing was scheduled (e.g. the phone slept): fetch a new one
  const expiredWhileReady = state.status === 'ready' && !shown
  useEffect(() => {
    if (expiredWhileReady && visible.current) void load()
    // when the code runs out, not on every render: load is the page's own function (made anew each render)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [expiredWhileReady])

  const refreshing = state.status === 'loading'
  const status: ResourceStatus = expiredWhileReady ? 'loading' : state.status
  const member = me.data

  return (
    <View className="member-code">
      <View className="member-code__band" />
      <View className="member-code__card">
        {member && (
          <View className="member-code__who">
            <Text className="member-code__avatar">{nicknameInitial(member.nickname)}</Text>
            <View className="member-code__who-text">
              <Text className="member-code__nickname">{member.nickname}</Text>
              <Text className="member-code__tier">{member.tier.name}</Text>
            </View>
          </View>
        )}

        <StateView status={status} errorCode={state.errorCode} onRetry={() => void load()} hasData={!!shown}>
          {shown && (
            <View className={`member-code__body${refreshing ? ' member-code__body--refreshing' : ''}`}>
              <Tappable className="member-code__barcode" label="会员条形码，点击刷新" onTap={() => void load()}>
                <Barcode value={shown.code.digits} width={300} height={80} />
              </Tappable>
              <Text className="member-code__digits" userSelect>
                {groupMemberCodeDigits(shown.code.digits)}
              </Text>
              <Tappable className="member-code__qr" label="会员二维码，点击刷新" onTap={() => void load()}>
                <QrCode value={shown.code.token} size={200} />
              </Tappable>
              <View className="member-code__status">
                {state.status === 'error' ? (
                  <Text className="member-code__error">{messageFor(state.errorCode ?? 'unknown')}</Text>
                ) : (
                  <Text className="member-code__countdown">
                    {refreshing ? '正在刷新…' : refreshCountdownLabel(refreshCountdownSeconds(shown.code, shown.receivedAtMs, now))}
                  </Text>
                )}
                <Tappable inline className="member-code__refresh" onTap={() => void load()}>
                  点击刷新
                </Tappable>
              </View>
            </View>
          )}
        </StateView>

        <View className="member-code__hint">
          <Text className="member-code__hint-text">到店消费时出示此码，店员扫码为你累积积分</Text>
          <Text className="member-code__hint-note">会员码定时更新，截图无效</Text>
        </View>
      </View>
    </View>
  )
}

export default withSession(MemberCodePage)
