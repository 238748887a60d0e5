/**
 * The console's shell: sign-in (the `auth` Edge Function, as the H5 app), the operator check (the first `op_*`
 * call; `not_operator` → 无运营权限), and the layout: a left menu, the signed-in operator and 退出登录.
 */
import {
  AppstoreOutlined,
  AuditOutlined,
  CustomerServiceOutlined,
  DownloadOutlined,
  FireOutlined,
  LogoutOutlined,
  SettingOutlined,
  ShopOutlined,
} from '@ant-design/icons'
import { Button, Layout, Menu, Result, Space, Spin, Typography } from 'antd'
import { useCallback, useEffect, useState, type ReactNode } from 'react'

import { errorCodeOf } from '../../src/domain/errors'
import type { Session } from '../../src/domain/session'
import { setProgramTimeZone } from '../../src/domain/time'
import { currentSession, signOut } from '../../src/services/session'
import { operatorRpc, readTable } from './api/ops'
import { ErrorBoundary } from './components/ErrorBoundary'
import { errorText } from './lib/errors'
import { AuditPage } from './pages/Audit'
import { CampaignsPage } from './pages/Campaigns'
import { CatalogPage } from './pages/Catalog'
import { ExportsPage } from './pages/Exports'
import { LoginPage } from './pages/Login'
import { MembersPage } from './pages/Members'
import { RulesPage } from './pages/Rules'
import { StoresPage } from './pages/Stores'

const PAGES: { key: string; label: string; icon: ReactNode; render: () => ReactNode }[] = [
  { key: 'catalog', label: '商品', icon: <AppstoreOutlined />, render: () => <CatalogPage /> },
  { key: 'campaigns', label: '活动', icon: <FireOutlined />, render: () => <CampaignsPage /> },
  { key: 'rules', label: '规则与任务', icon: <SettingOutlined />, render: () => <RulesPage /> },
  { key: 'members', label: '会员服务', icon: <CustomerServiceOutlined />, render: () => <MembersPage /> },
  { key: 'stores', label: '门店与员工', icon: <ShopOutlined />, render: () => <StoresPage /> },
  { key: 'audit', label: '审计日志', icon: <AuditOutlined />, render: () => <AuditPage /> },
  { key: 'exports', label: '导出', icon: <DownloadOutlined />, render: () => <ExportsPage /> },
]

/** The page in the address (`#/campaigns`), so a reload stays on it. */
function usePageKey(): [string, (key: string) => void] {
  const read = () => {
    const key = window.location.hash.replace(/^#\/?/, '')
    return PAGES.some((p) => p.key === key) ? key : PAGES[0].key
  }
  const [key, setKey] = useState(read)
  useEffect(() => {
    const onHash = () => setKey(read())
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  return [key, (next) => (window.location.hash = `/${next}`)]
}

type Access = { state: 'checking' } | { state: 'operator' } | { state: 'denied' } | { state: 'error'; text: string }

/** Answers after which the saved session is no good: sign in again. */
const SIGNED_OUT_CODES = new Set(['not_authenticated', 'jwt_expired', 'invalid_jwt', 'member_not_found'])

export function App() {
  const [session, setSession] = useState<Session | null>(currentSession)
  const [access, setAccess] = useState<Access>({ state: 'checking' })
  const [pageKey, setPageKey] = usePageKey()

  const leave = useCallback(() => {
    signOut()
    setSession(null)
    setAccess({ state: 'checking' })
  }, [])

  const check = useCallback(async () => {
    setAccess({ state: 'checking' })
    try {
      await operatorRpc('op_list_campaigns', { p_limit: 1 })
      // times are shown and picked in the program's zone (src/domain/time.ts)
      const [program] = await readTable('program')
      setProgramTimeZone(program?.time_zone)
      setAccess({ state: 'operator' })
    } catch (e) {
      const code = errorCodeOf(e)
      if (code === 'not_operator') setAccess({ state: 'denied' })
      else if (SIGNED_OUT_CODES.has(code)) leave()
      else setAccess({ state: 'error', text: errorText(e) })
    }
  }, [leave])

  useEffect(() => {
    if (session) void check()
  }, [session, check])

  if (!session) return <LoginPage onSignedIn={setSession} />

  const who = `${session.member.nickname}${session.member.phone ? `（${session.member.phone}）` : ''}`
  const signOutButton = (
    <Button icon={<LogoutOutlined />} onClick={leave}>
      退出登录
    </Button>
  )

  if (access.state === 'checking') {
    return (
      <div className="console-center">
        <Spin size="large" description="正在确认运营权限…">
          <div style={{ width: 200, height: 80 }} />
        </Spin>
      </div>
    )
  }
  if (access.state === 'denied') {
    return (
      <div className="console-center">
        <Result
          status="403"
          title="无运营权限"
          subTitle={`${who} 不是总部运营人员，不能使用运营后台。如需开通，请联系已有的运营人员。`}
          extra={signOutButton}
        />
      </div>
    )
  }
  if (access.state === 'error') {
    return (
      <div className="console-center">
        <Result
          status="error"
          title="无法连接服务"
          subTitle={access.text}
          extra={
            <Space>
              <Button type="primary" onClick={() => void check()}>
                重试
              </Button>
              {signOutButton}
            </Space>
          }
        />
      </div>
    )
  }

  const page = PAGES.find((p) => p.key === pageKey) ?? PAGES[0]
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={200} theme="dark" style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}>
        <div className="console-brand">积分会员 · 运营后台</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[page.key]}
          items={PAGES.map((p) => ({ key: p.key, icon: p.icon, label: p.label }))}
          onClick={({ key }) => setPageKey(key)}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="console-header">
          <Typography.Text strong>{page.label}</Typography.Text>
          <Space>
            <Typography.Text type="secondary" data-testid="operator-name">
              运营：{who}
            </Typography.Text>
            {signOutButton}
          </Space>
        </Layout.Header>
        <Layout.Content className="console-content" key={page.key}>
          <ErrorBoundary>{page.render()}</ErrorBoundary>
        </Layout.Content>
      </Layout>
    </Layout>
  )
}
