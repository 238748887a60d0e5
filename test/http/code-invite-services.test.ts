// The member-code and referral services (src/services/membercode, src/services/referral) against the real local
// API: issue_member_code, list_invitees (with paging), bind_referrer, and binding the invite code a shared card
// opened the app with (rememberInviter / bindRememberedInviter), with the result shapes the domain types declare.
import { useSeededApi } from '../support/api'
import { SEEDED } from '../factories/members'
import type { MemberCode } from '../../src/domain/membercode'
import { parseTimestampMs } from '../../src/domain/time'
import type { InviteSummary, Invitee } from '../../src/domain/referral'

let session: typeof import('../../src/services/session')
let codes: typeof import('../../src/services/membercode')
let referral: typeof import('../../src/services/referral')
let domainCode: typeof import('../../src/domain/membercode')

useSeededApi()
beforeAll(() => {
  jest.isolateModules(() => {
    session = require('../../src/services/session')
    codes = require('../../src/services/membercode')
    referral = require('../../src/services/referral')
    domainCode = require('../../src/domain/membercode')
  })
})
afterEach(() => {
  session.signOut()
  referral.forgetInviter()
})

let phones = 0
/** A brand-new member (a new phone registers), signed in. */
async function newMember() {
  phones += 1
  const phone = `1370${String(process.pid % 10000).padStart(4, '0')}${String(phones).padStart(3, '0')}`
  return session.signIn({ provider: 'dev', phone })
}

async function inviteCodeOf(phone: string): Promise<string> {
  await session.signIn({ provider: 'dev', phone })
  const { invite_code } = await referral.listInvitees({ limit: 1 })
  session.signOut()
  return invite_code
}

const SUMMARY_KEYS: (keyof InviteSummary)[] = [
  'invite_code',
  'referrer',
  'bonus_points',
  'qualifying_action',
  'daily_max_rewards',
  'rewards_today',
  'invited_count',
  'rewarded_count',
  'earned_points',
  'invitees',
  'bind_until',
]
const INVITEE_KEYS: (keyof Invitee)[] = [
  'nickname',
  'avatar_url',
  'bound_at',
  'status',
  'qualified_at',
  'reward_points',
  'referrer_skipped',
]

test('issue_member_code: the token for the QR, the digits for the barcode and a refresh timed by the server', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  const code: MemberCode = await codes.issueMemberCode()
  expect(Object.keys(code).sort()).toEqual(['digits', 'expires_at', 'server_time', 'token', 'ttl_seconds'])
  expect(code.digits).toMatch(/^9\d{17}$/)
  const hexId = SEEDED.lin.id.replace(/-/g, '').toUpperCase()
  expect(code.token).toMatch(new RegExp(`^M1\\.${hexId}\\.[1-9][0-9]{9}\\.[0-9A-F]{32}$`))
  expect(code.ttl_seconds).toBe(60)
  const expiresMs = parseTimestampMs(code.expires_at)
  const serverMs = parseTimestampMs(code.server_time)
  expect(Number.isFinite(expiresMs) && Number.isFinite(serverMs)).toBe(true)
  // the expiry signed into the token is expires_at
  expect(Number(code.token.split('.')[2]) * 1000).toBe(expiresMs)
  expect(domainCode.codeLifetimeMs(code)).toBeGreaterThan(59_000)
  expect(domainCode.codeLifetimeMs(code)).toBeLessThanOrEqual(60_000)
  const delay = domainCode.refreshDelayMs(code, Date.now())
  expect(delay).toBeGreaterThan(49_000)
  expect(delay).toBeLessThanOrEqual(50_000)
  // asked again at once (a refresh tap): the same stored digits, the same expiry (POST: it is a write)
  const again = await codes.issueMemberCode()
  expect([again.digits, again.expires_at]).toEqual([code.digits, code.expires_at])
})

