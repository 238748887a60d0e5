import { AppError } from '../domain/errors'
import { fetchEntries, fetchExpirySchedule } from '../services/history'
import { fetchMe } from '../services/member'
import { signOut } from '../services/session'
import { listStaffActions } from '../services/staff'
import { expiryStore, historyStore } from './history'
import { meStore } from './member'
import { sessionStore } from './session'
import { staffActionsStore } from './staff'
import { aMe } from '../../test/factories/me'
import { aStaffAction } from '../../test/factories/staff'

jest.mock('../services/member')
jest.mock('../services/history')
jest.mock('../services/session')
jest.mock('../services/staff')

const entry = {
  id: 1,
  amount_points: 5,
  kind: 'earn' as const,
  source: 'check_in' as const,
  description: '',
  business_date: '2026-11-24',
  created_at: '2026-11-24T00:30:00Z',
}

it('signing out forgets the session and empties every member store (nothing of this member is left to show)', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(fetchEntries).mockResolvedValue([entry])
  jest.mocked(fetchExpirySchedule).mockResolvedValue([{ date: '2027-11-24', points: 5 }])
  jest.mocked(listStaffActions).mockResolvedValue([aStaffAction()])
  await Promise.all([
    meStore.getState().load(),
    historyStore.getState().load('earn'),
    expiryStore.getState().load(),
    staffActionsStore.getState().load(),
  ])
  expect(meStore.getState().data?.balance_points).toBe(469)
  expect(historyStore.getState().items).toHaveLength(1)

  sessionStore.getState().signOut()

  expect(signOut).toHaveBeenCalled()
  expect(sessionStore.getState()).toMatchObject({ status: 'signed_out', member: undefined })
  expect(meStore.getState()).toMatchObject({ status: 'idle', data: undefined })
  expect(expiryStore.getState()).toMatchObject({ status: 'idle', data: undefined })
  expect(historyStore.getState()).toMatchObject({ status: 'idle', items: [], filter: 'all', hasMore: false })
  expect(staffActionsStore.getState()).toMatchObject({ status: 'idle', items: [] })
})

it('an answer still on its way for the signed-out member is dropped', async () => {
  let answer!: (v: ReturnType<typeof aMe>) => void
  jest.mocked(fetchMe).mockReturnValueOnce(new Promise((r) => (answer = r)))
  let page!: (v: (typeof entry)[]) => void
  jest.mocked(fetchEntries).mockReturnValueOnce(new Promise((r) => (page = r)))
  const loading = meStore.getState().load()
  const listing = historyStore.getState().load('all')
  sessionStore.getState().signOut()
  answer(aMe())
  page([entry])
  await Promise.all([loading, listing])
  expect(meStore.getState()).toMatchObject({ status: 'idle', data: undefined })
  expect(historyStore.getState()).toMatchObject({ status: 'idle', items: [] })
})

it('a failed load after sign-out does not bring an error back either', async () => {
  let fail!: (e: unknown) => void
  jest.mocked(fetchMe).mockReturnValueOnce(new Promise((_, r) => (fail = r)))
  const loading = meStore.getState().load()
  sessionStore.getState().signOut()
  fail(new AppError('not_authenticated'))
  await loading
  expect(meStore.getState()).toMatchObject({ status: 'idle', errorCode: undefined })
})
