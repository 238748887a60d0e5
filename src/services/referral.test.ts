import { AppError } from '../domain/errors'
import { getItem, setItem } from '../platform/storage'
import { bindRememberedInviter, INVITER_STORAGE_KEY, listInvitees, rememberInviter, rememberedInviter } from './referral'
import { memberRpc } from './session'

jest.mock('./session')

const bound = {
  referrer: { nickname: '林小满', avatar_url: null },
  channel: 'share',
  status: 'pending',
  bound_at: '2026-11-24T04:00:00+00:00',
  qualifying_action: 'first_check_in_after_phone',
  bonus_points: 100,
}

beforeEach(() => {
  jest.resetAllMocks()
  localStorage.clear()
})

// (the answer's shape is checked where every RPC answer enters the app: callRpc, src/services/rpc.test.ts)
it('lists invitees 20 at a time, paging by bound_at', async () => {
  jest.mocked(memberRpc).mockResolvedValue({} as never)
  await listInvitees()
  expect(memberRpc).toHaveBeenLastCalledWith('list_invitees', { p_limit: 20, p_before: undefined })
  await listInvitees({ before: '2026-11-20T02:00:00.5+00:00', limit: 5 })
  expect(memberRpc).toHaveBeenLastCalledWith('list_invitees', { p_limit: 5, p_before: '2026-11-20T02:00:00.5+00:00' })
})

it('remembers a shared code (normalised) and ignores values that cannot be codes', () => {
  expect(rememberInviter(' abcd2345 ')).toBe(true)
  expect(getItem(INVITER_STORAGE_KEY)).toBe('ABCD2345')
  expect(rememberInviter('nonsense')).toBe(false)
  expect(rememberInviter(undefined)).toBe(false)
  expect(rememberedInviter()).toBe('ABCD2345')
  expect(rememberInviter('WXYZ6789')).toBe(true)
  expect(rememberedInviter()).toBe('WXYZ6789')
})

it('nothing remembered: none, no call', async () => {
  expect(await bindRememberedInviter()).toBe('none')
  setItem(INVITER_STORAGE_KEY, 'garbage')
  expect(await bindRememberedInviter()).toBe('none')
  expect(getItem(INVITER_STORAGE_KEY)).toBeNull()
  expect(memberRpc).not.toHaveBeenCalled()
})

it('binds the remembered code by share and forgets it', async () => {
  jest.mocked(memberRpc).mockResolvedValue(bound)
  rememberInviter('ABCD2345')
  expect(await bindRememberedInviter()).toBe('bound')
  expect(memberRpc).toHaveBeenCalledWith('bind_referrer', { p_invite_code: 'ABCD2345', p_channel: 'share' })
  expect(rememberedInviter()).toBeNull()
})

it.each([
  'referral_window_closed',
  'referrer_already_bound',
  'self_referral',
  'invite_code_not_found',
  'invalid_invite_code',
  'referral_cycle',
])('a final refusal (%s) forgets the code and is returned', async (code) => {
  jest.mocked(memberRpc).mockRejectedValue(new AppError(code))
  rememberInviter('ABCD2345')
  expect(await bindRememberedInviter()).toBe(code)
  expect(rememberedInviter()).toBeNull()
})

it('a network error or missing session keeps the code for the next start', async () => {
  rememberInviter('ABCD2345')
  jest.mocked(memberRpc).mockRejectedValueOnce(new AppError('network_error'))
  expect(await bindRememberedInviter()).toBe('network_error')
  expect(rememberedInviter()).toBe('ABCD2345')
  jest.mocked(memberRpc).mockRejectedValueOnce(new AppError('not_authenticated'))
  expect(await bindRememberedInviter()).toBe('not_authenticated')
  jest.mocked(memberRpc).mockRejectedValueOnce(new TypeError('boom'))
  expect(await bindRememberedInviter()).toBe('unknown')
  expect(rememberedInviter()).toBe('ABCD2345')
  jest.mocked(memberRpc).mockResolvedValueOnce(bound)
  expect(await bindRememberedInviter()).toBe('bound')
  expect(rememberedInviter()).toBeNull()
})

it('concurrent calls share one request; a newer share made meanwhile is kept', async () => {
  let resolve!: (v: unknown) => void
  jest.mocked(memberRpc).mockReturnValue(new Promise((r) => (resolve = r)))
  rememberInviter('ABCD2345')
  const a = bindRememberedInviter()
  const b = bindRememberedInviter()
  rememberInviter('WXYZ6789')
  resolve(bound)
  expect(await a).toBe('bound')
  expect(await b).toBe('bound')
  expect(memberRpc).toHaveBeenCalledTimes(1)
  expect(rememberedInviter()).toBe('WXYZ6789')
})
