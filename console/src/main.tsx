import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

import { App } from './App'
import './console.css'

/**
 * antd's theme with text colours of at least 4.5:1 on white and on the grey page (axe-core, issue 17; the
 * browser tests check every console screen): antd's defaults for secondary text (#8c8c8c), placeholders
 * (#bfbfbf), links (#1677ff), danger (#ff4d4f), success (#52c41a) and warning fall short. Tags use the status
 * colours (success / warning), which follow these tokens; antd's preset green / orange / gold tags do not pass.
 */
const CONSOLE_THEME: ThemeConfig = {
  token: {
    colorPrimary: '#c8102e',
    borderRadius: 6,
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    colorLink: '#0958d9',
    colorLinkHover: '#003eb3',
    colorLinkActive: '#002c8c',
    colorError: '#cf1322',
    colorSuccess: '#237804',
    colorWarning: '#ad4e00',
    // the light fills antd derives for its own status colours: derived from the dark ones above they turned grey
    // (a success tag: #237804 on #adb8a5, 2.7:1)
    colorSuccessBg: '#f6ffed',
    colorSuccessBorder: '#b7eb8f',
    colorWarningBg: '#fff7e6',
    colorWarningBorder: '#ffd591',
  },
}

dayjs.locale('zh-cn')

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={CONSOLE_THEME}>
      <AntApp>
        <App />
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
)