test('list_invitees: my code, stats and invitees in the declared shape; paging by bound_at', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  const summary = await referral.listInvitees()
  expect(Object.keys(summary).sort()).toEqual([...SUMMARY_KEYS].sort())
  expect(summary.invite_code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/)
  expect(summary).toMatchObject({
    referrer: null,
    bonus_points: 100,
    qualifying_action: 'first_check_in_after_phone',
    daily_max_rewards: 10,
  })
  expect(summary.invited_count).toBeGreaterThanOrEqual(1)
  const chen = summary.invitees.find((i) => i.nickname === '陈一一')!
  expect(Object.keys(chen).sort()).toEqual([...INVITEE_KEYS].sort())
  expect(chen).toMatchObject({ status: 'rewarded', reward_points: 100, referrer_skipped: null })
  expect(Number.isFinite(parseTimestampMs(chen.bound_at))).toBe(true)

  // two more invitees, so there is something to page through
  for (let i = 0; i < 2; i++) {
    await newMember()
    referral.rememberInviter(summary.invite_code)
    expect(await referral.bindRememberedInviter()).toBe('bound')
  }
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  const all = await referral.listInvitees()
  expect(all.invited_count).toBe(summary.invited_count + 2)
  const first = await referral.listInvitees({ limit: 1 })
  const second = await referral.listInvitees({ limit: 1, before: first.invitees[0].bound_at })
  expect(first.invitees).toHaveLength(1)
  expect(second.invitees).toHaveLength(1)
  expect([first.invitees[0], second.invitees[0]]).toEqual(all.invitees.slice(0, 2))
  expect(all.invitees[0]).toMatchObject({ status: 'pending', reward_points: 0, qualified_at: null })
})

test('the invitee sees who invited them', async () => {
  await session.signIn({ provider: 'dev', phone: SEEDED.chen.phone })
  const summary = await referral.listInvitees()
  expect(summary.referrer).toMatchObject({ nickname: '林小满', status: 'rewarded' })
  expect(Object.keys(summary.referrer!).sort()).toEqual(['avatar_url', 'bound_at', 'nickname', 'status'])
})

test('a shared code binds after sign-in (channel share) and is forgotten; binding again answers the same', async () => {
  const linCode = await inviteCodeOf(SEEDED.lin.phone)
  await newMember()
  expect(referral.rememberInviter(linCode.toLowerCase())).toBe(true)
  expect(await referral.bindRememberedInviter()).toBe('bound')
  expect(referral.rememberedInviter()).toBeNull()
  expect(await referral.bindRememberedInviter()).toBe('none')

  const again = await referral.bindReferrer(linCode)
  expect(Object.keys(again).sort()).toEqual(['bonus_points', 'bound_at', 'channel', 'qualifying_action', 'referrer', 'status'])
  expect(again).toMatchObject({ referrer: { nickname: '林小满' }, channel: 'share', status: 'pending', bonus_points: 100 })
  const mine = await referral.listInvitees()
  expect(mine.referrer).toMatchObject({ nickname: '林小满', status: 'pending' })
})

test('final refusals are returned and the code forgotten', async () => {
  const linCode = await inviteCodeOf(SEEDED.lin.phone)
  const chenCode = await inviteCodeOf(SEEDED.chen.phone)

  // an old account
  await session.signIn({ provider: 'dev', phone: SEEDED.lin.phone })
  referral.rememberInviter(chenCode)
  expect(await referral.bindRememberedInviter()).toBe('referral_window_closed')
  expect(referral.rememberedInviter()).toBeNull()

  // a new member: its own code, a code nobody has, then a second referrer
  await newMember()
  const own = (await referral.listInvitees()).invite_code
  referral.rememberInviter(own)
  expect(await referral.bindRememberedInviter()).toBe('self_referral')
  referral.rememberInviter('ZZZZ2222')
  expect(await referral.bindRememberedInviter()).toBe('invite_code_not_found')
  expect(await referral.bindReferrer(linCode)).toMatchObject({ channel: 'code' })
  referral.rememberInviter(chenCode)
  expect(await referral.bindRememberedInviter()).toBe('referrer_already_bound')
  expect(referral.rememberedInviter()).toBeNull()

  // a cycle: E was invited by D, so D may not bind E
  const d = await newMember()
  const dCode = (await referral.listInvitees()).invite_code
  await newMember()
  const eCode = (await referral.listInvitees()).invite_code
  referral.rememberInviter(dCode)
  expect(await referral.bindRememberedInviter()).toBe('bound')
  await session.signIn({ provider: 'dev', phone: d.devPhone! })
  referral.rememberInviter(eCode)
  expect(await referral.bindRememberedInviter()).toBe('referral_cycle')
  expect(referral.rememberedInviter()).toBeNull()
})

test('not signed in yet: the code is kept for the next start', async () => {
  const linCode = await inviteCodeOf(SEEDED.lin.phone)
  referral.rememberInviter(linCode)
  expect(await referral.bindRememberedInviter()).toBe('not_authenticated')
  expect(referral.rememberedInviter()).toBe(linCode)
  await newMember()
  expect(await referral.bindRememberedInviter()).toBe('bound')
})
