import { Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useState } from 'react'

import Tappable from '../../components/Tappable'
import Button from '../../components/Button'
import { withSession } from '../../components/SessionGate'
import StateView from '../../components/StateView'
import { showErrorToast } from '../../components/toast'
import { errorCodeOf } from '../../domain/errors'
import { formatPoints } from '../../domain/format'
import { classifyMemberQuery, storeSpendText, storeVisitsText, type StoreMember } from '../../domain/manager'
import { scanCode } from '../../platform/scan'
import { ROUTES } from '../../routes'
import { memberSearchStore, useMemberSearch } from '../../stores/manager'

import './index.scss'

function MemberRow({ member: m }: { member: StoreMember }) {
  return (
    <Tappable
      className="mgr-members__row"
      onTap={() => void Taro.navigateTo({ url: `${ROUTES.managerMember}?id=${encodeURIComponent(m.member_id)}` })}
    >
      <View className="mgr-members__row-main">
        <View className="mgr-members__row-head">
          <Text className="mgr-members__name">{m.nickname}</Text>
          <Text className="mgr-members__tier">{m.tier_name}</Text>
        </View>
        <Text className="mgr-members__meta">{m.phone ?? '未绑定手机号'}</Text>
        <Text className="mgr-members__meta">{storeSpendText(m)}</Text>
        <Text className="mgr-members__meta">{storeVisitsText(m)}</Text>
      </View>
      <View className="mgr-members__side">
        <Text className="mgr-members__points">{formatPoints(m.balance_points)}</Text>
        <Text className="mgr-members__points-label">可用积分 ›</Text>
      </View>
    </Tappable>
  )
}

/** 会员查询 (managers): his store's members by full phone, member code (typed or scanned) or member id. */
function MemberSearch() {
  const search = useMemberSearch()
  const [typed, setTyped] = useState('')
  /** The query this visit asked: an answer from an earlier visit is not shown. */
  const [asked, setAsked] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [scanning, setScanning] = useState(false)

  function submit(text: string) {
    const q = classifyMemberQuery(text)
    if (q.kind === 'invalid') {
      setProblem(q.problem)
      return
    }
    setProblem(null)
    setAsked(q.query)
    void memberSearchStore.getState().load(q.query)
  }

  async function onScan() {
    if (scanning) return
    setScanning(true)
    try {
      const text = await scanCode()
      if (text === null) return
      const q = classifyMemberQuery(text)
      if (q.kind !== 'code') return showErrorToast('无法识别，请扫描会员的会员码')
      setTyped('')
      submit(q.query)
    } catch (e) {
      showErrorToast(errorCodeOf(e))
    } finally {
      setScanning(false)
    }
  }

  const mine = asked !== null && search.data?.query === asked
  const status = asked === null ? 'ready' : mine || search.status !== 'ready' ? search.status : 'loading'
  const members = mine ? search.data!.members : []
  return (
    <View className="mgr-members">
      <View className="mgr-members__card">
        <View className="mgr-members__search">
          <Input
            className="mgr-members__input"
            placeholder="手机号 / 会员码 / 会员编号"
            value={typed}
            confirmType="search"
            onInput={(e) => {
              setProblem(null)
              setTyped(e.detail.value)
            }}
            onConfirm={() => submit(typed)}
          />
          <Button className="mgr-members__go" size="mini" disabled={!typed.trim() || undefined} onClick={() => submit(typed)}>
            查询
          </Button>
        </View>
        {problem && <Text className="mgr-members__problem">{problem}</Text>}
        <Tappable className="mgr-members__scan" busy={scanning} onTap={() => void onScan()}>
          <Text>{scanning ? '正在打开摄像头…' : '扫会员码查询'}</Text>
        </Tappable>
      </View>

      {asked === null ? (
        <View className="mgr-members__intro">
          <Text>输入完整的11位手机号、扫描会员码或输入会员编号，查询在本店消费过的会员。</Text>
        </View>
      ) : (
        <StateView
          status={status}
          errorCode={search.errorCode}
          onRetry={() => void memberSearchStore.getState().load(asked)}
          hasData={mine && search.status !== 'error'}
          empty={mine && members.length === 0}
          emptyText="本店没有找到该会员（仅可查询在本店消费过的会员）"
        >
          {members.map((m) => (
            <MemberRow key={m.member_id} member={m} />
          ))}
        </StateView>
      )}
    </View>
  )
}

export default withSession(MemberSearch)
