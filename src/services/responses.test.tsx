// Answers of the wrong shape (null, {}, a wrong-typed field) reach the screens as the error view with 重试,
// never as a crash (`data.tier.name` of nothing). Nothing is stubbed between the screens and the network:
// the platform fetch answers every request with the bad body, so postgrest-js, runQuery, the shape checks
// (src/domain/responses.ts), the stores and StateView all run as in the app.
import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen } from '@testing-library/react'
import type { ComponentType } from 'react'

import Home from '../pages/home/index'
import CheckIn from '../member/checkin/index'
import Tasks from '../member/tasks/index'
import Mall from '../pages/mall/index'
import Redemptions from '../member/redemptions/index'
import History from '../member/history/index'
import MemberCode from '../pages/code/index'
import Profile from '../member/profile/index'
import Invite from '../member/invite/index'
import Messages from '../member/messages/index'
import StaffAward from '../staff/award/index'
import { setItem } from '../platform/storage'
import { meStore, reminderDaysStore } from '../stores/member'
import { programStore } from '../stores/program'
import { sessionStore } from '../stores/session'
import { aMe, aSession } from '../../test/factories/me'
import { A_MEMBER_CODE } from '../../test/factories/staff'

const BAD_ANSWERS: [string, string][] = [
  ['null', 'null'],
  ['{}', '{}'],
  ['an array of a wrong element', '[{}]'],
  ['a wrong-typed field', JSON.stringify({ ...aMe(), tier: '普通会员', balance_points: '469', items: 'none', days: 3, token: 7 })],
]

let body = 'null'
let requests: string[] = []
const initial = {
  me: meStore.getState(),
  program: programStore.getState(),
  session: sessionStore.getState(),
  reminder: reminderDaysStore.getState(),
}

beforeEach(() => {
  requests = []
  meStore.setState(initial.me, true)
  programStore.setState(initial.program, true)
  sessionStore.setState(initial.session, true)
  reminderDaysStore.setState(initial.reminder, true)
  setItem('jifen.session', JSON.stringify(aSession()))
  ;(globalThis as { fetch?: unknown }).fetch = jest.fn(async (url: string) => {
    requests.push(String(url))
    return {
      ok: true,
      status: 200,
      statusText: 'OK',
      headers: { get: () => null, forEach: () => undefined },
      text: async () => body,
    } as unknown as Response
  })
  jest.spyOn(Taro, 'useRouter').mockReturnValue({ params: { code: encodeURIComponent(A_MEMBER_CODE), id: 'x' }, path: '/' } as any)
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
})
afterEach(() => {
  jest.restoreAllMocks()
  delete (globalThis as { fetch?: unknown }).fetch
})

const SCREENS: [string, ComponentType, boolean][] = [
  ['home', Home, true],
  ['check-in calendar', CheckIn, true],
  ['tasks', Tasks, true],
  ['mall', Mall, true],
  ['my redemptions', Redemptions, true],
  ['points history', History, true],
  ['member code', MemberCode, true],
  ['profile', Profile, true],
  ['invite', Invite, true],
  ['消息中心', Messages, true],
  ['staff award (member preview)', StaffAward, false],
]

describe.each(BAD_ANSWERS)('an answer that is %s', (_label, bad) => {
  it.each(SCREENS)('%s shows the error view, not a crash', async (_name, Screen, retry) => {
    body = bad
    render(<Screen />)
    expect((await screen.findAllByText('服务异常，请稍后重试')).length).toBeGreaterThan(0)
    expect(requests.length).toBeGreaterThan(0)
    if (retry) {
      // 重试 asks again; a good answer would then show (here it is still bad: the same view again)
      const before = requests.length
      await act(async () => fireEvent.click(screen.getAllByText('重试')[0]))
      expect(requests.length).toBeGreaterThan(before)
      expect((await screen.findAllByText('服务异常，请稍后重试')).length).toBeGreaterThan(0)
    }
  })
})

it('home recovers with 重试 once the answer is right', async () => {
  body = '{}'
  render(<Home />)
  await screen.findByText('服务异常，请稍后重试')
  body = JSON.stringify(aMe())
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('469')).toBeInTheDocument()
})
